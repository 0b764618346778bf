"""Claim matching: which stored fact-checks check the statement's own claim.

A fact-check matches when its claim has the statement's truth conditions, so that a verdict on
one is a verdict on the other: the same who, what, figure, time and place, in any wording. Being
about the same topic is not enough: "unemployment fell to 3.1%" is not "unemployment fell to
3.5%", nor the same figure for another year, nor the same words credited to someone else.

The verification engine decides it, with the review's claim (as the statement parser read it)
in the place of a source claim:

- **the slots agree**: the engine's comparison (``assess``) finds no mismatch of figure, date,
  negation, direction, place, person or entity, no source about another moment, no name of the
  statement missing from the review's claim, and the claimant is the statement's speaker when
  the statement names one;
- **and the words say the same thing, both ways**: by the rules, the review's claim supports
  the statement, holds at least ``BACK`` of the review's own content words, and at most
  ``RULES_UNCONFIRMED`` content word of either is missing from the other in every form ("sales
  tax" is not "income tax"; a statement that is only part of a longer claim does not match); or,
  with the entailment model on, the model reads each as entailing the other (``ENTAILED`` both
  ways) with at most ``MODEL_UNCONFIRMED`` words left for it to read as paraphrased, and neither
  as contradicting the other (``REFUTED``).

Each match says why (the engine's reasons, and the model's probabilities when it read them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from claimcheck.domain import Claim, FactCheckMatch, Reason, SpeakerKind, SpeakerRef, Stance
from claimcheck.extract.lexicon import CUES
from claimcheck.match.compare import topic_overlap
from claimcheck.match.decide import MISMATCH, Candidate, assess
from claimcheck.match.entailment import EntailmentScorer
from claimcheck.names import name_tokens
from claimcheck.store.factchecks import StoredFactCheck

CANDIDATES = 10  # reviews retrieved per statement and compared
# Chosen on the development part of datasets/claim_matching (scripts/eval_claim_matching.py, a
# grid of 54): precision first, since a review shown as "this claim was checked" must be one. Dev:
# rules P 0.857 R 0.250 (no unconfirmed word allowed: P 0.900 R 0.188; two: P 0.810 R 0.354);
# with the model P 0.760 R 0.396.
BACK = 0.5  # share of the review's content words the statement must have (rules)
ENTAILED = 0.70  # p(entailment) each way for a paraphrase the rules cannot confirm (model)
RULES_UNCONFIRMED = 1  # content words, either way, that the other has in no form (rules)
MODEL_UNCONFIRMED = 3  # content words, either way, the model may read as paraphrased
REFUTED = 0.70  # p(contradiction) either way that keeps a review from matching (model)
# What keeps a review from matching, whatever the words: a slot that disagrees, a claim about
# another moment, a name of the statement the review lacks, another claimant.
BLOCKING = MISMATCH | {"hedged_source", "future_source", "tense_mismatch", "entity_unconfirmed",
                       "speaker_mismatch"}
# The engine's reasons worth showing beside a match.
_SHOWN = frozenset({"text_overlap", "figure_match", "date_match", "speaker_match", "predicate_match",
                    "entity_match"})


def review_claim(stored: StoredFactCheck) -> Claim | None:
    """The review's claim as a source claim: its parse, credited to the review's claimant when
    the claim's own words name nobody ("Unemployment fell ..." by "Mayor X")."""
    parsed = stored.parsed
    claimant = stored.factcheck.claimant
    if parsed is None:
        return None
    if claimant and not (parsed.speaker.name and parsed.speaker.resolved):
        kind = SpeakerKind.ORGANISATION if stored.factcheck.claimant_is_organization else SpeakerKind.PERSON
        parsed = replace(parsed, speaker=SpeakerRef(claimant, kind,
                                                    role=stored.factcheck.claimant_role, resolved=True))
    return parsed


def match(statement: Claim, speaker: str | None, said: str, candidates: Sequence[StoredFactCheck],
          entailment: EntailmentScorer | None = None) -> list[FactCheckMatch]:
    """The candidates that check the statement's claim, best first. ``said``: the statement as the
    desk wrote it (with "X said" when a speaker was given apart), which the model reads."""
    compared = []
    for stored in candidates:
        claim = review_claim(stored)
        if claim is None:
            continue
        evidence = assess(statement, speaker, Candidate(stored.id, claim, None), set(), gate=0.0)
        if evidence is None:
            continue
        codes = {r.code for r in evidence.reasons}
        if codes & BLOCKING:
            continue
        forward = topic_overlap(statement, claim, CUES | (set(name_tokens(speaker)) if speaker else set()))
        backward = topic_overlap(claim, statement, CUES | (set(name_tokens(claim.speaker.name))
                                                           if claim.speaker.name else set()))
        unconfirmed = len(forward.unconfirmed) + len(backward.unconfirmed)
        compared.append((stored, evidence, backward.overlap, unconfirmed))
    if not compared:
        return []
    readings = entailment.score([pair for stored, *_ in compared
                                 for pair in ((stored.factcheck.claim, said), (said, stored.factcheck.claim))]) \
        if entailment is not None else []
    found = []
    for i, (stored, evidence, back, unconfirmed) in enumerate(compared):
        reasons = [r for r in evidence.reasons if r.code in _SHOWN]
        by_rules = evidence.stance is Stance.SUPPORTS and back >= BACK and unconfirmed <= RULES_UNCONFIRMED
        score = evidence.score if by_rules else 0.0
        if readings:
            to_statement, to_review = readings[2 * i], readings[2 * i + 1]
            if max(to_statement.contradiction, to_review.contradiction) >= REFUTED:
                continue  # the model reads them as saying opposite things
            both = min(to_statement.entailment, to_review.entailment)
            reasons.append(Reason("entailed_both_ways" if both >= ENTAILED else "not_entailed",
                                  f"the model reads each as saying the other: p = {to_statement.entailment:.2f} "
                                  f"(review to statement), {to_review.entailment:.2f} (statement to review)"))
            if both >= ENTAILED and unconfirmed <= MODEL_UNCONFIRMED:
                score = max(score, both)
            elif not by_rules:
                continue
        elif not by_rules:
            continue
        if by_rules:
            reasons.append(Reason("same_claim", f"{back:.0%} of the review's claim is in the statement, "
                                                "and no figure, date, name or speaker disagrees"))
        found.append(FactCheckMatch(stored.factcheck, round(score, 3), tuple(reasons)))
    return sorted(found, key=lambda m: (-m.score, m.factcheck.id))
