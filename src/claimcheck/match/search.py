"""Candidate retrieval: BM25 over claim lemmas and speaker names, with tantivy.

The store is the record; this index is derived from it, kept in step on every write and
rebuildable from the store (``claimcheck reindex``). Queries are built from terms, never parsed
from user text, so no input is query syntax.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import tantivy

from claimcheck.store.protocol import StoredClaim

_TERM = re.compile(r"[^\W_]+", re.UNICODE)


def terms(text: str) -> list[str]:
    """Lower-case alphanumeric terms, split as tantivy's default tokenizer splits them."""
    return _TERM.findall(text.lower())


def claim_body(stored: StoredClaim) -> str:
    claim = stored.claim
    return " ".join(x for x in (claim.lemmas, (claim.speaker.name or "").lower()) if x)


class SearchIndex(Protocol):
    def add(self, claims: Iterable[StoredClaim]) -> None: ...

    def remove_document(self, document_id: str) -> None: ...

    def search(self, query_terms: list[str], k: int = 20) -> list[tuple[str, float]]: ...

    def count(self) -> int: ...

    def clear(self) -> None: ...


class TantivyIndex:
    """A tantivy index on disk (``path``) or in memory (``path=None``)."""

    def __init__(self, path: Path | None = None) -> None:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("claim_id", stored=True, tokenizer_name="raw")
        builder.add_text_field("document_id", stored=False, tokenizer_name="raw")
        builder.add_text_field("body", stored=False)
        self.schema = builder.build()
        self.path = path
        self._lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        if self.path is None:
            self.index = tantivy.Index(self.schema)
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, path=str(self.path))
        self._writer = None

    def _write(self):
        if self._writer is None:
            self._writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        return self._writer

    def add(self, claims: Iterable[StoredClaim]) -> None:
        with self._lock:
            writer = self._write()
            for stored in claims:
                writer.add_document(tantivy.Document(
                    claim_id=stored.id, document_id=stored.claim.document_id, body=claim_body(stored)))
            writer.commit()
            self.index.reload()

    def remove_document(self, document_id: str) -> None:
        with self._lock:
            writer = self._write()
            writer.delete_documents_by_term("document_id", document_id)
            writer.commit()
            self.index.reload()

    def search(self, query_terms: list[str], k: int = 20) -> list[tuple[str, float]]:
        unique = list(dict.fromkeys(t for t in query_terms if t))
        if not unique:
            return []
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "body", t)) for t in unique])
        searcher = self.index.searcher()
        result = searcher.search(query, k)
        return [(searcher.doc(address)["claim_id"][0], score) for score, address in result.hits]

    def count(self) -> int:
        return self.index.searcher().num_docs

    def clear(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.delete_all_documents()
                self._writer.commit()
                self._writer = None
            if self.path is not None:
                shutil.rmtree(self.path, ignore_errors=True)
            self._open()
