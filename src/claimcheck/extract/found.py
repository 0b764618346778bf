"""What the attribution passes find, before speakers are resolved: character ranges into the
document, and the lookups and helpers every pass shares."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from claimcheck.domain import AttributionKind
from claimcheck.extract.quotes import paragraphs
from claimcheck.extract.speakers import Mention

TRIM = " \t\r\n,;:.—–-"


@dataclass(frozen=True, slots=True)
class Found:
    """One attribution before speaker resolution: character ranges into the document text."""

    kind: AttributionKind
    content: tuple[int, int]
    paragraph: int
    mention: Mention | None = None  # None: the narrator, or a quote continuing the previous one
    cue: tuple[int, int] | None = None
    said_on: Span | None = None  # a DATE entity attached to the cue
    negated: bool = False
    continues: bool = False  # an unattributed quote that continues the previous speaker's words
    believed: bool = False  # a belief cue ("thinks", "is convinced"): the speaker holds it, not says it


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip surrounding whitespace and clause punctuation; keep ?, ! and closing brackets."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


class DocIndex:
    """Character offset -> token and paragraph lookups for one document."""

    def __init__(self, doc: Doc, start: int, end: int | None) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token: compute it once
        self.end = len(self.text) if end is None else end
        self.starts = [t.idx for t in doc]
        self.paras = paragraphs(self.text, start, self.end)
        self.para_starts = [p[0] for p in self.paras]

    def token_at(self, char: int) -> int:
        """Index of the first token starting at or after ``char``."""
        return bisect.bisect_left(self.starts, char)

    def paragraph(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

    def tokens(self, start: int, end: int) -> Span:
        return self.doc[self.token_at(start) : self.token_at(end)]


def quote_negated(index: DocIndex, content: tuple[int, int]) -> bool:
    """Whether a quote's own main clause is negated ("I haven't talked to them")."""
    span = index.tokens(*content)
    return len(span) > 0 and content_negated(span)


def content_negated(span: Span) -> bool:
    """Whether the main clause of ``span`` is negated ("did not", "won't", "never")."""
    roots = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head == t]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")] or roots
    return bool(verbs) and any(c.dep_ == "neg" for c in verbs[0].children)
