"""Attribution quality against human annotations (PolNeAR-style ``*.attributions.json``).

A predicted claim and a gold attribution pair up when their content spans overlap and their
speakers agree: the predicted mention overlaps the gold source span, or a word of the predicted
speaker's name appears in the gold source text. Scores are over (speaker, content) pairs:

- recall over gold attributions whose source names someone ("named"), and over all that have a
  source ("all": pronouns and descriptions too), each also by the kind of the annotated cue
  (speech, belief, according to, other: acts, plans, votes, stances, none);
- precision over predicted claims that credit a named speaker (not the narrator, not an
  unresolved pronoun), and over every predicted attribution (any non-narrator claim).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from claimcheck.domain import AttributionKind, Claim, Extraction
from claimcheck.extract.lexicon import BELIEF_CUES, SPEECH_ACT_CUES, SPEECH_CUES, SPEECH_NOUNS

_UNNAMED = frozenset(
    "the a an he she they it we i his her their its this that these those who one some many "
    "mr mr. mrs ms dr".split()
)
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")


@dataclass(frozen=True, slots=True)
class Gold:
    source: tuple[tuple[int, int], ...]
    source_text: str
    content: tuple[tuple[int, int], ...]
    cue: str = ""  # the annotated cue's words ("said on Monday", "according to")

    @property
    def named(self) -> bool:
        return any(w[0].isupper() and w.lower() not in _UNNAMED for w in _WORD.findall(self.source_text))


# Why a gold attribution was missed, for the per-style counts (the first that applies):
MISS_STYLES = ("pronoun", "previous_sentence", "span_boundary", "organisation", "cue_style")
_PRONOUNS = frozenset("he she they i we it you his her their its our my".split())
_ORG_WORDS = frozenset(
    "agency ministry government company campaign committee council department office party police "
    "officials official administration court board commission bureau coalition group association "
    "union house senate congress pentagon white nations council poll survey report memo statement "
    "study network news times post journal press lawmakers critics leaders republicans democrats "
    "experts analysts voters members scholars americans people residents witnesses".split()
)


_QUOTING_MARKS = frozenset(':"“”')
CUE_KINDS = ("speech", "belief", "according to", "other")


def cue_kind(lemmas: Iterable[str]) -> str:
    """The kind of an annotated cue from its words' lemmas: "according to"; speech (verbs of
    saying and their nouns, the speech acts that carry content: accuse, urge, deny..., and a
    colon or quotation mark as the only cue);
    belief (believe, expect, be convinced...); anything else (acts, plans, votes, stances,
    no cue) is "other", not a target."""
    words = {w.lower() for w in lemmas}
    if words and words <= _QUOTING_MARKS:
        return "speech"  # "Smith: ...", a transcript's turn or a headline's quote
    if "accord" in words or "according" in words:
        return "according to"
    if words & (SPEECH_CUES | SPEECH_ACT_CUES | SPEECH_NOUNS):
        return "speech"
    if words & BELIEF_CUES:
        return "belief"
    return "other"


@dataclass(slots=True)
class Score:
    gold_named: int = 0
    gold_found: int = 0
    predicted: int = 0
    predicted_correct: int = 0
    gold_all: int = 0  # with any source, named or not
    gold_all_found: int = 0
    predicted_all: int = 0  # every non-narrator claim
    predicted_all_correct: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    miss_styles: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MISS_STYLES, 0))
    # Per kind of annotated cue (see ``score``'s ``cue_kind``): [found, named, found, all].
    by_cue: dict[str, list[int]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold_named if self.gold_named else 0.0

    @property
    def precision(self) -> float:
        return self.predicted_correct / self.predicted if self.predicted else 0.0

    @property
    def recall_all(self) -> float:
        return self.gold_all_found / self.gold_all if self.gold_all else 0.0

    @property
    def precision_all(self) -> float:
        return self.predicted_all_correct / self.predicted_all if self.predicted_all else 0.0

    def recall_of(self, kind: str, named: bool = True) -> tuple[int, int]:
        """(found, total) gold attributions of one cue kind, named sources or all."""
        counts = self.by_cue.get(kind, [0, 0, 0, 0])
        return (counts[0], counts[1]) if named else (counts[2], counts[3])

    def add(self, other: Score) -> None:
        self.gold_named += other.gold_named
        self.gold_found += other.gold_found
        self.predicted += other.predicted
        self.predicted_correct += other.predicted_correct
        self.gold_all += other.gold_all
        self.gold_all_found += other.gold_all_found
        self.predicted_all += other.predicted_all
        self.predicted_all_correct += other.predicted_all_correct
        self.misses.extend(other.misses)
        self.false_alarms.extend(other.false_alarms)
        for k, v in other.miss_styles.items():
            self.miss_styles[k] = self.miss_styles.get(k, 0) + v
        for k, counts in other.by_cue.items():
            mine = self.by_cue.setdefault(k, [0, 0, 0, 0])
            for i, n in enumerate(counts):
                mine[i] += n


def read_gold(path: Path) -> list[Gold]:
    data = json.loads(path.read_text("utf-8"))
    out = []
    for annotation in data["annotations"]:
        for attr in annotation["attributions"]:
            if attr.get("type") != "Attribution" or not attr.get("source") or not attr.get("content"):
                continue
            out.append(Gold(
                source=tuple((s["start"], s["end"]) for s in attr["source"]),
                source_text=" ".join(s["text"] for s in attr["source"]),
                content=tuple((s["start"], s["end"]) for s in attr["content"]),
                cue=" ".join(s["text"] for s in attr.get("cue") or []),
            ))
    return out


def _overlaps(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> bool:
    b = list(b)
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _speaker_words(claim: Claim) -> set[str]:
    sp = claim.speaker
    text = " ".join(x for x in (sp.name, sp.mention.text if sp.mention else None) if x)
    return {w.lower().strip(".’'") for w in _WORD.findall(text) if w.lower() not in _UNNAMED}


def _pairs(claim: Claim, gold: Gold) -> bool:
    if not _overlaps([(claim.content.start, claim.content.end)], gold.content):
        return False
    sp = claim.speaker
    if sp.mention is not None and _overlaps([(sp.mention.start, sp.mention.end)], gold.source):
        return True
    gold_words = {w.lower().strip(".’'") for w in _WORD.findall(gold.source_text)}
    return bool(_speaker_words(claim) & gold_words)


def score(extraction: Extraction, gold: list[Gold], cue_kind: Callable[[str], str] | None = None) -> Score:
    """How well ``extraction`` finds ``gold``; with ``cue_kind`` (the annotated cue's words to
    its kind), recall also per kind of cue."""
    text = extraction.document.text
    attributed = [c for c in extraction.claims if c.kind is not AttributionKind.NARRATOR]
    predicted = [c for c in attributed if c.speaker.name and c.speaker.resolved]
    result = Score(predicted=len(predicted), predicted_all=len(attributed))
    for claim in attributed:
        correct = any(_pairs(claim, g) for g in gold)
        result.predicted_all_correct += correct
        named = bool(claim.speaker.name and claim.speaker.resolved)
        result.predicted_correct += correct and named
        if not correct:
            who = claim.speaker.name if named else f"({claim.speaker.mention.text if claim.speaker.mention else '?'})"
            result.false_alarms.append(f"{who} | {claim.cue.text if claim.cue else ''} | {claim.content.text[:90]}")
    for g in gold:
        found = any(_pairs(c, g) for c in attributed)
        kind = cue_kind(g.cue) if cue_kind is not None else "other"
        counts = result.by_cue.setdefault(kind, [0, 0, 0, 0])
        counts[2] += found
        counts[3] += 1
        result.gold_all += 1
        result.gold_all_found += found
        if not g.named:
            continue
        found = any(_pairs(c, g) for c in predicted)
        counts[0] += found
        counts[1] += 1
        result.gold_named += 1
        if found:
            result.gold_found += 1
        else:
            s, e = g.content[0]
            style = miss_style(g, text, extraction.claims)
            result.miss_styles[style] += 1
            result.misses.append(f"[{kind}/{style}] {g.source_text} | {g.cue} | {text[s:e][:110]}")
    return result


def miss_style(gold: Gold, text: str, claims: Iterable[Claim]) -> str:
    """Which kind of attribution a missed gold one is: its source a pronoun; its source in an
    earlier sentence than its content; its content found for the right speaker but with other
    bounds (a claim of that speaker in the same paragraph); its source an organisation or a
    group; otherwise a cue style the extractor does not read."""
    words = [w.lower() for w in _WORD.findall(gold.source_text)]
    if words and all(w in _PRONOUNS for w in words):
        return "pronoun"
    source_end = max(e for _, e in gold.source)
    content_start = min(s for s, _ in gold.content)
    if source_end <= content_start and re.search(r"[.!?][\"”’']?\s|\n", text[source_end:content_start]):
        return "previous_sentence"
    para_start = text.rfind("\n", 0, content_start) + 1
    para_end = text.find("\n", content_start)
    para_end = len(text) if para_end < 0 else para_end
    gold_words = {w.strip(".’'") for w in words}
    for c in claims:
        if c.kind is not AttributionKind.NARRATOR and para_start <= c.content.start < para_end \
                and _speaker_words(c) & gold_words:
            return "span_boundary"
    if gold_words & _ORG_WORDS or re.fullmatch(r"(the )?[A-Z.]{2,6}(['’]s)?", gold.source_text.strip()):
        return "organisation"
    return "cue_style"
