"""Hostile requests (issue 9): every bad request gets its documented 4xx problem naming the field,
never a 500, a stack trace or a file path, and a refused write leaves nothing half-written.
Stalled clients are tested over real sockets against uvicorn with tiny timeouts."""

from __future__ import annotations

import base64
import json
import re
import socket
import sys
import threading
import time
import unicodedata

import pytest
import uvicorn
from fastapi.testclient import TestClient

from claimcheck.api import schemas, server
from claimcheck.api.app import create_app
from claimcheck.errors import InvalidInput, StoreError
from claimcheck.service import clean_statement
from claimcheck.settings import Settings
from tests.conftest import SEEDS

SEED_TEXT = (SEEDS / "000_58b65f41969edd74.txt").read_text("utf-8")
PROBLEM = "application/problem+json"
JSON = {"content-type": "application/json"}
TEXT = {"content-type": "text/plain"}
_ALL = 1_000_000


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _chunks(data: bytes, size: int = 65_536):
    for i in range(0, len(data), size):
        yield data[i : i + size]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "c.sqlite3"
    with TestClient(create_app(Settings(db=db, max_document_bytes=50_000, parse_workers=0)),
                    raise_server_exceptions=False) as c:
        assert c.post("/v1/documents", content=SEED_TEXT.encode(), headers=TEXT).status_code == 201
        yield c


def _counts(c: TestClient) -> tuple[int, int]:
    store = c.app.state.runtime.store
    return len(store.list_documents(limit=_ALL)), store.count_claims()


def _template(spec: dict, path: str) -> str | None:
    for template in spec["paths"]:
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path):
            return template
    return None


def assert_clean_problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM, r.headers
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"], body
    for leak in ("Traceback", 'File "', "/work/", "site-packages", "/home/", "/tmp/"):
        assert leak not in r.text, (leak, r.text)
    return body


def _names(body: dict, field: str) -> bool:
    fields = [e.get("field", "") for e in body.get("errors") or []]
    return field in fields or field in body["detail"]


# (id, method, path, request kwargs, status, field or words the problem must name)
BAD = [
    # --- malformed and deeply nested JSON -------------------------------------------------
    ("verify-truncated-json", "POST", "/v1/verify", {"content": b'{"statement": ', "headers": JSON}, 400, "body"),
    ("verify-nested-100k-arrays", "POST", "/v1/verify", {"content": b"[" * 100_000, "headers": JSON}, 400, "body"),
    ("verify-nested-in-field", "POST", "/v1/verify",
     {"content": b'{"statement": ' + b"[" * 100_000, "headers": JSON}, 400, "body"),
    ("verify-nested-objects", "POST", "/v1/verify", {"content": b'{"a":' * 50_000, "headers": JSON}, 400, "body"),
    ("verify-nested-closed", "POST", "/v1/verify",
     {"content": b"[" * 5_000 + b"]" * 5_000, "headers": JSON}, 400, "body"),
    ("batch-nested-100k", "POST", "/v1/verify/batch",
     {"content": b'{"statements": ' + b"[" * 100_000, "headers": JSON}, 400, "body"),
    ("documents-nested-100k-arrays", "POST", "/v1/documents",
     {"content": b"[" * 100_000, "headers": JSON}, 400, "body"),
    ("documents-nested-objects", "POST", "/v1/documents",
     {"content": b'{"text":' * 15_000, "headers": JSON}, 400, "body"),
    ("verify-nan", "POST", "/v1/verify", {"content": b'{"statement": NaN}', "headers": JSON}, 400, "body"),
    ("verify-5000-digit-number", "POST", "/v1/verify",
     {"content": b'{"statement": ' + b"9" * 5000 + b"}", "headers": JSON}, 400, "body"),
    ("documents-5000-digit-number", "POST", "/v1/documents",
     {"content": b'{"text": ' + b"9" * 5000 + b"}", "headers": JSON}, 400, "body"),
    ("verify-not-utf8", "POST", "/v1/verify", {"content": b'{"statement": "\xff\xfe"}', "headers": JSON}, 400, "body"),
    ("verify-utf8-bom", "POST", "/v1/verify", {"content": b'\xef\xbb\xbf{"statement": "x"}', "headers": JSON},
     400, "body"),
    ("verify-empty-body", "POST", "/v1/verify", {"content": b"", "headers": JSON}, 422, "body"),
    ("verify-array-body", "POST", "/v1/verify", {"content": b"[]", "headers": JSON}, 422, "body"),
    ("verify-null-body", "POST", "/v1/verify", {"content": b"null", "headers": JSON}, 422, "body"),
    ("documents-array-body", "POST", "/v1/documents", {"content": b'["text"]', "headers": JSON}, 422, "body"),
    # --- wrong types and formats --------------------------------------------------------------
    ("statement-int", "POST", "/v1/verify", {"json": {"statement": 5}}, 422, "body.statement"),
    ("statement-list", "POST", "/v1/verify", {"json": {"statement": ["a"]}}, 422, "body.statement"),
    ("speaker-int", "POST", "/v1/verify", {"json": {"statement": "x", "speaker": 7}}, 422, "body.speaker"),
    ("date-zero", "POST", "/v1/verify", {"json": {"statement": "x", "date": 0}}, 422, "body.date"),
    ("date-unix-string", "POST", "/v1/verify", {"json": {"statement": "x", "date": "1544832000"}}, 422, "body.date"),
    ("date-impossible", "POST", "/v1/verify", {"json": {"statement": "x", "date": "2018-13-45"}}, 422, "body.date"),
    ("date-basic-format", "POST", "/v1/verify", {"json": {"statement": "x", "date": "20181215"}}, 422, "body.date"),
    ("date-datetime", "POST", "/v1/verify",
     {"json": {"statement": "x", "date": "2018-12-15T00:00:00"}}, 422, "body.date"),
    ("published-zero", "POST", "/v1/documents", {"json": {"text": "Some words.", "published": 0}}, 422,
     "body.published"),
    ("extra-field", "POST", "/v1/verify", {"json": {"statement": "x", "sql": "1; DROP TABLE claims"}}, 422,
     "body.sql"),
    # --- sizes --------------------------------------------------------------------------------
    ("statement-100k-chars", "POST", "/v1/verify", {"json": {"statement": "word " * 20_000}}, 422, "body.statement"),
    ("verify-over-limit-declared", "POST", "/v1/verify",
     {"content": b'{"statement": "' + b"x" * 1_100_000 + b'"}', "headers": JSON}, 413, "limit"),
    ("verify-over-limit-chunked", "POST", "/v1/verify",
     {"content": _chunks(b'{"statement": "' + b"x" * 1_100_000 + b'"}'), "headers": JSON}, 413, "limit"),
    ("documents-over-limit-chunked", "POST", "/v1/documents",
     {"content": _chunks(b"x" * 200_000), "headers": TEXT}, 413, "limit"),
    ("document-text-too-large", "POST", "/v1/documents", {"content": b"word " * 12_000, "headers": TEXT}, 413,
     "larger"),
    ("document-json-too-large", "POST", "/v1/documents", {"json": {"text": "word " * 12_000}}, 413, "larger"),
    # --- NUL, surrogates, invisible text ------------------------------------------------------
    ("statement-nul", "POST", "/v1/verify", {"json": {"statement": "a\x00b"}}, 422, "body.statement"),
    ("speaker-nul", "POST", "/v1/verify", {"json": {"statement": "Prices rose", "speaker": "a\x00b"}}, 422,
     "body.speaker"),
    ("statement-lone-surrogate", "POST", "/v1/verify",
     {"content": b'{"statement": "a\\ud800b"}', "headers": JSON}, 422, "body.statement"),
    ("speaker-lone-surrogate", "POST", "/v1/verify",
     {"content": b'{"statement": "ok", "speaker": "\\udfff"}', "headers": JSON}, 422, "body.speaker"),
    ("statement-zero-width-only", "POST", "/v1/verify", {"json": {"statement": "\u200b\u200c\ufeff"}}, 422,
     "body.statement"),
    ("statement-bidi-controls-only", "POST", "/v1/verify", {"json": {"statement": "\u202e\u200f\u2066"}}, 422,
     "body.statement"),
    ("batch-item-speaker-nul", "POST", "/v1/verify/batch",
     {"json": {"statements": [{"statement": "ok"}, {"statement": "ok", "speaker": "\x00"}]}}, 422,
     "body.statements.1.speaker"),
    ("document-text-empty", "POST", "/v1/documents", {"json": {"text": ""}}, 422, "body.text"),
    ("document-text-whitespace", "POST", "/v1/documents", {"json": {"text": " \n\t\u3000"}}, 422, "body.text"),
    ("document-text-nul", "POST", "/v1/documents", {"json": {"text": "Officials said\x00 so."}}, 422, "body.text"),
    ("document-text-surrogate", "POST", "/v1/documents",
     {"content": b'{"text": "Officials said \\ud83d so."}', "headers": JSON}, 422, "body.text"),
    ("document-title-surrogate", "POST", "/v1/documents",
     {"content": b'{"text": "Officials said so.", "title": "\\ud800"}', "headers": JSON}, 422, "body.title"),
    ("document-plain-empty", "POST", "/v1/documents", {"content": b"", "headers": TEXT}, 422, "body"),
    ("document-plain-binary", "POST", "/v1/documents",
     {"content": bytes(range(256)) * 4, "headers": TEXT}, 422, "body"),
    ("document-plain-not-utf8", "POST", "/v1/documents", {"content": b"caf\xe9 au lait", "headers": TEXT}, 422,
     "UTF-8"),
    ("document-plain-nul", "POST", "/v1/documents", {"content": b"abc\x00def", "headers": TEXT}, 422, "NUL"),
    # --- search syntax and control characters in filters ---------------------------------------
    ("speakers-q-nul", "GET", "/v1/speakers", {"params": {"q": "\x00"}}, 422, "query.q"),
    ("speakers-q-control", "GET", "/v1/speakers", {"params": {"q": "Rah\x1bman"}}, 422, "query.q"),
    ("claims-q-nul", "GET", "/v1/claims", {"params": {"q": "a\x00"}}, 422, "query.q"),
    ("claims-speaker-nul", "GET", "/v1/claims", {"params": {"speaker": "\x00"}}, 422, "query.speaker"),
    ("claims-q-too-long", "GET", "/v1/claims", {"params": {"q": "x" * 201}}, 422, "query.q"),
    # --- cursors and limits -------------------------------------------------------------------
    ("cursor-other-prefix", "GET", "/v1/speakers", {"params": {"cursor": _b64("x9:982def22a05654ec")}}, 404,
     "cursor"),
    ("cursor-huge-id", "GET", "/v1/claims", {"params": {"cursor": _b64("c1:" + "9" * 140)}}, 404, "cursor"),
    ("cursor-sql", "GET", "/v1/documents", {"params": {"cursor": _b64("c1:' OR 1=1 --")}}, 404, "cursor"),
    ("cursor-not-base64", "GET", "/v1/documents", {"params": {"cursor": "a"}}, 404, "cursor"),
    ("cursor-bad-alphabet", "GET", "/v1/claims", {"params": {"cursor": "YzE6=="}}, 422, "query.cursor"),
    ("cursor-too-long", "GET", "/v1/speakers", {"params": {"cursor": "A" * 201}}, 422, "query.cursor"),
    ("cursor-nul", "GET", "/v1/speakers", {"params": {"cursor": "\x00"}}, 422, "query.cursor"),
    ("limit-negative", "GET", "/v1/claims", {"params": {"limit": -1}}, 422, "query.limit"),
    ("limit-zero", "GET", "/v1/speakers", {"params": {"limit": 0}}, 422, "query.limit"),
    ("limit-huge", "GET", "/v1/documents", {"params": {"limit": 10**30}}, 422, "query.limit"),
    ("limit-float", "GET", "/v1/claims", {"params": {"limit": "1.5"}}, 422, "query.limit"),
    # --- unknown and path-traversal ids -------------------------------------------------------
    ("speaker-unknown", "GET", "/v1/speakers/nope", {}, 404, "nope"),
    ("claim-unknown-claims", "GET", "/v1/speakers/ffffffffffffffff/claims", {}, 404, "ffffffffffffffff"),
    ("claim-traversal-encoded", "GET", "/v1/claims/%2e%2e%2f%2e%2e%2fetc%2fpasswd", {}, 404, "Not Found"),
    ("document-dotdot", "GET", "/v1/documents/%2e%2e", {}, 404, ".."),
    ("document-delete-traversal", "DELETE", "/v1/documents/..%2f..%2fetc%2fpasswd", {}, 404, "Not Found"),
    ("document-delete-unknown", "DELETE", "/v1/documents/ffffffffffffffff", {}, 404, "ffffffffffffffff"),
    ("speaker-nul-id", "GET", "/v1/speakers/%00", {}, 404, "speaker"),
    # --- content types ------------------------------------------------------------------------
    ("verify-text-plain", "POST", "/v1/verify", {"content": b"statement", "headers": TEXT}, 415, "application/json"),
    ("verify-no-content-type", "POST", "/v1/verify", {"content": b'{"statement": "x"}'}, 415, "application/json"),
    ("verify-xml", "POST", "/v1/verify", {"content": b"<statement/>", "headers": {"content-type": "application/xml"}},
     415, "application/json"),
    ("documents-html-no-article", "POST", "/v1/documents",
     {"content": b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
      "headers": {"content-type": "text/html"}}, 422, "no article text"),
    ("documents-xml", "POST", "/v1/documents",
     {"content": b"<p>hi</p>", "headers": {"content-type": "application/xml"}}, 415, "text/plain"),
    ("documents-form", "POST", "/v1/documents", {"data": {"text": "hello"}}, 415, "application/json"),
    # --- batches ------------------------------------------------------------------------------
    ("batch-101", "POST", "/v1/verify/batch", {"json": {"statements": [{"statement": "x"}] * 101}}, 422,
     "body.statements"),
    ("batch-empty", "POST", "/v1/verify/batch", {"json": {"statements": []}}, 422, "body.statements"),
    ("batch-item-string", "POST", "/v1/verify/batch", {"json": {"statements": ["x"]}}, 422, "body.statements.0"),
    # --- methods ------------------------------------------------------------------------------
    ("put-verify", "PUT", "/v1/verify", {}, 405, "Method"),
    ("delete-speakers", "DELETE", "/v1/speakers", {}, 405, "Method"),
    ("patch-document", "PATCH", "/v1/documents/abc", {}, 405, "Method"),
    ("put-documents", "PUT", "/v1/documents", {}, 405, "Method"),
    ("post-healthz", "POST", "/healthz", {}, 405, "Method"),
]
ALLOW = {"put-verify": "POST", "delete-speakers": "GET", "patch-document": "DELETE, GET",
         "put-documents": "GET, POST", "post-healthz": "GET"}


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "names"),
                         [pytest.param(*row[1:], id=row[0]) for row in BAD])
def test_hostile_request_gets_a_clean_problem(client, request, method, path, kwargs, status, names):
    before = _counts(client)
    r = client.request(method, path, **kwargs)
    body = assert_clean_problem(r, status)
    assert _names(body, names), (names, body)
    assert _counts(client) == before  # nothing half-written
    spec = client.app.openapi()
    template = _template(spec, r.request.url.path)
    if status == 405:
        assert r.headers["allow"] == ALLOW[request.node.callspec.id]
    elif template is not None:  # the status is one the route documents
        assert str(status) in spec["paths"][template][method.lower()]["responses"], (template, status)


# "The minister said 40 workers died"; "Officials said 40 people died." (right to left)
ARABIC_STATEMENT = ("\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646 40 "
                    "\u0639\u0627\u0645\u0644\u0627 \u0645\u0627\u062a\u0648\u0627")
ARABIC_DOCUMENT = ("\u0642\u0627\u0644 \u0627\u0644\u0645\u0633\u0624\u0648\u0644\u0648\u0646 \u0625\u0646 40 "
                   "\u0634\u062e\u0635\u0627 \u0644\u0642\u0648\u0627 \u062d\u062a\u0641\u0647\u0645.\n")
ODD_STATEMENTS = [
    ("rtl-arabic", ARABIC_STATEMENT),
    ("rtl-override-inside", "Officials said \u202e40 people died\u202c in the flood"),
    ("zero-width-inside-words", "Offi\u200bcials said 40 peo\u200dple died"),
    ("quote", '"'),
    ("search-and-or", "fighters AND OR NOT died"),
    ("search-near", "NEAR(fighters died"),
    ("search-star", "*"),
    ("search-field", "speaker:Trump content:* OR title:(x"),
    ("html", "<script>alert(1)</script> said 500 fighters died"),
    ("sql", "'; DROP TABLE claims; --"),
]


@pytest.mark.parametrize("statement", [pytest.param(s, id=i) for i, s in ODD_STATEMENTS])
def test_odd_but_valid_statements_are_answered(client, statement):
    before = _counts(client)
    r = client.post("/v1/verify", json={"statement": statement, "speaker": statement})
    assert r.status_code == 200, r.text
    assert r.json()["verdict"] in {"supported", "conflicting", "misattributed", "disputed", "not_enough_info"}
    assert _counts(client) == before


@pytest.mark.parametrize("q", ['"', "AND NOT(", "NEAR(", "*", "field:value", "%", "_", "\\", "' OR 1=1 --", "\u202e"])
def test_search_syntax_in_filters_is_taken_literally(client, q):
    for path, params in (("/v1/speakers", {"q": q}), ("/v1/claims", {"q": q}), ("/v1/claims", {"speaker": q})):
        r = client.get(path, params=params)
        assert r.status_code == 200, r.text
        assert r.json()["items"] == []  # no speaker or claim holds these characters


@pytest.mark.parametrize(("text", "extra"), [
    pytest.param("<p>Officials said <b>40</b> people died.</p>\n<script>alert('x')</script>\n", {}, id="html-text"),
    pytest.param("Officials said 40 people died.\n", {"title": "<script>alert(1)</script>", "source": "A & B"},
                 id="script-title"),
    pytest.param(ARABIC_DOCUMENT,
                 {"title": "\u202eright to left"}, id="rtl-text"),
    pytest.param("Zero\u200bwidth and \ufeffbyte order marks stay.\n", {}, id="zero-width-text"),
])
def test_odd_but_valid_documents_come_back_verbatim(client, text, extra):
    r = client.post("/v1/documents", json={"text": text, **extra})
    assert r.status_code == 201, r.text
    doc = client.get(f"/v1/documents/{r.json()['id']}").json()
    assert doc["text"] == text
    for key, value in extra.items():
        assert doc[key] == value
    assert client.delete(f"/v1/documents/{doc['id']}").status_code == 204


@pytest.mark.parametrize(("headers", "status"), [({}, 401), ({"X-API-Key": ""}, 401),
                                                 ({"X-API-Key": "wrong"}, 403), ({"X-API-Key": "s3cret "}, 403)])
def test_writes_without_the_api_key_are_refused_and_write_nothing(tmp_path_factory, headers, status):
    db = tmp_path_factory.mktemp("key") / "k.sqlite3"
    with TestClient(create_app(Settings(db=db, api_key="s3cret", parse_workers=0))) as c:
        body = assert_clean_problem(c.post("/v1/documents", json={"text": "Officials said so."}, headers=headers),
                                   status)
        assert "X-API-Key" in body["detail"]
        assert_clean_problem(c.delete("/v1/documents/ffffffffffffffff", headers=headers), status)
        assert _counts(c) == (0, 0)


def test_a_503_shows_no_exception_text(client, monkeypatch):
    def broken(**_):
        raise StoreError("cannot open the store at /work/secret/c.sqlite3: disk I/O error")

    monkeypatch.setattr(client.app.state.runtime.store, "list_speakers", broken)
    body = assert_clean_problem(client.get("/v1/speakers"), 503)
    assert "secret" not in body["detail"] and "I/O" not in body["detail"]


def test_statement_pattern_agrees_with_clean_statement():
    """The schema's pattern (what a client can check) and the service's rule are the same, for
    every code point, so a statement the schema allows is never refused as empty."""
    pattern = re.compile(schemas.STATEMENT_PATTERN)
    every = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    assert [c for c in every if schemas.blank(chr(c))] == schemas._BLANK  # the scanned planes suffice
    for c in every:
        ch = chr(c)
        try:
            clean_statement(ch)
            accepted = True
        except InvalidInput:
            accepted = False
        assert accepted == bool(pattern.search(ch)) == bool(pattern.search(" " + ch + " ")), hex(c)
    assert unicodedata.category("\u200b") == "Cf" and not pattern.search("\u200b")


# --- stalled clients, over real sockets -----------------------------------------------------

TIMEOUTS = {"header_timeout": 0.5, "body_idle_timeout": 0.5, "body_timeout": 1.5, "keep_alive_timeout": 5}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """uvicorn on a free loopback port, with the server wiring of `claimcheck serve`."""
    settings = Settings(db=tmp_path_factory.mktemp("live") / "c.sqlite3", parse_workers=0, **TIMEOUTS)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(server.config(create_app(settings), host="127.0.0.1", port=port, settings=settings,
                                       log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield port
    srv.should_exit = True
    thread.join(timeout=10)


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    return sock


def _read_until_closed(sock: socket.socket, limit: float = 5) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and how long that took."""
    start, data = time.monotonic(), b""
    sock.settimeout(limit)
    while True:
        try:
            chunk = sock.recv(65_536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        data += chunk
    return data, time.monotonic() - start


def test_a_silent_connection_is_closed(live):
    with _connect(live) as sock:
        data, took = _read_until_closed(sock)
    assert data == b"" and took < 2


def test_stalled_request_headers_are_closed(live):
    with _connect(live) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        data, took = _read_until_closed(sock)
    assert data == b"" and took < 2


def test_trickled_request_headers_are_closed(live):
    """One byte at a time, each in time for any per-read timeout: the deadline is for all of them."""
    with _connect(live) as sock:
        start = time.monotonic()
        try:
            for byte in b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: aaaaaaaaaaaaaaaa\r\n\r\n":
                sock.sendall(bytes([byte]))
                time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data, _ = _read_until_closed(sock)
    assert b"200 OK" not in data and time.monotonic() - start < 4


def test_partial_headers_after_a_kept_alive_request_are_closed(live):
    with _connect(live) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        first = b""
        while not first.endswith(b'{"status":"ok"}'):
            chunk = sock.recv(65_536)
            assert chunk, first
            first += chunk
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        data, took = _read_until_closed(sock)
    assert data == b"" and took < 2  # well before keep_alive_timeout (5 s)


def test_a_stalled_body_gets_408_then_close(live):
    with _connect(live) as sock:
        sock.sendall(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"statement\": ")
        data, took = _read_until_closed(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), data
    assert b"content-type: application/problem+json" in head.lower() and b"connection: close" in head.lower()
    assert json.loads(body)["status"] == 408
    assert took < 2


def test_a_trickled_body_hits_the_total_deadline(live):
    """Each chunk within the idle timeout, all of them not within the total."""
    with _connect(live) as sock:
        sock.sendall(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n")
        start = time.monotonic()
        try:
            while time.monotonic() - start < 4:
                sock.sendall(b" ")
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data, _ = _read_until_closed(sock)
    assert data.startswith(b"HTTP/1.1 408"), data
    assert time.monotonic() - start < 5


def test_prompt_clients_are_served(live):
    with _connect(live) as sock:
        body = b'{"statement": "Officials said 40 people died"}'
        sock.sendall(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        data, _ = _read_until_closed(sock, limit=30)
    assert data.startswith(b"HTTP/1.1 200"), data[:300]
