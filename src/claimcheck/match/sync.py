"""Keeping the search index in step with the store, the record.

Every write to the store appends to its change log in the same transaction. The index records
the last change it applied (``IndexState``). ``sync_index`` applies what came after, taking for
each changed document what the store holds *now* (its claims, or nothing if it is gone), so that
applying a change twice, or out of a crashed half-applied batch, gives the same index. Any
process may sync; the index's write lock serialises them.

``check=True`` also compares the index with the store and repairs what differs: what runs when
a store is opened, so that no crash, restored backup or hand-deleted folder leaves them apart.
It counts documents and claims on both sides first, and compares document by document (a
document in one and not the other, either way) only when the counts differ (``thorough=True``:
always), so that a start costs the same at 10 million claims as at a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.match.search import FORMAT, IndexState, IndexWrite, SearchIndex
from claimcheck.store.protocol import ClaimStore

_ALL = 1_000_000
_PAGE = 1000


@dataclass(frozen=True, slots=True)
class SyncReport:
    applied: int = 0  # changes applied
    rebuilt: bool = False  # the whole index was rebuilt from the store
    repaired: int = 0  # documents found out of step by the check and repaired

    @property
    def changed(self) -> bool:
        return bool(self.applied or self.rebuilt or self.repaired)


def in_step(store: ClaimStore, index: SearchIndex) -> bool:
    """Whether the index has applied every change the store has logged (no lock taken)."""
    return index.state() == IndexState(store.store_id, store.head())


def sync_index(store: ClaimStore, index: SearchIndex, *, timeout: float | None = None,
               check: bool = False, thorough: bool = False) -> SyncReport:
    """Bring the index up to the store's latest change; with ``check``, also verify it and
    repair it document by document. The check counts first (documents and claims on both
    sides: what a start costs at any size) and compares document by document only when a count
    differs, or always with ``thorough``. Raises ``Busy`` when another writer holds the index
    longer than ``timeout`` seconds."""
    if not check and in_step(store, index):
        return SyncReport()
    with index.writing(timeout) as write:
        head = store.head()  # read under the lock: what is applied below is at least this
        state = write.state()
        if state is None or state.store_id != store.store_id or state.format != FORMAT or state.seq > head:
            # Never built, built from another store, or the store went back in time (a restored
            # backup): the log cannot say what differs, so start again from the record.
            _rebuild(store, write)
            write.commit(IndexState(store.store_id, head))
            return SyncReport(rebuilt=True)
        seq, applied = state.seq, 0
        while changes := store.changes_since(seq, _PAGE):
            for document_id in dict.fromkeys(c.document_id for c in changes):
                _apply(store, write, document_id)
            seq, applied = changes[-1].seq, applied + len(changes)
        if applied:
            write.commit(IndexState(store.store_id, seq))
    if not check:
        return SyncReport(applied=applied)
    if not thorough and _counts_agree(store, index):
        return SyncReport(applied=applied)
    return _check(store, index, applied, timeout)


def _counts_agree(store: ClaimStore, index: SearchIndex) -> bool:
    """In step with the log, and the same numbers of documents and claims on both sides. A
    document missing from either side, or one whose claims differ in number, shows here; what
    does not (a hand-edited index with the same counts) is what ``thorough`` is for."""
    head = store.head()
    return (index.state() == IndexState(store.store_id, head)
            and index.count_documents() == store.count_documents()
            and index.count() == store.count_claims() and store.head() == head)


def rebuild_index(store: ClaimStore, index: SearchIndex, timeout: float | None = None) -> int:
    """Rebuild the whole index from the store; returns the number of claims indexed."""
    with index.writing(timeout) as write:
        head = store.head()
        count = _rebuild(store, write)
        write.commit(IndexState(store.store_id, head))
    return count


def _apply(store: ClaimStore, write: IndexWrite, document_id: str) -> None:
    if not store.has_document(document_id):
        write.remove_document(document_id)
    else:
        write.put_document(document_id, store.list_claims(document_id=document_id, limit=_ALL))


def _rebuild(store: ClaimStore, write: IndexWrite) -> int:
    write.clear()
    count = 0
    for document_id in store.document_ids():
        claims = store.list_claims(document_id=document_id, limit=_ALL)
        write.put_document(document_id, claims)
        count += len(claims)
    return count


def _check(store: ClaimStore, index: SearchIndex, applied: int, timeout: float | None) -> SyncReport:
    """Compare the committed index with the store, document by document, and repair it."""
    with index.writing(timeout) as write:
        head = store.head()
        in_store, in_index = store.document_ids(), index.document_ids()
        stale = (in_store - in_index) | (in_index - in_store)
        for document_id in stale:
            _apply(store, write, document_id)
        state = write.state()
        if stale and state is not None:
            # Documents are immutable (the id is a hash of the text), so a document repaired
            # here is exactly the store's; the applied-changes mark stays where it was.
            write.commit(state)
    # With every document present on both sides, different claim counts mean a document's
    # claims differ: rebuild. Skipped if the store moved on meanwhile (its writer will sync).
    if store.head() == head and index.count() != store.count_claims():
        rebuild_index(store, index, timeout)
        return SyncReport(applied=applied, rebuilt=True, repaired=len(stale))
    return SyncReport(applied=applied, repaired=len(stale))
