"""From comparisons to a stance per source claim, and from stances to one verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from claimcheck.domain import Claim, Evidence, Figure, FigureKind, Reason, Stance, Verdict, VerdictLabel
from claimcheck.extract.lexicon import CUES
from claimcheck.match.calibration import calibrated
from claimcheck.match.compare import (
    compare_dates,
    compare_figure,
    content_words,
    singular,
    speaker_matches,
    topic_overlap,
)
from claimcheck.match.frames import (
    anchored,
    compare_entities,
    compare_events,
    compare_modality,
    negated_in_source,
    same_verb,
    unconfirmed_predicates,
)
from claimcheck.names import name_tokens

# Share of the statement's content words a claim must have to be about the same thing, and
# the higher share at which it says the same thing without figures or dates to check.
RELATED = 0.5
SAME = 0.75
CONFLICT = 0.7  # contradicting needs more sameness than being related
MIN_WORDS = 2  # content words a statement needs before anything can support or contradict it
MAX_RELATED = 3  # related-only claims shown after the deciding ones
# Words of the statement the source may leave out, in any form, and still support it: one
# ("the ferry sank in a storm" / "the ferry sank in bad weather"), never two ("died in rebel
# mortar fire" / "died in the fighting").
MAX_UNCONFIRMED = 1
# A claim of several clauses is marked by its first; any negation in it may be what a negated
# statement refers to.
_NEGATION = re.compile(r"\b(not|never|no|none|nobody|nothing)\b|n[’']t\b", re.IGNORECASE)


# Reasons that make a claim contradict the statement (given it is about the same thing) ...
MISMATCH = frozenset({"figure_mismatch", "date_mismatch", "negation", "direction_mismatch", "attempt_failed",
                       "place_mismatch", "person_mismatch", "entity_mismatch", "predicate_opposite"})
# ... and reasons that keep a claim from supporting it: the source hedges or speaks of another
# moment, or does not confirm a name, verb or adjective the statement gives.
_NOT_SUPPORTING = frozenset({"hedged_source", "future_source", "tense_mismatch", "entity_unconfirmed",
                             "predicate_unconfirmed"})


@dataclass(frozen=True, slots=True)
class Candidate:
    claim_id: str
    claim: Claim
    speaker_id: str | None


def assess(statement: Claim, speaker: str | None, cand: Candidate, speaker_ids: set[str],
           gate: float = RELATED) -> Evidence | None:
    """The stance of one source claim towards the statement, or None when it is unrelated: when
    it has less than ``gate`` of the statement's content words (the entailment model reads top
    candidates that share fewer, with a gate of 0)."""
    claim = cand.claim
    drop = (set(name_tokens(speaker)) if speaker else set()) | CUES
    if len(content_words(statement, drop)) < MIN_WORDS:
        return None  # "X said it": too little to be about anything in particular
    # Measurement units ("90 days" against "a month") are compared as figures, converted;
    # counted nouns ("rebel fighters") stay topic words.
    drop |= {singular(w) for f in statement.figures if f.kind is not FigureKind.COUNT
             for w in f.text.lower().split()}
    # A count's number words ("one point four million") are the figure's, not the topic's.
    drop |= {w for f in statement.figures if f.kind is FigureKind.COUNT
             for w in _number_words(f)}
    topic = topic_overlap(statement, claim, drop)
    overlap = topic.overlap
    if overlap < gate or overlap == 0:
        return None
    reasons: list[Reason] = [Reason("text_overlap", f"{overlap:.0%} of the statement's words are in the source")]
    if len(topic.unconfirmed) > MAX_UNCONFIRMED:
        reasons.append(Reason("words_unconfirmed", "the source has none of " + ", ".join(
            w.lstrip("@") for w in topic.unconfirmed)))
    outcomes = [compare_figure(f, claim.figures) for f in statement.figures]
    reasons.extend(o.reason for o in outcomes)
    date_reasons = compare_dates(statement, claim)
    reasons.extend(date_reasons)
    # Parsers place a negation on different verbs ("chose not to accept" marks the clause in one
    # parse, the infinitive in another): when both contents say "not", neither denies the other.
    source_negative = bool(_NEGATION.search(claim.content.text))
    both_negative = source_negative and bool(_NEGATION.search(statement.content.text))
    if statement.negated != claim.negated and not both_negative \
            and not (statement.negated and source_negative) and same_verb(statement, claim):
        reasons.append(Reason("negation", "the statement says it "
                              + ("did not happen" if statement.negated else "happened")
                              + "; the source says the opposite"))
    elif (denied := negated_in_source(statement, claim)) is not None:
        reasons.append(denied)
    reasons.extend(compare_events(statement, claim))
    missing = unconfirmed_predicates(statement, claim, drop)
    if missing:
        reasons.append(Reason("predicate_unconfirmed", "the source does not say " + ", ".join(missing)))
    reasons.extend(compare_modality(statement, claim))
    reasons.extend(compare_entities(statement, claim, speaker))
    if speaker:
        if speaker_matches(speaker, claim, speaker_ids, cand.speaker_id):
            reasons.append(Reason("speaker_match", f"said by {claim.speaker.name}"))
        else:
            who = claim.speaker.name or "an unidentified speaker"
            reasons.append(Reason("speaker_mismatch", f"statement credits {speaker}; source credits {who}"))
    codes = {r.code for r in reasons}
    mismatch = bool(codes & MISMATCH)
    figure_ok = all(o.code == "figure_match" for o in outcomes)
    agreement = sum(o.code == "figure_match" for o in outcomes) + ("date_match" in codes)
    # The same event: the same kind of happening, or a figure of the same counted thing. Then a
    # slot that is explicitly incompatible conflicts even when the wording differs.
    same_counted = any(o.source is not None and o.statement.unit and o.source.unit for o in outcomes)
    # (The statement's own speaker saying it anchors it too: "X said he had talked to them"
    # against X's "I haven't talked to them".)
    same_event = same_counted or (bool(codes & {"predicate_match", "direction_mismatch", "predicate_opposite"})
                                  and ("speaker_match" in codes or anchored(statement, claim)))
    # A source that only expects or plans it, or a statement about what will happen against a
    # report of what did, is about another moment: its figures and dates neither confirm nor
    # contradict. A denial ("it may be so" against "it is not so") and a failed attempt do.
    if codes & {"hedged_source", "future_source", "tense_mismatch"}:
        mismatch = bool(codes & {"negation", "attempt_failed"})
    # Without the same event, only the opposite polarity of a claim that shares most of the
    # statement's words conflicts: a figure or a direction there may be another event's.
    if mismatch and ((same_event and overlap >= RELATED) or ("negation" in codes and overlap >= CONFLICT)):
        stance = Stance.CONFLICTS
    elif (figure_ok and not mismatch and not codes & _NOT_SUPPORTING
          and len(topic.unconfirmed) <= MAX_UNCONFIRMED
          and (overlap >= SAME or (agreement and overlap >= RELATED))):
        stance = Stance.SUPPORTS
    else:
        stance = Stance.RELATED
    score = round(min(1.0, overlap * (0.8 + 0.1 * agreement) + (0.1 if mismatch else 0.0)), 3)
    return Evidence(cand.claim_id, claim, stance, score, tuple(reasons), cand.speaker_id)


def _number_words(f: Figure) -> set[str]:
    counted = set((f.unit or "").lower().split())
    return {w for w in f.text.lower().split() if w not in counted and w.isalpha()
            and w not in ("more", "than", "less", "fewer", "about", "some", "least", "most", "nearly", "almost")}


def decide(statement: Claim, speaker: str | None, evidence: list[Evidence], model: bool = False) -> Verdict:
    """One verdict over every assessed claim; deterministic for the same inputs. ``model``: the
    entailment model read the candidates (its verdicts have a confidence table of their own)."""
    evidence = _without_self_contradiction(evidence)
    order = {Stance.SUPPORTS: 0, Stance.CONFLICTS: 0, Stance.RELATED: 1}
    evidence = sorted(evidence, key=lambda e: (order[e.stance], -e.score, e.claim_id))
    deciding = [e for e in evidence if e.stance is not Stance.RELATED]
    evidence = deciding + [e for e in evidence if e.stance is Stance.RELATED][:MAX_RELATED]
    supports = [e for e in evidence if e.stance is Stance.SUPPORTS]
    conflicts = [e for e in evidence if e.stance is Stance.CONFLICTS]
    if speaker:
        # What the named speaker said decides; others' support makes it a misattribution.
        own = lambda es: [e for e in es if any(r.code == "speaker_match" for r in e.reasons)]  # noqa: E731
        label, basis = _label(own(supports), own(conflicts))
        if label is VerdictLabel.NOT_ENOUGH_INFO and supports:
            label, basis = VerdictLabel.MISATTRIBUTED, supports
        elif label is VerdictLabel.NOT_ENOUGH_INFO and conflicts:
            label, basis = VerdictLabel.CONFLICTING, conflicts
    else:
        label, basis = _label(supports, conflicts)
    if label is VerdictLabel.DISPUTED:
        # As sure as the weaker side is strong.
        strength = min(max(e.score for e in basis if e.stance is stance)
                       for stance in (Stance.SUPPORTS, Stance.CONFLICTS))
    elif basis:
        strength = max(e.score for e in basis)
    else:
        best = max((e.score for e in evidence), default=0.0)
        strength = 1.0 - 0.5 * best  # related material makes "nothing decides it" less sure
    # Best first: what decided the verdict, then other supporting or conflicting claims, then
    # related ones.
    basis_ids = {e.claim_id for e in basis}
    ordered = [e for e in evidence if e.claim_id in basis_ids] + [e for e in evidence if e.claim_id not in basis_ids]
    return Verdict(label, calibrated(label, strength, model), tuple(ordered), statement, round(strength, 3))


def _label(supports: list[Evidence], conflicts: list[Evidence]) -> tuple[VerdictLabel, list[Evidence]]:
    if supports and conflicts:
        return VerdictLabel.DISPUTED, supports + conflicts
    if conflicts:
        return VerdictLabel.CONFLICTING, conflicts
    if supports:
        return VerdictLabel.SUPPORTED, supports
    return VerdictLabel.NOT_ENOUGH_INFO, []


def _without_self_contradiction(evidence: list[Evidence]) -> list[Evidence]:
    """An article rarely contradicts itself: a conflicting claim that scores below a supporting
    claim of the same document is about something else there (last year's profit, another
    order), so it is only related."""
    best_support: dict[str, float] = {}
    for e in evidence:
        if e.stance is Stance.SUPPORTS:
            doc = e.claim.document_id
            best_support[doc] = max(best_support.get(doc, 0.0), e.score)
    return [replace(e, stance=Stance.RELATED)
            if e.stance is Stance.CONFLICTS and e.score <= best_support.get(e.claim.document_id, -1.0)
            else e for e in evidence]
