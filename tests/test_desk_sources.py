"""The desk and the exports with prior fact-checks and articles added by people: the verify page
shows the fact-checks of the same claim, the ClaimReview export cites them, and the Add page
stores a pasted article or a fetched page (asking for the API key, never echoing it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimcheck.api.app import create_app
from claimcheck.settings import Settings
from tests.pageserver import PAGES, serving

FACTCHECKS = Path(__file__).parent / "fixtures" / "factchecks"
KEY = "s3cret-key"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def server():
    with serving() as s:
        yield s


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("desk")
    settings = Settings(db=tmp / "d.sqlite3", seeds=tmp / "none", parse_workers=0, api_key=KEY, fetch_private=True)
    with TestClient(create_app(settings)) as c:
        feed = json.loads((FACTCHECKS / "datafeed.json").read_text("utf-8"))
        assert c.post("/v1/factchecks", json=feed, headers={"X-API-Key": KEY}).status_code == 201
        yield c


def _first_review() -> dict:
    return json.loads((FACTCHECKS / "datafeed.json").read_text("utf-8"))["dataFeedElement"][0]["item"][0]


def test_the_verify_page_shows_the_fact_checks_of_the_same_claim(client):
    review = _first_review()
    page = client.get("/verify", params={"statement": review["claimReviewed"]})
    assert page.status_code == 200
    assert "Already fact-checked" in page.text and f'href="{review["url"]}"' in page.text
    assert review["reviewRating"]["alternateName"] in page.text
    other = client.get("/verify", params={"statement": "The harbour ferry carried 90 cars on its first day"})
    assert "Already fact-checked" not in other.text


def test_the_claimreview_export_cites_the_prior_fact_checks(client):
    review = _first_review()
    r = client.post("/v1/verify", params={"format": "claimreview"}, json={"statement": review["claimReviewed"]})
    assert r.status_code == 200
    cited = [c for c in r.json().get("citation", []) if c.get("@type") == "ClaimReview"]
    assert cited and cited[0]["url"] == review["url"]
    assert cited[0]["reviewRating"].get("alternateName") == review["reviewRating"].get("alternateName")
    assert cited[0]["author"]["name"] == review["author"]["name"]


def test_the_add_page_asks_for_the_key_and_never_echoes_it(client):
    form = client.get("/add")
    assert form.status_code == 200 and 'name="api_key"' in form.text and 'type="password"' in form.text
    text = sorted(PAGES.glob("02_*.txt"))[0].read_text("utf-8")
    missing = client.post("/add", content=f"text={text[:200]}", headers=FORM)
    assert missing.status_code == 401 and "needs the API key" in missing.text
    wrong = client.post("/add", data={"text": text, "api_key": "guess-" + KEY}, headers=FORM)
    assert wrong.status_code == 403 and KEY not in wrong.text and "guess-" not in wrong.text
    first_line = text.splitlines()[0]
    assert first_line in wrong.text  # the pasted text stays in the form; the key does not


def test_the_add_page_stores_pasted_text_and_shows_the_article(client):
    text = sorted(PAGES.glob("02_*.txt"))[0].read_text("utf-8")
    r = client.post("/add", data={"text": text, "title": "Pasted", "api_key": KEY}, headers=FORM,
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/articles/")
    article = client.get(r.headers["location"])
    assert article.status_code == 200 and "Pasted" in article.text


def test_the_add_page_fetches_a_url(client, server):
    page = sorted(PAGES.glob("04_*.html"))[0]
    r = client.post("/add", data={"url": server.url(f"/pages/{page.name}"), "api_key": KEY},
                    headers=FORM, follow_redirects=False)
    assert r.status_code == 303, r.text
    answer = json.loads(page.with_suffix(".json").read_text("utf-8"))
    assert answer["title"] in client.get(r.headers["location"]).text


@pytest.mark.parametrize(("fields", "status", "says"), [
    ({}, 422, "Give the address of a page"),
    ({"url": "file:///etc/passwd"}, 422, "only http and https"),
    ({"url": "http://127.0.0.1:9/none"}, 502, "cannot connect"),
    ({"text": "   "}, 422, "Give the address of a page"),
])
def test_the_add_page_says_what_is_wrong(client, fields, status, says):
    r = client.post("/add", data={**fields, "api_key": KEY}, headers=FORM)
    assert r.status_code == status and says in r.text and KEY not in r.text
