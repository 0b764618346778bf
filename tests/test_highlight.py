"""highlight.py: cutting a text at span offsets, and the sentence around a span."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.web.highlight import Mark, Segment, segments, sentence_bounds

TEXT = "Ann Cole said 40 people were hurt on Monday in Tasso."
#       0         1         2         3         4         5
#       01234567890123456789012345678901234567890123456789012


def shape(segs: list[Segment]) -> list[tuple[str, str | None, list[tuple[str, str | None]]]]:
    """Each segment as (text, kind, [(part text, part kind)]) for readable tables."""
    return [(s.text, s.mark.kind if s.mark else None,
             [(p.text, p.mark.kind if p.mark else None) for p in s.parts] if s.mark else []) for s in segs]


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        # no marks: one plain segment
        ([], [], [(TEXT, None, [])]),
        # one claim with a figure and a date inside it
        ([Mark(14, 43, "claim")], [Mark(14, 23, "figure"), Mark(37, 43, "date")],
         [("Ann Cole said ", None, []),
          ("40 people were hurt on Monday", "claim",
           [("40 people", "figure"), (" were hurt on ", None), ("Monday", "date")]),
          (" in Tasso.", None, [])]),
        # a mark covering the whole text
        ([Mark(0, len(TEXT), "claim")], [], [(TEXT, "claim", [(TEXT, None)])]),
        # crossing claims: the one starting first wins, the other is cut to what lies after it
        ([Mark(14, 33, "claim", "a"), Mark(24, 43, "claim", "b")], [],
         [("Ann Cole said ", None, []), ("40 people were hurt", "claim", [("40 people were hurt", None)]),
          (" on Monday", "claim", [(" on Monday", None)]), (" in Tasso.", None, [])]),
        # the same start: the longer one wins, the shorter is hidden in it
        ([Mark(14, 23, "claim", "short"), Mark(14, 43, "claim", "long")], [],
         [("Ann Cole said ", None, []), ("40 people were hurt on Monday", "claim",
                                         [("40 people were hurt on Monday", None)]), (" in Tasso.", None, [])]),
        # a lower-ranked (narration) mark yields to a claim inside it: drawn up to the claim
        ([Mark(0, 52, "narration", rank=1), Mark(14, 43, "claim")], [],
         [("Ann Cole said ", "narration", [("Ann Cole said ", None)]),
          ("40 people were hurt on Monday", "claim", [("40 people were hurt on Monday", None)]),
          (" in Tasso.", None, [])]),
        # negatives: empty, inverted and out-of-range marks
        ([Mark(5, 5, "claim"), Mark(9, 3, "claim")], [Mark(2, 1, "figure")], [(TEXT, None, [])]),
        ([Mark(-10, 3, "claim"), Mark(len(TEXT) - 3, 999, "claim")], [],
         [("Ann", "claim", [("Ann", None)]), (TEXT[3:-3], None, []), ("so.", "claim", [("so.", None)])]),
        ([Mark(100, 200, "claim")], [], [(TEXT, None, [])]),
        # negatives: an inner mark outside every claim, or crossing a claim's edge, is not drawn
        ([Mark(14, 33, "claim")], [Mark(0, 3, "figure"), Mark(30, 40, "date")],
         [("Ann Cole said ", None, []), ("40 people were hurt", "claim", [("40 people were hurt", None)]),
          (TEXT[33:], None, [])]),
        # overlapping inner marks follow the same rule as claims
        ([Mark(14, 43, "claim")], [Mark(14, 23, "figure"), Mark(17, 29, "date")],
         [("Ann Cole said ", None, []),
          ("40 people were hurt on Monday", "claim",
           [("40 people", "figure"), (" were ", "date"), ("hurt on Monday", None)]),
          (" in Tasso.", None, [])]),
    ],
)
def test_segments(outer, inner, expected):
    segs = segments(TEXT, outer, inner)
    assert shape(segs) == expected
    assert "".join(s.text for s in segs) == TEXT
    for s in segs:
        assert TEXT[s.start:s.end] == s.text


def test_hidden_marks_go_to_the_mark_covering_their_start():
    segs = segments(TEXT, [Mark(14, 43, "claim", "outer"), Mark(24, 33, "claim", "inside"),
                           Mark(14, 23, "claim", "same start")])
    (claim,) = [s for s in segs if s.mark]
    assert claim.mark is not None and claim.mark.key == "outer"
    assert [h.key for h in claim.hidden] == ["same start", "inside"]


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (14, 43, [("40 people were hurt on Monday", "claim")]),
        (20, 30, [("ple were h", "claim")]),  # marks are clipped to the window
        (0, 5, [("Ann C", None)]),
        (40, 1000, [("day", "claim"), (" in Tasso.", None)]),  # hi past the end is the end
        (60, 70, []),  # a window past the end is empty
        (30, 10, []),  # an inverted window is empty
    ],
)
def test_segments_in_a_window(lo, hi, expected):
    segs = segments(TEXT, [Mark(14, 43, "claim")], lo=lo, hi=hi)
    assert [(s.text, s.mark.kind if s.mark else None) for s in segs] == expected


SENTENCES = ("Tasso was quiet. Ann Cole said 40 people were hurt. \"We are counting,\" she said! "
             "Peter Okafor spoke next.\nA new line starts here")


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("40 people were hurt", "Ann Cole said 40 people were hurt."),
        ("We are counting", "\"We are counting,\" she said!"),
        ("Tasso was quiet", "Tasso was quiet."),
        ("Okafor", "Peter Okafor spoke next."),
        ("new line", "A new line starts here"),  # a line break bounds it; the end of the text too
        ("quiet. Ann", "Tasso was quiet. Ann Cole said 40 people were hurt."),  # spans two sentences
    ],
)
def test_sentence_bounds(span, expected):
    start = SENTENCES.index(span)
    lo, hi = sentence_bounds(SENTENCES, start, start + len(span))
    assert SENTENCES[lo:hi] == expected


def test_sentence_bounds_limits_long_sentences_at_a_space():
    text = "word " * 200 + "Ann Cole said 40 people were hurt " + "word " * 200
    start = text.index("Ann")
    lo, hi = sentence_bounds(text, start, start + 33, limit=50)
    assert start - 50 <= lo <= start and start + 33 <= hi <= start + 33 + 50
    assert text[lo - 1] == " " and text[lo:lo + 4] == "word"
    assert text[hi] == " "


@pytest.mark.parametrize(("start", "end"), [(-5, 3), (0, 0), (1000, 2000), (len(SENTENCES), len(SENTENCES))])
def test_sentence_bounds_out_of_range_stays_in_the_text(start, end):
    lo, hi = sentence_bounds(SENTENCES, start, end)
    assert 0 <= lo <= hi <= len(SENTENCES)


marks = st.lists(st.builds(Mark, st.integers(-3, 60), st.integers(-3, 60), st.sampled_from(["claim", "narration"]),
                           st.text("ab", max_size=2), st.just(""), st.integers(0, 1)), max_size=8)


@given(outer=marks, inner=marks, lo=st.integers(-2, 55), hi=st.integers(-2, 60))
def test_segments_always_nest_and_rebuild_the_text(outer, inner, lo, hi):
    segs = segments(TEXT, outer, inner, lo, hi)
    hi2 = max(0, min(hi, len(TEXT)))
    lo2 = max(0, min(lo, hi2))
    assert "".join(s.text for s in segs) == TEXT[lo2:hi2]
    position = lo2
    for s in segs:
        assert s.start == position and s.end > s.start and TEXT[s.start:s.end] == s.text
        position = s.end
        if s.mark is not None:
            assert "".join(p.text for p in s.parts) == s.text
            assert all(s.start <= h.start < s.end for h in s.hidden)
        else:
            assert not s.parts and not s.hidden
    drawn = sum(1 for s in segs if s.mark) + sum(len(s.hidden) for s in segs)
    assert drawn == len([m for m in outer if max(m.start, lo2) < min(m.end, hi2)])
