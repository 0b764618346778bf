"""Comparing what happened, how sure the source is, and who or where: one table per failure class
of the first engine (paraphrase, changed slot, modality, direction), each with negatives, over a
small article written for these tests."""

from __future__ import annotations

import pytest

from claimcheck import service
from claimcheck.ingest import document_from_text
from claimcheck.match import TantivyIndex
from claimcheck.match.frames import Mood, canonical, governing_text, modality
from claimcheck.store import MemoryStore

ARTICLE = """Rebels take Kordan
Rebel fighters seized the town of Kordan on Saturday, army officials said.
At least 40 soldiers were killed in the fighting for Kordan.
The army hopes to retake Kordan before the winter.
Bread sales in Kordan rose 10 percent in March, traders said.
The Lyon city council rejected the plan to build a new bridge over the river.
The convoy carrying the aid arrived in Tasso on Sunday.
The governor is trying to reopen the Kordan airport.
Lina Berg, the harbour board's chairman, called on the ministry to dredge the Tasso channel.
"I would like to stress that the dock workers have been paid in full," Paul Weir said.
The mill in Tasso, a business that has run for 80 years, may soon close.
The mayor chose not to attend the ceremony in Tasso, officials said.
The Tasso rowers beat the Kordan crew in the final.
The storm badly hampered the rescue effort in Kordan.
The council has enormous respect for the Tasso lifeboat crew, its leader said.
"I haven't spoken to the Tasso ferry owners at all," Ola Brandt said.
The Harbour Guild of Kordan was founded in 1902. It first opened a school in 1950.
Some 300 of the guild's members are fishermen.
Fog delayed the opening of the Kordan bridge.
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
    # a narrator reporting what someone said without quoting it is that person's claim; the
    # role phrase names the same person
    ("Lina Berg urged the ministry to dredge the Tasso channel", "supported", "speaker_match"),
    ("The harbour board's chairman urged the ministry to dredge the Tasso channel", "supported",
     "speaker_match"),
    ("Paul Weir urged the ministry to dredge the Tasso channel", "misattributed", "speaker_mismatch"),
    # politeness is not a hedge; the hedge of another clause does not reach this one
    ("Paul Weir said the dock workers have been paid in full", "supported", "speaker_match"),
    ("The mill in Tasso has run for 80 years", "supported", "figure_match"),
    ("The mill in Tasso closed", "not_enough_info", "hedged_source"),
    # both say "not", though the parser puts it on different verbs: no negation mismatch
    ("The mayor chose not to attend the ceremony in Tasso", "supported", "predicate_match"),
    ("The mayor attended the ceremony in Tasso", "conflicting", "negation"),
    # "beat" and "defeated" are one event; neither is a loss
    ("The Tasso rowers defeated the Kordan crew in the final", "supported", "predicate_match"),
    ("The Tasso rowers lost to the Kordan crew in the final", "not_enough_info", "predicate_unconfirmed"),
    # WordNet: a verb worded otherwise supports; an opposite adjective of the same event conflicts
    ("The storm handicapped the rescue effort in Kordan", "supported", "predicate_match"),
    ("The storm helped the rescue effort in Kordan", "not_enough_info", "predicate_unconfirmed"),
    ("The council has little respect for the Tasso lifeboat crew", "conflicting", "predicate_opposite"),
    # a quote's own negation; the speaker saying it anchors the same event
    ("Ola Brandt said he had spoken to the Tasso ferry owners", "conflicting", "negation"),
    ("Ola Brandt said he had not spoken to the Tasso ferry owners", "supported", "speaker_match"),
    # a name the claim leaves to a pronoun, given just before it, counts (less) towards the topic
    ("The Harbour Guild first opened a school in 1950", "supported", "date_match"),
    # a part ("300 of the members") is not compared with a total
    ("The guild has 300 members", "not_enough_info", "figure_unconfirmed"),
    # a phrasal verb as one word, as WordNet has it: "held up" is "delayed", "sped up" is not
    ("Fog held up the opening of the Kordan bridge", "supported", "predicate_match"),
    ("Fog sped up the opening of the Kordan bridge", "not_enough_info", "predicate_unconfirmed"),
    # two words of the statement the source has in no form keep it from supporting, whatever
    # else agrees (here the figure); one does not
    ("At least 40 soldiers were killed by mortar shells in the fighting for Kordan", "not_enough_info",
     "words_unconfirmed"),
    ("At least 40 soldiers were killed in the fighting for Kordan city", "supported", "figure_match"),
    # a manner adverb of the reader's own does not lower the overlap below relatedness
    ("Rebel fighters swiftly seized the town of Kordan on Saturday", "supported", "predicate_match"),
])
def test_failure_classes(verify, statement, verdict, reason):
    result = verify(statement)
    assert result.verdict.value == verdict, [(e.stance.value, [r.code for r in e.reasons]) for e in result.evidence]
    assert reason in codes(result)


@pytest.mark.parametrize(("text", "expected"), [
    ("the army will retake the town", Mood.FUTURE),
    ("the army hopes to retake the town", Mood.HEDGED),
    ("the town may fall within days", Mood.HEDGED),
    ("it is not clear whether the town fell", Mood.HEDGED),
    ("Did the town fall?", Mood.QUESTION),
    ("the army failed to retake the town", Mood.FAILED),
    ("the army retook the town", Mood.ASSERTED),
    ("the talks resumed in May", Mood.ASSERTED),  # the month, not the modal verb
    ("ISIS anticipated its defeat", Mood.ASSERTED),
    ("I would like to stress that the workers were paid", Mood.ASSERTED),
    ("profit will be lower than previously expected", Mood.FUTURE),
    ("profit was lower than expected", Mood.ASSERTED),
    ("the bridge must be rebuilt", Mood.HEDGED),
    ("contradicting the earlier claim that he had refused to stop", Mood.HEDGED),
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


@pytest.mark.parametrize(("text", "lemmas", "expected"), [
    # the clause about the statement, with what comes before it
    ("signs that the war, a conflict that has lasted 40 years, may soon end", "conflict last year",
     "signs that the war, a conflict that has lasted 40 years, "),
    # an opening phrase takes its sentence's verb with it
    ("Within 30 days, there won't be any left", "30 day", "Within 30 days, there won't be any left"),
    # of several sentences, the one about the statement
    ("Few are left. Within 30 days, there won't be any.", "30 day", "Within 30 days, there won't be any."),
    ("Few are left. Within 30 days, there won't be any.", "few leave", "Few are left."),
])
def test_governing_text(text, lemmas, expected):
    assert governing_text(text, set(lemmas.split())) == expected
