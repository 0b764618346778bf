"""Use cases: ingest documents, verify a statement, rebuild the search index.

Each takes the store and the index as parameters (SQLite and tantivy in production, the
in-memory store in unit tests); adapters (CLI, HTTP) only translate inputs and errors.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from claimcheck.domain import (
    Claim,
    Document,
    Evidence,
    Extraction,
    FactCheck,
    FactCheckMatch,
    SpeakerKind,
    Verdict,
)
from claimcheck.errors import InvalidInput
from claimcheck.extract import Extractor
from claimcheck.ingest import document_from_text
from claimcheck.match import Candidate, SearchIndex, assess, decide, judge, rebuild_index, sync_index, terms
from claimcheck.match import factchecks as claim_matching
from claimcheck.match.entailment import EntailmentScorer
from claimcheck.names import name_tokens, role_context, role_holds, role_names, role_phrase
from claimcheck.store.factchecks import FactCheckPut, StoredFactCheck
from claimcheck.store.protocol import ClaimStore, PutResult, SpeakerRecord, StoredClaim

__all__ = ["Affiliation", "Ingested", "add_factchecks", "affiliations", "clean_statement", "delete_document",
           "factcheck_documents", "ingest", "prior_factchecks", "put_extraction", "reindex", "speaker_ids",
           "sync_index", "verify"]

MAX_STATEMENT = 2000
CANDIDATES = 20


@dataclass(frozen=True, slots=True)
class Ingested:
    document: Document
    result: PutResult


def ingest(store: ClaimStore, index: SearchIndex, extractor: Extractor,
           documents: Iterable[Document], n_process: int = 1, index_every: int = 64,
           timeout: float | None = None) -> Iterator[Ingested]:
    """Extract, store and index each document. Idempotent: the same text is stored once.

    The store commits every document (and logs the change); the index catches up with the log
    once per ``index_every`` documents (an index commit costs far more than a row insert) and at
    the end. A result is yielded once its document is both stored and searchable: a crash in
    between leaves changes the next sync applies, in this process or any other. ``timeout``
    bounds the wait for the index's write lock (``Busy`` after it)."""
    pending: list[Ingested] = []
    for extraction in extractor.extract_many(documents, n_process=n_process):
        pending.append(Ingested(extraction.document, store.put(extraction)))
        if len(pending) >= index_every:
            sync_index(store, index, timeout=timeout)
            yield from pending
            pending = []
    # Also when every document was already stored: a retry after a failed index write repairs
    # the index before it is acknowledged.
    sync_index(store, index, timeout=timeout)
    yield from pending


def put_extraction(store: ClaimStore, index: SearchIndex, extraction: Extraction,
                   timeout: float | None = None) -> PutResult:
    """Store one already extracted document and make it searchable before returning."""
    result = store.put(extraction)
    sync_index(store, index, timeout=timeout)
    return result


def delete_document(store: ClaimStore, index: SearchIndex, document_id: str,
                    timeout: float | None = None) -> bool:
    gone = store.delete_document(document_id)
    sync_index(store, index, timeout=timeout)
    return gone


def factcheck_documents(reviews: Sequence[FactCheck]) -> list[Document]:
    """Each review's claim as the statement parser reads it: dated by the claim's date (else
    the review's), so that "last year" in it resolves as the claimant meant it."""
    return [document_from_text(r.claim, published=r.claim_date or r.reviewed) for r in reviews]


def add_factchecks(store: ClaimStore, reviews: Sequence[FactCheck], parsed: Sequence[Claim]) -> FactCheckPut:
    """Store reviews (read by ingest/claimreview.py) with their claims parsed
    (``factcheck_documents``, then the statement parser), all in one transaction."""
    return store.put_factchecks([StoredFactCheck(r, p) for r, p in zip(reviews, parsed, strict=True)])


def prior_factchecks(store: ClaimStore, parsed: Claim, speaker: str | None, said: str,
                     entailment: EntailmentScorer | None = None) -> list[FactCheckMatch]:
    """Stored fact-checks of the parsed statement's claim, best first (match/factchecks.py).
    ``said``: the statement as written, with "X said" when the speaker was given apart."""
    reviews = store.search_factchecks(terms(parsed.lemmas) + (name_tokens(speaker) if speaker else []),
                                      claim_matching.CANDIDATES)
    return claim_matching.match(parsed, speaker, said, reviews, entailment) if reviews else []


def reindex(store: ClaimStore, index: SearchIndex, timeout: float | None = None) -> int:
    """Rebuild the search index from the store, the record."""
    return rebuild_index(store, index, timeout)


def clean_statement(statement: str) -> str:
    """Validate a statement and fold its whitespace; errors name what is wrong."""
    if not isinstance(statement, str):
        raise InvalidInput("statement must be a string")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in statement):
        raise InvalidInput("statement contains a lone surrogate (not valid Unicode text)")
    if "\x00" in statement:
        raise InvalidInput("statement contains a NUL character")
    text = " ".join(
        "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in statement).split()
    )
    if not text:
        raise InvalidInput("statement is empty")
    if len(text) > MAX_STATEMENT:
        raise InvalidInput(f"statement is {len(text):,} characters long; the limit is {MAX_STATEMENT:,}")
    return text


def speaker_ids(store: ClaimStore, name: str) -> list[str]:
    """The stored speakers a name may refer to ("Okafor", an alias, a full name), for filtering
    claims by speaker."""
    return [s.id for s in store.find_speakers(name)]


@dataclass(frozen=True, slots=True)
class Affiliation:
    """A speaker linked to another: a person and an organisation they speak for."""

    name: str
    speaker_id: str | None  # None: the organisation is named but never speaks in the corpus


_ORGANISATIONS = (SpeakerKind.ORGANISATION, SpeakerKind.GROUP)


def affiliations(store: ClaimStore, speaker: SpeakerRecord) -> list[Affiliation]:
    """Who ``speaker`` is linked to. A person: the organisations they speak for, each linked to
    the organisation's own speaker when exactly one fits the name. An organisation: the people
    who speak for it, under its name or any alias."""
    if speaker.kind in _ORGANISATIONS:
        people = store.find_affiliated((speaker.name, *speaker.aliases))
        return [Affiliation(p.name, p.id) for p in people if p.id != speaker.id]
    links = []
    for org in speaker.affiliations:
        found = [s for s in store.find_speakers(org) if s.kind in _ORGANISATIONS]
        links.append(Affiliation(found[0].name if len(found) == 1 else org,
                                 found[0].id if len(found) == 1 else None))
    return list({a.name: a for a in links}.values())


def statement_speaker(parsed: Claim) -> str | None:
    """Who a parsed statement credits: the name, or the whole phrase when the name is only the
    organisation of a role ("the chairman of the Harbour Board", "the head of X")."""
    sp = parsed.speaker
    if sp.role and sp.mention and sp.kind is not SpeakerKind.PERSON and sp.name \
            and len(sp.mention.text) > len(sp.name) and role_phrase(sp.mention.text) is not None:
        return sp.mention.text
    return sp.name


def role_holders(store: ClaimStore, phrase: str, candidates: Iterable[StoredClaim]) -> set[str]:
    """Ids of the speakers a role phrase names: by a role stored for them anywhere in the corpus,
    or by the words next to their name in a candidate claim's own document."""
    ids = {s.id for s in store.find_speakers_by_role(phrase)}
    role = role_phrase(phrase)
    if role is None:
        return ids
    documents: dict[str, str | None] = {}
    for c in candidates:
        sp = c.claim.speaker
        if c.speaker_id is None or c.speaker_id in ids or sp.kind is SpeakerKind.PUBLICATION \
                or not sp.name or not sp.resolved:
            continue
        doc_id = c.claim.document_id
        if doc_id not in documents:
            found = store.get_document(doc_id)
            documents[doc_id] = found.text if found else None
        text = documents[doc_id]
        record = store.get_speaker(c.speaker_id)
        aliases = record.aliases if record else ()
        if text and role_holds(role, role_context(text, role_names(sp.name, aliases, sp.kind)), text):
            ids.add(c.speaker_id)
    return ids


def statement_document(statement: str, on: date | None = None) -> Document:
    """A statement as the parser reads it: validated, whitespace folded, dated ``on``."""
    return document_from_text(clean_statement(statement), published=on)


def verify(store: ClaimStore, index: SearchIndex, extractor: Extractor | None, statement: str,
           speaker: str | None = None, on: date | None = None,
           timings: dict[str, float] | None = None,
           parse: Callable[[Document], Claim] | None = None, parsed: Claim | None = None,
           entailment: EntailmentScorer | None = None) -> Verdict:
    """Verdict on ``statement`` (optionally credited to ``speaker``; relative dates in it resolved
    against ``on``) with the source claims that decided it. ``timings``, when given, receives
    the seconds spent parsing, retrieving and scoring (for benchmarks). ``parse`` replaces the
    extractor's own statement parsing; ``parsed`` is the statement already parsed (from
    ``statement_document``), as the HTTP service does, in batches across requests.
    ``entailment``: the model that reads the best candidates beside the rules (None: the rules
    alone)."""
    t0 = time.perf_counter()
    if speaker is not None:
        speaker = clean_statement(speaker) if speaker.strip() else None
    given_speaker = speaker
    if parsed is None:  # (parsed already, the statement was validated by statement_document)
        parser = parse or (extractor.statement if extractor is not None else None)
        if parser is None:
            raise ValueError("verify needs an extractor, a parse function or the parsed statement")
        parsed = parser(statement_document(statement, on))
    if speaker is None and parsed.speaker.name and parsed.speaker.resolved:
        speaker = statement_speaker(parsed)
    t1 = time.perf_counter()
    query = terms(parsed.lemmas) + (terms(speaker) if speaker else [])
    hits = index.search(query, CANDIDATES)
    stored = store.get_claims([claim_id for claim_id, _ in hits])
    speaker_ids = {s.id for s in store.find_speakers(speaker)} if speaker else set()
    if speaker and role_phrase(speaker) is not None:
        speaker_ids |= role_holders(store, speaker, stored.values())
    t2 = time.perf_counter()
    evidence: list[Evidence] = []
    near: list[Evidence] = []
    for rank, (claim_id, _score) in enumerate(hits):
        if claim_id not in stored:
            continue  # the index ran ahead of the store (a delete in flight): skip
        s = stored[claim_id]
        cand = Candidate(claim_id, s.claim, s.speaker_id)
        assessed = assess(parsed, speaker, cand, speaker_ids)
        if assessed is not None:
            evidence.append(assessed)
        elif entailment is not None and rank < judge.CANDIDATES \
                and (low := assess(parsed, speaker, cand, speaker_ids, gate=0.0)) is not None:
            # The model reads the top hits even when they share few words ("Shares in the firm
            # rose 1%" against "Shares fell 1% to 51 euros"): it may see the same event.
            near.append(low)
    t3 = time.perf_counter()
    said = statement if given_speaker is None or parsed.speaker.name else f"{given_speaker} said {statement}"
    if entailment is not None:
        texts: dict[str, str | None] = {}

        def text_of(document_id: str) -> str | None:
            if document_id not in texts:
                found = store.get_document(document_id)
                texts[document_id] = found.text if found else None
            return texts[document_id]

        # The model reads the statement whole, as a desk wrote it ("X said ..."), against the
        # sentence each source stands in: the shape of the pairs it was trained on.
        evidence = judge.with_model(parsed, evidence, near, entailment, text_of, said)
    t4 = time.perf_counter()
    verdict = decide(parsed, speaker, evidence, model=entailment is not None)
    # Prior fact-checks of the same claim, beside the verdict from the articles.
    matches = prior_factchecks(store, parsed, speaker, said, entailment)
    if matches:
        verdict = replace(verdict, factchecks=tuple(matches))
    if timings is not None:
        timings.update(parse=t1 - t0, retrieve=t2 - t1, score=(t3 - t2) + (time.perf_counter() - t4),
                       model=t4 - t3)
    return verdict
