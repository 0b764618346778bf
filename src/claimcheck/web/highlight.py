"""Cutting a text at span offsets into segments for the desk's pages to highlight.

Pure functions over plain values: no HTML here. The templates escape every segment's text
themselves, so article text is never marked safe; this module only decides where the cuts go.

The rule for spans that overlap (they do: a claim inside a longer one, a figure that is also a
date) is fixed so that the HTML always nests:

- two layers: *outer* marks (claims, evidence) and *inner* marks (figures, dates) inside them;
- within a layer, marks are placed by rank (lower first), then the one that starts first (the
  longer one on a tie, then the one given first); each is drawn on the first stretch of its span
  that no placed mark covers, so a mark crossing the end of an earlier one is cut to the part
  after it, and one with no free stretch at all (wholly inside another) is not drawn but listed
  in the ``hidden`` of the mark covering its start (its anchor goes there);
- an inner mark is drawn only wholly inside one drawn outer segment; otherwise it is dropped;
- marks are clipped to the window shown, and empty or inverted ones are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

# Where a sentence ends: its closing punctuation, possibly followed by closing quotes/brackets.
_CLOSERS = "\"'”’)]»"
_ENDS = ".!?"


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    kind: str  # claim, evidence, speaker, figure, date: the template's CSS class
    key: str = ""  # a claim id, for its anchor
    label: str = ""  # who said it, for the visible label and the tooltip
    rank: int = 0  # lower ranks are placed first (an attributed claim before the narration around it)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    start: int
    end: int
    mark: Mark | None = None  # None: plain text
    parts: tuple[Segment, ...] = ()  # an outer mark's text cut at its inner marks
    hidden: tuple[Mark, ...] = ()  # marks of the same layer wholly inside this one


def _clip(marks: Iterable[Mark], lo: int, hi: int) -> list[Mark]:
    out = []
    for m in marks:
        start, end = max(m.start, lo), min(m.end, hi)
        if start < end:
            out.append(replace(m, start=start, end=end))
    return out


def _layout(marks: Sequence[Mark]) -> list[tuple[Mark, list[Mark]]]:
    """Non-overlapping marks by the rule above, each with the marks it hides; in text order."""
    ordered = sorted(enumerate(marks), key=lambda im: (im[1].rank, im[1].start, -im[1].end, im[0]))
    placed: list[tuple[Mark, list[Mark]]] = []  # kept in text order
    for _, m in ordered:
        start, end = m.start, None
        for p, _hidden in placed:
            if p.end <= start:
                continue
            if p.start >= m.end:
                break
            if p.start > start:  # a free stretch before the next placed mark
                end = p.start
                break
            start = p.end
        if end is None and start < m.end:
            end = m.end
        if end is None:  # no free stretch: hidden in the mark that covers its start
            next(h for p, h in placed if p.start <= m.start < p.end).append(m)
            continue
        placed.append((replace(m, start=start, end=end), []))
        placed.sort(key=lambda ph: ph[0].start)
    return placed


def _cut(text: str, lo: int, hi: int, marks: Sequence[Mark],
         inner: Sequence[Mark] = ()) -> list[Segment]:
    out: list[Segment] = []
    pos = lo
    for m, hidden in _layout(marks):
        if m.start > pos:
            out.append(Segment(text[pos:m.start], pos, m.start))
        parts = tuple(_cut(text, m.start, m.end, [i for i in inner if m.start <= i.start and i.end <= m.end]))
        out.append(Segment(text[m.start:m.end], m.start, m.end, m, parts, tuple(hidden)))
        pos = m.end
    if pos < hi:
        out.append(Segment(text[pos:hi], pos, hi))
    return out


def segments(text: str, outer: Iterable[Mark], inner: Iterable[Mark] = (),
             lo: int = 0, hi: int | None = None) -> list[Segment]:
    """``text[lo:hi]`` cut at the marks: the segments' texts join to exactly ``text[lo:hi]``,
    and each drawn outer segment's ``parts`` join to exactly its own text."""
    hi = len(text) if hi is None else max(0, min(hi, len(text)))
    lo = max(0, min(lo, hi))
    return _cut(text, lo, hi, _clip(outer, lo, hi), _clip(inner, lo, hi))


def sentence_bounds(text: str, start: int, end: int, limit: int = 300) -> tuple[int, int]:
    """The sentence(s) around ``text[start:end]``: back to the end of the previous sentence (or a
    line break) and on to the end of the last one, each side at most ``limit`` characters
    further, cut at a space when the limit is reached."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    floor = max(0, start - limit)
    lo = start
    while lo > floor:
        before = text[lo - 1]
        if before == "\n":
            break
        if before.isspace() and _ends_sentence(text, lo - 1):
            break
        lo -= 1
    if lo == floor and floor > 0:
        space = text.find(" ", floor, start)
        lo = space + 1 if space != -1 else start
    ceiling = min(len(text), end + limit)
    hi = end
    while hi < ceiling:
        if text[hi] == "\n":
            break
        if text[hi] in _ENDS:
            hi += 1
            while hi < ceiling and text[hi] in _CLOSERS:
                hi += 1
            if hi >= len(text) or text[hi].isspace():
                break
            continue
        hi += 1
    if hi == ceiling and ceiling < len(text) and text[hi - 1] not in _ENDS + _CLOSERS:
        space = text.rfind(" ", end, ceiling)
        hi = space if space != -1 else end
    while lo < start and text[lo].isspace():  # no leading blank line
        lo += 1
    return lo, hi


def _ends_sentence(text: str, space: int) -> bool:
    """Whether the characters just before the space at ``space`` close a sentence."""
    i = space
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in _ENDS
