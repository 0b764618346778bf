"""Quotation spans in raw text: pure string functions, no spaCy.

Handles curly (“ ” ‘ ’), straight (" '), doubled (``''...''``, as the NYT archive writes them),
LaTeX-style (````...''``) and guillemet marks. A quote may run over several paragraphs: by news
convention the paragraph it continues into opens with the same mark again. An opening mark with no
closing one ends at its paragraph's end (``closed=False``) instead of swallowing the article.
"""

from __future__ import annotations

from dataclasses import dataclass

# Longest marks first so that ``''`` is not read as two single quotes.
# Writers (and their editors' software) mix straight and curly marks of one family: “...", "...”.
PAIRS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("''", ("''",)),
    ("``", ("''",)),
    ("“", ("”", '"')),
    ("«", ("»",)),
    ("‘", ("’", "'")),
    ('"', ('"', "”")),
    ("'", ("'", "’")),
)
_CLOSERS = dict(PAIRS)
_APOSTROPHES = frozenset({"’", "'"})
# Characters after which an opening mark may stand.
_BEFORE_OPEN = frozenset(" \t\n\r([{—–-/:;,\"“‘")
MAX_PARAGRAPHS = 12  # a quote continuing further than this is taken to be unbalanced


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # at the opening mark
    end: int  # after the closing mark (paragraph end when unclosed)
    inner_start: int
    inner_end: int
    closed: bool = True


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line in ``text[start:end]``, trailing whitespace excluded."""
    end = len(text) if end is None else end
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        s, e = pos, line_end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
        pos = line_end + 1
    return out


def _opener_at(text: str, i: int) -> str | None:
    for mark, _ in PAIRS:
        if not text.startswith(mark, i):
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(mark)] if i + len(mark) < len(text) else " "
        if mark in ("“", "«", "``"):
            return mark if not after.isspace() else None
        if before not in _BEFORE_OPEN or after.isspace():
            return None
        if mark in ("‘", "'") and text[i + 1 : i + 4].rstrip("s").isdigit():
            return None  # '90s
        if mark == "'" and not (after.isalnum() or after in "‘“\"$£€"):
            return None
        if mark in ("‘", "'") and text[i + 1 : i + 3] in ("s ", "s,", "s."):
            return None  # a possessive split from its noun: "Acme 's"
        return mark
    return None


def _is_closer(text: str, p: int, closer: str) -> bool:
    if p == 0 or text[p - 1].isspace():
        return False
    after = text[p + len(closer)] if p + len(closer) < len(text) else " "
    if closer == "''":
        return after != "'"
    if closer in _APOSTROPHES:
        if after.isalnum():
            return False  # contraction: won’t, it's
        # Plural possessive ("the rebels’ largest town"), not the end of a quote.
        nxt = text[p + 2] if p + 2 < len(text) else ""
        if text[p - 1] == "s" and after == " " and (nxt.islower() or nxt.isdigit()):
            return False
        return True
    if closer == '"':
        return not after.isalnum()
    return True


# (closer, end) -> (searched from, first closer at or after that, or -1): whether a mark closes
# depends on the text alone, so a later search from a start not past that answer has the same
# answer. Without this, a paragraph of many quotes rescanned its rest for every quote, looking
# for the other mark of the pair ("..." with a curly closer nowhere): quadratic.
_Seen = dict[tuple[str, int], tuple[int, int]]


def _find_closer(text: str, start: int, end: int, closers: tuple[str, ...],
                 seen: _Seen | None = None) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for closer in closers:
        known = seen.get((closer, end)) if seen is not None else None
        if known is not None and known[0] <= start and (known[1] == -1 or known[1] >= start):
            p = known[1]
        else:
            p = text.find(closer, start, end)
            while p != -1 and not _is_closer(text, p, closer):
                p = text.find(closer, p + 1, end)
            if seen is not None:
                seen[(closer, end)] = (start, p)
        if p != -1 and (best is None or p < best[0]):
            best = (p, closer)
    return best


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[Quote]:
    """Every top-level quotation in ``text[start:end]``, in order. Nested marks stay inside."""
    paras = paragraphs(text, start, end)
    quotes: list[Quote] = []
    seen: _Seen = {}
    pi = 0
    while pi < len(paras):
        pos, p_end = paras[pi]
        while pos < p_end:
            mark = _opener_at(text, pos)
            if mark is None:
                pos += 1
                continue
            closers = _CLOSERS[mark]
            inner_start = pos + len(mark)
            found = _find_closer(text, inner_start, p_end, closers, seen)
            cur = pi
            while found is None and cur + 1 < len(paras) and cur + 1 - pi < MAX_PARAGRAPHS:
                nxt_start, nxt_end = paras[cur + 1]
                if not text.startswith(mark, nxt_start):
                    break
                cur += 1
                found = _find_closer(text, nxt_start + len(mark), nxt_end, closers, seen)
            if found is None:
                # Unbalanced mark: the quote ends with its own paragraph.
                quotes.append(Quote(pos, p_end, inner_start, p_end, closed=False))
                break
            close_at, closer = found
            quotes.append(Quote(pos, close_at + len(closer), inner_start, close_at))
            if cur != pi:
                pi = cur
                p_end = paras[pi][1]
            pos = close_at + len(closer)
        pi += 1
    return quotes
