"""Figure and speaker comparison, as tables."""

import pytest

from claimcheck.domain import Figure, FigureKind
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
