"""The desk's HTML pages, through FastAPI's TestClient: every page on the seeds, 404 pages, hostile
markup shown escaped everywhere, highlights at exactly the stored offsets, the verify form's
permalink and its validation messages."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from claimcheck.api.app import create_app
from claimcheck.settings import Settings
from tests.conftest import SEEDS
from tests.desk import ARTICLE, HOSTILE, HOSTILE_ATTR, SUPPORTED

SEED_TEXT = (SEEDS / "000_58b65f41969edd74.txt").read_text("utf-8")
HTML = "text/html; charset=utf-8"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("pages") / "c.sqlite3"
    settings = Settings(db=db, max_document_bytes=50_000, parse_workers=0)
    with TestClient(create_app(settings)) as c:
        r = c.post("/v1/documents", content=SEED_TEXT.encode(), headers={"content-type": "text/plain"})
        assert r.status_code == 201
        assert c.post("/v1/documents", json=ARTICLE).status_code == 201
        yield c


@pytest.fixture(scope="module")
def hostile(client):
    """The invented article, as the API returns it (text and claims with their spans)."""
    (ref,) = [d for d in client.get("/v1/documents").json()["items"] if d["source"] == "Kordan Herald"]
    return client.get(f"/v1/documents/{ref['id']}").json()


class Page(HTMLParser):
    """What the tests read from a page: elements with their attributes and text, the text of the
    article outside the speaker labels, and every label's target."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.elements: list[dict] = []
        self.document_text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        inside = any(e.get("class") == "document" for e in self.stack)
        element = {"tag": tag, **{k: v or "" for k, v in attrs}, "text": "", "in_document": inside}
        self.elements.append(element)
        if tag not in ("input", "meta", "link", "br", "img"):
            self.stack.append(element)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data
        classes = [e.get("class", "") for e in self.stack]
        if "document" in classes and "who" not in classes:
            self.document_text += data

    def find(self, tag: str | None = None, **attrs: str) -> list[dict]:
        return [e for e in self.elements if (tag is None or e["tag"] == tag)
                and all(e.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def page(client, url: str, status: int = 200) -> Page:
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == HTML
    assert "Traceback" not in r.text
    return Page(r.text)


def assert_accessible_shell(p: Page) -> None:
    (html,) = p.find("html")
    assert html["lang"] == "en"
    assert p.find("meta", name="viewport")
    assert p.find("a", href="#main") and p.find("main", id="main") and p.find("header") and p.find("nav")
    labelled = {e["for"] for e in p.find("label")}
    for field in p.find("input"):
        assert field.get("id") in labelled, f"input without a label: {field}"


def test_every_page_renders_on_the_seeds(client):
    urls = ["/", "/speakers", "/speakers?q=Cole", "/articles", "/verify"]
    urls += [f"/speakers/{s['id']}" for s in client.get("/v1/speakers", params={"limit": 200}).json()["items"]]
    urls += [f"/articles/{d['id']}" for d in client.get("/v1/documents").json()["items"]]
    assert len(urls) > 8
    for url in urls:
        assert_accessible_shell(page(client, url))


def test_home_links_to_the_lists_and_has_both_forms(client):
    p = page(client, "/")
    hrefs = {a["href"] for a in p.find("a")}
    assert {"/speakers", "/articles", "/verify"} <= hrefs
    assert any(h.startswith("/articles/") for h in hrefs)
    assert p.find("form", action="/speakers") and p.find("form", action="/verify")


def test_speakers_list_shows_counts_roles_and_aliases(client):
    p = page(client, "/speakers?q=Okafor")
    (card,) = p.find("li", **{"class": "card"})
    assert "Peter Okafor" in card["text"] and "1 claim" in card["text"]
    assert "Roles:" in card["text"]
    assert "No speaker matches" in client.get("/speakers?q=Nobody+Here").text


def test_speakers_list_is_paged_with_the_store_cursor(client, monkeypatch):
    from claimcheck.web import pages

    monkeypatch.setattr(pages, "PAGE", 2)
    first = page(client, "/speakers")
    names = [a["text"] for a in first.elements if a["tag"] == "a" and a.get("href", "").startswith("/speakers/")]
    (following,) = first.find("a", rel="next")
    second = page(client, following["href"])
    more = [a["text"] for a in second.elements if a["tag"] == "a" and a.get("href", "").startswith("/speakers/")]
    assert len(names) == 2 and more and not set(names) & set(more)


def test_unknown_speaker_article_or_page_is_an_html_404(client):
    for url in ["/speakers/0000000000000000", "/articles/0000000000000000", "/speakers?after=nope",
                "/articles?after=nope"]:
        p = page(client, url, 404)
        assert p.find("p", role="alert")
        assert_accessible_shell(p)
    # The API's own answers are unchanged: problem+json.
    r = client.get("/v1/speakers/0000000000000000")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json() == {"type": "about:blank", "title": "Not found", "status": 404,
                        "detail": "no speaker with id '0000000000000000'"}
    assert client.get("/v1/nothing").headers["content-type"] == "application/problem+json"


def test_an_address_that_is_no_page_is_an_html_404_for_a_browser_and_problem_json_otherwise(client):
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for url in ["/nope", "/speakers/a/b", "/static/nope.css"]:
        r = client.get(url, headers=browser)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), url
        assert "Page not found" in r.text and "Traceback" not in r.text
    assert client.post("/speakers", headers=browser).status_code == 405
    # A client that does not ask for HTML, and every /v1 address, keep the API's problem+json.
    assert client.get("/nope").headers["content-type"] == "application/problem+json"
    assert client.get("/v1/nope", headers=browser).headers["content-type"] == "application/problem+json"


def test_pages_are_not_in_the_openapi_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if not p.startswith(("/v1/", "/healthz", "/readyz"))]


def test_static_files_and_security_headers(client):
    r = client.get("/static/desk.css")
    assert r.status_code == 200 and ":focus-visible" in r.text
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


# --- escaping -------------------------------------------------------------------------------------


def assert_escaped(html: str) -> None:
    assert HOSTILE not in html and "<script>alert" not in html and "<img" not in html
    assert "onerror=alert(2)>" not in html.replace("&gt;", "")  # only ever as escaped text
    assert 'href="javascript:' not in html.lower()


def test_article_page_escapes_the_text_title_and_url(client, hostile):
    r = client.get(f"/articles/{hostile['id']}")
    assert_escaped(r.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in r.text or "&quot;&gt;&lt;img" in r.text
    p = Page(r.text)
    assert p.find("h1")[0]["text"] == ARTICLE["title"]  # shown as text, whole
    assert p.document_text == hostile["text"]


def test_speaker_pages_escape_their_claims(client, hostile):
    for claim in hostile["claims"]:
        if claim["speaker"]["id"]:
            r = client.get(f"/speakers/{claim['speaker']['id']}")
            assert r.status_code == 200
            assert_escaped(r.text)
    cole = next(c for c in hostile["claims"] if HOSTILE in c["content"]["text"])
    p = page(client, f"/speakers/{cole['speaker']['id']}")
    (mark,) = p.find("mark", data_claim=cole["id"])
    assert mark["text"] == cole["content"]["text"]


def test_verify_page_escapes_the_statement_and_the_evidence(client):
    statement = f"Lina Berg said the sign at the gate read {HOSTILE_ATTR}"
    r = client.get("/verify", params={"statement": statement, "speaker": HOSTILE})
    assert r.status_code == 200
    assert_escaped(r.text)
    p = Page(r.text)
    assert p.find("input", id="statement")[0]["value"] == statement  # the form keeps it, as text
    assert p.find("input", id="speaker")[0]["value"] == HOSTILE


# --- highlights -----------------------------------------------------------------------------------


def test_article_highlights_are_the_stored_spans(client, hostile):
    p = page(client, f"/articles/{hostile['id']}")
    attributed = [c for c in hostile["claims"] if c["kind"] != "narrator"]
    assert attributed
    for claim in hostile["claims"]:
        (anchor,) = p.find(id=f"claim-{claim['id']}")  # every claim has one anchor
        if claim["kind"] == "narrator":
            continue
        assert anchor["tag"] == "mark" and anchor["class"] == "claim"
        assert (int(anchor["data-start"]), int(anchor["data-end"])) == (claim["content"]["start"],
                                                                         claim["content"]["end"])
        assert anchor["text"] == claim["content"]["text"] == hostile["text"][anchor_slice(anchor)]
        assert claim["speaker"]["name"] in anchor["title"]
        for figure in claim["figures"]:
            (span,) = [e for e in p.find("span", **{"class": "figure"}) if e.get("data-start") == str(figure["start"])]
            assert span["text"] == figure["text"] and int(span["data-end"]) == figure["end"]
    labels = [e["text"] for e in p.find("span", **{"class": "who"}) if e["in_document"]]
    assert labels == [c["speaker"]["name"] for c in sorted(attributed, key=lambda c: c["content"]["start"])]


def anchor_slice(element: dict) -> slice:
    return slice(int(element["data-start"]), int(element["data-end"]))


def test_seed_article_text_is_whole_and_nested_claims_keep_their_anchor(client):
    (ref,) = [d for d in client.get("/v1/documents").json()["items"] if d["source"] != "Kordan Herald"]
    stored = client.get(f"/v1/documents/{ref['id']}").json()
    p = page(client, f"/articles/{ref['id']}")
    assert p.document_text == stored["text"]
    for claim in stored["claims"]:
        assert len(p.find(id=f"claim-{claim['id']}")) == 1
        if claim["kind"] != "narrator":  # attributed claims win over the narration around them
            (mark,) = p.find("mark", id=f"claim-{claim['id']}")
            assert mark["text"] == claim["content"]["text"]


def test_speaker_page_groups_claims_by_article_with_dates_and_links(client, hostile):
    cole = [c for c in hostile["claims"] if c["speaker"]["name"] == "Ann Cole"]
    p = page(client, f"/speakers/{cole[0]['speaker']['id']}")
    assert p.find("h1")[0]["text"] == "Ann Cole"
    (group,) = p.find("section", **{"class": "group"})
    assert ARTICLE["title"] in group["text"] and "Kordan Herald, 2026-03-04" in group["text"]
    for claim in cole:
        (mark,) = p.find("mark", data_claim=claim["id"])
        assert mark["text"] == claim["content"]["text"]
        assert p.find("a", href=f"/articles/{hostile['id']}#claim-{claim['id']}")
    assert "said Monday (2026-03-02)" in group["text"]  # said_on, resolved against the publication
    assert "published 2026-03-04" in group["text"]  # no said_on: the article's date
    assert next(e["text"] for e in p.find("span", **{"class": "figure"}) if "data-start" in e) == "40 people"
    assert p.find("strong", **{"class": "speaker"})


# --- verify ---------------------------------------------------------------------------------------


def test_verify_form_alone(client):
    p = page(client, "/verify")
    assert p.find("input", id="statement")[0]["value"] == ""
    assert not p.find("section", **{"class": "verdict verdict-supported"})


def test_verify_shows_the_verdict_evidence_reasons_and_permalink(client, hostile):
    api = client.post("/v1/verify", json={"statement": SUPPORTED}).json()
    p = page(client, f"/verify?statement={SUPPORTED.replace(' ', '+')}")
    (verdict,) = p.find("section", **{"class": f"verdict verdict-{api['verdict']}"})
    assert api["verdict"] == "supported" and "Supported" in verdict["text"]
    assert f"confidence {round(api['confidence'] * 100)}%" in verdict["text"]
    top = api["evidence"][0]
    (mark,) = [m for m in p.find("mark", **{"class": "evidence"}) if m["data-claim"] == top["claim_id"]][:1]
    assert (int(mark["data-start"]), int(mark["data-end"])) == (top["span"]["start"], top["span"]["end"])
    assert mark["text"] == top["span"]["text"]
    reasons = p.find("ul", **{"class": "reasons"})[0]["text"]
    assert all(r["message"] in reasons for r in top["reasons"])
    assert p.find("a", href=f"/articles/{hostile['id']}#claim-{top['claim_id']}")
    (link,) = p.find("input", id="permalink")
    url = urlsplit(link["value"])
    assert url.path == "/verify"
    again = page(client, f"{url.path}?{url.query}")  # the permalink round-trips
    assert again.find("input", id="permalink")[0]["value"] == link["value"]
    assert again.find("section", **{"class": "verdict verdict-supported"})


def test_verify_permalink_keeps_speaker_and_date(client):
    p = page(client, "/verify?statement=40+people+were+hurt&speaker=Peter+Okafor&date=2026-03-04")
    url = urlsplit(p.find("input", id="permalink")[0]["value"])
    assert url.query == "statement=40+people+were+hurt&speaker=Peter+Okafor&date=2026-03-04"
    assert p.find("section", **{"class": "verdict verdict-misattributed"})


def test_verify_form_submission_lands_on_the_permalink(client):
    r = client.get("/verify?statement=Ann+Cole+said+40+people+were+hurt&speaker=&date=", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/verify?statement=Ann+Cole+said+40+people+were+hurt"
    r = client.get("/verify?statement=x&speaker=Ann+Cole&date=", follow_redirects=False)
    assert r.headers["location"] == "/verify?statement=x&speaker=Ann+Cole"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("statement=", "Statement is empty"),
        ("statement=" + "x" * 2001, "at most 2,000 characters"),
        ("statement=+%09+", "visible character"),
        ("statement=a%00b", "NUL"),
        ("statement=ok&date=Friday", "YYYY-MM-DD"),
        ("statement=ok&date=2026-02-30", "Date"),
        ("statement=ok&speaker=" + "y" * 201, "Speaker"),
        ("speaker=Ann+Cole", "Statement is empty"),  # a speaker without a statement
    ],
)
def test_verify_bad_input_is_a_readable_4xx_page(client, query, words):
    r = client.get(f"/verify?{query}")
    assert r.status_code == 422 and r.headers["content-type"] == HTML
    assert "Traceback" not in r.text and "pydantic" not in r.text.lower()
    p = Page(r.text)
    (alert,) = p.find("div", role="alert")
    assert words in alert["text"], alert["text"]
    assert p.find("form", action="/verify")  # the form is there to correct it
    assert_accessible_shell(p)


@pytest.mark.parametrize("query", ["q=%00", "q=" + "z" * 201])
def test_bad_speaker_search_is_a_readable_4xx_page(client, query):
    p = page(client, f"/speakers?{query}", 422)
    assert "at most 200 characters" in p.find("p", role="alert")[0]["text"]


def test_a_speakers_claims_and_the_articles_are_paged(client, hostile, monkeypatch):
    from claimcheck.web import pages

    monkeypatch.setattr(pages, "CLAIMS_PAGE", 1)
    monkeypatch.setattr(pages, "PAGE", 1)
    cole = next(c for c in hostile["claims"] if c["speaker"]["name"] == "Ann Cole")
    first = page(client, f"/speakers/{cole['speaker']['id']}")
    (following,) = first.find("a", rel="next")
    second = page(client, following["href"])
    seen = [m["data-claim"] for p in (first, second) for m in p.find("mark") if m.get("data-claim")]
    assert len(seen) == 2 and len(set(seen)) == 2
    assert second.find("a", href=f"/speakers/{cole['speaker']['id']}")  # back to the first page
    listed = []
    url: str | None = "/articles"
    while url:
        p = page(client, url)
        listed += [a["href"] for a in p.find("a") if a["href"].startswith("/articles/")]
        url = next((a["href"] for a in p.find("a", rel="next")), None)
    assert len(listed) == len(set(listed)) == 2 and f"/articles/{hostile['id']}" in listed


def test_failures_inside_a_page_are_html_without_details(client, monkeypatch):
    from claimcheck.errors import Busy

    store = client.app.state.runtime.store

    def broken(**_):
        raise RuntimeError("/secret/path/claims.sqlite3 is locked")

    monkeypatch.setattr(store, "list_speakers", broken)
    r = client.get("/speakers")
    assert r.status_code == 500 and r.headers["content-type"] == HTML
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text

    def busy(**_):
        raise Busy("index lock held by /secret/path")

    monkeypatch.setattr(store, "list_speakers", busy)
    r = client.get("/speakers")
    assert r.status_code == 503 and r.headers["retry-after"] == "1" and "secret" not in r.text
    assert "busy" in r.text


def test_a_claim_whose_article_is_gone_is_shown_alone_at_its_own_offsets(extractor):
    from claimcheck.ingest import document_from_text
    from claimcheck.store.protocol import StoredClaim
    from claimcheck.web import views

    text = "Tasso news\nAnn Cole, the mayor of Tasso, said on Monday that 40 people were hurt."
    claim = next(c for c in extractor.extract(document_from_text(text)).claims if c.speaker.name)
    view = views.claim_view(StoredClaim("c1", claim, None), None)
    assert "".join(s.text for s in view.context) == claim.content.text
    assert (view.context[0].start, view.context[-1].end) == (claim.content.start, claim.content.end)
    assert text[view.context[0].start:view.context[-1].end] == claim.content.text
