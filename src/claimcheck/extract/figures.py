"""Figures in a span of a parsed document: one left-to-right pass over its tokens.

Each figure is an anchor value plus the interval its qualifier maps it to ("at least 900" ->
[900, inf), "some 2,000" -> [1800, 2200], "hundreds of" -> [200, 1000)), and the counted noun or
unit it is a figure of, read off the dependency parse ("40 rebel fighters" -> "rebel fighters").
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from claimcheck.domain import Figure, FigureKind
from claimcheck.extract.dates import looks_like_date
from claimcheck.extract.entities import entity_at
from claimcheck.extract.lexicon import TIME_UNITS
from claimcheck.extract.numbers import (
    DENOMINATORS,
    MULTIPLIERS,
    SCALES,
    TIMES_WORDS,
    VAGUE,
    digits_value,
    ordinal_value,
    out_of_range,
    sane,
    words_value,
)

ABOUT = 0.1  # "about 900" admits 810..990
TIMES = "times"  # the unit of a multiple: "twice", "three times the rate", "doubled"
PERCENTAGE_POINTS = "percentage points"  # a difference of percentages, never a per cent

# Qualifier word sequences (lower case), longest first within a first word.
_QUALIFIERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("no", "fewer", "than"), "at_least"), (("no", "less", "than"), "at_least"),
    (("no", "more", "than"), "at_most"), (("not", "more", "than"), "at_most"),
    (("at", "least"), "at_least"), (("at", "most"), "at_most"),
    (("more", "than"), "more_than"), (("over",), "more_than"), (("above",), "more_than"),
    (("upwards", "of"), "more_than"), (("in", "excess", "of"), "more_than"),
    (("fewer", "than"), "less_than"), (("less", "than"), "less_than"),
    (("under",), "less_than"), (("below",), "less_than"),
    (("an", "estimated"), "about"), (("estimated",), "about"), (("about",), "about"),
    (("around",), "about"), (("some",), "about"), (("roughly",), "about"),
    (("approximately",), "about"), (("circa",), "about"), (("an", "approximate"), "about"),
    (("almost",), "nearly"), (("nearly",), "nearly"), (("close", "to"), "nearly"),
    (("just", "under"), "nearly"),
    (("up", "to"), "up_to"), (("as", "many", "as"), "up_to"), (("as", "much", "as"), "up_to"),
    (("between",), "between"), (("from",), "between"),
)
_CURRENCY_SYMBOLS = {"$": "$", "us$": "$", "£": "£", "€": "€", "¥": "¥", "c$": "C$", "a$": "A$"}
_CURRENCY_WORDS = frozenset(
    "dollar dollars pound pounds euro euros franc francs yen yuan rupee rupees rouble roubles ruble "
    "rubles peso pesos krona kronor krone lira won rand real reais shekel shekels dinar dinars".split()
)
_PERCENT = {"%": "per cent", "percent": "per cent", "pc": "per cent"}
_NAME_ENTS = frozenset({"PERSON", "ORG", "FAC", "LAW", "PRODUCT", "WORK_OF_ART", "EVENT", "GPE",
                        "LOC", "NORP", "LANGUAGE"})
_RANGE_TOKEN = re.compile(r"^(\d[\d,.]*)[-–](\d[\d,.]*)$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_CLOCK = re.compile(r"\d[:.]\d\d|\b[ap]\.?m\b|o'clock|\b(gmt|bst|utc|et|pt|noon|midnight|hours?)\b",
                    re.IGNORECASE)


def _is_number(tok: Token) -> bool:
    low = tok.lower_
    if low in VAGUE or (low in MULTIPLIERS and low != "half"):
        return True
    if low in SCALES and len(low) > 2:
        return True
    if low == "one" and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("the", "this", "that", "no"):
        return False  # "on the one hand", "no one"
    if tok.like_num and tok.pos_ != "PRON":
        return not (low == "one" and tok.dep_ not in ("nummod", "quantmod", "compound", "pobj"))
    return digits_value(tok.text) is not None


def _is_time_unit(tok: Token) -> bool:
    return tok.lemma_.lower() in TIME_UNITS


def figures_in(span: Span) -> list[Figure]:
    out: list[Figure] = []
    doc = span.doc
    i = span.start
    while i < span.end:
        tok = doc[i]
        fig, nxt = _figure_at(tok, span)
        if fig is not None:
            out.append(fig)
        i = max(nxt, i + 1)
    return out


def _in_longer_number(tok: Token) -> bool:
    """Digits run on, without a space, from the previous token or into the next one: a piece of
    a longer number (the tokenizer cuts very long runs into pieces), never a figure itself."""
    doc = tok.doc
    if not tok.text[:1].isdigit() and not tok.text[-1:].isdigit():
        return False
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (prev is not None and not prev.whitespace_ and prev.text[-1:].isdigit()
            and tok.text[:1].isdigit()) or \
        (nxt is not None and not tok.whitespace_ and nxt.text[:1].isdigit() and tok.text[-1:].isdigit())


def _figure_at(tok: Token, span: Span) -> tuple[Figure | None, int]:
    doc = tok.doc
    if _in_longer_number(tok):
        return None, tok.i + 1
    shaped = _fraction_at(tok, span) or _times_at(tok, span)
    if shaped is not None:
        return shaped
    # "a month"; and "every hour" (one hour, against "every 72 minutes") where no other number
    # makes it a rate ("20 a day, every day" is not "every 72 minutes" by its hour alone)
    if tok.i + 1 < span.end and _is_time_unit(doc[tok.i + 1]) and doc[tok.i + 1].tag_ == "NN" and (
            (tok.lower_ in ("a", "an") and doc[tok.i + 1].ent_type_ == "DATE")
            or (tok.lower_ == "every" and not any(t.like_num for t in span))):
        unit_word = doc[tok.i + 1]
        return _make(span, tok.i, unit_word.i, 1.0, "exact", None, None, unit_word.text,
                     FigureKind.DURATION), unit_word.i + 1
    if tok.ent_type_ == "ORDINAL" and ordinal_value(tok.text) is not None:
        head = tok.head if tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i else None
        end = head.i if head is not None and head.i < span.end else tok.i
        unit = doc[tok.i + 1 : end + 1].text if end > tok.i else None
        return _make(span, tok.i, end, ordinal_value(tok.text) or 0, "exact", None, None,
                     unit, FigureKind.ORDINAL), end + 1
    range_match = _RANGE_TOKEN.match(tok.text)
    if not _is_number(tok) and not range_match:
        return None, tok.i + 1
    if tok.ent_type_ in _NAME_ENTS or (tok.ent_type_ == "TIME" and not _is_time_unit(tok.head)
                                       and _clock_time(tok)):
        return None, tok.i + 1
    # The run of number tokens: "1.5 million", "two dozen", "one hundred and twenty".
    j = tok.i
    while j + 1 < span.end and _continues_number(doc[j], doc[j + 1], doc):
        j += 1
    words = [t.text for t in doc[tok.i : j + 1]]
    qualifier, q_start = _qualifier(tok, span)
    if tok.i > span.start and doc[tok.i - 1].lower_ in ("a", "an") and j == tok.i and \
            (tok.lower_ in MULTIPLIERS or tok.lower_ == "hundred" or (tok.lower_ in SCALES and len(tok.lower_) > 2)):
        qualifier, q_start = _qualifier(doc[tok.i - 1], span)  # "a dozen", "about a hundred"
    low = high = None
    low_inc = high_inc = True
    value: float | None
    if range_match:
        value, high = _range_number(range_match.group(1)), _range_number(range_match.group(2))
        if high is None:
            value = None
        qualifier, low = "between", value
    elif tok.lower_ in VAGUE and j == tok.i:
        low, high = VAGUE[tok.lower_]
        value, qualifier, high_inc = low, "between", False
    else:
        value = words_value(words)
        if value is not None and j + 3 < span.end and \
                [t.lower_ for t in doc[j + 1 : j + 4]] == ["and", "a", "half"]:
            value, j = value + 0.5, j + 3  # "two and a half years"
    if value is None:
        return None, j + 1
    if j + 1 < span.end and doc[j + 1].lower_ == "times" and value > 1 and tok.lower_ not in VAGUE:
        return _make(span, q_start, j + 1, value, qualifier, low, high, TIMES,
                     FigureKind.COUNT), j + 2  # "three times the rate"
    if _appositive_age(doc, tok.i, j, span, value):
        return _make(span, q_start, j, value, qualifier, low, high, "years old",
                     FigureKind.AGE), j + 1  # "Marsh, 31, is charged"
    aged = tok.i > span.start and doc[tok.i - 1].lower_ == "aged"
    date_ent = entity_at(tok, ("DATE",))
    in_date = date_ent is not None and looks_like_date(date_ent.text)
    if not aged and (in_date or (_YEAR.match(tok.text) and j == tok.i)):
        unit_tok = _unit_token(doc[j], span) or _unit_token(tok, span)
        if unit_tok is None or not _is_time_unit(unit_tok):
            return None, j + 1  # a year or a day of a month: a date, not a figure
    end = j
    ranged = _plain_range(doc, j, span, value) if qualifier == "exact" and not range_match \
        and tok.lower_ not in VAGUE else None
    if ranged is not None:  # "20 to 30 people", "20-30", "2% to 3%"
        end, high = ranged
        qualifier, low = "between", value
    elif qualifier == "between" and low is None:
        end, high = _range_end(doc, j, span)
        if high is None and end > j:
            return None, end + 1  # "between 10 and 10^22": a range, but not one of sane numbers
        if high is None:
            qualifier, q_start = "exact", tok.i
        else:
            low = value
    kind, unit, end = _unit(doc, tok.i, end, span)
    if kind is FigureKind.MONEY and q_start == tok.i and tok.i > span.start and \
            doc[tok.i - 1].lower_ in _CURRENCY_SYMBOLS:
        q_start = tok.i - 1
        q2, q2_start = _qualifier(doc[tok.i - 1], span)
        if q2 != "exact":
            qualifier, q_start = q2, q2_start
    return _make(span, q_start, end, value, qualifier, low, high, unit, kind,
                 low_inc, high_inc), max(end, j) + 1


def _clock_time(tok: Token) -> bool:
    """A number in a TIME entity is a time of day ("10 pm", "5:30"), unless it counts a noun that
    is no clock word ("35 to 45 feet", which the tagger also calls TIME)."""
    ent = entity_at(tok, ("TIME",))
    if ent is None or _CLOCK.search(ent.text):
        return True
    head = tok.head if tok.head.i > tok.i else tok
    while head.dep_ in ("nummod", "quantmod", "compound") and head.head.i > head.i:
        head = head.head
    return head.pos_ != "NOUN"


def _fraction_at(tok: Token, span: Span) -> tuple[Figure, int] | None:
    """A fraction as written, as a percentage: "a third" (33.3), "three quarters of", "one-fifth",
    "nearly half"; "half a million" is a count and "half a percentage point" a difference of
    percentages. Not an ordinal: "a third title", "the third quarter"."""
    doc = tok.doc
    low = tok.lower_
    if low == "half":
        if tok.i > span.start and (doc[tok.i - 1].lower_ in ("the", "first", "second", "and", "-")
                                   or doc[tok.i - 1].ent_type_ == "ORDINAL"):
            return None  # "the first half", "two and a half"
        num, den, last = 1.0, 2, tok.i
    else:
        if tok.i > span.start and doc[tok.i - 1].lower_ == "and":
            return None  # "two and a half"
        if low in ("a", "an", "one"):
            num = 1.0
        elif tok.like_num and tok.is_alpha:
            num = words_value([tok.text]) or 0.0
        else:
            return None
        k = tok.i + 1
        if k < span.end and doc[k].text == "-" and not tok.whitespace_:
            k += 1
        if k >= span.end or doc[k].lower_ not in DENOMINATORS or not 0 < num < 10:
            return None
        word = doc[k].lower_
        if (num == 1) == word.endswith("s") and word != "half":
            return None  # "one thirds", "three third"
        if word == "half" and num != 1:
            return None
        after = doc[k + 1] if k + 1 < span.end else None
        of = after is not None and after.lower_ == "of"
        hyphen = k == tok.i + 2
        if word.startswith("quarter") and not (of or hyphen or doc[k].dep_ in ("nsubj", "nsubjpass")):
            return None  # "a quarter" is also three months
        if not (of or hyphen) and after is not None and after.pos_ in ("NOUN", "PROPN", "ADJ") \
                and doc[k].dep_ == "amod":
            return None  # "a third title": an ordinal
        den, last = DENOMINATORS[word], k
    qualifier, q_start = _qualifier(tok, span)
    nxt = doc[last + 1] if last + 1 < span.end else None
    if nxt is not None and nxt.lower_ in ("a", "an") and last + 2 < span.end:
        scale_tok = doc[last + 2]
        if scale_tok.lower_ in SCALES and len(scale_tok.lower_) > 2:  # "half a million people"
            value = num / den * SCALES[scale_tok.lower_]
            kind, unit, end = _unit(doc, tok.i, scale_tok.i, span)
            return _make(span, q_start, end, value, qualifier, None, None, unit, kind), end + 1
        if scale_tok.lower_ == "percentage" and last + 3 < span.end \
                and doc[last + 3].lemma_.lower() == "point":  # "half a percentage point"
            return _make(span, q_start, last + 3, num / den, qualifier, None, None,
                         PERCENTAGE_POINTS, FigureKind.PERCENT), last + 4
        if _is_time_unit(scale_tok):  # "half an hour"
            return _make(span, q_start, scale_tok.i, num / den, qualifier, None, None,
                         scale_tok.text, FigureKind.DURATION), scale_tok.i + 1
        return None
    if low == "half" and nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "ADJ") and nxt.lower_ != "of":
        return None  # "half time", "half brother"
    return _make(span, q_start, last, 100.0 * num / den, qualifier, None, None, "per cent",
                 FigureKind.PERCENT), last + 1


def _times_at(tok: Token, span: Span) -> tuple[Figure, int] | None:
    """"twice", "doubled", "triple the number": a multiple, unit ``TIMES`` ("three times" is
    read with the other numbers). Not "double-digit", "a double agent", "triple-A"."""
    low = tok.lower_
    if low not in TIMES_WORDS:
        return None
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.text in ("-", "–") and not tok.whitespace_:
        return None
    if low not in ("twice", "thrice") and tok.pos_ != "VERB" and \
            (nxt is None or nxt.lower_ not in ("the", "that", "its", "their", "his", "her", "what")):
        return None
    qualifier, q_start = _qualifier(tok, span)
    return _make(span, q_start, tok.i, float(TIMES_WORDS[low]), qualifier, None, None, TIMES,
                 FigureKind.COUNT), tok.i + 1


def _appositive_age(doc, first: int, last: int, span: Span, value: float) -> bool:
    """"Marsh, 31, is charged", "Ibsen (28)": a whole number set off after a person's name."""
    if first != last or not doc[first].text.isdigit() or not 0 < value < 120:
        return False
    if first - 2 < span.start or last + 1 >= span.end:
        return False
    before, name, after = doc[first - 1].text, doc[first - 2], doc[last + 1].text
    return ((before, after) in ((",", ","), ("(", ")"), (",", ";")) or
            (before == "," and after == "." and last + 1 == span.end - 1)) and \
        (name.ent_type_ == "PERSON" or (name.pos_ == "PROPN" and name.ent_type_ == "")) \
        and name.is_title


def _range_number(part: str) -> float | None:
    """One end of "10-20": None for what is no number ("1.2.3", a version) or no sane one."""
    try:
        return sane(float(part.replace(",", "")))
    except ValueError:
        return None


def _continues_number(prev: Token, nxt: Token, doc) -> bool:
    low = nxt.lower_
    if low == "point" and prev.is_alpha and prev.like_num and nxt.i + 1 < len(doc) \
            and doc[nxt.i + 1].is_alpha and doc[nxt.i + 1].like_num:
        return True  # "one point four million"
    if prev.lower_ == "point":
        return nxt.is_alpha and nxt.like_num
    if low.rstrip(".") in SCALES and not prev.whitespace_ and prev.like_num:
        return True  # "75m", "9bn" split by the tokenizer
    if (low in SCALES and len(low) > 2) or (low in MULTIPLIERS and low != "half"):
        return True
    if low == "-" and nxt.i + 1 < len(doc) and doc[nxt.i + 1].like_num and doc[nxt.i + 1].is_alpha:
        return prev.is_alpha
    if prev.lower_ == "-":
        return nxt.like_num and nxt.is_alpha
    if low == "and" and prev.lower_ in ("hundred", "thousand") and nxt.i + 1 < len(doc):
        after = doc[nxt.i + 1]
        return after.like_num and after.is_alpha
    if prev.lower_ == "and":
        return nxt.like_num and nxt.is_alpha
    return nxt.like_num and nxt.is_alpha and prev.is_alpha and nxt.lower_ not in ("one",)


def _qualifier(tok: Token, span: Span) -> tuple[str, int]:
    doc = tok.doc
    lo = max(span.start, tok.i - 3)
    before = [t.lower_ for t in doc[lo : tok.i]]
    for words, name in _QUALIFIERS:
        n = len(words)
        if tuple(before[-n:]) == words:
            return name, tok.i - n
    return "exact", tok.i


def _percent_after(doc, j: int, span: Span) -> int | None:
    """The last token of "%" / "per cent" right after token ``j``, if there is one."""
    if j + 1 < span.end and doc[j + 1].lower_ in _PERCENT:
        return j + 1
    if j + 2 < span.end and doc[j + 1].lower_ == "per" and doc[j + 2].lower_ == "cent":
        return j + 2
    return None


def _plain_range(doc, j: int, span: Span, value: float) -> tuple[int, float] | None:
    """"A to B", "A-B", "A% to B%" after the number ending at ``j``: (last token of B, B). Only
    an increasing pair is a range ("voted 52 to 48" is a score, not a range), and a percentage
    only ranges to a percentage ("fell 40% to £75m" is two figures)."""
    pct = _percent_after(doc, j, span)
    last, high = _range_end(doc, j, span, ("to", "-", "–"))
    if high is None or high <= value:
        return None
    if pct is not None and _percent_after(doc, last, span) is None:
        return None
    return last, high


def _range_end(doc, j: int, span: Span,
               joiners: tuple[str, ...] = ("and", "to", "-", "–")) -> tuple[int, float | None]:
    """After "between A" / "from A": "and B" / "to B". (last token, B); (j, None) when there is
    no B, (last token, None) when B is a number too large to be a figure. A per cent sign after
    A is passed over ("between 2% and 3%")."""
    k = (_percent_after(doc, j, span) or j) + 1
    if k + 1 < span.end and doc[k].lower_ in joiners:
        start = k + 1
        m = start
        while m + 1 < span.end and _continues_number(doc[m], doc[m + 1], doc):
            m += 1
        if _is_number(doc[start]):
            words = [t.text for t in doc[start : m + 1]]
            value = words_value(words)
            if value is not None:
                return m, value
            if out_of_range(words):
                return m, None
    return j, None


def _unit_token(last: Token, span: Span) -> Token | None:
    head = last.head
    if last.dep_ in ("nummod", "quantmod", "compound", "amod", "npadvmod") and head.i > last.i \
            and head.pos_ in ("NOUN", "PROPN") and head.i < span.end:
        return head
    for child in last.children:  # "hundreds of people"
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN") and pobj.i < span.end:
                    return pobj
    return None


def _unit(doc, first: int, end: int, span: Span) -> tuple[FigureKind, str | None, int]:
    """Kind, unit text and last token of the figure."""
    before = doc[first - 1].lower_ if first > span.start else ""
    after = doc[end + 1] if end + 1 < span.end else None
    if after is not None and after.lower_ in _PERCENT:
        return FigureKind.PERCENT, "per cent", end + 1
    if after is not None and after.lower_ == "per" and end + 2 < span.end \
            and doc[end + 2].lower_ == "cent":
        return FigureKind.PERCENT, "per cent", end + 2
    if after is not None and after.lower_ == "percentage" and end + 2 < span.end \
            and doc[end + 2].lemma_.lower() == "point":
        return FigureKind.PERCENT, PERCENTAGE_POINTS, end + 2
    if after is not None and after.text == "-" and end + 3 < span.end \
            and doc[end + 2].lemma_.lower() == "year" and doc[end + 3].lower_ in ("-", "old"):
        last = end + 4 if doc[end + 3].text == "-" and end + 4 < span.end else end + 3
        return FigureKind.AGE, "years old", last
    if before == "aged":
        return FigureKind.AGE, "years old", end
    symbol = _CURRENCY_SYMBOLS.get(before) or _CURRENCY_SYMBOLS.get(doc[first].text[:1])
    if symbol is not None:
        return FigureKind.MONEY, symbol, end
    unit_tok = _unit_token(doc[end], span) or _unit_token(doc[first], span)
    if unit_tok is None or unit_tok.i <= end:
        return FigureKind.COUNT, None, end
    start = end + 1
    while start < unit_tok.i and (doc[start].is_punct or doc[start].lower_ == "of"):
        start += 1
    unit_text = doc[start : unit_tok.i + 1].text
    low = unit_tok.lemma_.lower()
    if low in _CURRENCY_WORDS or unit_tok.lower_ in _CURRENCY_WORDS:
        return FigureKind.MONEY, unit_text, unit_tok.i
    if low in TIME_UNITS:
        return FigureKind.DURATION, unit_text, unit_tok.i
    return FigureKind.COUNT, unit_text, unit_tok.i


def _make(span: Span, q_start: int, end: int, value: float, qualifier: str,
          low: float | None, high: float | None, unit: str | None, kind: FigureKind,
          low_inc: bool = True, high_inc: bool = True) -> Figure:
    doc = span.doc
    if qualifier == "exact":
        low = high = value
    elif qualifier == "at_least":
        low, high = value, None
    elif qualifier == "more_than":
        low, high, low_inc = value, None, False
    elif qualifier == "at_most":
        low, high = None, value
    elif qualifier == "less_than":
        low, high, high_inc = None, value, False
    elif qualifier == "about":
        low, high = value * (1 - ABOUT), value * (1 + ABOUT)
    elif qualifier == "nearly":
        low, high = value * (1 - ABOUT), value
    elif qualifier == "up_to":
        low, high = 0.0, value
    text = doc[q_start : end + 1].text
    if doc[end].text.endswith(".") and doc[end].lower_.rstrip(".") in SCALES:
        text = text[:-1]  # "£75m." at the end of a sentence: the full stop is not part of the figure
    start = doc[q_start].idx
    return Figure(
        text=text, start=start, end=start + len(text), value=value,
        qualifier=qualifier, low=low, high=high, low_inclusive=low_inc, high_inclusive=high_inc,
        unit=unit, kind=kind,
    )
