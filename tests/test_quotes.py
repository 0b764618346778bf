import pytest

from claimcheck.extract.quotes import find_quotes, paragraphs


def inner(text: str) -> list[str]:
    return [text[q.inner_start : q.inner_end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("‘We won,’ he said.", ["We won,"]),
        ("“We won,” he said.", ["We won,"]),
        ('"We won," he said.', ["We won,"]),
        ("''We won,'' he said.", ["We won,"]),
        ("``We won,'' he said.", ["We won,"]),
        ("He said: ‘We’ve done it. There won’t be any left.’", ["We’ve done it. There won’t be any left."]),
        ("‘A,’ he said. ‘B.’", ["A,", "B."]),
        ('"Mixed marks,” she said.', ["Mixed marks,"]),
        ("“It is ‘nested’ here,” she said.", ["It is ‘nested’ here,"]),
        ("The jihadists’ largest town fell, ‘quickly,’ he said.", ["quickly,"]),
        # Negatives: apostrophes, possessives and measurements are not quotes.
        ("The group’s leader won’t go.", []),
        ("Boeing 's jets and the '90s.", []),
        ("He is 6'2\" tall.", []),
        ("No quotes at all.", []),
    ],
)
def test_quote_marks(text, expected):
    assert inner(text) == expected


def test_quote_runs_over_paragraphs_when_the_next_one_reopens():
    text = "‘First paragraph of the quote.\n‘Second paragraph,’ he said.\nNarration."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert text[quotes[0].inner_start : quotes[0].inner_end].endswith("Second paragraph,")
    assert quotes[0].closed


def test_unbalanced_mark_ends_with_its_paragraph():
    text = "“This never closes.\nA new paragraph of narration.\nAnother one."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert not quotes[0].closed
    assert quotes[0].end == text.index("\n")


def test_paragraphs_skip_blank_lines_and_trim():
    text = "Head\n\n  Body one.  \nBody two."
    assert [text[s:e] for s, e in paragraphs(text)] == ["Head", "Body one.", "Body two."]
