"""Date expressions: found by spaCy's DATE entities, typed (point, range, duration, weekday) and
resolved against the publication date with python-dateutil.

News convention: an unqualified weekday or month refers to the most recent one on or before the
publication date, unless its clause is in the future tense ("will meet on Friday").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from dateutil import parser as dateparser
from dateutil.relativedelta import relativedelta, weekday
from spacy.tokens import Span, Token

from claimcheck.domain import DateKind, DateMention
from claimcheck.extract.lexicon import TIME_UNITS, WEEKDAYS
from claimcheck.extract.numbers import words_value

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_RE = re.compile(
    r"\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_WEEKDAY_RE = re.compile(r"\b(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?")
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DECADE_RE = re.compile(r"\b(1[89]\d|20\d)0s\b")
_DAY_RE = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b")
_ISO_RE = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")
_UNIT_RE = re.compile(r"\b(" + "|".join(TIME_UNITS) + r")s?\b")
_RELATIVE_PERIOD = re.compile(r"\b(this|last|next|past|previous|coming|current)\s+(week|weekend|month|year|quarter)\b")
_AGO = re.compile(r"^(.*?)\s+(" + "|".join(TIME_UNITS) + r")s?\s+ago$")
_LEADING = re.compile(r"^(?:the|on|in|by|since|until|till|within|over|for|during|of|from|at|"
                      r"another|earlier|later|late|early|mid|as of)\s+")
_FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall"})
_HOLIDAYS = frozenset({"christmas", "easter", "thanksgiving", "ramadan", "eid", "new year",
                       "halloween", "hanukkah", "diwali"})


def dates_in(span: Span, published: date | None, exclude: tuple[int, int] | None = None,
             ents: Iterable[Span] | None = None) -> list[DateMention]:
    """Date mentions whose entity lies in ``span``; ``exclude`` is a char range to skip (the
    "said on Thursday" of a cue belongs to the claim, not to its content). ``ents``: the
    entities in ``span`` when the caller has them (``Span.ents`` builds every entity of the
    whole document on each call)."""
    out = []
    for ent in span.ents if ents is None else ents:
        if ent.label_ != "DATE":
            continue
        if exclude and exclude[0] <= ent.start_char < exclude[1]:
            continue
        if _is_modifier_holiday(ent):
            continue
        out.append(mention(ent, published))
    return out


def _is_modifier_holiday(ent: Span) -> bool:
    """"a Christmas market": a holiday naming a thing, not a date."""
    root = ent.root
    return (root.dep_ in ("compound", "amod") and root.head.i >= ent.end
            and ent.text.lower().strip() in _HOLIDAYS)


def mention(ent: Span, published: date | None) -> DateMention:
    kind, start, end, gran, days, weekday = classify(ent.text, published, _is_future(ent.root))
    return DateMention(text=ent.text, start=ent.start_char, end=ent.end_char, kind=kind,
                       resolved_start=start, resolved_end=end, granularity=gran,
                       duration_days=days, weekday=weekday)


def _is_future(tok: Token) -> bool:
    verb = tok
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    return any(c.lower_ in _FUTURE_AUX for c in verb.children) or verb.lower_ in _FUTURE_AUX


def looks_like_date(text: str) -> bool:
    """Whether text names a time at all; the NER model also tags "between 10 and 20" as DATE."""
    t = text.lower()
    return bool(_MONTH_RE.search(t) or _WEEKDAY_RE.search(t) or _YEAR_RE.search(t)
                or _DECADE_RE.search(t) or _UNIT_RE.search(t) or _ISO_RE.search(t)
                or re.search(r"\b(today|tonight|yesterday|tomorrow|ago)\b", t))


Resolution = tuple[DateKind, date | None, date | None, str | None, float | None, int | None]


def classify(text: str, pub: date | None, future: bool = False) -> Resolution:
    """Type a date expression and resolve it against ``pub`` (None: typed, unresolved)."""
    t = text.lower().strip().strip(".,")
    while True:
        stripped = _LEADING.sub("", t)
        if stripped == t:
            break
        t = stripped
    if m := _WEEKDAY_RE.search(t):
        wd = _weekday_index(m.group(1))
        return (DateKind.WEEKDAY, *_resolve_weekday(wd, t, pub, future), "day", None, wd)
    if t in ("today", "tonight", "yesterday", "tomorrow") or t.startswith(("today", "yesterday")):
        if pub is None:
            return DateKind.POINT, None, None, "day", None, None
        offset = {"yesterday": -1, "tomorrow": 1}.get(t.split()[0], 0)
        d = pub + timedelta(days=offset)
        return DateKind.POINT, d, d, "day", None, None
    if m := _RELATIVE_PERIOD.search(t):
        return (DateKind.RANGE, *_resolve_period(m.group(1), m.group(2), pub), None, None)
    if m := _AGO.match(t):
        n = words_value(m.group(1).split()) or 1.0
        unit = m.group(2)
        if pub is None:
            return DateKind.POINT, None, None, _granularity(unit), None, None
        try:
            d = pub - timedelta(days=n * TIME_UNITS[unit])
        except OverflowError:  # "10,000 years ago": before year 1, not a calendar date
            return DateKind.POINT, None, None, _granularity(unit), None, None
        return DateKind.POINT, d, d, _granularity(unit), None, None
    if m := _ISO_RE.search(t):
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:  # "2019-02-30": shaped like a date, but none
            return DateKind.POINT, None, None, "day", None, None
        return DateKind.POINT, d, d, "day", None, None
    if (m := _DECADE_RE.search(t)) and not _MONTH_RE.search(t):
        y = int(m.group(1)) * 10
        return DateKind.RANGE, date(y, 1, 1), date(y + 9, 12, 31), "decade", None, None
    months = _MONTH_RE.findall(t)
    years = _YEAR_RE.findall(t)
    if len(months) >= 2 or len(years) >= 2:
        return _resolve_range(t, pub, future)
    if months:
        return _resolve_month(t, months[0], years[0] if years else None, pub, future)
    if years:
        y = int(years[0])
        return DateKind.RANGE, date(y, 1, 1), date(y, 12, 31), "year", None, None
    if m := _UNIT_RE.search(t):
        unit = m.group(1)
        prefix = t[: m.start()].replace("-", " ").split()
        if not prefix and t[m.end() - 1] == "s":
            return DateKind.DURATION, None, None, None, None, None  # "hours": of unknown length
        amount = words_value(prefix) if prefix else 1.0
        if amount is not None:
            return DateKind.DURATION, None, None, None, amount * TIME_UNITS[unit], None
        return DateKind.RANGE, None, None, _granularity(unit), None, None
    return DateKind.POINT, None, None, None, None, None


def _weekday_index(prefix: str) -> int:
    return next(i for i, name in enumerate(WEEKDAYS) if name.startswith(prefix[:3]))


def _resolve_weekday(wd: int, t: str, pub: date | None, future: bool) -> tuple[date | None, date | None]:
    if pub is None:
        return None, None
    words = t.split()
    if "next" in words or (future and "last" not in words):
        d = pub + relativedelta(days=1, weekday=weekday(wd)(+1))  # the first one after
    elif "last" in words:
        d = pub + relativedelta(days=-1, weekday=weekday(wd)(-1))  # the last one before
    elif "this" in words:
        d = pub - timedelta(days=pub.weekday()) + timedelta(days=wd)
    else:
        d = pub + relativedelta(weekday=weekday(wd)(-1))  # on or before publication
    return d, d


def _resolve_period(which: str, unit: str, pub: date | None) -> tuple[date | None, date | None, str]:
    gran = "week" if unit == "weekend" else unit
    if pub is None:
        return None, None, gran
    step = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1,
            "coming": 1}[which]
    if unit in ("week", "weekend"):
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
        if unit == "weekend":
            return monday + timedelta(days=5), monday + timedelta(days=6), gran
        return monday, monday + timedelta(days=6), gran
    if unit == "month":
        first = (pub.replace(day=1) + relativedelta(months=step))
        return first, first + relativedelta(months=1, days=-1), gran
    if unit == "quarter":
        q0 = date(pub.year, 3 * ((pub.month - 1) // 3) + 1, 1) + relativedelta(months=3 * step)
        return q0, q0 + relativedelta(months=3, days=-1), gran
    y = pub.year + step
    return date(y, 1, 1), date(y, 12, 31), gran


def _resolve_month(t: str, month: str, year: str | None, pub: date | None, future: bool) -> Resolution:
    m = _MONTHS.index(month[:3]) + 1
    has_day = bool(_DAY_RE.search(_MONTH_RE.sub(" ", _YEAR_RE.sub(" ", t))))
    y = int(year) if year else None
    if y is None and pub is not None:
        y = pub.year
        if not future and (m > pub.month):
            y -= 1
        elif future and m < pub.month:
            y += 1
    if has_day:
        if y is None:
            return DateKind.POINT, None, None, "day", None, None
        try:
            d = dateparser.parse(t, default=datetime(y, m, 1), fuzzy=True).date()
        except (ValueError, OverflowError):
            return DateKind.POINT, None, None, "day", None, None
        return DateKind.POINT, d, d, "day", None, None
    if y is None:
        return DateKind.RANGE, None, None, "month", None, None
    first = date(y, m, 1)
    return DateKind.RANGE, first, first + relativedelta(months=1, days=-1), "month", None, None


def _resolve_range(t: str, pub: date | None, future: bool) -> Resolution:
    """"between March and May", "from 2010 to 2015": resolve both ends."""
    parts = [p for p in re.split(r"\s*(?:-|–|—|\bto\b|\band\b|\bthrough\b|\buntil\b)\s*", t)
             if p.strip()]
    if len(parts) < 2:
        # "2010, 2015", "March/May": no separator to split on, and classifying the same text
        # again would recurse forever.
        return DateKind.RANGE, None, None, "month" if _MONTH_RE.search(t) else "year", None, None
    ends = [classify(p, pub, future) for p in parts]
    starts = [e[1] for e in ends if e[1] is not None]
    finishes = [e[2] for e in ends if e[2] is not None]
    gran = ends[0][3] if ends else None
    if len(starts) >= 2:
        return DateKind.RANGE, min(starts), max(finishes), gran, None, None
    return DateKind.RANGE, None, None, gran, None, None


def _granularity(unit: str) -> str:
    return {"second": "day", "minute": "day", "hour": "day", "night": "day",
            "fortnight": "week"}.get(unit, unit)
