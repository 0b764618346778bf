"""On the real articles of ../shared/corpora (skipped without it): exact spans everywhere, and
attribution quality against the PolNeAR annotations not falling below what was measured."""

import pytest

from claimcheck.evaluate import Score, read_gold, score
from claimcheck.ingest import read_document, read_manifest
from tests.conftest import CORPORA, assert_spans_exact, needs_corpora

pytestmark = [needs_corpora, pytest.mark.corpus]


@pytest.fixture(scope="module")
def extractions(extractor):
    manifest = read_manifest(CORPORA)
    docs = [read_document(p, max_bytes=10_000_000, manifest=manifest) for p in sorted(CORPORA.glob("*.txt"))]
    return list(extractor.extract_many(docs))


def test_every_span_indexes_the_document(extractions):
    assert len(extractions) >= 29
    for extraction in extractions:
        assert extraction.claims, extraction.document.path
        assert_spans_exact(extraction)
        # one claim per kind and span: what a store keeps is what the extraction says
        ids = [c.id for c in extraction.claims]
        assert len(ids) == len(set(ids)), extraction.document.path


def test_manifest_dates_resolve_claim_dates(extractions):
    resolved = [d for e in extractions for c in e.claims for d in c.dates if d.resolved_start]
    assert len(resolved) >= 50


def test_polnear_attribution_floor(extractions):
    """Measured 2026-11-23: recall 0.611, precision 0.856 (scripts/eval_attribution.py).
    A floor a little under that catches regressions without pinning noise."""
    total = Score()
    for extraction in extractions:
        gold_path = CORPORA / "annotations" / (extraction.document.path.rsplit("/", 1)[-1]
                                               .replace(".txt", ".attributions.json"))
        if gold_path.exists():
            total.add(score(extraction, read_gold(gold_path)))
    assert total.gold_named > 100
    assert total.recall >= 0.58, total.recall
    assert total.precision >= 0.82, total.precision


def test_two_processes_extract_exactly_what_one_does(extractor, extractions):
    documents = [e.document for e in extractions[:8]]
    assert list(extractor.extract_many(documents, n_process=2)) == extractions[:8]
