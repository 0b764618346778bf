"""Generated requests against the OpenAPI contract (schemathesis), in-process over ASGI.

Every operation gets examples, coverage cases (boundaries, missing fields, undeclared methods)
and fuzzed cases, both schema-valid and schema-invalid. Every response must be documented and
match its schema; valid requests must be accepted, invalid ones refused; no 5xx ever; every
error is ``application/problem+json``. The seed article is stored first, so lists, lookups and
verdicts see real data.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from claimcheck.api.app import create_app
from claimcheck.settings import Settings
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow

SEED = SEEDS / "000_58b65f41969edd74.txt"
PROBLEM = "application/problem+json"
# Documents are parsed with spaCy: far slower per case than everything else.
CASES = 500
DOCUMENT_CASES = 120
MIN_TOTAL = 1000

counted: Counter[str] = Counter()
_DB = Path(tempfile.mkdtemp(prefix="claimcheck-st-")) / "c.sqlite3"


def _app():
    # parse_workers=0: parse documents in the request thread (no worker processes in a test).
    return create_app(Settings(db=_DB, max_document_bytes=50_000, parse_workers=0))


# Built without starting it: schemathesis runs its lifespan on the first generated call, after the
# `seeded` fixture has stored the seed article through another app over the same store.
APP = _app()
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.app = APP
_settings = {"deadline": None, "derandomize": True, "print_blob": True,
             "suppress_health_check": list(HealthCheck)}


@pytest.fixture(scope="module")
def seeded():
    with TestClient(_app()) as client:
        r = client.post("/v1/documents", content=SEED.read_bytes(), headers={"content-type": "text/plain"})
        assert r.status_code == 201, r.text
    yield
    asgi.shutdown_lifespans()
    shutil.rmtree(_DB.parent, ignore_errors=True)


# Bodies whose validity no JSON Schema can state: whether a web page holds an article (text/html)
# and whether JSON-LD holds well-formed ClaimReviews (a rating within its own scale, a claim in
# one of several places). A schema-valid one may rightly be refused, with a 422 naming why; every
# other check (no 5xx, documented responses, problem+json) still applies to them.
_CONTENT_DECIDES = {("POST /v1/documents", "text/html"), ("POST /v1/factchecks", "application/json"),
                    ("POST /v1/factchecks", "application/ld+json")}


def _check(case) -> None:
    # Likewise a document given as html, or as a URL to fetch (whether it answers with an article).
    loose = (case.operation.label, case.media_type) in _CONTENT_DECIDES or (
        case.operation.label == "POST /v1/documents" and isinstance(case.body, dict)
        and ("html" in case.body or "text" not in case.body))
    excluded = [positive_data_acceptance] if loose else []
    if case.media_type == "text/html":  # any bytes are a page to read (or to refuse as no article)
        excluded.append(negative_data_rejection)
    response = case.call_and_validate(excluded_checks=excluded or None)
    counted[case.operation.label] += 1
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])  # schemathesis keeps every value
        assert content_type == [PROBLEM], (case.operation.label, content_type, response.text)
        body = response.json()
        assert body["status"] == response.status_code and body["title"] and body["detail"], body
        assert "Traceback" not in response.text and 'File "' not in response.text


@schema.exclude(method="POST", path="/v1/documents").parametrize()
@settings(max_examples=CASES, **_settings)
def test_every_operation(case, seeded):
    _check(case)


@schema.include(method="POST", path="/v1/documents").parametrize()
@settings(max_examples=DOCUMENT_CASES, **_settings)
def test_create_document(case, seeded):
    _check(case)


def test_case_count():
    """Runs last: how many cases were generated, per operation (at least MIN_TOTAL overall)."""
    if not counted:
        pytest.skip("run together with the generated tests")
    for label, n in sorted(counted.items()):
        print(f"{n:6d}  {label}")
    total = sum(counted.values())
    print(f"{total:6d}  generated cases in all")
    assert total >= MIN_TOTAL
    assert len(counted) >= 12  # every operation
