"""The entailment model's say in a verdict: which candidates it reads, and how its probabilities
change the stance the rules gave.

The rules read the slots (figures, dates, names, speaker, modality) and say why; they cannot tell
that "fenced off the square" says "closed off the square", or that "walked away bruised" denies
"was killed". The model reads the wording. Neither decides alone:

- a source **supports** when no slot is inconsistent (no mismatch, no hedge or other moment, no
  name of the statement missing around it) and the model reads it as entailing the statement:
  with ``ENTAILED`` where the rules could not confirm the wording themselves, and with at least
  ``KEEP`` where they could (a support the model doubts is only related);
- a source **conflicts** on a slot mismatch of the same event, as before, or when the model reads
  it as contradicting (``CONTRADICTED``) a statement about the same participants (a name, a
  figure of the same counted thing, or the same speaker anchors it), and the source does not only
  hedge or speak of another moment, lacks none of the statement's names, and is the statement's
  speaker when it names one;
- otherwise it is related, and shown only when it shares enough words or the model finds it
  entailing or contradicting at least ``SHOWN``.

Each scored candidate carries one reason with the three probabilities, so a reader sees why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from claimcheck.domain import Claim, Evidence, Reason, Stance
from claimcheck.match.decide import MISMATCH
from claimcheck.match.entailment import Entailment, EntailmentScorer
from claimcheck.match.frames import anchored

CANDIDATES = 5  # candidates the model reads per statement, in one call
# Chosen on the development verdicts only (scripts/tune_judge.py, a grid of 48). With the rules
# and scoring as shipped, dev gives accuracy 0.664 against 0.660 for the rules alone, precision
# of `supported` 0.927 against 0.911, recall of `conflicting` 0.625 against 0.528 (held out:
# docs/accuracy.md). A stricter KEEP (0.5) vetoed true supports of the rules.
ENTAILED = 0.80  # p(entailment) for support where the rules could not confirm the wording
KEEP = 0.20  # p(entailment) a support of the rules needs to stand
CONTRADICTED = 0.60  # p(contradiction) for a conflict the rules did not see
SHOWN = 0.50  # p(entailment or contradiction) that shows a candidate sharing few words
SHOWN_NEAR = 2  # candidates sharing few words shown, as related, when nothing else is

# Reasons the model may not override: an explicit slot mismatch or a source about another
# moment keeps a source from supporting, whatever the wording; so does a name of the statement
# that the source does not have around it (the model reads two sentences, not the article).
_OTHER_MOMENT = frozenset({"hedged_source", "future_source", "tense_mismatch"})
_NO_SUPPORT = MISMATCH | _OTHER_MOMENT | {"entity_unconfirmed"}
# A contradiction only the model sees is weaker evidence than a slot mismatch: not from a source
# about another moment, nor one that lacks a name the statement gives (another event: "the
# carmaker cut 2,000 jobs" against "the army cut 2,000 posts"), nor another speaker's words when the statement
# names whose they are. (Measured on the development verdicts: these made most of the model's
# false conflicts.)
_NO_MODEL_CONFLICT = _OTHER_MOMENT | {"entity_unconfirmed", "speaker_mismatch"}
# What anchors a contradiction to the same participants besides a shared name.
_ANCHORS = frozenset({"figure_match", "figure_mismatch", "speaker_match"})


def premise(claim: Claim) -> str:
    """What the model reads of a source claim: what it says (its speaker is the rules' to check)."""
    return claim.content.text


def sentence(claim: Claim, text: str, limit: int = 400) -> str:
    """The sentence a claim stands in, from its document's text: from the stop before the
    earliest of its spans (content, cue, speaker as written) to the stop after the last, at most
    ``limit`` characters either way."""
    spans = [s for s in (claim.content, claim.cue, claim.speaker.mention) if s is not None]
    start, end = min(s.start for s in spans), max(s.end for s in spans)
    if end > len(text) or text[claim.content.start:claim.content.end] != claim.content.text:
        return claim.content.text  # not this claim's document as stored
    lo = start
    while lo > max(0, start - limit) and not _stop_before(text, lo):
        lo -= 1
    hi = end
    while hi < min(len(text), end + limit) and not _stop_before(text, hi):
        hi += 1
    return text[lo:hi].strip()


def hypothesis(statement: Claim) -> str:
    """What the model reads of the statement: what it asserts, without "X said"."""
    return statement.content.text


def reason(p: Entailment) -> Reason:
    code = {"entailment": "entailed", "contradiction": "contradicted", "neutral": "not_entailed"}[p.label]
    says = {"entailed": "the model reads the source as saying the statement",
            "contradicted": "the model reads the source as saying the opposite",
            "not_entailed": "the model reads the source as neither saying nor denying it"}[code]
    return Reason(code, f"{says} (entailment {p.entailment:.2f}, neutral {p.neutral:.2f}, "
                        f"contradiction {p.contradiction:.2f})")


def judged(statement: Claim, evidence: Evidence, p: Entailment, near: bool = False) -> Evidence | None:
    """The stance of one candidate with the model's reading of it. ``near``: the candidate shares
    too few of the statement's words for the rules to relate it; it is kept only when the model
    finds it entailing or contradicting."""
    codes = {r.code for r in evidence.reasons}
    stance = evidence.stance
    if stance is Stance.SUPPORTS and p.entailment < KEEP:
        stance = Stance.RELATED
    elif stance is Stance.RELATED:
        if p.entailment >= ENTAILED and not codes & _NO_SUPPORT:
            stance = Stance.SUPPORTS
        elif p.contradiction >= CONTRADICTED and not codes & _NO_MODEL_CONFLICT \
                and (codes & _ANCHORS or anchored(statement, evidence.claim)):
            stance = Stance.CONFLICTS
    if near and stance is Stance.RELATED and max(p.entailment, p.contradiction) < SHOWN:
        return None
    score = evidence.score
    if stance is Stance.SUPPORTS:
        score = max(score, round(p.entailment, 3))
    elif stance is Stance.CONFLICTS:
        score = max(score, round(p.contradiction, 3))
    return replace(evidence, stance=stance, score=score, reasons=(*evidence.reasons, reason(p)))


def _stop_before(text: str, i: int) -> bool:
    """Whether a sentence ends just before ``i``: a line break, or a stop (and any closing quote)
    followed by a space."""
    if text[i - 1] == "\n":
        return True
    j = i - 1 if text[i - 1] not in _CLOSING or i < 2 else i - 2
    return text[j] in ".!?" and (i == len(text) or text[i].isspace())


_CLOSING = "\"'”’»)"


def with_model(statement: Claim, related: list[Evidence], near: list[Evidence],
               scorer: EntailmentScorer, text_of: Callable[[str], str | None] | None = None,
               said: str | None = None) -> list[Evidence]:
    """Every candidate's evidence with the model's reading of the best ``CANDIDATES`` of them
    (``related``: candidates the rules relate to the statement; ``near``: top search hits that
    share fewer words), scored in one call. Near candidates the model does not read, or finds
    neither entailing nor contradicting, are dropped.

    The model reads ``said`` (the statement as written) against the sentence each candidate
    stands in (``text_of`` gives a document's text), as in the pairs it was trained on: measured
    on the development verdicts, that beat the contents alone (precision of `supported` 0.941
    against 0.868). Without them, it reads the contents."""
    pool = sorted([(e, False) for e in related] + [(e, True) for e in near],
                  key=lambda item: (-item[0].score, item[1], item[0].claim_id))
    chosen = pool[:CANDIDATES]
    if not chosen:
        return []

    def read(claim: Claim) -> str:
        text = text_of(claim.document_id) if text_of is not None else None
        return sentence(claim, text) if text else premise(claim)

    claim_text = said if said is not None and text_of is not None else hypothesis(statement)
    probs = scorer.score([(read(e.claim), claim_text) for e, _ in chosen])
    judgements = [(judged(statement, e, p, is_near), e, p) for (e, is_near), p in zip(chosen, probs, strict=True)]
    out = [j for j, _, _ in judgements if j is not None]
    out += [e for e, is_near in pool[CANDIDATES:] if not is_near]
    if not out:
        # Nothing shares enough words and the model reads nothing as deciding: still show the
        # closest it read, as related, rather than no evidence at all.
        out = [judged(statement, e, p) or e for j, e, p in judgements][:SHOWN_NEAR]
    return out
