"""Figures: (text, [(figure text, value, qualifier, low, high, unit, kind)]), negatives included."""

import math

import pytest

from claimcheck.extract.figures import figures_in

INF = math.inf

CASES = [
    ("Militia killed at least 900 ISIS fighters.",
     [("at least 900 ISIS fighters", 900, "at_least", 900, INF, "ISIS fighters", "count")]),
    ("More than 320 civilians were also killed.",
     [("More than 320 civilians", 320, "more_than", 320, INF, "civilians", "count")]),
    ("This includes some 2,000 foreign fighters.",
     [("some 2,000 foreign fighters", 2000, "about", 1800, 2200, "foreign fighters", "count")]),
    ("Nineteen people died.", [("Nineteen people", 19, "exact", 19, 19, "people", "count")]),
    ("Fourteen people died.", [("Fourteen people", 14, "exact", 14, 14, "people", "count")]),
    ("Two dozen were hurt.", [("Two dozen", 24, "exact", 24, 24, None, "count")]),
    ("Hundreds of people fled.", [("Hundreds of people", 200, "between", 200, 1000, "people", "count")]),
    ("Up to 1.5 million people voted.",
     [("Up to 1.5 million people", 1.5e6, "up_to", 0, 1.5e6, "people", "count")]),
    ("Nearly 1,000 troops and fewer than 50 tanks.",
     [("Nearly 1,000 troops", 1000, "nearly", 900, 1000, "troops", "count"),
      ("fewer than 50 tanks", 50, "less_than", -INF, 50, "tanks", "count")]),
    ("Between 10 and 20 votes were lost.",
     [("Between 10 and 20 votes", 10, "between", 10, 20, "votes", "count")]),
    ("Profits fell 40% to £75m.",
     [("40%", 40, "exact", 40, 40, "per cent", "percent"), ("£75m", 75e6, "exact", 75e6, 75e6, "£", "money")]),
    ("The order is worth $9bn.", [("$9bn", 9e9, "exact", 9e9, 9e9, "$", "money")]),
    ("Costs rose 47.3 per cent.", [("47.3 per cent", 47.3, "exact", 47.3, 47.3, "per cent", "percent")]),
    ("The fee rose to 10 francs.", [("10 francs", 10, "exact", 10, 10, "francs", "money")]),
    ("They will be gone within another 30 days.", [("30 days", 30, "exact", 30, 30, "days", "duration")]),
    ("It will be over within a month.", [("a month", 1, "exact", 1, 1, "month", "duration")]),
    ("A six-month siege ended.", [("six-month", 6, "exact", 6, 6, "month", "duration")]),
    ("A 45-year-old man was held.", [("45-year-old", 45, "exact", 45, 45, "years old", "age")]),
    # Negatives: years, days of a month, idioms and names are not figures.
    ("The town fell in 2016.", []),
    ("The town fell on Dec. 14.", []),
    ("On the one hand, the town fell.", []),
    ("No one came.", []),
]


def _row(f):
    low = -INF if f.low is None else f.low
    high = INF if f.high is None else f.high
    return (f.text, f.value, f.qualifier, low, high, f.unit, f.kind.value)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_figures(nlp, text, expected):
    doc = nlp(text)
    got = [_row(f) for f in figures_in(doc[:])]
    assert got == [tuple(pytest.approx(x) if isinstance(x, float) else x for x in row) for row in expected]
    for f in figures_in(doc[:]):
        assert text[f.start : f.end] == f.text


def test_number_words_and_digits_have_equal_values(nlp):
    (a,) = figures_in(nlp("Fourteen soldiers died.")[:])
    (b,) = figures_in(nlp("14 soldiers died.")[:])
    assert a.value == b.value and a.unit == b.unit


def test_interval_membership(nlp):
    (f,) = figures_in(nlp("More than 320 civilians died.")[:])
    assert not f.contains(320) and f.contains(321)
