"""Figure and speaker comparison, as tables."""

import pytest

from claimcheck.domain import Figure, FigureKind
from claimcheck.extract.figures import figures_in
from claimcheck.match.compare import comparable, compare_figure
from claimcheck.names import same_speaker


def fig(value, unit=None, qualifier="exact", low=None, high=None, kind=FigureKind.COUNT):
    if qualifier == "exact":
        low = high = value
    return Figure(f"{value} {unit}", 0, 1, value, qualifier, low, high, unit=unit, kind=kind)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (fig(900, "SDF fighters"), fig(500, "SDF fighters"), True),
        (fig(900, "SDF fighters"), fig(900, "ISIS fighters"), False),
        (fig(900, "IS fighters"), fig(900, "foreign fighters"), False),
        (fig(900, "fighters"), fig(900, "ISIS fighters"), True),
        (fig(2, "US service members"), fig(2, "United States service members"), True),
        (fig(900, "jihadists"), fig(900, "fighters"), False),
        (fig(8, "days", kind=FigureKind.DURATION), fig(3, "weeks", kind=FigureKind.DURATION), True),
        (fig(40, "per cent", kind=FigureKind.PERCENT), fig(40, "troops"), False),
        (fig(2, "percentage points", kind=FigureKind.PERCENT), fig(2, "per cent", kind=FigureKind.PERCENT), False),
        (fig(2, "times"), fig(2, "people"), False),
        (fig(2, "times"), fig(2), False),
        (fig(2, "times"), fig(3, "times"), True),
        (fig(52, "years old", kind=FigureKind.AGE), fig(52, "men"), False),
        (fig(3, "attack", kind=FigureKind.ORDINAL), fig(3, "attacks"), False),
        (fig(1.2e9, "$", kind=FigureKind.MONEY), fig(1.2e9, "dollars", kind=FigureKind.MONEY), True),
        (fig(75e6, "£", kind=FigureKind.MONEY), fig(75e6, "$", kind=FigureKind.MONEY), False),
        (fig(75e6, "pounds", kind=FigureKind.MONEY), fig(75e6, "£", kind=FigureKind.MONEY), True),
    ],
)
def test_comparable(a, b, expected):
    assert comparable(a, b) is expected


@pytest.mark.parametrize(
    ("statement", "source", "code"),
    [
        (fig(900, "fighters"), fig(900, "fighters", "at_least", 900, None), "figure_match"),
        (fig(500, "fighters"), fig(900, "fighters", "at_least", 900, None), "figure_mismatch"),
        (fig(3000, "fighters"), fig(900, "fighters", "at_least", 900, None), "figure_unconfirmed"),
        (fig(14, "soldiers"), fig(14.0, "soldiers"), "figure_match"),
        (fig(90, "days", kind=FigureKind.DURATION), fig(30, "days", kind=FigureKind.DURATION), "figure_mismatch"),
        (fig(8, "days", kind=FigureKind.DURATION), fig(3, "weeks", kind=FigureKind.DURATION), "figure_mismatch"),
        (fig(21, "days", kind=FigureKind.DURATION), fig(3, "weeks", kind=FigureKind.DURATION), "figure_match"),
        (fig(330, "civilians", "more_than", 330, None), fig(320, "civilians", "more_than", 320, None), "figure_match"),
        (fig(900, "fighters"), fig(900, "jihadists"), "figure_unconfirmed"),
    ],
)
def test_compare_figure(statement, source, code):
    assert compare_figure(statement, (source,)).code == code


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Donald Trump", "Donald J. Trump", True),
        ("Trump", "Donald Trump", True),
        ("Mr Trump", "Donald Trump", True),
        ("Abdel Rahman", "Abdul Rahman Smith", False),
        ("Abdel Rahman", "Abdul Rahman", False),
        ("Hillary Clinton", "Bill Clinton", False),
    ],
)
def test_same_speaker(a, b, expected):
    assert same_speaker(a, b) is expected


# Figures as written, through the extractor: (statement text, source text, outcome).
PAIRS = [
    ("They died at twice the rate.", "They died at three times the rate.", "figure_mismatch"),
    ("They died at twice the rate.", "They died at two times the rate.", "figure_match"),
    ("Costs doubled.", "Costs tripled.", "figure_mismatch"),
    ("A third of voters agreed.", "33% of voters agreed.", "figure_match"),
    ("A quarter of voters agreed.", "25% of voters agreed.", "figure_match"),
    ("Half of voters agreed.", "25% of voters agreed.", "figure_mismatch"),
    ("Costs rose by nearly half.", "Costs rose 47.3%.", "figure_match"),
    ("More than three quarters were 26 or above.", "77 percent were 26 or above.", "figure_match"),
    ("It killed nearly a third of Europe.", "It killed nearly one-third of Europe.", "figure_match"),
    ("A dozen people died.", "12 people died.", "figure_match"),
    ("Dozens of people died.", "30 people died.", "figure_unconfirmed"),
    ("Dozens of people died.", "300 people died.", "figure_mismatch"),
    ("Hundreds of people died.", "500 people died.", "figure_unconfirmed"),
    ("The rate rose 2 percentage points.", "The rate rose 2%.", "figure_unconfirmed"),
    ("The rate rose 2 percentage points.", "The rate rose 3 percentage points.", "figure_mismatch"),
    ("It was 40%.", "It was forty percent.", "figure_match"),
    ("It was 40 per cent.", "It was 40%.", "figure_match"),
    ("It was worth $1.2bn.", "It was worth 1.2 billion dollars.", "figure_match"),
    ("It was worth $1.2bn.", "It was worth $1,200m.", "figure_match"),
    ("It cost £75m.", "It cost $75m.", "figure_unconfirmed"),
    ("It cost 1.2 billion.", "It cost 1.2 million.", "figure_mismatch"),
    ("It was the third attack.", "It was the fourth attack.", "figure_mismatch"),
    ("It was the third attack.", "It was the third attack.", "figure_match"),
    ("It was the third attack.", "There were three attacks.", "figure_unconfirmed"),
    ("A 52-year-old man was held.", "Police held 52 men.", "figure_unconfirmed"),
    ("A 52-year-old man was held.", "A 53-year-old man was held.", "figure_mismatch"),
    ("A 52-year-old man was held.", "Rahami, 52, was held.", "figure_match"),
    ("25 people died.", "Between 20 and 30 people died.", "figure_unconfirmed"),
    ("35 people died.", "20 to 30 people died.", "figure_mismatch"),
    ("20-30 people died.", "Between 20 and 30 people died.", "figure_match"),
    ("The wall could be 35 to 45 feet high.", "The wall might be 40 to 50 feet high.", "figure_unconfirmed"),
    ("The wall could be 35 to 45 feet high.", "The wall might be 35 to 45 feet high.", "figure_match"),
    ("The wall will be 50 feet high.", "The wall might be 40 to 50 feet high.", "figure_unconfirmed"),
    ("Revenue would grow by 2% to 3%.", "Revenue would grow by 3% to 3.5%.", "figure_mismatch"),
    ("At least 20 people died.", "15 people died.", "figure_mismatch"),
    ("More than 20 people died.", "21 people died.", "figure_match"),
    ("Up to 20 people died.", "25 people died.", "figure_mismatch"),
    ("Almost 20 people died.", "19 people died.", "figure_match"),
    ("About 20 people died.", "30 people died.", "figure_mismatch"),
    ("Some 2,000 fighters remain.", "About 2,100 fighters remain.", "figure_match"),
]


@pytest.mark.parametrize(("statement", "source", "code"), PAIRS)
def test_compare_written_figures(nlp, statement, source, code):
    (s,) = figures_in(nlp(statement)[:])[:1]
    (c,) = figures_in(nlp(source)[:])[:1]
    assert compare_figure(s, (c,)).code == code
