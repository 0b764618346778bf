"""Verdicts as schema.org ClaimReview and claims and evidence as W3C Web Annotations
(docs/exports.md): checked against the schema.org vocabulary (tests/schemaorg.py) and against
the Web Annotation model, with every selector checked against the stored text."""

from __future__ import annotations

import copy
import typing

import httpx
import pytest
from fastapi.testclient import TestClient

from claimcheck.api import exports, linked_data
from claimcheck.api.app import create_app
from claimcheck.api.schemas import VerdictPublic
from claimcheck.settings import Settings
from tests import schemaorg
from tests.conftest import SEEDS
from tests.serving import Server

ANNO = linked_data.ANNOTATION_MEDIA
PROBLEM = "application/problem+json"
KORDAN = ("Kordan floods leave 40 hurt\n"
          "Ann Cole, the mayor of Tasso, said on Monday that 40 people were hurt when the Kordan bridge collapsed. "
          "\"The river rose faster than anyone expected,\" said Peter Okafor, a spokesman for Kestrel Air, "
          "which cancelled 12 flights. According to Lina Berg, the transport minister, the bridge will reopen "
          "in March.\n")
KORDAN_URL = "https://news.example/kordan-floods"
# Code points outside the BMP before the spans: one code point each for Python and the model,
# two UTF-16 units each for JavaScript.
EMOJI = ("🌊🌊 Tasso river watch\n"
         "Ola Brandt, the harbour master of Tasso, said on Tuesday that 300 boats were moved to the north quay.\n")
STATEMENTS = {
    "supported": "Ann Cole said 40 people were hurt",
    "conflicting": "Ann Cole said 90 people were hurt when the Kordan bridge collapsed",
    "misattributed": "Mara Quell said 40 people were hurt when the Kordan bridge collapsed",
    "not_enough_info": "Mara Quell said the moon is made of cheese",
}
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
               "identifying", "linking", "moderating", "questioning", "replying", "tagging"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = Settings(db=tmp_path_factory.mktemp("ld") / "c.sqlite3", seeds=SEEDS / "none", parse_workers=0)
    with TestClient(create_app(settings)) as c:
        for path in sorted(SEEDS.glob("*.txt")):  # the seed corpus, as stored without a URL
            assert c.post("/v1/documents", content=path.read_bytes(),
                          headers={"content-type": "text/plain"}).status_code == 201
        assert c.post("/v1/documents", json={"text": KORDAN, "title": "Kordan floods", "source": "Tasso Courier",
                                             "published": "2026-03-02", "url": KORDAN_URL}).status_code == 201
        assert c.post("/v1/documents", json={"text": EMOJI, "title": "Tasso river watch"}).status_code == 201
        yield c


def verify(client, statement: str, **kwargs) -> httpx.Response:
    r = client.post("/v1/verify", json={"statement": statement}, **kwargs)
    assert r.status_code == 200, r.text
    return r


def all_documents(client) -> list[dict]:
    return client.get("/v1/documents", params={"limit": 200}).json()["items"]


# --- the schema.org validator itself -----------------------------------------------------------


def test_vocabulary_is_schemaorg_12_current_with_claim():
    vocab = schemaorg.vocabulary()
    assert {"Claim", "ClaimReview", "Rating", "NewsArticle", "Quotation"} <= vocab.supertypes.keys()
    assert "StupidType" not in vocab.supertypes  # a test term only the "all" files have
    assert vocab.is_a("ClaimReview", "CreativeWork") and vocab.is_a("NewsArticle", "Thing")
    assert "Claim" in schemaorg.pending_terms() and "ClaimReview" not in schemaorg.pending_terms()


GOOD = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "Tasso is dry",
        "datePublished": "2026-03-02", "author": {"@type": "Organization", "name": "Kordan Checks"},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                         "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Lina Berg"},
                         "appearance": [{"@type": "NewsArticle", "url": "https://news.example/a"}]}}


def broken(path: str, value) -> dict:
    doc = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[key]
    node[last] = value
    return doc


def test_validator_accepts_a_good_review():
    assert schemaorg.problems(GOOD) == []


@pytest.mark.parametrize(("doc", "words"), [
    (broken("truthScore", 3), ["'truthScore' is not a schema.org property"]),  # invented property
    (broken("ratingValue", 3), ["'ratingValue' does not apply to ['ClaimReview']"]),  # a Rating's, on a review
    (broken("itemReviewed.reviewRating", GOOD["reviewRating"]), ["does not apply to ['Claim']"]),
    (broken("@type", "FactCheck"), ["'FactCheck' is not a schema.org type"]),
    (broken("author", {"@type": "Rating", "ratingValue": 2}), ["author expects"]),  # wrong range
    (broken("reviewRating", "false"), ["reviewRating expects"]),
    (broken("datePublished", "last Tuesday"), ["datePublished expects"]),
    (broken("itemReviewed.appearance", [{"@type": "NewsArticle", "url": "not a url"}]), ["url expects"]),
    (broken("reviewRating.ratingValue", True), ["not a boolean"]),
    (broken("itemReviewed.awards", "Kordan prize"), ["superseded by 'award'"]),
    (broken("@context", "http://example.org/vocab"), ["not schema.org"]),
])
def test_validator_refuses(doc, words):
    found = "\n".join(schemaorg.problems(doc))
    for word in words:
        assert word in found, found


# --- ClaimReview ------------------------------------------------------------------------------


def test_the_rating_mapping_covers_every_verdict_in_order():
    verdicts = typing.get_args(VerdictPublic.model_fields["verdict"].annotation)
    assert set(linked_data.RATINGS) == set(verdicts)
    value = {v: linked_data.RATINGS[v].value for v in verdicts}
    assert value["supported"] > value["disputed"] > value["misattributed"] > value["conflicting"]
    assert value["supported"] == linked_data.BEST and value["conflicting"] == linked_data.WORST
    assert value["not_enough_info"] is None  # not a point on the scale
    assert len({r.label for r in linked_data.RATINGS.values()}) == 5


@pytest.mark.parametrize("expected", list(STATEMENTS))
def test_every_verdict_is_a_valid_claim_review(client, expected):
    statement = STATEMENTS[expected]
    plain = verify(client, statement).json()
    assert plain["verdict"] == expected
    r = verify(client, statement, params={"format": "claimreview"})
    assert r.headers["content-type"] == "application/ld+json"
    review = r.json()
    assert schemaorg.problems(review) == []
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == statement
    rating = linked_data.RATINGS[expected]
    assert review["reviewRating"]["alternateName"] == rating.label
    assert review["reviewRating"].get("ratingValue") == rating.value
    assert (review["reviewRating"]["bestRating"], review["reviewRating"]["worstRating"]) == (5, 1)
    assert review["author"] == {"@type": "Organization", "name": "claimcheck", "url": "http://testserver/"}
    assert [c["text"] for c in review.get("citation", [])] == [e["span"]["text"] for e in plain["evidence"]]
    assert review["itemReviewed"]["author"]["name"] == statement.split(" said ")[0]
    assert review["itemReviewed"]["author"]["@type"] == "Person"
    assert review["@id"].startswith("urn:uuid:")
    assert verify(client, statement, params={"format": "claimreview"}).json()["@id"] == review["@id"]


def test_claim_review_appearances_and_citations(client):
    review = verify(client, STATEMENTS["supported"], headers={"Accept": "application/ld+json"}).json()
    (article,) = review["itemReviewed"]["appearance"]
    assert article == {"@type": "NewsArticle", "@id": f"http://testserver/v1/documents/{article['identifier']}",
                       "identifier": article["identifier"], "url": KORDAN_URL, "name": "Kordan floods",
                       "headline": "Kordan floods", "datePublished": "2026-03-02",
                       "publisher": {"@type": "Organization", "name": "Tasso Courier"}}
    quote = review["citation"][0]
    assert quote["spokenByCharacter"] == {"@type": "Person", "name": "Ann Cole"}
    assert quote["isPartOf"] == article and quote["description"].startswith("Supports: ")
    assert "Supported by sources (confidence" in review["reviewBody"]
    # Misattributed: the content appears, but not as the statement credits it.
    misattributed = verify(client, STATEMENTS["misattributed"], params={"format": "claimreview"}).json()
    assert "appearance" not in misattributed["itemReviewed"] and misattributed["citation"]
    # The named speaker wins over the statement's own.
    named = client.post("/v1/verify?format=claimreview", json={"statement": "40 people were hurt in Kordan",
                                                               "speaker": "Kestrel Air"}).json()
    assert named["itemReviewed"]["author"] == {"@type": "Person", "name": "Kestrel Air"}  # not a speaker here


def test_default_json_is_unchanged_and_the_query_wins(client):
    statement = STATEMENTS["conflicting"]
    plain = verify(client, statement)
    assert plain.headers["content-type"] == "application/json"
    assert VerdictPublic.model_validate(plain.json()).model_dump(mode="json") == plain.json()
    for kwargs in ({"params": {"format": "json"}}, {"headers": {"Accept": "application/json"}},
                   {"headers": {"Accept": "*/*"}}, {"params": {"format": "json"},
                                                    "headers": {"Accept": "application/ld+json"}},
                   {"headers": {"Accept": "application/json, application/ld+json"}}):
        r = verify(client, statement, **kwargs)
        assert r.headers["content-type"] == "application/json" and r.json() == plain.json(), kwargs
    r = verify(client, statement, params={"format": "claimreview"}, headers={"Accept": ANNO})
    assert r.json()["@type"] == "ClaimReview"


def test_batch_is_one_graph_of_reviews(client):
    statements = [{"statement": s} for s in STATEMENTS.values()]
    plain = client.post("/v1/verify/batch", json={"statements": statements}).json()
    r = client.post("/v1/verify/batch", json={"statements": statements}, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json"
    graph = r.json()
    assert schemaorg.problems(graph) == [] and set(graph) == {"@context", "@graph"}
    assert [g["claimReviewed"] for g in graph["@graph"]] == list(STATEMENTS.values())
    assert [g["reviewRating"]["alternateName"] for g in graph["@graph"]] == [
        linked_data.RATINGS[x["verdict"]].label for x in plain["results"]]
    assert all("@context" not in g for g in graph["@graph"])
    # The annotation profile has no batch form: the batch's JSON-LD (ClaimReviews) is what it gets.
    assert client.post("/v1/verify/batch", json={"statements": statements},
                       headers={"Accept": ANNO}).json()["@graph"][0]["@type"] == "ClaimReview"


def test_the_schemaorg_terms_used_and_which_are_pending(client):
    used: set[str] = set()
    for statement in STATEMENTS.values():
        used |= schemaorg.terms(verify(client, statement, params={"format": "claimreview"}).json())
    # Pending in schema.org 12.0 (Google reads them all for fact checks); listed so a change is seen.
    assert used & schemaorg.pending_terms() == {"Claim", "appearance", "Quotation", "spokenByCharacter",
                                               "ratingExplanation"}


@pytest.mark.parametrize(("path", "value", "allowed"), [
    ("/v1/verify", "xml", "'json', 'claimreview' or 'annotation'"),
    ("/v1/verify/batch", "annotation", "'json' or 'claimreview'"),
])
def test_a_bad_format_is_a_problem_naming_the_parameter(client, path, value, allowed):
    body = {"statement": "Tasso"} if path == "/v1/verify" else {"statements": [{"statement": "Tasso"}]}
    r = client.post(path, params={"format": value}, json=body)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["errors"][0]["field"] == "query.format" and allowed in problem["detail"]
    r = client.get("/v1/claims/abc", params={"format": "claimreview"})
    assert r.status_code == 422 and "'json' or 'annotation'" in r.json()["detail"]


# --- W3C Web Annotation -----------------------------------------------------------------------


def check_selectors(target: dict, text: str, span: dict | None = None) -> None:
    quote, position = target["selector"]
    assert set(quote) <= {"type", "exact", "prefix", "suffix"} and quote["type"] == "TextQuoteSelector"
    assert set(position) == {"type", "start", "end"} and position["type"] == "TextPositionSelector"
    start, end = position["start"], position["end"]
    assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
    assert quote["exact"] == text[start:end] != ""
    assert quote.get("prefix", "") == text[max(0, start - linked_data.CONTEXT_CHARS) : start]
    assert quote.get("suffix", "") == text[end : end + linked_data.CONTEXT_CHARS]
    if span is not None:
        assert (start, end, quote["exact"]) == (span["start"], span["end"], span["text"])


def check_annotation(anno: dict, text: str, source: str, motivation: str) -> None:
    assert set(anno) <= {"@context", "id", "type", "motivation", "body", "target", "generator"}
    assert anno["type"] == "Annotation" and anno["motivation"] == motivation in MOTIVATIONS
    assert anno["id"].startswith(("http://testserver/", "urn:uuid:"))
    assert anno["generator"] == {"id": "http://testserver/", "type": "Software", "name": "claimcheck"}
    for body in anno["body"]:
        assert body["purpose"] in MOTIVATIONS
        if body["type"] == "TextualBody":
            assert set(body) == {"type", "value", "purpose", "format"} and body["value"]
        else:
            assert body["type"] == "SpecificResource" and body["source"].startswith("http://testserver/v1/")
    assert set(anno["target"]) == {"source", "selector"} and anno["target"]["source"] == source
    check_selectors(anno["target"], text)


def check_collection(collection: dict, collection_id: str) -> list[dict]:
    assert collection["@context"] == linked_data.ANNO_CONTEXT and collection["type"] == "AnnotationCollection"
    assert collection["id"] == collection_id and collection["label"]
    if collection["total"] == 0:
        assert "first" not in collection and "last" not in collection
        return []
    page = collection["first"]
    assert page["type"] == "AnnotationPage" and page["partOf"] == collection_id and page["startIndex"] == 0
    assert collection["last"] == page["id"] and len(page["items"]) == collection["total"]
    assert all("@context" not in item for item in page["items"])
    return page["items"]


def test_every_claim_of_every_document_is_an_annotation_on_its_span(client):
    checked = 0
    for ref in all_documents(client):
        doc = client.get(f"/v1/documents/{ref['id']}").json()
        r = client.get(f"/v1/documents/{ref['id']}/annotations")
        assert r.status_code == 200 and r.headers["content-type"] == ANNO
        collection = f"http://testserver/v1/documents/{ref['id']}/annotations"
        items = check_collection(r.json(), collection)
        assert len(items) == len(doc["claims"]) > 0
        source = ref["url"] or f"http://testserver/v1/documents/{ref['id']}"
        for claim, anno in zip(doc["claims"], items, strict=True):
            check_annotation(anno, doc["text"], source, "describing")
            check_selectors(anno["target"], doc["text"], claim["content"])
            assert anno["id"] == f"http://testserver/v1/claims/{claim['id']}?format=annotation"
            assert {"type": "TextualBody", "value": claim["kind"], "purpose": "tagging",
                    "format": "text/plain"} in anno["body"]
            if claim["speaker"]["name"]:
                assert {"type": "TextualBody", "value": claim["speaker"]["name"], "purpose": "identifying",
                        "format": "text/plain"} in anno["body"]
            one = client.get(f"/v1/claims/{claim['id']}", params={"format": "annotation"})
            assert one.headers["content-type"] == ANNO and one.json() == {"@context": linked_data.ANNO_CONTEXT,
                                                                          **anno}
            checked += 1
    assert checked > 20


def test_positions_count_code_points_not_utf16_units(client):
    ref = next(d for d in all_documents(client) if d["title"] == "Tasso river watch")
    items = client.get(f"/v1/documents/{ref['id']}/annotations").json()["first"]["items"]
    anno = next(a for a in items if "300 boats" in a["target"]["selector"][0]["exact"])
    quote, position = anno["target"]["selector"]
    assert position["start"] == EMOJI.index(quote["exact"])  # Python: code points
    assert EMOJI[position["start"] : position["end"]] == quote["exact"]
    utf16_start = len(EMOJI[: position["start"]].encode("utf-16-le")) // 2
    assert utf16_start == position["start"] + 2  # what a JavaScript index would say instead


def test_a_claim_by_accept_header_and_the_json_default(client):
    claim = client.get("/v1/claims", params={"speaker": "Ann Cole"}).json()["items"][0]
    assert client.get(f"/v1/claims/{claim['id']}").json() == claim
    for accept in (ANNO, "application/ld+json"):
        r = client.get(f"/v1/claims/{claim['id']}", headers={"Accept": accept})
        assert r.headers["content-type"] == ANNO and r.json()["target"]["source"] == KORDAN_URL
    assert any(b.get("source", "").startswith("http://testserver/v1/speakers/") for b in r.json()["body"])
    assert client.get(f"/v1/claims/{claim['id']}", headers={"Accept": "application/json"}).json() == claim


def test_verdict_evidence_as_annotations(client):
    statement = STATEMENTS["conflicting"]
    plain = verify(client, statement).json()
    r = verify(client, statement, params={"format": "annotation"})
    assert r.headers["content-type"] == ANNO
    collection = r.json()
    items = check_collection(collection, collection["id"])
    assert collection["id"].startswith("urn:uuid:") and statement in collection["label"]
    assert len(items) == len(plain["evidence"]) > 0
    for evidence, anno in zip(plain["evidence"], items, strict=True):
        doc = client.get(f"/v1/documents/{evidence['document']['id']}").json()
        check_annotation(anno, doc["text"], doc["url"] or f"http://testserver/v1/documents/{doc['id']}", "assessing")
        check_selectors(anno["target"], doc["text"], evidence["span"])
        assert anno["body"][0] == {"type": "TextualBody", "value": evidence["stance"], "purpose": "assessing",
                                   "format": "text/plain"}
        tags = {b["value"] for b in anno["body"] if b["purpose"] == "tagging"}
        assert tags == {reason["code"] for reason in evidence["reasons"]}
        assert {"type": "SpecificResource", "source": f"http://testserver/v1/claims/{evidence['claim_id']}",
                "purpose": "linking"} in anno["body"]
    assert "figure_mismatch" in {b.get("value") for b in items[0]["body"]}
    # Accept with the profile asks for the same (same ids: derived from the request, not random);
    # nothing found is an empty collection, no page.
    assert verify(client, statement, headers={"Accept": ANNO}).json() == collection
    assert collection["id"] != verify(client, statement, params={"format": "claimreview"}).json()["@id"]
    empty = verify(client, STATEMENTS["not_enough_info"], params={"format": "annotation"}).json()
    assert empty["total"] == 0 and check_collection(empty, empty["id"]) == []


def test_annotations_of_an_unknown_document_are_a_404_problem(client):
    r = client.get("/v1/documents/0000000000000000/annotations")
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(("accept", "kind"), [
    ("application/ld+json", "jsonld"), (ANNO, "annotation"),
    ('application/ld+json;profile="http://www.w3.org/ns/anno.jsonld http://example.org/p"', "annotation"),
    ('application/ld+json; profile="https://example.org/other"', "jsonld"),
    ("application/json, application/ld+json", None), ("application/ld+json, application/json", "jsonld"),
    ("*/*", None), ("", None), ("text/html, application/ld+json", "jsonld"), ("text/csv", None),
    # Quality decides before list order (RFC 9110 12.5.1); q=0 means "not this".
    ("application/ld+json;q=0.9, application/json", None), ("application/json;q=0.5, application/ld+json", "jsonld"),
    ("application/ld+json;q=0, */*", None), (f"{ANNO};q=0.8, application/json;q=0.2", "annotation"),
])
def test_accept_header(accept, kind):
    assert exports.ld_wanted(accept) == kind


# --- a real server ----------------------------------------------------------------------------


def test_a_real_server_answers_accept_ld_json(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "kordan.txt").write_text(KORDAN, "utf-8")
    with Server(tmp_path / "c.sqlite3", seeds=seeds, env={"CLAIMCHECK_PARSE_WORKERS": "0"}) as server:
        r = httpx.post(f"{server.base}/v1/verify", json={"statement": STATEMENTS["supported"]},
                       headers={"Accept": "application/ld+json"}, timeout=60)
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json"
    review = r.json()
    assert review["@type"] == "ClaimReview" and schemaorg.problems(review) == []
    assert review["reviewRating"]["ratingValue"] == 5 and review["author"]["url"] == f"{server.base}/"


def test_a_stored_url_that_is_not_http_never_leaves_as_a_link(tmp_path):
    """Aggregators render a ClaimReview's URLs and annotation viewers link ``target.source``: a
    ``javascript:`` URL stored with an article is published as neither."""
    from tests.desk import ARTICLE, SUPPORTED

    settings = Settings(db=tmp_path / "c.sqlite3", seeds=SEEDS / "none", parse_workers=0)
    with TestClient(create_app(settings)) as c:
        created = c.post("/v1/documents", json=ARTICLE)
        assert created.status_code == 201
        doc_id = created.json()["id"]
        review = c.post("/v1/verify?format=claimreview", json={"statement": SUPPORTED})
        evidence = c.post("/v1/verify?format=annotation", json={"statement": SUPPORTED})
        annotations = c.get(f"/v1/documents/{doc_id}/annotations")
        for r in (review, evidence, annotations):
            assert r.status_code == 200, r.text
            assert "javascript:" not in r.text
        sources = {a["target"]["source"] for a in annotations.json()["first"]["items"]}
        assert sources == {f"http://testserver/v1/documents/{doc_id}"}


def test_links_start_with_the_public_url_when_one_is_set(tmp_path):
    from pydantic import ValidationError

    from tests.desk import DEMO, SUPPORTED

    settings = Settings(db=tmp_path / "c.sqlite3", seeds=SEEDS / "none", parse_workers=0,
                        public_url="https://desk.example.org/claims/")
    with TestClient(create_app(settings)) as c:
        doc_id = c.post("/v1/documents", json=DEMO).json()["id"]
        annotations = c.get(f"/v1/documents/{doc_id}/annotations").json()
        assert {a["target"]["source"] for a in annotations["first"]["items"]} == {
            f"https://desk.example.org/claims/v1/documents/{doc_id}"}
        review = c.post("/v1/verify?format=claimreview", json={"statement": SUPPORTED}).text
        assert "https://desk.example.org/claims/" in review and "testserver" not in review
        page = c.get("/verify", params={"statement": SUPPORTED}).text
        assert "https://desk.example.org/claims/verify?statement=" in page
    for bad in ("desk.example.org", "ftp://desk.example.org", "https://desk example.org"):
        with pytest.raises(ValidationError, match="public_url"):
            Settings(public_url=bad)
