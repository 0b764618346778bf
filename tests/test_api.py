"""Every endpoint and every error of the REST service, through FastAPI's TestClient."""

import json

import pytest
from fastapi.testclient import TestClient

from claimcheck.api.app import create_app
from claimcheck.settings import Settings
from tests.conftest import FIXTURES, SEEDS

SEED_TEXT = (SEEDS / "000_58b65f41969edd74.txt").read_text("utf-8")
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "c.sqlite3"
    # parse_workers=0: documents parsed in the request thread (no worker processes in a test).
    settings = Settings(db=db, max_document_bytes=50_000, parse_workers=0)
    with TestClient(create_app(settings)) as c:
        r = c.post("/v1/documents", content=SEED_TEXT.encode(), headers={"content-type": "text/plain"})
        assert r.status_code == 201
        yield c


def assert_problem(response, status, *words):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys() and body["status"] == status
    assert "Traceback" not in response.text
    for word in words:
        assert word in body["detail"], body
    return body


# --- verify ---------------------------------------------------------------------------------


def test_a_failed_parser_is_a_503_to_retry_and_the_next_request_is_answered(client, monkeypatch):
    from claimcheck.errors import ParserFailed

    batcher = client.app.state.batcher
    real = batcher.parse_batch

    def fail(docs):
        raise ParserFailed("the statement parser process ended (signal 9 at /tmp/x)")

    monkeypatch.setattr(batcher, "parse_batch", fail)
    for path, body in (("/v1/verify", {"statement": "Ann Cole said 40 people were hurt"}),
                       ("/v1/verify/batch", {"statements": [{"statement": "Ann Cole said 40 people were hurt"}]})):
        r = client.post(path, json=body)
        problem = assert_problem(r, 503, "retry")
        assert r.headers["retry-after"] == "1" and "/tmp/x" not in problem["detail"]
    monkeypatch.setattr(batcher, "parse_batch", real)
    assert client.post("/v1/verify", json={"statement": "Ann Cole said 40 people were hurt"}).status_code == 200


def test_a_batch_is_parsed_in_one_batch_and_answered_in_order(client, monkeypatch):
    batcher = client.app.state.batcher
    real, sizes = batcher.parse_batch, []

    def counted(docs):
        sizes.append(len(docs))
        return real(docs)

    monkeypatch.setattr(batcher, "parse_batch", counted)
    statements = ["Abdel Rahman said 900 SDF fighters died in Hajin", "The Pentagon said it had no comment",
                  "Abdel Rahman said 500 SDF fighters died in Hajin"]
    r = client.post("/v1/verify/batch", json={"statements": [{"statement": s} for s in statements]})
    assert r.status_code == 200
    # Submitted together: one nlp.pipe batch, or two if the batcher woke after the first (not
    # three parses of one, as when each statement waited for its own).
    assert sum(sizes) == 3 and len(sizes) <= 2
    alone = [client.post("/v1/verify", json={"statement": s}).json() for s in statements]
    assert r.json()["results"] == alone


def test_verify(client):
    r = client.post("/v1/verify", json={"statement": "Abdel Rahman said 900 SDF fighters died in Hajin"})
    assert r.status_code == 200
    body = r.json()
    assert body["verdict"] == "conflicting" and 0 <= body["confidence"] <= 1
    top = body["evidence"][0]
    assert top["stance"] == "conflicts" and top["speaker"]["name"] == "Abdel Rahman"
    assert SEED_TEXT[top["span"]["start"] : top["span"]["end"]] == top["span"]["text"]
    assert top["document"]["source"] == "Daily Mail"
    assert {"code": "figure_mismatch",
            "message": "statement says 900 SDF fighters; source says 500 SDF fighters (contradicts)"} in top["reasons"]
    assert body["parsed"]["speaker"] == "Abdel Rahman"
    assert body["parsed"]["figures"][0]["value"] == 900


def test_verify_with_speaker_and_date(client):
    r = client.post("/v1/verify", json={"statement": "500 SDF fighters were killed in the battle for Hajin",
                                        "speaker": "Donald Trump", "date": "2018-12-15"})
    assert r.json()["verdict"] == "misattributed"


def test_verify_batch_keeps_order(client):
    statements = [{"statement": "Apple released a new iPhone in California"},
                  {"statement": "Abdel Rahman said 500 SDF fighters were killed in the battle for Hajin"}]
    r = client.post("/v1/verify/batch", json={"statements": statements})
    assert [x["verdict"] for x in r.json()["results"]] == ["not_enough_info", "supported"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"statement": ""}, 422, ["statement"]),
        ({"statement": "   \t "}, 422, ["body.statement", "visible"]),
        ({"statement": "x" * 2001}, 422, ["statement"]),
        ({"statement": "a\x00b"}, 422, ["NUL"]),
        ({}, 422, ["statement"]),
        ({"statement": "ok", "date": "Friday"}, 422, ["date"]),
        ({"statement": "ok", "extra": 1}, 422, ["extra"]),
        ({"statement": 5}, 422, ["statement"]),
    ],
)
def test_verify_bad_input(client, body, status, words):
    body = assert_problem(client.post("/v1/verify", json=body), status, *words)
    if status == 422 and "errors" in body:
        assert all("field" in e for e in body["errors"])


def test_verify_lone_surrogate_malformed_json_and_content_type(client):
    r = client.post("/v1/verify", content=b'{"statement": "a\\ud800b"}', headers={"content-type": "application/json"})
    assert_problem(r, 422, "statement")
    assert_problem(client.post("/v1/verify", content=b'{"statement": ', headers={"content-type": "application/json"}),
                   400, "not valid JSON")
    r = client.post("/v1/verify", content=b"hello", headers={"content-type": "text/plain"})
    assert_problem(r, 415, "application/json")


def test_batch_limits(client):
    assert_problem(client.post("/v1/verify/batch", json={"statements": []}), 422, "statements")
    many = {"statements": [{"statement": "x"}] * 101}
    assert_problem(client.post("/v1/verify/batch", json=many), 422, "statements")


def test_oversize_body(client):
    r = client.post("/v1/verify", content=b'{"statement": "' + b"x" * 2_000_000 + b'"}',
                    headers={"content-type": "application/json"})
    assert_problem(r, 413, "limit")


# --- speakers and claims ----------------------------------------------------------------------


def test_speakers_list_get_and_claims(client):
    r = client.get("/v1/speakers", params={"q": "Rahman"})
    (rahman,) = r.json()["items"]
    assert rahman["name"] == "Abdel Rahman" and rahman["aliases"] == ["Rahman"]
    assert rahman["roles"] == ["head of the Syrian Observatory for Human Rights"]
    assert rahman["kind"] == "person" and rahman["claim_count"] == 2
    assert client.get(f"/v1/speakers/{rahman['id']}").json() == rahman
    claims = client.get(f"/v1/speakers/{rahman['id']}/claims").json()["items"]
    assert [c["speaker"]["id"] for c in claims] == [rahman["id"]] * 2
    assert_problem(client.get("/v1/speakers/nope"), 404, "nope")
    assert_problem(client.get("/v1/speakers/nope/claims"), 404, "nope")


def test_pagination_walks_every_item_once(client):
    seen, cursor = [], None
    while True:
        page = client.get("/v1/speakers", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [s["id"] for s in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    all_at_once = [s["id"] for s in client.get("/v1/speakers", params={"limit": 200}).json()["items"]]
    assert seen == all_at_once and len(seen) == len(set(seen)) >= 6


def test_claims_by_speaker_alias_words_and_document(client):
    by_alias = client.get("/v1/claims", params={"speaker": "Trump"}).json()["items"]
    assert {c["speaker"]["name"] for c in by_alias} == {"Donald Trump"} and len(by_alias) == 3
    by_words = client.get("/v1/claims", params={"q": "Christmas market"}).json()["items"]
    assert [c["speaker"]["name"] for c in by_words] == ["Daily Mail", "Amaq"]
    doc_id = by_words[0]["document_id"]
    assert len(client.get("/v1/claims", params={"document_id": doc_id, "limit": 200}).json()["items"]) == 23
    one = by_words[1]
    assert client.get(f"/v1/claims/{one['id']}").json() == one
    assert_problem(client.get("/v1/claims/unknown"), 404, "unknown")


@pytest.mark.parametrize(("params", "status"), [
    ({"limit": 0}, 422), ({"limit": 201}, 422), ({"limit": "many"}, 422), ({"cursor": "not a cursor!"}, 422),
    # Well-formed by the schema (the cursor alphabet) but naming no item: not found.
    ({"cursor": "garbage"}, 404), ({"cursor": "YzE6bm9wZQ"}, 404)])
def test_bad_cursors_and_limits(client, params, status):
    for path in ("/v1/claims", "/v1/speakers", "/v1/documents"):
        assert_problem(client.get(path, params=params), status, "cursor" if "cursor" in params else "limit")


def test_empty_cursor_is_the_first_page(client):
    assert client.get("/v1/speakers", params={"cursor": ""}).json() == client.get("/v1/speakers").json()


# --- documents --------------------------------------------------------------------------------


def test_document_lifecycle(client):
    text = "Officials said on Monday that 40 people died in the flood.\nSource: Test Wire\n"
    r = client.post("/v1/documents", json={"text": text, "title": "Flood", "published": "2020-03-04"})
    assert r.status_code == 201
    created = r.json()
    assert created["title"] == "Flood" and created["source"] == "Test Wire" and created["claims"] >= 1
    again = client.post("/v1/documents", json={"text": text})
    assert again.status_code == 200 and again.json()["id"] == created["id"]
    doc = client.get(f"/v1/documents/{created['id']}").json()
    assert doc["text"] == text and doc["published"] == "2020-03-04"
    for claim in doc["claims"]:
        assert doc["text"][claim["content"]["start"] : claim["content"]["end"]] == claim["content"]["text"]
    assert created["id"] in [d["id"] for d in client.get("/v1/documents").json()["items"]]
    found = client.post("/v1/verify", json={"statement": "Officials said 40 people died in the flood"}).json()
    assert found["verdict"] == "supported"
    assert client.delete(f"/v1/documents/{created['id']}").status_code == 204
    assert_problem(client.get(f"/v1/documents/{created['id']}"), 404)
    assert_problem(client.delete(f"/v1/documents/{created['id']}"), 404)
    gone = client.post("/v1/verify", json={"statement": "Officials said 40 people died in the flood"}).json()
    assert gone["verdict"] == "not_enough_info"


@pytest.mark.parametrize(
    ("content", "content_type", "status", "words"),
    [
        (b"", "text/plain", 422, ["body", "empty"]),
        (b"\xff\xfe bad", "text/plain", 422, ["UTF-8"]),
        (b"abc\x00def", "text/plain", 422, ["body", "NUL"]),
        (b"x" * 60_000, "text/plain", 413, ["larger"]),
        (json.dumps({"text": "x" * 60_000}).encode(), "application/json", 413, ["larger"]),
        (b'{"text": "fine"', "application/json", 400, ["JSON"]),
        (b'{"title": "no text"}', "application/json", 422, ["text"]),
        (b'{"text": "fine", "published": "soon"}', "application/json", 422, ["published"]),
        (b'{"text": "a\\ud800b"}', "application/json", 422, ["body.text"]),
        (b"<p>hi</p>", "application/xml", 415, ["application/json"]),
    ],
)
def test_bad_documents(client, content, content_type, status, words):
    before = client.get("/v1/documents", params={"limit": 200}).json()["items"]
    r = client.post("/v1/documents", content=content, headers={"content-type": content_type})
    assert_problem(r, status, *words)
    assert client.get("/v1/documents", params={"limit": 200}).json()["items"] == before  # nothing half-written


def test_api_key_guards_writes_only(tmp_path):
    with TestClient(create_app(Settings(db=tmp_path / "k.sqlite3", api_key="s3cret"))) as c:
        body = {"text": "Officials said 40 people died in the flood."}
        assert_problem(c.post("/v1/documents", json=body), 401, "X-API-Key")
        assert_problem(c.post("/v1/documents", json=body, headers={"X-API-Key": "wrong"}), 403)
        created = c.post("/v1/documents", json=body, headers={"X-API-Key": "s3cret"})
        assert created.status_code == 201
        doc_id = created.json()["id"]
        assert c.get(f"/v1/documents/{doc_id}").status_code == 200  # reads stay open
        assert c.post("/v1/verify", json={"statement": "40 people died in the flood"}).status_code == 200
        assert_problem(c.delete(f"/v1/documents/{doc_id}"), 401)
        assert c.delete(f"/v1/documents/{doc_id}", headers={"X-API-Key": "s3cret"}).status_code == 204


# --- health, routing, contract ----------------------------------------------------------------


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["claims"] >= 23


def test_unknown_routes_and_methods_are_problems(client):
    assert_problem(client.get("/v2/nothing"), 404)
    assert_problem(client.put("/v1/verify"), 405)


def test_openapi_snapshot(client):
    """The contract cannot drift by accident. After a deliberate change:
    CLAIMCHECK_UPDATE_GOLDEN=1 pytest tests/test_api.py -k openapi"""
    import os

    spec = client.get("/openapi.json").json()
    path = FIXTURES / "openapi.json"
    if os.environ.get("CLAIMCHECK_UPDATE_GOLDEN"):
        path.write_text(json.dumps(spec, indent=1, sort_keys=True) + "\n", "utf-8")
    assert spec == json.loads(path.read_text("utf-8"))
    for name, route in spec["paths"].items():
        for operation in route.values():
            if name == "/healthz":
                continue
            codes = set(operation["responses"])
            assert codes - {"200", "201", "204"}, operation["operationId"]  # errors documented
