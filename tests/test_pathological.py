"""Pathological documents: each ends in bounded time with either an extraction whose spans index
the text exactly, or a clear refusal. Nothing here asserts wall-clock time; the cases that would
hang or crash without the bounds are the ones marked slow."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from spacy.tokens import Doc

from claimcheck.domain import Document
from claimcheck.errors import DocumentError
from claimcheck.extract.claims import extract
from claimcheck.extract.dates import classify
from claimcheck.extract.figures import figures_in
from claimcheck.extract.numbers import MAX_VALUE, digits_value, words_value
from claimcheck.extract.tree import subtree, subtree_size
from claimcheck.ingest import document_from_text
from claimcheck.ingest.documents import MAX_CHARACTERS, MAX_RUN
from claimcheck.nlp import MAX_SENTENCE_TOKENS, TOKENIZER_RUN

from .conftest import ROOT, assert_spans_exact


def _extract(nlp, text: str):
    """Parse once, check the sentence bound, extract, check every span and figure."""
    doc = nlp(text)
    assert doc.text == text
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS
    # Built directly: ingest refuses text with no sentence end for 20,000 characters (tested
    # below), but the extractor must still survive whatever reaches it.
    extraction = extract(doc, Document(text=text, source="Test Wire", published=date(2020, 1, 1)))
    assert_spans_exact(extraction)
    for claim in extraction.claims:
        for f in claim.figures:
            assert math.isfinite(f.value), f
    return extraction


# --- refused: whitespace-free runs no prose has ------------------------------------------------


@pytest.mark.parametrize("text", ['"' * 50000, "#" * 50000, "(" * 10000 + "x" + ")" * 10000],
                         ids=["quote-marks", "hashes", "nested-parentheses"])
def test_a_run_without_spaces_past_the_limit_is_refused(text):
    with pytest.raises(DocumentError) as err:
        document_from_text(text)
    run = len(text)
    assert f"{run:,}-character run without spaces" in err.value.detail
    assert f"the limit is {MAX_RUN:,}" in err.value.detail


def test_the_run_limit_leaves_urls_and_long_words_alone(nlp):
    url = "https://example.com/" + "section/sub-section/" * 200 + "?q=" + "a" * 2000  # ~6,000 chars
    text = (f"The ministry said the rules took effect on Monday, according to {url} and the "
            "well-known never-to-be-repeated anti-establishment-minded campaigners.")
    extraction = _extract(nlp, text)
    assert extraction.claims


def test_a_document_longer_than_the_pipeline_takes_is_refused():
    with pytest.raises(DocumentError, match="too large"):
        document_from_text("Officials said it rained. " * (MAX_CHARACTERS // 26 + 1))


# --- processed in bounded time ----------------------------------------------------------------


def test_runs_under_the_limit_are_tokenized_in_pieces(nlp):
    text = "(" * 4000 + "officials said the town fell" + ")" * 4000
    assert max(len(t) for t in nlp.make_doc(text)) <= TOKENIZER_RUN
    _extract(nlp, text)
    _extract(nlp, '"' * MAX_RUN)


def test_the_bounded_tokenizer_leaves_prose_as_it_was(nlp):
    text = "Mr. O'Neill said: “It's $9bn (U.S.) — roughly 40%!” See https://example.com/a-b?c=d."
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in nlp.tokenizer.inner(text)]


@pytest.mark.parametrize("length", [20_001, 200_000, 400_000])
def test_text_with_no_sentence_end_is_refused_at_once(length):
    """Issue 9's leftover: 400,000 characters of words without a full stop took 17 s to parse
    (more than the 10 s asked); such text is not prose and is refused before any parse, saying
    where the unbroken stretch starts."""
    import time

    text = "Officials said so.\n" + " ".join(["word", "and", "another", "thing"] * (length // 10))[:length]
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="without a sentence end or line break"):
        document_from_text(text)
    assert time.perf_counter() - started < 1.0
    document_from_text(text[:19_000] + ". " + text[19_000:38_000])  # each stretch within the bound


@pytest.mark.slow
def test_one_sentence_of_200000_characters(nlp):
    words = ["word", "and", "another", "thing", "the", "officials", "said"]
    text = " ".join(words[i % len(words)] for i in range(40000))[:200000]
    assert len(text) == 200000
    _extract(nlp, text)


@pytest.mark.slow
def test_said_forty_thousand_times_does_not_crash_the_process():
    # Once a segmentation fault (recursion through Token.subtree): run it in a child process, so
    # that a regression fails this test instead of killing the test run.
    script = textwrap.dedent("""
        from claimcheck.domain import Document
        from claimcheck.extract.claims import extract
        from claimcheck.nlp import MAX_SENTENCE_TOKENS, load
        from claimcheck.settings import Settings
        text = "said " * 40000
        doc = load(Settings().spacy_model)(text)
        assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS
        extraction = extract(doc, Document(text=text))
        for claim in extraction.claims:
            for span in (claim.content, claim.cue, claim.speaker.mention):
                if span is not None:
                    assert text[span.start : span.end] == span.text, span
        print("claims", len(extraction.claims))
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "claims" in proc.stdout


def test_deeply_nested_parentheses_with_words(nlp):
    text = "".join(f"(word{i} said " for i in range(3000)) + "x" + ")" * 3000
    _extract(nlp, text)


@pytest.mark.slow
def test_a_document_that_is_one_long_number_list(nlp):
    text = ", ".join(str(i) for i in range(50000))
    _extract(nlp, text)


def test_a_400_digit_number_is_no_figure(nlp):
    extraction = _extract(nlp, "Officials said " + "9" * 400 + " people died in the town.")
    assert not [f for c in extraction.claims for f in c.figures]


def test_walks_over_a_very_deep_tree_do_not_recurse(nlp):
    n = 50000  # a chain: each word the child of the next, far deeper than the C stack allows
    doc = Doc(nlp.vocab, words=["said"] * n, heads=[*range(1, n), n - 1], deps=["ccomp"] * (n - 1) + ["ROOT"])
    assert subtree_size(doc[n - 1]) == n
    assert [t.i for t in subtree(doc[n // 2])] == list(range(n // 2 + 1))


def test_subtree_matches_spacy_in_order(nlp):
    doc = nlp("The head of the agency, John Smith, who spoke on Monday, said that 40 people, "
              "most of them children, had died in the attack on the northern town.")
    for tok in doc:
        assert [t.i for t in subtree(tok)] == [t.i for t in tok.subtree]


# --- numbers beyond a sane magnitude ----------------------------------------------------------

FIGURES = [
    ("Officials said " + "9" * 400 + " people died.", []),
    ("Some 5" + "0" * 300 + " people came.", []),  # a run the tokenizer cuts into pieces
    ("0" * 260 + "5 people came.", []),
    ("It cost $" + "9" * 320 + "bn.", []),
    ("About 10,000,000,000,000,000 people came.", []),  # 1e16: past exact floats
    ("They counted 5 trillion trillion stars.", []),
    ("It was the 1000000000000000000000th visitor.", []),
    ("Between 10 and 10000000000000000000000 votes.", []),
    ("It counted 9,007,199,254,740,992 votes.",
     [("9,007,199,254,740,992 votes", MAX_VALUE, "exact", MAX_VALUE, MAX_VALUE, "votes", "count")]),
    ("The debt reached $31 trillion.", [("$31 trillion", 31e12, "exact", 31e12, 31e12, "$", "money")]),
    ("Between 10 and 15 votes.", [("Between 10 and 15 votes", 10, "between", 10, 15, "votes", "count")]),
    ("It weighs 2.5 million tonnes.",
     [("2.5 million tonnes", 2.5e6, "exact", 2.5e6, 2.5e6, "tonnes", "count")]),
]


def _row(f):
    low = -math.inf if f.low is None else f.low
    high = math.inf if f.high is None else f.high
    return (f.text, f.value, f.qualifier, low, high, f.unit, f.kind.value)


@pytest.mark.parametrize(("text", "expected"), FIGURES, ids=[t[:40] for t, _ in FIGURES])
def test_figure_magnitudes(nlp, text, expected):
    figures = figures_in(nlp(text)[:])
    assert [_row(f) for f in figures] == [
        tuple(pytest.approx(x) if isinstance(x, float) else x for x in row) for row in expected]
    for f in figures:
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(("words", "value"), [
    (["9" * 400], None), (["1" + "0" * 309], None), (["dozen"] * 400, None),
    (["5", "trillion", "trillion"], None), (["two", "dozen"], 24.0), (["1.5", "million"], 1.5e6),
])
def test_words_value_is_finite_or_none(words, value):
    assert words_value(words) == value
    if len(words) == 1:
        assert digits_value(words[0]) == (value if value is None or words[0][0].isdigit() else None)


# --- dates that once raised -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2010, 2015", "march, may 2019", "10,000 years ago",
                                  "9999999999999 days ago", "2019-02-30", "2019-13-45"])
def test_date_expressions_never_raise(text):
    _, start, end, *_ = classify(text, date(2020, 1, 1))
    assert start is None and end is None
