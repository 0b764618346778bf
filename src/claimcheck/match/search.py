"""Candidate retrieval: BM25 over claim lemmas and speaker names, with tantivy.

The store is the record; this index is derived from it and follows the store's change log
(``match/sync.py``). Queries are built from terms, never parsed from user text, so no input is
query syntax.

Lifecycle, correct by construction:
- Reading needs nothing held open: ``search`` first checks (one ``stat``) whether another writer,
  in this process or any other, committed since the last look, and reloads if so.
- A writer exists only inside ``writing()``. It takes the cross-process write lock (a lock file
  beside the index, bounded wait, then ``Busy``), opens tantivy's own writer, and always releases
  both on the way out, commit or exception. Nothing keeps a writer between writes.
- Each commit records what it is in step with (the store's id and change ``seq``) in a small
  state file written after tantivy's commit; a crash between the two only means the last
  changes are applied again, which is idempotent.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import filelock
import tantivy

from claimcheck.errors import Busy, StoreError
from claimcheck.store.protocol import StoredClaim

log = logging.getLogger("claimcheck.index")
_TERM = re.compile(r"[^\W_]+", re.UNICODE)

# Bump when the schema or what is indexed changes: an index of another format is rebuilt, in a
# folder of its own, so that readers of the old one are never pulled from under.
FORMAT = 2
_STATE = "claimcheck-state.json"
_HEAP = 64_000_000


def terms(text: str) -> list[str]:
    """Lower-case alphanumeric terms, split as tantivy's default tokenizer splits them."""
    return _TERM.findall(text.lower())


def claim_body(stored: StoredClaim) -> str:
    claim = stored.claim
    return " ".join(x for x in (claim.lemmas, (claim.speaker.name or "").lower()) if x)


@dataclass(frozen=True, slots=True)
class IndexState:
    """What a committed index is in step with: the store it was built from and the last change
    of that store's log that it has applied."""

    store_id: str
    seq: int
    format: int = FORMAT


class IndexWrite(Protocol):
    """An open write on the index; nothing is visible to searches until ``commit``."""

    def state(self) -> IndexState | None: ...

    def put_document(self, document_id: str, claims: Iterable[StoredClaim]) -> None: ...

    def remove_document(self, document_id: str) -> None: ...

    def clear(self) -> None: ...

    def commit(self, state: IndexState) -> None: ...


class SearchIndex(Protocol):
    def search(self, query_terms: list[str], k: int = 20) -> list[tuple[str, float]]: ...

    def count(self) -> int:
        """Claims in the index."""
        ...

    def document_ids(self) -> set[str]: ...

    def count_documents(self) -> int: ...

    def state(self) -> IndexState | None:
        """The last committed state; None for an index never written by this format."""
        ...

    def writing(self, timeout: float | None = None) -> AbstractContextManager[IndexWrite]: ...

    def close(self) -> None: ...


class _TantivyWrite:
    def __init__(self, owner: TantivyIndex, writer: Any) -> None:
        self._owner, self._writer = owner, writer

    def state(self) -> IndexState | None:
        return self._owner.state()

    def put_document(self, document_id: str, claims: Iterable[StoredClaim]) -> None:
        """The document as the store has it now: replaces whatever the index had for it."""
        self._writer.delete_documents_by_term("document_id", document_id)
        self._writer.add_document(tantivy.Document(kind="doc", document_id=document_id))
        for stored in claims:
            self._writer.add_document(tantivy.Document(
                kind="claim", claim_id=stored.id, document_id=document_id, body=claim_body(stored)))

    def remove_document(self, document_id: str) -> None:
        self._writer.delete_documents_by_term("document_id", document_id)

    def clear(self) -> None:
        self._writer.delete_all_documents()

    def commit(self, state: IndexState) -> None:
        self._writer.commit()
        self._owner._save_state(state)


class TantivyIndex:
    """A tantivy index in the folder ``path`` (``None``: in memory, for tests and fixtures).

    ``lock_timeout`` bounds how long ``writing()`` waits for another writer by default."""

    def __init__(self, path: Path | None = None, lock_timeout: float = 10.0) -> None:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("kind", stored=False, tokenizer_name="raw")  # "claim" or "doc"
        builder.add_text_field("claim_id", stored=True, tokenizer_name="raw")
        builder.add_text_field("document_id", stored=True, tokenizer_name="raw")
        builder.add_text_field("body", stored=False)
        self.schema = builder.build()
        self.path = path
        self.lock_timeout = lock_timeout
        self._thread_lock = threading.Lock()  # writers in this process queue here, not on the file
        self._memory_state: IndexState | None = None
        self._seen: tuple[int, int, int] | None = None
        if path is None:
            self._index = tantivy.Index(self.schema)
            self._file_lock = None
        else:
            self._folder = path / f"v{FORMAT}"
            self._folder.mkdir(parents=True, exist_ok=True)
            self._file_lock = filelock.FileLock(path / "write.lock", thread_local=False)
            self._index = self._open_folder()
            self._seen = self._state_signature()

    def _open_folder(self) -> Any:
        try:
            return tantivy.Index(self.schema, path=str(self._folder))
        except (ValueError, OSError) as exc:
            raise StoreError(f"cannot open the search index at {self._folder}: {exc}; "
                             "remove that folder and run `claimcheck reindex`") from None

    # --- reading ----------------------------------------------------------------------------

    def _state_signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self._folder / _STATE)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def refresh(self) -> None:
        """See commits made since the last look, by this process or another one (one ``stat``
        when nothing changed)."""
        if self.path is None:
            return
        signature = self._state_signature()
        if signature != self._seen:
            self._seen = signature
            self._index.reload()

    def search(self, query_terms: list[str], k: int = 20) -> list[tuple[str, float]]:
        unique = list(dict.fromkeys(t for t in query_terms if t))
        if not unique:
            return []
        self.refresh()
        # A pure OR of body terms, with no filter on ``kind``: only claims have a body, and a
        # disjunction of term queries alone lets tantivy skip blocks that cannot reach the top k
        # (block-max WAND). Filtered by kind, it scored every claim holding any term: retrieval
        # p50 grew 25x from 100k to 10M claims (docs/scaling.md).
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "body", t)) for t in unique])
        searcher = self._index.searcher()
        result = searcher.search(query, k)
        return [(searcher.doc(address)["claim_id"][0], score) for score, address in result.hits]

    def _count_kind(self, kind: str) -> int:
        self.refresh()
        query = tantivy.Query.term_query(self.schema, "kind", kind)
        result: Any = self._index.searcher().search(query, 1, count=True)
        return int(result.count)  # the stubs lack ``count``; it is there when count=True

    def count(self) -> int:
        return self._count_kind("claim")

    def count_documents(self) -> int:
        return self._count_kind("doc")

    def document_ids(self) -> set[str]:
        total = self._count_kind("doc")
        if total == 0:
            return set()
        searcher = self._index.searcher()
        hits = searcher.search(tantivy.Query.term_query(self.schema, "kind", "doc"), total).hits
        return {searcher.doc(address)["document_id"][0] for _, address in hits}

    def state(self) -> IndexState | None:
        if self.path is None:
            return self._memory_state
        try:
            data = json.loads((self._folder / _STATE).read_text("utf-8"))
            return IndexState(**data)
        except (FileNotFoundError, ValueError, TypeError):
            return None  # never written, or not ours: the follower rebuilds it

    def _save_state(self, state: IndexState) -> None:
        if self.path is None:
            self._memory_state = state
            return
        # Written after tantivy's commit, atomically (rename): a reader never sees half a file.
        tmp = self._folder / f".{_STATE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(asdict(state)), "utf-8")
        os.replace(tmp, self._folder / _STATE)

    # --- writing ----------------------------------------------------------------------------

    @contextmanager
    def locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the index's write lock (this process's and the file's) for the block: no writer,
        here or in another process, commits meanwhile. Waits at most ``timeout`` seconds
        (default ``lock_timeout``), then raises ``Busy``."""
        wait = self.lock_timeout if timeout is None else timeout
        deadline = time.monotonic() + wait
        if not self._thread_lock.acquire(timeout=max(wait, 0)):
            raise Busy("the search index is busy with another write; retry shortly")
        try:
            if self._file_lock is not None:
                try:
                    self._file_lock.acquire(timeout=max(deadline - time.monotonic(), 0), poll_interval=0.02)
                except filelock.Timeout:
                    raise Busy("the search index is busy with another writer; retry shortly") from None
            try:
                yield
            finally:
                if self._file_lock is not None:
                    self._file_lock.release()
        finally:
            self._thread_lock.release()

    @contextmanager
    def writing(self, timeout: float | None = None) -> Iterator[IndexWrite]:
        """Hold the index's one writer for the duration of the block, then release it, always.
        Waits at most ``timeout`` seconds (default ``lock_timeout``) for another writer, in this
        process or another, and raises ``Busy`` after that."""
        with self.locked(timeout):
            self._sweep_old_formats()
            try:
                writer = self._index.writer(heap_size=_HEAP, num_threads=1)
            except ValueError as exc:  # tantivy's own lock: a writer outside our protocol
                raise Busy(f"the search index is locked by another program: {exc}") from None
            try:
                yield _TantivyWrite(self, writer)
            except BaseException as exc:
                writer.rollback()
                if isinstance(exc, OSError):  # a disk problem: unavailable, not a bug
                    log.error("search index write failed: %s", exc)
                    raise StoreError("the search index cannot be written (a disk or file "
                                     "problem on the server); retry later") from None
                raise
            finally:
                writer.wait_merging_threads()  # drops the writer: tantivy's lock is released
        self.refresh()
        if self.path is None:
            self._index.reload()

    def _sweep_old_formats(self) -> None:
        """Remove index files of other formats (an upgrade), under the write lock."""
        if self.path is None:
            return
        for entry in self.path.iterdir():
            if entry.name in (self._folder.name, "write.lock"):
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    def close(self) -> None:
        """Nothing is held between writes; kept so that every resource has one way to end."""
        self._seen = None
