"""From a parsed document to attributed claims with their figures and dates."""

from __future__ import annotations

import bisect
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as TokenSpan

from claimcheck.domain import (
    AttributionKind,
    Claim,
    Document,
    Entity,
    Extraction,
    Modality,
    Span,
    Speaker,
    SpeakerKind,
    SpeakerRef,
)
from claimcheck.extract.attribution import Found, find_attributions
from claimcheck.extract.dates import dates_in, mention
from claimcheck.extract.figures import figures_in
from claimcheck.extract.lexicon import ACT_CUES
from claimcheck.extract.speakers import DocumentSpeakers


def extract(doc: Doc, document: Document) -> Extraction:
    """The claims of ``document``, whose text ``doc`` is the parse of. Pure: no I/O, no model."""
    text = document.text
    region_start = document.headline.start if document.headline else document.body_start
    region_end = document.body_end if document.body_end is not None else len(text)
    speakers = DocumentSpeakers(doc)
    narrator = SpeakerRef(name=document.source, kind=SpeakerKind.PUBLICATION,
                          resolved=document.source is not None)
    # Computed once per document, not per claim: the id hashes the whole text, and
    # ``Span.ents`` rebuilds every entity of the document (both made extraction quadratic).
    context = _Context(document.id, doc.ents)
    claims: dict[str, Claim] = {}
    last: tuple[Found, SpeakerRef] | None = None  # the latest attributed claim
    for found in find_attributions(doc, region_start, region_end):
        ref = _speaker_ref(found, speakers, narrator, last, document.text)
        if found.kind is not AttributionKind.NARRATOR:
            last = (found, ref)
        claim = _claim(doc, document, found, ref, context)
        # One claim per kind and span (its id): two cues of one clause ("quoted X as saying
        # ...") report it once; the first, outer one is kept.
        claims.setdefault(claim.id, claim)
    roster = tuple(
        Speaker(e.name, e.kind, tuple(e.aliases), tuple(e.roles), tuple(e.affiliations))
        for e in speakers.entries()
    )
    return Extraction(document=document, claims=tuple(claims.values()), speakers=roster)


def _addressed(found: Found, text: str) -> frozenset[str]:
    """Words of the names in a cue after its verb ("told Brandt", "said in a letter to Ann
    Cole"): whoever is spoken to is not the one speaking."""
    if found.cue is None:
        return frozenset()
    words = text[found.cue[0]:found.cue[1]].split()[1:]
    return frozenset(w.strip(".,’'s").lower() for w in words if w[:1].isupper())


def _speaker_ref(found: Found, speakers: DocumentSpeakers, narrator: SpeakerRef,
                 last: tuple[Found, SpeakerRef] | None, text: str) -> SpeakerRef:
    if found.kind is AttributionKind.NARRATOR:
        return narrator
    m = found.mention
    if found.continues:
        # An untagged quote continues the previous quote's speaker only when nobody else was
        # credited with anything in between.
        # (A quote running on from the previous paragraph has no mention of its own: it
        # continues whoever was credited in that paragraph.)
        if last is not None and (last[0].mention is m if m is not None
                                 else 0 <= found.paragraph - last[0].paragraph <= 1):
            prev = last[1]
            return SpeakerRef(prev.name, prev.kind, None, prev.role, prev.resolved)
        m = None
    if m is None:
        return SpeakerRef(None, SpeakerKind.UNKNOWN, None, None, resolved=False)
    name, kind, resolved = speakers.resolve(m, _addressed(found, text))
    if resolved and name is not None:
        speakers.record(m, name, kind)
    return SpeakerRef(name, kind, Span(m.start, m.end, m.text), m.role, resolved)


class _Context:
    """What every claim of one document needs: its id, and its entities by token offset."""

    def __init__(self, document_id: str, ents: Sequence[TokenSpan]) -> None:
        self.document_id = document_id
        self.ents = tuple(ents)
        self.starts = [e.start for e in ents]
        self.char_starts = [e.start_char for e in ents]
        # Names the article repeats (its protagonists) count as context for every claim.
        counts: dict[str, int] = {}
        for e in self.ents:
            if e.label_ in NAMED:
                counts[e.text] = counts.get(e.text, 0) + 1
        self.recurring = tuple(sorted(t for t, n in counts.items() if n >= 2))

    def names_around(self, start: int, end: int) -> tuple[str, ...]:
        """Names of the entities near a claim's content (outside it) and the article's recurring
        names."""
        lo = bisect.bisect_left(self.char_starts, start - _CONTEXT_BEFORE)
        hi = bisect.bisect_right(self.char_starts, end + _CONTEXT_AFTER)
        near = {e.text for e in self.ents[lo:hi] if e.label_ in NAMED and not (start <= e.start_char < end)}
        return tuple(sorted(near.union(self.recurring)))

    def ents_in(self, span: TokenSpan) -> tuple[TokenSpan, ...]:
        """The entities wholly inside ``span``, as ``span.ents`` (entities never overlap)."""
        lo = bisect.bisect_left(self.starts, span.start)
        hi = lo
        while hi < len(self.ents) and self.ents[hi].end <= span.end:
            hi += 1
        return self.ents[lo:hi]


def _claim(doc: Doc, document: Document, found: Found, ref: SpeakerRef, context: _Context) -> Claim:
    text = document.text
    s, e = found.content
    tokens = doc.char_span(s, e, alignment_mode="expand")
    said_on = mention(found.said_on, document.published) if found.said_on is not None else None
    exclude = (said_on.start, said_on.end) if said_on else None
    figures = tuple(f for f in figures_in(tokens) if s <= f.start and f.end <= e) if tokens else ()
    dates = tuple(dates_in(tokens, document.published, exclude, context.ents_in(tokens))) if tokens else ()
    cue = Span(found.cue[0], found.cue[1], text[found.cue[0] : found.cue[1]]) if found.cue else None
    return Claim(
        document_id=context.document_id,
        kind=found.kind,
        speaker=ref,
        content=Span(s, e, text[s:e]),
        cue=cue,
        figures=figures,
        dates=dates,
        said_on=said_on,
        negated=found.negated,
        modality=Modality.BELIEVED if found.believed else Modality.ASSERTED,
        lemmas=content_lemmas(tokens) if tokens else "",
        entities=named_entities(context.ents_in(tokens)) if tokens else (),
        context=context.names_around(s, e),
        predicates=predicate_lemmas(tokens) if tokens else "",
    )


# Entity labels that name something a statement could get wrong (not numbers or dates: those
# are figures and dates, compared on their own).
NAMED = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})
# How far before a claim its article may have named who the claim's pronouns and descriptions
# are ("the militia", "he"): about two sentences.
_CONTEXT_BEFORE = 400
_CONTEXT_AFTER = 150


def named_entities(ents: Iterable[TokenSpan]) -> tuple[Entity, ...]:
    return tuple(Entity(e.start_char, e.end_char, e.text, e.label_) for e in ents if e.label_ in NAMED)


# Adverbs are left out: mostly degree ("roughly", "badly"), which a paraphrase drops freely.
_PREDICATE_POS = frozenset({"VERB", "ADJ"})


def predicate_lemmas(span) -> str:
    """Lower-case lemmas of the verbs and adjectives of ``span`` (no stop words); a phrasal verb
    with its particle, as WordNet spells it ("held up" -> "hold_up": "delay", not "hold")."""
    return " ".join(_phrasal(t) for t in span
                    if t.pos_ in _PREDICATE_POS and not t.is_stop and t.text.isalpha())


def _phrasal(tok) -> str:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        for child in tok.children:
            if child.dep_ == "prt" and child.text.isalpha():
                return f"{lemma}_{child.lower_}"
    return lemma


def content_lemmas(span) -> str:
    """Lower-case lemmas of the words in ``span``, stop words and punctuation left out."""
    return " ".join(
        t.lemma_.lower() for t in span
        if not (t.is_stop or t.is_punct or t.is_space) and any(ch.isalnum() for ch in t.text)
    )


def _act_cue(doc: Doc, claim: Claim) -> bool:
    if claim.cue is None:
        return False
    span = doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[0].lemma_.lower() in ACT_CUES


def _without_manner(doc: Doc, claim: Claim) -> str:
    """A statement's lemmas less its manner and degree adverbs ("completely beaten", "badly
    hampered"): a reader's paraphrase picks its own ("fully", "severely"), so they say little
    about whether a source is on the same topic."""
    manner = {t.lemma_.lower() for t in doc if t.pos_ == "ADV" and t.text.lower().endswith("ly")
              and claim.content.start <= t.idx < claim.content.end}
    if not manner:
        return claim.lemmas
    return " ".join(w for w in claim.lemmas.split() if w not in manner)


def statement_claim(doc: Doc, document: Document) -> Claim:
    """A statement as one claim: its attributed claim when it reports someone ("X said Y"),
    else its own assertion; a verbless statement ("900 fighters killed in town") as a whole."""
    claims = extract(doc, document).claims
    attributed = [c for c in claims if c.kind is not AttributionKind.NARRATOR]
    if attributed and all(_act_cue(doc, c) for c in attributed) and len(claims) == len(attributed):
        # "Kestrel Air agreed to buy 30 jets", "X praised the plan": an act, read as a whole.
        claims, attributed = (), []
    pool = attributed or list(claims)
    if pool:
        chosen = max(pool, key=lambda c: c.content.end - c.content.start)
        return replace(chosen, lemmas=_without_manner(doc, chosen))
    span = doc[:]
    text = document.text
    return Claim(
        document_id=document.id, kind=AttributionKind.NARRATOR,
        speaker=SpeakerRef(None, SpeakerKind.UNKNOWN, resolved=False),
        content=Span(0, len(text), text), figures=tuple(figures_in(span)),
        dates=tuple(dates_in(span, document.published)), lemmas=content_lemmas(span),
        entities=named_entities(doc.ents),
        predicates=predicate_lemmas(span),
    )


class Extractor:
    """Parses documents with one shared pipeline, in batches, and extracts their claims."""

    def __init__(self, nlp: Language, batch_size: int = 32) -> None:
        self.nlp = nlp
        self.batch_size = batch_size

    def extract(self, document: Document) -> Extraction:
        return extract(self.nlp(document.text), document)

    def statement(self, document: Document) -> Claim:
        return statement_claim(self.nlp(document.text), document)

    def statements(self, documents: list[Document]) -> list[Claim]:
        """Several statements in one ``nlp.pipe`` batch: much cheaper per statement than one by one."""
        docs = self.nlp.pipe((d.text for d in documents), batch_size=max(1, len(documents)))
        return [statement_claim(doc, d) for doc, d in zip(docs, documents, strict=True)]

    def extract_many(self, documents: Iterable[Document], n_process: int = 1) -> Iterator[Extraction]:
        """Extractions in input order. With ``n_process`` > 1, worker processes both parse and
        extract, and send back claims rather than parsed Docs (much smaller to move), so the
        parent is left only the store and index writes."""
        if n_process <= 1:
            pairs = ((d.text, d) for d in documents)
            for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
                yield extract(doc, document)
            return
        yield from _extract_in_workers(self, documents, n_process)


# The pipeline a forked worker inherits from its parent (copy-on-write, nothing reloaded).
_WORKER: Extractor | None = None


def _work(batch: list[Document]) -> list[Extraction]:
    assert _WORKER is not None
    return list(_WORKER.extract_many(batch))


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for d in documents:
        batch.append(d)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _extract_in_workers(extractor: Extractor, documents: Iterable[Document], n_process: int) -> Iterator[Extraction]:
    global _WORKER
    methods = multiprocessing.get_all_start_methods()
    if "fork" not in methods:  # no fork (macOS default spawn, Windows): stay in one process
        yield from extractor.extract_many(documents)
        return
    _WORKER = extractor
    with multiprocessing.get_context("fork").Pool(n_process) as pool:
        for extractions in pool.imap(_work, _batches(documents, max(1, extractor.batch_size // 4))):
            yield from extractions
