"""Use cases: ingest documents, verify a statement, rebuild the search index.

Each takes the store and the index as parameters (SQLite and tantivy in production, the
in-memory store in unit tests); adapters (CLI, HTTP) only translate inputs and errors.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from claimcheck.domain import Claim, Document, Verdict
from claimcheck.errors import InvalidInput
from claimcheck.extract import Extractor
from claimcheck.ingest import document_from_text
from claimcheck.match import Candidate, SearchIndex, assess, decide, terms
from claimcheck.store.protocol import ClaimStore, PutResult

MAX_STATEMENT = 2000
CANDIDATES = 20
_ALL = 1_000_000


@dataclass(frozen=True, slots=True)
class Ingested:
    document: Document
    result: PutResult


def ingest(store: ClaimStore, index: SearchIndex, extractor: Extractor,
           documents: Iterable[Document], n_process: int = 1, index_every: int = 64) -> Iterator[Ingested]:
    """Extract, store and index each document. Idempotent: the same text is stored once.

    The store commits every document; the search index commits once per ``index_every``
    documents (an index commit costs far more than a row insert) and at the end. A crash in
    between leaves the index behind the store, which ``ensure_index`` repairs on next open.
    A result is yielded once its document is both stored and searchable."""
    pending: list[Ingested] = []
    for extraction in extractor.extract_many(documents, n_process=n_process):
        result = store.put(extraction)
        pending.append(Ingested(extraction.document, result))
        if len(pending) >= index_every:
            yield from _index_batch(store, index, pending)
            pending = []
    yield from _index_batch(store, index, pending)


def _index_batch(store: ClaimStore, index: SearchIndex, batch: list[Ingested]) -> list[Ingested]:
    replaced = [b.result.replaced for b in batch if b.result.replaced]
    for document_id in replaced:
        index.remove_document(document_id)
    created = [b.result.document_id for b in batch if b.result.created]
    if created:
        index.add(c for doc_id in created for c in store.list_claims(document_id=doc_id, limit=_ALL))
    return batch


def delete_document(store: ClaimStore, index: SearchIndex, document_id: str) -> bool:
    gone = store.delete_document(document_id)
    if gone:
        index.remove_document(document_id)
    return gone


def reindex(store: ClaimStore, index: SearchIndex) -> int:
    """Rebuild the search index from the store, the record."""
    index.clear()
    batch = []
    count = 0
    for stored in store.iter_claims():
        batch.append(stored)
        if len(batch) >= 10_000:
            index.add(batch)
            count += len(batch)
            batch = []
    index.add(batch)
    return count + len(batch)


def ensure_index(store: ClaimStore, index: SearchIndex) -> bool:
    """Rebuild the index if it is out of step with the store (a crash between the two writes,
    or an index deleted by hand). Returns whether it rebuilt."""
    if index.count() == store.count_claims():
        return False
    reindex(store, index)
    return True


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


def verify(store: ClaimStore, index: SearchIndex, extractor: Extractor, statement: str,
           speaker: str | None = None, on: date | None = None,
           timings: dict[str, float] | None = None,
           parse: Callable[[Document], Claim] | None = None) -> Verdict:
    """Verdict on ``statement`` (optionally credited to ``speaker``; relative dates in it resolved
    against ``on``) with the source claims that decided it. ``timings``, when given, receives
    the seconds spent parsing, retrieving and scoring (for benchmarks). ``parse`` replaces the
    extractor's own statement parsing (the HTTP service batches it across requests)."""
    t0 = time.perf_counter()
    text = clean_statement(statement)
    if speaker is not None:
        speaker = clean_statement(speaker) if speaker.strip() else None
    parsed = (parse or extractor.statement)(document_from_text(text, published=on))
    if speaker is None and parsed.speaker.name and parsed.speaker.resolved:
        speaker = parsed.speaker.name
    t1 = time.perf_counter()
    query = terms(parsed.lemmas) + (terms(speaker) if speaker else [])
    hits = index.search(query, CANDIDATES)
    stored = store.get_claims([claim_id for claim_id, _ in hits])
    speaker_ids = {s.id for s in store.find_speakers(speaker)} if speaker else set()
    t2 = time.perf_counter()
    evidence = []
    for claim_id, _score in hits:
        if claim_id not in stored:
            continue  # the index ran ahead of the store (a delete in flight): skip
        s = stored[claim_id]
        assessed = assess(parsed, speaker, Candidate(claim_id, s.claim, s.speaker_id), speaker_ids)
        if assessed is not None:
            evidence.append(assessed)
    verdict = decide(parsed, speaker, evidence)
    if timings is not None:
        timings.update(parse=t1 - t0, retrieve=t2 - t1, score=time.perf_counter() - t2)
    return verdict
