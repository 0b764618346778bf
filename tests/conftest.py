from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from claimcheck.domain import Claim, Extraction
from claimcheck.extract import Extractor
from claimcheck.ingest import document_from_text
from claimcheck.nlp import load
from claimcheck.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The shared development corpus lives beside the checkout; a user's fresh clone has none.
CORPORA = ROOT.parent / "shared" / "corpora"

needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is absent")


@pytest.fixture(scope="session")
def nlp():
    return load(Settings().spacy_model)


@pytest.fixture(scope="session")
def extractor(nlp) -> Extractor:
    return Extractor(nlp)


@pytest.fixture(scope="session")
def extract_text(extractor):
    """Extract claims from a short text credited to a test publication."""

    def run(text: str, published: date | None = date(2018, 12, 15), source: str = "Test Wire") -> Extraction:
        return extractor.extract(document_from_text(text, source=source, published=published))

    return run


def attributed(extraction: Extraction) -> list[Claim]:
    return [c for c in extraction.claims if c.kind.value != "narrator"]


def assert_spans_exact(extraction: Extraction) -> None:
    text = extraction.document.text
    for claim in extraction.claims:
        spans = [claim.content, claim.cue, claim.speaker.mention, claim.said_on, *claim.figures, *claim.dates]
        for span in spans:
            if span is not None:
                assert text[span.start : span.end] == span.text, span


# --- PostgreSQL ------------------------------------------------------------------------------
# Tests that need a real server read CLAIMCHECK_TEST_DATABASE_URL (.ci/run sets it). Each test
# gets a schema of its own, dropped afterwards, so tests never see each other's rows.

TEST_DATABASE_VAR = "CLAIMCHECK_TEST_DATABASE_URL"


def _server_or_skip() -> str:
    import os

    url = os.environ.get(TEST_DATABASE_VAR)
    if not url:
        pytest.skip(f"{TEST_DATABASE_VAR} is not set (a PostgreSQL URL, e.g. postgresql://postgres@127.0.0.1/test)")
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=5).close()
    except Exception as exc:  # the server is down or refuses us
        pytest.skip(f"PostgreSQL at {TEST_DATABASE_VAR} is not reachable: {exc}")
    return url


def schema_url(url: str, schema: str) -> str:
    """The same database with ``schema`` first on the search path."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def postgres_url():
    """A URL to an empty schema of the test database; the schema is dropped afterwards."""
    import uuid

    import psycopg

    url = _server_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema_url(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request, tmp_path):
    """Every store the engine runs on, for the contract tests: the in-memory fake, SQLite and
    PostgreSQL (skipped, with the reason, when no server is configured)."""
    from claimcheck.store import MemoryStore, PostgresStore, SQLiteStore

    if request.param == "sqlite":
        s = SQLiteStore(tmp_path / "claims.sqlite3")
    elif request.param == "postgres":
        s = PostgresStore(request.getfixturevalue("postgres_url"))
    else:
        s = MemoryStore()
    yield s
    s.close()
