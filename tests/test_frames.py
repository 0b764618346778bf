"""Comparing what happened, how sure the source is, and who or where: one table per failure class
of the first engine (paraphrase, changed slot, modality, direction), each with negatives, over a
small article written for these tests."""

from __future__ import annotations

import pytest

from claimcheck import service
from claimcheck.ingest import document_from_text
from claimcheck.match import TantivyIndex
from claimcheck.match.frames import Modality, canonical, modality
from claimcheck.store import MemoryStore

ARTICLE = """Rebels take Kordan
Rebel fighters seized the town of Kordan on Saturday, army officials said.
At least 40 soldiers were killed in the fighting for Kordan.
The army hopes to retake Kordan before the winter.
Bread sales in Kordan rose 10 percent in March, traders said.
The Lyon city council rejected the plan to build a new bridge over the river.
The convoy carrying the aid arrived in Tasso on Sunday.
The governor is trying to reopen the Kordan airport.
"""


@pytest.fixture(scope="module")
def verify(extractor):
    store, index = MemoryStore(), TantivyIndex()
    doc = document_from_text(ARTICLE, source="Test Wire", published=None)
    list(service.ingest(store, index, extractor, [doc]))

    def run(statement):
        return service.verify(store, index, extractor, statement)

    return run


def codes(verdict) -> set[str]:
    return {r.code for e in verdict.evidence for r in e.reasons}


@pytest.mark.parametrize(("statement", "verdict", "reason"), [
    # 1. paraphrase: another verb for the same event still agrees, or conflicts on the figure
    ("Rebel fighters captured the town of Kordan on Saturday", "supported", "predicate_match"),
    ("At least 40 soldiers died in the fighting for Kordan", "supported", "figure_match"),
    ("Only 12 soldiers died in the fighting for Kordan", "conflicting", "figure_mismatch"),
    ("At least 90 soldiers died in the fighting for Kordan", "not_enough_info", "figure_unconfirmed"),
    # 5. direction: the same frame the other way conflicts; a synonym the same way supports
    ("Bread sales in Kordan fell 10 percent in March", "conflicting", "direction_mismatch"),
    ("Bread sales in Kordan increased 10 percent in March", "supported", "predicate_match"),
    ("The convoy carrying the aid left Tasso on Sunday", "conflicting", "direction_mismatch"),
    ("The Lyon city council approved the plan to build a new bridge over the river", "conflicting", "negation"),
    # 3. modality: what the source only hopes for or is trying to do never supports a fact
    ("The army retook Kordan before the winter", "not_enough_info", "hedged_source"),
    ("The governor reopened the Kordan airport", "not_enough_info", "hedged_source"),
    # 2. a changed slot: another city where the source names one conflicts; a name the source
    # never gives is unconfirmed
    ("The convoy carrying the aid arrived in Lyon on Sunday", "conflicting", "place_mismatch"),
    ("The convoy carrying the aid arrived in Tasso on Sunday", "supported", "predicate_match"),
    ("Rebel fighters backed by Turkey seized the town of Kordan on Saturday", "not_enough_info",
     "entity_unconfirmed"),
    # and a verb the source does not have keeps it from supporting
    ("Rebel fighters burned the town of Kordan on Saturday", "not_enough_info", "predicate_unconfirmed"),
])
def test_failure_classes(verify, statement, verdict, reason):
    result = verify(statement)
    assert result.verdict.value == verdict, [(e.stance.value, [r.code for r in e.reasons]) for e in result.evidence]
    assert reason in codes(result)


@pytest.mark.parametrize(("text", "expected"), [
    ("the army will retake the town", Modality.FUTURE),
    ("the army hopes to retake the town", Modality.HEDGED),
    ("the town may fall within days", Modality.HEDGED),
    ("it is not clear whether the town fell", Modality.HEDGED),
    ("Did the town fall?", Modality.QUESTION),
    ("the army failed to retake the town", Modality.FAILED),
    ("the army retook the town", Modality.ASSERTED),
    ("the talks resumed in May", Modality.ASSERTED),  # the month, not the modal verb
    ("ISIS anticipated its defeat", Modality.ASSERTED),
])
def test_modality(text, expected):
    assert modality(text) is expected


@pytest.mark.parametrize(("a", "b", "same"), [
    ("kill", "die", True), ("seize", "capture", True), ("rise", "increase", True),
    ("rise", "fall", True),  # one class, two directions: compared as a direction
    ("kill", "capture", False), ("bridge", "river", False),
])
def test_event_classes(a, b, same):
    assert (canonical(a) == canonical(b)) is same
