"""GET /v1/claims for analysts: CSV and JSON Lines by the Accept header, streamed, every
matching claim (not a page), with the same filters as the JSON listing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from claimcheck.api import exports
from claimcheck.api.app import create_app
from claimcheck.settings import Settings
from tests.conftest import SEEDS
from tests.serving import article

SEED_TEXT = (SEEDS / "000_58b65f41969edd74.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = Settings(db=tmp_path_factory.mktemp("exports") / "c.sqlite3", seeds=SEEDS / "none",
                        parse_workers=0)
    with TestClient(create_app(settings)) as c:
        assert c.post("/v1/documents", content=SEED_TEXT.encode(),
                      headers={"content-type": "text/plain"}).status_code == 201
        for i in range(3):
            assert c.post("/v1/documents", json={"text": article(f"tarn{i}", i + 2),
                                                 "title": f"Tarn {i}"}).status_code == 201
        yield c


def all_json_claims(client, **params) -> list[dict]:
    out, cursor = [], None
    while True:
        page = client.get("/v1/claims", params={**params, "limit": 7, **({"cursor": cursor} if cursor else {})}).json()
        out += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return out


def test_ndjson_is_every_claim_as_the_json_listing_gives_it(client):
    r = client.get("/v1/claims", headers={"Accept": "application/x-ndjson"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert lines == all_json_claims(client)  # every claim, not a page of 50
    assert len(lines) > 20


def test_csv_has_one_row_per_claim_with_spans_that_index_the_document(client):
    r = client.get("/v1/claims", params={"speaker": "Mara Quell"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert tuple(rows[0].keys()) == exports.CSV_COLUMNS
    assert {row["speaker"] for row in rows} == {"Mara Quell"} and len(rows) == 3
    assert {row["document_title"] for row in rows} == {"Tarn 0", "Tarn 1", "Tarn 2"}
    for row in rows:
        text = client.get(f"/v1/documents/{row['document_id']}").json()["text"]
        assert text[int(row["start"]) : int(row["end"])] == row["content"]


def test_filters_and_cursor_apply_to_exports(client):
    assert client.get("/v1/claims", params={"q": "no such words anywhere"},
                      headers={"Accept": "text/csv"}).text.strip() == ",".join(exports.CSV_COLUMNS)
    first = all_json_claims(client)[0]["id"]
    cursor = client.get("/v1/claims", params={"limit": 1}).json()["next_cursor"]
    rest = client.get("/v1/claims", params={"cursor": cursor}, headers={"Accept": "application/x-ndjson"})
    assert first not in {json.loads(line)["id"] for line in rest.text.splitlines()}


@pytest.mark.parametrize(("accept", "kind"), [
    ("text/csv", exports.CSV), ("application/x-ndjson", exports.NDJSON), ("application/json", None),
    ("*/*", None), ("", None), ("text/csv, application/json", exports.CSV),
    ("application/json, text/csv", None), ("text/html", None),
    # Quality decides before list order (RFC 9110 12.5.1); q=0 means "not this".
    ("text/csv;q=0.9, application/json", None), ("application/json;q=0.5, text/csv", exports.CSV),
    ("text/csv;q=0, */*", None), ("text/csv;q=0", None), ("application/x-ndjson;q=0.8, */*;q=0.1", exports.NDJSON),
    ("text/csv;q=oops, application/x-ndjson;q=0.5", exports.NDJSON),
])
def test_accept_header(accept, kind):
    assert exports.wanted(accept) == kind


def test_responses_whose_format_the_accept_header_chooses_say_vary_accept(client):
    claim_id = client.get("/v1/claims?limit=1").json()["items"][0]["id"]
    for method, path, kwargs in (
            ("GET", "/v1/claims?limit=1", {}),
            ("GET", "/v1/claims", {"headers": {"Accept": "text/csv"}}),
            ("GET", f"/v1/claims/{claim_id}", {}),
            ("GET", f"/v1/claims/{claim_id}", {"headers": {"Accept": "application/ld+json"}}),
            ("POST", "/v1/verify", {"json": {"statement": "Ann Cole said 40 people were hurt"}}),
            ("POST", "/v1/verify", {"json": {"statement": "Ann Cole said 40 people were hurt"},
                                    "headers": {"Accept": "application/ld+json"}}),
            ("POST", "/v1/verify/batch", {"json": {"statements": [{"statement": "Ann Cole said 40 people"}]}})):
        r = client.request(method, path, **kwargs)
        assert r.status_code == 200, (path, r.text)
        assert r.headers.get("vary") == "Accept", (method, path, kwargs)
