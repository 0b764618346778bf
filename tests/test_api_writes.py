"""Writes through the API when the index fails or is busy: nothing is acknowledged that is not
both stored and searchable, a retry repairs, a busy index is a 503 with Retry-After (never a
500), and a document whose parse overruns its deadline is refused while the service goes on."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from claimcheck.api.app import create_app
from claimcheck.extract.isolated import IsolatedExtractor
from claimcheck.ingest import document_from_text
from claimcheck.match import TantivyIndex
from claimcheck.settings import Settings
from tests.serving import article

PROBLEM = "application/problem+json"


@pytest.fixture
def client(tmp_path):
    settings = Settings(db=tmp_path / "c.sqlite3", seeds=tmp_path / "none", parse_workers=0,
                        index_lock_timeout=0.3)
    with TestClient(create_app(settings)) as c:
        yield c


def evidence_documents(client, statement: str) -> set[str]:
    r = client.post("/v1/verify", json={"statement": statement})
    assert r.status_code == 200, r.text
    return {e["document"]["id"] for e in r.json()["evidence"] if e["document"]}


def test_an_index_failure_after_the_store_commit_is_repaired_by_the_retry(client, monkeypatch):
    """Failure 5: the store committed, the index write failed; the retry used to get 200 (same
    content hash) for a document that was never searchable."""
    from claimcheck.match import search

    real = search._TantivyWrite.put_document
    calls = {"n": 0}

    def failing_once(self, document_id, claims):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(28, "No space left on device")
        return real(self, document_id, claims)

    monkeypatch.setattr(search._TantivyWrite, "put_document", failing_once)
    text = article("quorra", 12)
    first = client.post("/v1/documents", json={"text": text})
    assert first.status_code == 503 and first.headers["content-type"] == PROBLEM
    assert "No space" not in first.text  # no internals in the body
    retry = client.post("/v1/documents", json={"text": text})
    assert retry.status_code == 200, retry.text
    assert retry.json()["id"] in evidence_documents(client, "quorra residents were evacuated from the valley")


def test_a_busy_index_is_a_503_with_retry_after_and_the_retry_succeeds(client):
    index = client.app.state.runtime.index
    other = TantivyIndex(index.path)  # another process's writer, as far as the lock can tell
    text = article("vessik", 7)
    with other.writing():
        r = client.post("/v1/documents", json={"text": text})
        assert r.status_code == 503, r.text
        assert r.headers["content-type"] == PROBLEM and r.headers["retry-after"] == "1"
        assert "busy" in r.json()["detail"]
        assert client.get("/healthz").status_code == 200
        assert client.post("/v1/verify", json={"statement": "vessik residents were evacuated"}).status_code == 200
    retry = client.post("/v1/documents", json={"text": text})
    assert retry.status_code in (200, 201)
    assert retry.json()["id"] in evidence_documents(client, "vessik residents were evacuated from the valley")


def test_delete_when_the_index_is_busy_is_a_503_and_the_follower_catches_up(client):
    created = client.post("/v1/documents", json={"text": article("dornet", 3)}).json()
    index = client.app.state.runtime.index
    with TantivyIndex(index.path).writing():
        r = client.delete(f"/v1/documents/{created['id']}")
        assert r.status_code == 503
    # the store took the delete; the next write (or the follower) brings the index along
    assert client.get(f"/v1/documents/{created['id']}").status_code == 404
    client.post("/v1/documents", json={"text": article("other", 1)})
    assert created["id"] not in evidence_documents(client, "dornet residents were evacuated from the valley")


def test_a_parse_past_its_deadline_is_refused_and_the_worker_is_replaced(extractor):
    """A pathological or huge document costs at most the deadline; the next one parses."""
    from claimcheck.errors import DocumentError
    from claimcheck.settings import Settings as S

    isolated = IsolatedExtractor(S().spacy_model, timeout=0.5)
    try:
        isolated.warm_up()
        big = document_from_text(" ".join(article(f"t{i}", i) for i in range(400)))
        with pytest.raises(DocumentError, match=r"longer than 0\.5 s"):
            isolated.extract(big)
        small = document_from_text(article("after", 2))
        assert isolated.extract(small).claims == extractor.extract(small).claims
    finally:
        isolated.close()


@pytest.mark.parametrize("part", ["store", "index"])
def test_readyz_fails_when_the_store_or_the_index_cannot_answer(client, monkeypatch, part):
    runtime = client.app.state.runtime
    target = runtime.store if part == "store" else runtime.index

    def broken(*args, **kwargs):
        raise OSError("/var/lib/secret/path: Input/output error")

    monkeypatch.setattr(target, "count_claims" if part == "store" else "count", broken)
    r = client.get("/readyz")
    assert r.status_code == 503 and r.headers["content-type"] == PROBLEM
    assert part in r.json()["detail"] and "/var/lib" not in r.text and "Input/output" not in r.text
    monkeypatch.undo()
    assert client.get("/readyz").status_code == 200
