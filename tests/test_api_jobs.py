"""Ingest without waiting: POST /v1/documents?wait=false (or Prefer: respond-async) answers 202
with a job; GET /v1/jobs/{id} follows it to done (the document searchable) or failed (a problem).
With SQLite the service works on its own queue; with PostgreSQL, workers do."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from claimcheck.api.app import create_app
from claimcheck.settings import Settings
from tests.serving import article


def until_settled(client, url: str, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(url).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {url} still {job['state']} after {seconds} s")


@pytest.fixture
def client(tmp_path):
    settings = Settings(db=tmp_path / "c.sqlite3", seeds=tmp_path / "none", parse_workers=0)
    with TestClient(create_app(settings)) as c:
        yield c


def test_wait_false_queues_then_the_document_is_stored_and_searchable(client):
    text = article("quorra", 6)
    r = client.post("/v1/documents?wait=false", json={"text": text, "title": "Quorra floods"})
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == job["url"] == f"/v1/jobs/{job['id']}"
    assert job["state"] in ("queued", "running", "done") and job["label"] == "Quorra floods"
    done = until_settled(client, job["url"])
    assert done["state"] == "done" and done["claims"] > 0 and done["problem"] is None
    assert done["document_url"] == f"/v1/documents/{job['document_id']}"
    assert client.get(done["document_url"]).status_code == 200
    found = client.post("/v1/verify", json={"statement": "quorra residents were evacuated from the valley"})
    assert job["document_id"] in {e["document"]["id"] for e in found.json()["evidence"]}


def test_prefer_respond_async_is_honoured(client):
    r = client.post("/v1/documents", json={"text": article("velmar", 4)}, headers={"Prefer": "respond-async"})
    assert r.status_code == 202 and r.headers["preference-applied"] == "respond-async"
    assert until_settled(client, r.headers["location"])["state"] == "done"


def test_a_document_already_stored_gives_a_job_done_at_once(client):
    text = article("ardent", 4)
    assert client.post("/v1/documents", json={"text": text}).status_code == 201
    job = client.post("/v1/documents?wait=false", json={"text": text}).json()
    assert job["state"] == "done" and job["claims"] > 0


def test_invalid_documents_are_refused_before_queueing(client):
    r = client.post("/v1/documents?wait=false", json={"text": "   "})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    r = client.post("/v1/documents?wait=nope", json={"text": article("x", 2)})
    assert r.status_code == 422 and "wait" in r.text


def test_an_unknown_job_is_a_404_problem(client):
    r = client.get("/v1/jobs/0123456789abcdef")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert "0123456789abcdef" in r.json()["detail"]


def test_a_job_that_fails_reports_a_problem(tmp_path, monkeypatch):
    from claimcheck.errors import DocumentError
    from claimcheck.extract import Extractor

    real = Extractor.extract

    def extract(self, document):
        if "dunmore" in document.text:
            raise DocumentError(None, "parsing the document took longer than 60 s, the limit")
        return real(self, document)

    monkeypatch.setattr(Extractor, "extract", extract)
    settings = Settings(db=tmp_path / "c.sqlite3", seeds=tmp_path / "none", parse_workers=0)
    with TestClient(create_app(settings)) as client:
        job = client.post("/v1/documents?wait=false", json={"text": article("dunmore", 30)}).json()
        failed = until_settled(client, job["url"])
        assert client.get(f"/v1/documents/{job['document_id']}").status_code == 404
    assert failed["state"] == "failed" and failed["document_url"] is None and failed["attempts"] == 1
    assert failed["problem"]["status"] == 422 and "longer than 60 s" in failed["problem"]["detail"]
