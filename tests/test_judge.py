"""How the entailment model's probabilities change a stance the rules gave (match/judge.py),
as tables, with a scorer that answers from a table (no model)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from claimcheck.domain import AttributionKind, Claim, Evidence, Reason, Span, SpeakerKind, SpeakerRef, Stance
from claimcheck.match import judge
from claimcheck.match.entailment import Entailment

ENTAILS = Entailment(0.95, 0.04, 0.01)
CONTRADICTS = Entailment(0.02, 0.08, 0.90)
NEUTRAL = Entailment(0.10, 0.85, 0.05)
LEANS = Entailment(0.60, 0.35, 0.05)  # entails, not surely
DOUBTS = Entailment(0.10, 0.85, 0.05)  # below KEEP


class TableScorer:
    """Answers from a table keyed by hypothesis; counts calls and pairs (one batch per verify)."""

    def __init__(self, answers: dict[str, Entailment], default: Entailment = NEUTRAL) -> None:
        self.answers, self.default = answers, default
        self.calls: list[int] = []

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[Entailment]:
        self.calls.append(len(pairs))
        return [self.answers.get(h, self.default) for _, h in pairs]


def claim(content: str, speaker: str | None = None) -> Claim:
    kind = AttributionKind.INDIRECT if speaker else AttributionKind.NARRATOR
    who = SpeakerRef(speaker, SpeakerKind.PERSON) if speaker else SpeakerRef(None, SpeakerKind.PUBLICATION)
    return Claim("doc", kind, who, Span(0, len(content), content))


def evidence(content: str, stance: Stance, codes: Sequence[str], score: float = 0.6) -> Evidence:
    c = claim(content)
    return Evidence(c.id, c, stance, score, tuple(Reason(code, code) for code in codes))


STATEMENT = claim("Police closed off Market Square on Sunday")

# (rules' stance, rules' reasons, model's reading) -> stance after the model
CASES = [
    # the rules could not confirm the wording; the model reads a paraphrase
    (Stance.RELATED, ["predicate_unconfirmed"], ENTAILS, Stance.SUPPORTS),
    (Stance.RELATED, ["words_unconfirmed", "predicate_unconfirmed"], ENTAILS, Stance.SUPPORTS),
    (Stance.RELATED, ["predicate_unconfirmed"], LEANS, Stance.RELATED),  # not sure enough
    # slots the model may not override
    (Stance.RELATED, ["figure_mismatch"], ENTAILS, Stance.RELATED),
    (Stance.RELATED, ["hedged_source"], ENTAILS, Stance.RELATED),
    (Stance.RELATED, ["tense_mismatch"], ENTAILS, Stance.RELATED),
    (Stance.RELATED, ["entity_unconfirmed"], ENTAILS, Stance.RELATED),
    # a support of the rules stands with a fair reading, falls with a doubtful one
    (Stance.SUPPORTS, ["figure_match"], LEANS, Stance.SUPPORTS),
    (Stance.SUPPORTS, ["figure_match"], DOUBTS, Stance.RELATED),
    (Stance.SUPPORTS, [], CONTRADICTS, Stance.RELATED),
    # a contradiction the rules did not see, anchored by a shared name
    (Stance.RELATED, ["predicate_unconfirmed"], CONTRADICTS, Stance.CONFLICTS),
    (Stance.RELATED, ["hedged_source"], CONTRADICTS, Stance.RELATED),  # only expected: another moment
    (Stance.RELATED, ["entity_unconfirmed"], CONTRADICTS, Stance.RELATED),  # a name missing: another event
    (Stance.RELATED, ["speaker_mismatch"], CONTRADICTS, Stance.RELATED),  # another speaker's words
    (Stance.RELATED, ["speaker_match"], CONTRADICTS, Stance.CONFLICTS),
    # a slot mismatch of the rules stands whatever the model reads
    (Stance.CONFLICTS, ["figure_mismatch"], ENTAILS, Stance.CONFLICTS),
    (Stance.RELATED, [], NEUTRAL, Stance.RELATED),
]


@pytest.mark.parametrize(("stance", "codes", "reading", "expected"), CASES)
def test_stance_with_the_model(stance, codes, reading, expected):
    e = evidence("Officers fenced off Market Square on Sunday", stance, codes)
    out = judge.judged(STATEMENT, e, reading)
    assert out is not None
    assert out.stance is expected
    assert out.reasons[-1].code == {"entailment": "entailed", "neutral": "not_entailed",
                                    "contradiction": "contradicted"}[reading.label]
    assert f"{reading.entailment:.2f}" in out.reasons[-1].message


def test_a_contradiction_needs_the_same_participants():
    # Nothing of the statement's names in the source: the model's contradiction may be another event.
    e = evidence("officers reopened the road", Stance.RELATED, ["predicate_unconfirmed"])
    assert judge.judged(STATEMENT, e, CONTRADICTS).stance is Stance.RELATED
    # A figure of the same counted thing, or the same speaker, anchors it too.
    anchored = evidence("officers reopened the road", Stance.RELATED, ["figure_match"])
    assert judge.judged(STATEMENT, anchored, CONTRADICTS).stance is Stance.CONFLICTS


@pytest.mark.parametrize(("reading", "kept"), [(ENTAILS, True), (CONTRADICTS, True), (LEANS, True),
                                               (NEUTRAL, False), (DOUBTS, False)])
def test_a_candidate_sharing_few_words_is_shown_only_when_the_model_reads_it(reading, kept):
    e = evidence("Market Square shut", Stance.RELATED, [], score=0.2)
    assert (judge.judged(STATEMENT, e, reading, near=True) is not None) is kept


def test_the_score_of_a_decided_source_is_at_least_the_model_probability():
    e = evidence("Officers fenced off Market Square on Sunday", Stance.RELATED, ["predicate_unconfirmed"], 0.5)
    assert judge.judged(STATEMENT, e, ENTAILS).score == pytest.approx(0.95)


def test_with_model_reads_the_best_candidates_in_one_batch():
    related = [evidence(f"Officers fenced off Market Square, report {i}", Stance.RELATED, [], 0.9 - i / 100)
               for i in range(7)]
    near = [evidence("Market Square shut", Stance.RELATED, [], 0.1)]
    scorer = TableScorer({})
    out = judge.with_model(STATEMENT, related, near, scorer)
    assert scorer.calls == [judge.CANDIDATES]  # one call, the best five
    assert len(out) == 7  # the near one was not read: dropped; the related ones beyond five kept as they were
    assert [e.claim_id for e in out[:5]] == [e.claim_id for e in related[:5]]
    assert all(e.reasons[-1].code == "not_entailed" for e in out[:5])
    assert all(not e.reasons for e in out[5:])


def test_with_model_still_shows_the_closest_hit_when_nothing_else_is_evidence():
    near = [evidence(f"Market Square shut, item {i}", Stance.RELATED, [], 0.3 - i / 100) for i in range(4)]
    out = judge.with_model(STATEMENT, [], near, TableScorer({}))
    assert [e.claim_id for e in out] == [e.claim_id for e in near[:judge.SHOWN_NEAR]]
    assert all(e.stance is Stance.RELATED and e.reasons[-1].code == "not_entailed" for e in out)


def test_with_model_and_no_candidates_does_not_call_the_model():
    scorer = TableScorer({})
    assert judge.with_model(STATEMENT, [], [], scorer) == []
    assert scorer.calls == []


def test_premise_and_hypothesis_are_what_was_said():
    said = Claim("doc", AttributionKind.INDIRECT, SpeakerRef("Ana Ruiz", SpeakerKind.PERSON),
                 Span(10, 30, "the port was closed"))
    assert judge.premise(said) == "the port was closed"
    assert judge.hypothesis(said) == "the port was closed"


def _said(text: str, content: str, cue: str | None = None, who: str | None = None) -> Claim:
    at = text.index(content)

    def span(part: str | None) -> Span | None:  # the occurrence nearest the content
        if part is None:
            return None
        start = min((i for i in range(len(text)) if text.startswith(part, i)), key=lambda i: abs(i - at))
        return Span(start, start + len(part), part)

    mention = span(who)
    speaker = SpeakerRef(who, SpeakerKind.PERSON, mention) if who else SpeakerRef(None, SpeakerKind.PUBLICATION)
    return Claim("doc", AttributionKind.INDIRECT, speaker, Span(at, at + len(content), content), span(cue))


ARTICLE = ("Storms hit the coast. ‘We lost 500 homes,’ said Ana Ruiz, the mayor. Officials said roads "
           "reopened on Monday.\nCrews were still at work late on Tuesday")


@pytest.mark.parametrize(("content", "cue", "who", "expected"), [
    ("We lost 500 homes", "said", "Ana Ruiz", "‘We lost 500 homes,’ said Ana Ruiz, the mayor."),
    ("roads reopened on Monday", "said", "Officials", "Officials said roads reopened on Monday."),
    ("Storms hit the coast", None, None, "Storms hit the coast."),
    ("Crews were still at work", None, None, "Crews were still at work late on Tuesday"),
])
def test_the_sentence_a_claim_stands_in(content, cue, who, expected):
    assert judge.sentence(_said(ARTICLE, content, cue, who), ARTICLE) == expected


def test_a_claim_of_another_text_is_read_by_its_content():
    claim = _said(ARTICLE, "We lost 500 homes", "said", "Ana Ruiz")
    assert judge.sentence(claim, "Something else entirely, and shorter.") == "We lost 500 homes"
