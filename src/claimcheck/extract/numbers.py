"""Numbers as written in news text -> values. Number words go through ``text2num`` (a maintained
parser for English number words); digits, separators and scale suffixes ("$9bn", "1.5 million")
are handled here because they are formatting, not language."""

from __future__ import annotations

import math
import re

from text_to_num import text2num

SCALES = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}
MULTIPLIERS = {"dozen": 12, "score": 20, "half": 0.5, "couple": 2, "pair": 2}

# Fractions as written: "a third", "three quarters", "one-fifth", "half" (the denominator).
DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
    "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}
# How many times a quantity: "twice the rate", "doubled", "tripled".
TIMES_WORDS = {
    "twice": 2, "thrice": 3, "double": 2, "doubled": 2, "doubles": 2, "doubling": 2,
    "triple": 3, "tripled": 3, "triples": 3, "tripling": 3, "treble": 3, "trebled": 3,
    "quadruple": 4, "quadrupled": 4, "quadruples": 4, "quadrupling": 4,
}
_DIGIT_WORDS = {"zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
                "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}

# Plural scale words stand for an order of magnitude: "hundreds of" is [200, 1000).
VAGUE = {
    "dozens": (24.0, 144.0),
    "scores": (40.0, 200.0),
    "hundreds": (200.0, 1000.0),
    "thousands": (2000.0, 10000.0),
    "millions": (2e6, 1e7),
    "billions": (2e9, 1e10),
}

# Values are floats, which hold every whole number up to 2**53 (about nine quadrillion) exactly;
# past that "10,000,000,000,000,001" would compare equal to its neighbours, and past 1e308 a
# number becomes infinity (a 400-digit number did, and was then compared as a figure). No count,
# sum of money or percentage in the news comes near, so a larger number is no figure at all.
MAX_VALUE = float(2**53)


def sane(value: float | None) -> float | None:
    """``value`` when it is a finite number of at most ``MAX_VALUE`` in magnitude, else None."""
    if value is None or not math.isfinite(value) or abs(value) > MAX_VALUE:
        return None
    return value


_DIGITS = re.compile(r"^[$£€¥]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z]{0,3})$", re.IGNORECASE)
_ORDINAL_DIGITS = re.compile(r"^(\d+)(st|nd|rd|th)$", re.IGNORECASE)
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100, "thousandth": 1000, "millionth": 1e6,
}


def digits_value(word: str) -> float | None:
    """'17,000' -> 17000, '1.5' -> 1.5, '$9bn' -> 9e9, '12.5' -> 12.5; None if not digits."""
    return sane(_digits(word))


def _digits(word: str) -> float | None:
    m = _DIGITS.match(word)
    if not m:
        return None
    value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
    suffix = m.group(3).lower()
    if suffix:
        if suffix not in SCALES:
            return None
        value *= SCALES[suffix]
    return value


def ordinal_value(word: str) -> float | None:
    m = _ORDINAL_DIGITS.match(word)
    if m:
        return sane(float(m.group(1)))
    return ORDINAL_WORDS.get(word.lower())


def words_value(words: list[str]) -> float | None:
    """A run of number words and digits -> value: 'two dozen' -> 24, '1.5 million' -> 1.5e6,
    'Nineteen' -> 19, 'a hundred' -> 100, 'one hundred and twenty' -> 120."""
    return sane(_words(words))


def out_of_range(words: list[str]) -> bool:
    """Whether ``words`` is a number, but one too large to be a figure."""
    value = _words(words)
    return value is not None and sane(value) is None


def _words(words: list[str]) -> float | None:
    # A sentence-final "m." or "million." keeps its full stop as part of the token.
    words = [w.lower().strip(",").rstrip(".") for w in words if w and w != "-"]
    parts: list[str] = []
    for w in words:
        parts.extend(p for p in w.split("-") if p)
    if not parts:
        return None
    value: float | None = None
    spelled: list[str] = []
    mult = 1.0
    for w in parts:
        if w in ("a", "an") and not spelled and value is None:
            value = 1.0
            continue
        d = _digits(w)
        if d is not None:
            value = d if value is None else value * d
        elif w in MULTIPLIERS:
            mult *= MULTIPLIERS[w]
        elif w in SCALES and value is not None and not spelled:
            value *= SCALES[w]
        else:
            spelled.append(w)
    if spelled:
        n = _spelled(spelled)
        if n is None:
            return None
        value = n if value is None else value * n
    if value is None:
        return mult if mult != 1.0 else None
    return value * mult


def _spelled(words: list[str]) -> float | None:
    """Number words -> value through text2num; "one point four million" -> 1.4e6 (text2num
    has no decimal point: the digits after "point" are read one by one)."""
    if "point" in words:
        p = words.index("point")
        whole = _spelled(words[:p]) if p else 0.0
        decimals = ""
        k = p + 1
        while k < len(words) and words[k] in _DIGIT_WORDS:
            decimals += _DIGIT_WORDS[words[k]]
            k += 1
        scale = 1.0
        for w in words[k:]:
            if w not in SCALES:
                return None
            scale *= SCALES[w]
        if whole is None or not decimals:
            return None
        return (whole + float("0." + decimals)) * scale
    try:
        return float(text2num(" ".join(words), "en"))
    except (ValueError, OverflowError):  # OverflowError: an int too large for a float
        return None
