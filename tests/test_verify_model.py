"""verify with an entailment model beside the rules: the service reads the best candidates with
the model in one batch, and its reading turns paraphrases into support and denials into
conflicts. A scorer that answers from a table stands in for the model (the decision is the
engine's; the model's quality is measured in test_entailment.py and docs/accuracy.md)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from claimcheck import service
from claimcheck.ingest import load_documents
from claimcheck.match import TantivyIndex
from claimcheck.match.entailment import Entailment
from claimcheck.store import MemoryStore
from tests.conftest import FIXTURES, SEEDS

ENTAILS = Entailment(0.96, 0.03, 0.01)
CONTRADICTS = Entailment(0.01, 0.04, 0.95)
NEUTRAL = Entailment(0.05, 0.90, 0.05)
SOURCE = "anticipated its battlefield defeat"  # in the seed article, said by Bruce Hoffman


class ReadsAs:
    """Reads a pair as ``reading`` when the premise has ``source`` and the hypothesis ``words``;
    everything else as neutral. Records every batch it was given."""

    def __init__(self, words: str, reading: Entailment, source: str = SOURCE) -> None:
        self.words, self.reading, self.source = words, reading, source
        self.batches: list[list[tuple[str, str]]] = []

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[Entailment]:
        self.batches.append(list(pairs))
        return [self.reading if self.source in p and self.words in h else NEUTRAL for p, h in pairs]


@pytest.fixture(scope="module")
def engine(extractor):
    store, index = MemoryStore(), TantivyIndex()
    docs = [i.document for i in load_documents([SEEDS, FIXTURES / "corpus"], max_bytes=10**7)]
    list(service.ingest(store, index, extractor, docs))

    def run(statement, model=None, speaker=None):
        return service.verify(store, index, extractor, statement, speaker, entailment=model)

    return run


PARAPHRASE = "Bruce Hoffman said the Islamic State saw its battlefield defeat coming and got ready for it"
DENIAL = "Bruce Hoffman said the Islamic State was caught off guard by its battlefield defeat"


def test_a_paraphrase_the_rules_cannot_confirm_is_supported_when_the_model_reads_it(engine):
    assert engine(PARAPHRASE).verdict.value == "not_enough_info"  # the rules alone
    model = ReadsAs("saw its battlefield defeat coming", ENTAILS)
    verdict = engine(PARAPHRASE, model)
    assert verdict.verdict.value == "supported"
    top = verdict.evidence[0]
    assert SOURCE in top.claim.content.text
    assert {"entailed", "speaker_match"} <= {r.code for r in top.reasons}
    assert len(model.batches) == 1 and 1 <= len(model.batches[0]) <= 5  # one batch, the best few


def test_a_denial_in_other_words_conflicts_when_the_model_reads_it(engine):
    model = ReadsAs("caught off guard", CONTRADICTS)
    verdict = engine(DENIAL, model)
    assert verdict.verdict.value == "conflicting"
    assert "contradicted" in {r.code for r in verdict.evidence[0].reasons}


def test_the_same_words_from_someone_else_are_a_misattribution(engine):
    model = ReadsAs("saw its battlefield defeat coming", ENTAILS)
    verdict = engine(PARAPHRASE.replace("Bruce Hoffman", "Abdel Rahman"), model)
    assert verdict.verdict.value == "misattributed"


def test_a_reading_the_model_is_unsure_of_changes_nothing(engine):
    model = ReadsAs("nothing matches this", ENTAILS)
    assert engine(PARAPHRASE, model).verdict.value == "not_enough_info"
    # and what the rules support alone still needs the model's fair reading
    supported = "Abdel Rahman said 500 SDF fighters were killed in the battle for Hajin"
    assert engine(supported).verdict.value == "supported"
    assert engine(supported, ReadsAs("500 SDF fighters", ENTAILS, source="500")).verdict.value == "supported"
    assert engine(supported, ReadsAs("no such words", ENTAILS)).verdict.value != "supported"


def test_nothing_retrieved_means_no_model_call(engine):
    model = ReadsAs("x", ENTAILS)
    assert engine("Apple released a new iPhone in California", model).verdict.value == "not_enough_info"
    assert all(batch for batch in model.batches)  # never called with an empty batch
