"""Prior fact-checks: ClaimReview read in every published shape, malformed reviews refused with
the field named and nothing stored, stored and listed through the API, and matched at verify
time only when the statement is the same claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimcheck import service
from claimcheck.api.app import create_app
from claimcheck.ingest.claimreview import ReviewError, read_claim_reviews
from claimcheck.settings import Settings
from claimcheck.store import MemoryStore

FACTCHECKS = Path(__file__).parent / "fixtures" / "factchecks"
PROBLEM = "application/problem+json"


def _load(name: str):
    return json.loads((FACTCHECKS / name).read_text("utf-8"))


@pytest.mark.parametrize(("name", "count"), [("review.json", 1), ("list.json", 5), ("graph.json", 4),
                                             ("datafeed.json", 40)])
def test_every_published_shape_is_read(name, count):
    reviews = read_claim_reviews(_load(name))
    assert len(reviews) == count
    for r in reviews:
        assert r.url.startswith("https://") and r.claim and r.publisher
        assert r.rating.value is not None or r.rating.name


def test_a_review_keeps_its_rating_claimant_and_dates():
    [r] = read_claim_reviews(_load("review.json"))
    raw = _load("review.json")
    assert r.claim == " ".join(raw["claimReviewed"].split())
    assert r.rating.value == raw["reviewRating"]["ratingValue"] and r.rating.best == raw["reviewRating"]["bestRating"]
    assert r.rating.name == raw["reviewRating"]["alternateName"]
    assert r.claimant == raw["itemReviewed"]["author"]["name"]
    assert r.reviewed is not None and r.reviewed.isoformat() == raw["datePublished"][:10]


@pytest.mark.parametrize(("name", "field"), [
    ("no_claim_text.json", "claimReviewed"), ("rating_above_best.json", "reviewRating.ratingValue"),
    ("rating_below_worst.json", "reviewRating.ratingValue"), ("best_below_worst.json", "reviewRating.bestRating"),
    ("no_review_rating.json", "reviewRating"), ("date_not_a_date.json", "datePublished"),
    ("url_javascript.json", "url"), ("wrong_type.json", "@type"), ("claim_too_long.json", "claimReviewed"),
    ("datafeed_third_broken.json", "dataFeedElement[2]"), ("no_author.json", "author"),
])
def test_malformed_reviews_are_refused_naming_the_field(name, field):
    with pytest.raises(ReviewError) as caught:
        read_claim_reviews(_load(f"bad/{name}"))
    assert field in caught.value.field, caught.value.detail


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("factchecks")
    settings = Settings(db=tmp / "f.sqlite3", seeds=tmp / "none", parse_workers=0, api_key="k3y")
    with TestClient(create_app(settings)) as c:
        yield c


KEY = {"X-API-Key": "k3y"}


def test_reviews_are_stored_listed_and_idempotent_through_the_api(client):
    feed = (FACTCHECKS / "datafeed.json").read_bytes()
    ld = {**KEY, "Content-Type": "application/ld+json"}
    first = client.post("/v1/factchecks", content=feed, headers=ld)
    assert first.status_code == 201, first.text
    assert first.json()["created"] == 40 and len(first.json()["items"]) == 40
    again = client.post("/v1/factchecks", content=feed, headers=ld)
    assert again.status_code == 200 and again.json()["unchanged"] == 40
    page = client.get("/v1/factchecks", params={"limit": 15}).json()
    assert len(page["items"]) == 15 and page["next_cursor"]
    rest = client.get("/v1/factchecks", params={"limit": 50, "cursor": page["next_cursor"]}).json()
    assert len(rest["items"]) == 25 and rest["next_cursor"] is None
    some = page["items"][0]
    assert client.get(f"/v1/factchecks/{some['id']}").json() == some
    by_claimant = client.get("/v1/factchecks", params={"claimant": some["claimant"].split()[-1]}).json()["items"]
    assert some["id"] in {i["id"] for i in by_claimant}
    word = max(some["claim"].split(), key=len)
    assert some["id"] in {i["id"] for i in client.get("/v1/factchecks", params={"q": word}).json()["items"]}


def test_a_changed_review_is_updated(client):
    review = _load("review.json")
    assert client.post("/v1/factchecks", json=review, headers=KEY).status_code in (200, 201)
    review["reviewRating"] = {**review["reviewRating"], "ratingValue": 1, "alternateName": "False"}
    r = client.post("/v1/factchecks", json=review, headers=KEY)
    assert r.status_code == 200 and r.json()["updated"] == 1
    assert r.json()["items"][0]["rating"]["name"] == "False"


@pytest.mark.parametrize("name", ["datafeed_third_broken.json", "rating_above_best.json", "no_claim_text.json"])
def test_a_malformed_input_is_a_422_naming_the_field_and_nothing_is_stored(client, name):
    before = client.get("/v1/factchecks", params={"limit": 200}).json()["items"]
    r = client.post("/v1/factchecks", content=(FACTCHECKS / "bad" / name).read_bytes(),
                    headers={**KEY, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, r.text
    assert r.json()["errors"][0]["field"].startswith("body.")
    assert client.get("/v1/factchecks", params={"limit": 200}).json()["items"] == before


def test_writing_fact_checks_needs_the_key_and_json(client):
    assert client.post("/v1/factchecks", json=_load("review.json")).status_code == 401
    r = client.post("/v1/factchecks", content=b"<xml/>", headers={**KEY, "Content-Type": "application/xml"})
    assert r.status_code == 415
    r = client.post("/v1/factchecks", content=b"{not json", headers={**KEY, "Content-Type": "application/json"})
    assert r.status_code == 400


def test_verify_answers_with_the_fact_checks_of_the_same_claim(client):
    feed = _load("datafeed.json")
    review = feed["dataFeedElement"][0]["item"][0]
    client.post("/v1/factchecks", json=feed, headers=KEY)
    r = client.post("/v1/verify", json={"statement": review["claimReviewed"]})
    assert r.status_code == 200
    found = r.json()["factchecks"]
    assert found and found[0]["url"] == review["url"] and found[0]["reasons"]
    assert found[0]["rating"]["name"] == review["reviewRating"].get("alternateName")
    nothing = client.post("/v1/verify", json={"statement": "The harbour ferry carried 90 cars on its first day"})
    assert nothing.json()["factchecks"] == []


# Claim matching as a table: (stored claim, claimant, statement, speaker, same claim?). Written by
# hand for this test; datasets/claim_matching holds the larger table the figures come from.
MATCHING = [
    ("Unemployment in Ashford fell to 3.1% last year", "Dana Whitlock",
     "Unemployment in Ashford fell to 3.1% last year", None, True),
    ("Unemployment in Ashford fell to 3.1% last year", "Dana Whitlock",
     "Dana Whitlock said unemployment in Ashford fell to 3.1% last year", None, True),
    ("Unemployment in Ashford fell to 3.1% last year", "Dana Whitlock",
     "Unemployment in Ashford fell to 3.1 per cent last year", None, True),
    ("Unemployment in Ashford fell to 3.1% last year", "Dana Whitlock",
     "Unemployment in Ashford fell to 3.5% last year", None, False),
    ("Unemployment in Ashford fell to 3.1% last year", "Dana Whitlock",
     "Unemployment in Ashford rose to 3.1% last year", None, False),
    ("Unemployment in Ashford fell to 3.1% last year", "Dana Whitlock",
     "Unemployment in Ashford fell to 3.1% last year", "Tom Rees", False),
    ("Unemployment in Ashford fell to 3.1% last year", "Dana Whitlock",
     "Unemployment in Brockley fell to 3.1% last year", None, False),
    ("The council spent £12 million on consultants in 2023", "Tom Rees",
     "The council spent 12 million pounds on consultants in 2023", None, True),
    ("The council spent £12 million on consultants in 2023", "Tom Rees",
     "The council spent £12 million on consultants in 2021", None, False),
    ("The council spent £12 million on consultants in 2023", "Tom Rees",
     "The council spent £12 million on road repairs in 2023", None, False),
    ("The council spent £12 million on consultants in 2023", "Tom Rees",
     "The council did not spend £12 million on consultants in 2023", None, False),
    ("The council spent £12 million on consultants in 2023", "Tom Rees",
     "The mayor opened a new library in the town centre", None, False),
]


@pytest.mark.parametrize(("claim", "claimant", "statement", "speaker", "same"), MATCHING)
def test_claim_matching_table(extractor, claim, claimant, statement, speaker, same):
    from claimcheck.domain import FactCheck, Rating

    review = FactCheck(url="https://checks.example/1", claim=claim, rating=Rating(name="False"), claimant=claimant)
    store = MemoryStore()
    service.add_factchecks(store, [review], extractor.statements(service.factcheck_documents([review])))
    parsed = extractor.statement(service.statement_document(statement))
    named = speaker or (service.statement_speaker(parsed) if parsed.speaker.name and parsed.speaker.resolved else None)
    found = service.prior_factchecks(store, parsed, named, statement)
    assert bool(found) is same, [r.message for m in found for r in m.reasons]
