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
    ("A ferry leaves every hour.", [("every hour", 1, "exact", 1, 1, "hour", "duration")]),
    # with another number it is a rate's period, not a figure of its own
    ("Two ferries leave every hour.", [("Two ferries", 2, "exact", 2, 2, "ferries", "count")]),
    ("A six-month siege ended.", [("six-month", 6, "exact", 6, 6, "month", "duration")]),
    ("A 45-year-old man was held.", [("45-year-old", 45, "exact", 45, 45, "years old", "age")]),
    # Other shapes: ages, multiples, fractions (as per cent), percentage points, ranges, ordinals.
    ("A 52-year-old man was held.", [("52-year-old", 52, "exact", 52, 52, "years old", "age")]),
    ("Noel, 31, is charged.", [("31", 31, "exact", 31, 31, "years old", "age")]),
    ("They died at twice the rate of civilians.", [("twice", 2, "exact", 2, 2, "times", "count")]),
    ("They died at three times the rate of civilians.",
     [("three times", 3, "exact", 3, 3, "times", "count")]),
    ("Costs doubled.", [("doubled", 2, "exact", 2, 2, "times", "count")]),
    ("Sales will triple the total.", [("triple", 3, "exact", 3, 3, "times", "count")]),
    ("Half of voters agreed.", [("Half", 50, "exact", 50, 50, "per cent", "percent")]),
    ("Costs rose by nearly half.", [("nearly half", 50, "nearly", 45, 50, "per cent", "percent")]),
    ("A third of voters agreed.", [("A third", 100 / 3, "exact", 100 / 3, 100 / 3, "per cent", "percent")]),
    ("The rate rose by a third from 2001.",
     [("a third", 100 / 3, "exact", 100 / 3, 100 / 3, "per cent", "percent")]),
    ("It killed nearly one-third of Europe.",
     [("nearly one-third", 100 / 3, "nearly", 30.0, 100 / 3, "per cent", "percent")]),
    ("The recall affects almost three quarters of all units.",
     [("almost three quarters", 75, "nearly", 67.5, 75, "per cent", "percent")]),
    ("More than three quarters were 26 or above.",
     [("More than three quarters", 75, "more_than", 75, INF, "per cent", "percent"),
      ("26", 26, "exact", 26, 26, None, "count")]),
    ("A quarter of voters agreed.", [("A quarter", 25, "exact", 25, 25, "per cent", "percent")]),
    ("It cut 12,000 jobs, a fifth of its workforce.",
     [("12,000 jobs", 12000, "exact", 12000, 12000, "jobs", "count"),
      ("a fifth", 20, "exact", 20, 20, "per cent", "percent")]),
    ("A dozen people died.", [("A dozen people", 12, "exact", 12, 12, "people", "count")]),
    ("About a hundred people came.", [("About a hundred people", 100, "about", 90.0, 110.0, "people", "count")]),
    ("Dozens of people died.", [("Dozens of people", 24, "between", 24, 144, "people", "count")]),
    ("Half a million people came.", [("Half a million people", 5e5, "exact", 5e5, 5e5, "people", "count")]),
    ("Two and a half years passed.", [("Two and a half years", 2.5, "exact", 2.5, 2.5, "years", "duration")]),
    ("The rate rose 2 percentage points.",
     [("2 percentage points", 2, "exact", 2, 2, "percentage points", "percent")]),
    ("The rate fell half a percentage point.",
     [("half a percentage point", 0.5, "exact", 0.5, 0.5, "percentage points", "percent")]),
    ("Support was forty percent.", [("forty percent", 40, "exact", 40, 40, "per cent", "percent")]),
    ("It was worth 1.2 billion dollars.",
     [("1.2 billion dollars", 1.2e9, "exact", 1.2e9, 1.2e9, "dollars", "money")]),
    ("It was worth $1,200m.", [("$1,200m", 1.2e9, "exact", 1.2e9, 1.2e9, "$", "money")]),
    ("They took in more than one point four million refugees.",
     [("more than one point four million refugees", 1.4e6, "more_than", 1.4e6, INF, "refugees", "count")]),
    ("It was the third attack.", [("third attack", 3, "exact", 3, 3, "attack", "ordinal")]),
    ("She will now seek a third title.", [("third title", 3, "exact", 3, 3, "title", "ordinal")]),
    ("20 to 30 people died.", [("20 to 30 people", 20, "between", 20, 30, "people", "count")]),
    ("20-30 people died.", [("20-30 people", 20, "between", 20, 30, "people", "count")]),
    ("The wall could be 35 to 45 feet high.", [("35 to 45 feet", 35, "between", 35, 45, "feet", "count")]),
    ("Revenue would grow by 2% to 3%.", [("2% to 3%", 2, "between", 2, 3, "per cent", "percent")]),
    ("Revenue would grow by between 2% and 3%.",
     [("between 2% and 3%", 2, "between", 2, 3, "per cent", "percent")]),
    # Negatives among the shapes: a score is no range, a percentage never ranges into money,
    # "double" as an adjective and "two and a half" are no multiple or fraction.
    ("They voted 52 to 48.", [("52", 52, "exact", 52, 52, None, "count"), ("48", 48, "exact", 48, 48, None, "count")]),
    ("Profits fell 40% to £75m.",
     [("40%", 40, "exact", 40, 40, "per cent", "percent"), ("£75m", 75e6, "exact", 75e6, 75e6, "£", "money")]),
    ("He was a double agent.", []),
    ("It saw double-digit growth.", []),
    ("It was the first half of the match.", []),
    ("It rose in the third quarter.", []),
    ("It happened at 10 pm.", []),
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
