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
