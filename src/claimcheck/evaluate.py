"""Attribution quality against human annotations (PolNeAR-style ``*.attributions.json``).

A predicted claim and a gold attribution pair up when their content spans overlap and their
speakers agree: the predicted mention overlaps the gold source span, or a word of the predicted
speaker's name appears in the gold source text. Scores are over (speaker, content) pairs:
recall over gold attributions whose source names someone, precision over predicted claims that
credit a named speaker (not the narrator, not an unresolved pronoun).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from claimcheck.domain import AttributionKind, Claim, Extraction

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

    @property
    def named(self) -> bool:
        return any(w[0].isupper() and w.lower() not in _UNNAMED for w in _WORD.findall(self.source_text))


@dataclass(slots=True)
class Score:
    gold_named: int = 0
    gold_found: int = 0
    predicted: int = 0
    predicted_correct: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold_named if self.gold_named else 0.0

    @property
    def precision(self) -> float:
        return self.predicted_correct / self.predicted if self.predicted else 0.0

    def add(self, other: Score) -> None:
        self.gold_named += other.gold_named
        self.gold_found += other.gold_found
        self.predicted += other.predicted
        self.predicted_correct += other.predicted_correct
        self.misses.extend(other.misses)
        self.false_alarms.extend(other.false_alarms)


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


def score(extraction: Extraction, gold: list[Gold]) -> Score:
    text = extraction.document.text
    predicted = [c for c in extraction.claims
                 if c.kind is not AttributionKind.NARRATOR and c.speaker.name and c.speaker.resolved]
    result = Score(predicted=len(predicted))
    for claim in predicted:
        if any(_pairs(claim, g) for g in gold):
            result.predicted_correct += 1
        else:
            result.false_alarms.append(f"{claim.speaker.name}: {claim.content.text[:90]}")
    for g in gold:
        if not g.named:
            continue
        result.gold_named += 1
        if any(_pairs(c, g) for c in predicted):
            result.gold_found += 1
        else:
            s, e = g.content[0]
            result.misses.append(f"{g.source_text}: {text[s:e][:90]}")
    return result
