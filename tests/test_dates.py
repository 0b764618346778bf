"""Date expressions: typed always, resolved against the publication date when there is one."""

from datetime import date

import pytest

from claimcheck.extract.dates import classify

PUB = date(2018, 12, 15)  # a Saturday


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("Friday", "weekday", date(2018, 12, 14), date(2018, 12, 14)),
        ("on Tuesday", "weekday", date(2018, 12, 11), date(2018, 12, 11)),
        ("last Saturday", "weekday", date(2018, 12, 8), date(2018, 12, 8)),
        ("next Monday", "weekday", date(2018, 12, 17), date(2018, 12, 17)),
        ("this week", "range", date(2018, 12, 10), date(2018, 12, 16)),
        ("last week", "range", date(2018, 12, 3), date(2018, 12, 9)),
        ("last year", "range", date(2017, 1, 1), date(2017, 12, 31)),
        ("last month", "range", date(2018, 11, 1), date(2018, 11, 30)),
        ("in September", "range", date(2018, 9, 1), date(2018, 9, 30)),
        ("September 2016", "range", date(2016, 9, 1), date(2016, 9, 30)),
        ("Dec. 14", "point", date(2018, 12, 14), date(2018, 12, 14)),
        ("December 14, 2017", "point", date(2017, 12, 14), date(2017, 12, 14)),
        ("2016", "range", date(2016, 1, 1), date(2016, 12, 31)),
        ("the 1990s", "range", date(1990, 1, 1), date(1999, 12, 31)),
        ("three days ago", "point", date(2018, 12, 12), date(2018, 12, 12)),
        ("yesterday", "point", date(2018, 12, 14), date(2018, 12, 14)),
        ("between March and May", "range", date(2018, 3, 1), date(2018, 5, 31)),
    ],
)
def test_resolution(text, kind, start, end):
    got = classify(text, PUB)
    assert (got[0].value, got[1], got[2]) == (kind, start, end)


def test_a_month_after_publication_is_last_year_unless_future():
    assert classify("in December", date(2019, 3, 1))[1] == date(2018, 12, 1)
    assert classify("Friday", PUB, future=True)[1] == date(2018, 12, 21)


@pytest.mark.parametrize(
    ("text", "days"), [("another 30 days", 30), ("a month", 30.4375), ("six-month", 182.625), ("two weeks", 14)]
)
def test_durations(text, days):
    kind, start, _, _, duration, _ = classify(text, PUB)
    assert kind.value == "duration" and start is None and duration == pytest.approx(days)


@pytest.mark.parametrize("text", ["Friday", "this week", "in September", "last year"])
def test_typed_but_unresolved_without_publication_date(text):
    kind, start, end, *_ = classify(text, None)
    assert kind.value in ("weekday", "range") and start is None and end is None


def test_dates_in_claims_resolve_against_the_document(extract_text):
    extraction = extract_text("The rebels took the town on Friday.", published=PUB)
    (claim,) = extraction.claims
    (d,) = claim.dates
    assert (d.text, d.kind.value, d.resolved_start) == ("Friday", "weekday", date(2018, 12, 14))


def test_holiday_naming_a_thing_is_not_a_date(extract_text):
    (claim,) = extract_text("Gunmen attacked a Christmas market in the city.").claims
    assert claim.dates == ()
