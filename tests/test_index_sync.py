"""The search index follows the store: writers are released after every write, writes from
several index objects (as from several processes) are serialised with a bounded wait, and the
check on open repairs any difference between store and index, whichever way it goes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from claimcheck import service
from claimcheck.errors import Busy
from claimcheck.ingest import document_from_text
from claimcheck.match import IndexState, TantivyIndex, in_step, sync_index, terms
from claimcheck.store import MemoryStore, SQLiteStore


@pytest.fixture(scope="module")
def extractions(extractor):
    texts = [f"Officials said {n} workers were hurt in the fire at plant number {n} on Friday." for n in range(1, 6)]
    texts.append("The mayor said the bridge would reopen in March.")
    return [extractor.extract(document_from_text(t)) for t in texts]


def found(index, text: str) -> set[str]:
    return {claim_id for claim_id, _ in index.search(terms(text), 50)}


def claim_ids(extraction) -> set[str]:
    return {c.id for c in extraction.claims}


def test_writer_is_released_after_every_write(tmp_path, extractions):
    """Two index objects on one folder (two processes, or serve's CLI part and its app): each
    can write in turn. Before the fix the first kept its writer and the second got LockBusy."""
    store = SQLiteStore(tmp_path / "c.sqlite3")
    first, second = TantivyIndex(tmp_path / "i"), TantivyIndex(tmp_path / "i")
    service.put_extraction(store, first, extractions[0])
    service.put_extraction(store, second, extractions[1])
    service.put_extraction(store, first, extractions[2])
    assert first.count() == second.count() == store.count_claims() == 3


def test_a_second_writer_waits_a_bounded_time_then_gets_busy(tmp_path):
    index, other = TantivyIndex(tmp_path / "i"), TantivyIndex(tmp_path / "i")
    with index.writing():
        start = time.monotonic()
        with pytest.raises(Busy, match="busy"), other.writing(timeout=0.3):
            pass
        assert time.monotonic() - start < 5
    with other.writing(timeout=0.3):  # free again once the first write ended
        pass


def test_an_exception_inside_a_write_releases_the_writer(tmp_path, extractions):
    store = SQLiteStore(tmp_path / "c.sqlite3")
    index = TantivyIndex(tmp_path / "i")
    store.put(extractions[0])
    with pytest.raises(RuntimeError), index.writing() as write:
        write.put_document(extractions[0].document.id, store.list_claims(limit=10))
        raise RuntimeError("boom")
    assert index.count() == 0  # rolled back, nothing half-committed
    assert sync_index(store, TantivyIndex(tmp_path / "i"), timeout=0.5).changed
    assert index.count() == 1


def test_a_writer_in_another_process_gives_busy_not_a_crash(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from claimcheck.match import TantivyIndex
        with TantivyIndex(Path({str(tmp_path / 'i')!r})).writing():
            print("holding", flush=True)
            time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(Busy), TantivyIndex(tmp_path / "i").writing(timeout=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
    with TantivyIndex(tmp_path / "i").writing(timeout=5):  # a killed holder leaves no stale lock
        pass


def test_readers_elsewhere_see_a_commit_at_once(tmp_path, extractions):
    store = SQLiteStore(tmp_path / "c.sqlite3")
    reader = TantivyIndex(tmp_path / "i")
    assert found(reader, "workers hurt fire plant") == set()
    service.put_extraction(store, TantivyIndex(tmp_path / "i"), extractions[0])
    assert found(reader, "workers hurt fire plant") == claim_ids(extractions[0])


def test_a_document_stored_but_never_indexed_is_indexed_on_open(tmp_path, extractions):
    """A crash between the store's commit and the index's."""
    store = SQLiteStore(tmp_path / "c.sqlite3")
    index = TantivyIndex(tmp_path / "i")
    service.put_extraction(store, index, extractions[0])
    store.put(extractions[1])  # ... and the process dies here
    assert not in_step(store, index)
    report = sync_index(store, TantivyIndex(tmp_path / "i"), check=True)
    assert report.applied == 1 and not report.rebuilt
    assert found(index, "workers hurt fire plant") >= claim_ids(extractions[1])


def test_a_document_indexed_but_not_in_the_store_is_removed_on_open(tmp_path, extractions):
    store = SQLiteStore(tmp_path / "c.sqlite3")
    index = TantivyIndex(tmp_path / "i")
    service.put_extraction(store, index, extractions[0])
    ghost = extractions[1]
    with index.writing() as write:  # the index has a document the store never committed
        write.put_document(ghost.document.id, [])
        write.commit(index.state())
    assert ghost.document.id in index.document_ids()
    report = sync_index(store, index, check=True)
    assert report.repaired == 1
    assert index.document_ids() == {extractions[0].document.id}


def test_same_counts_but_different_documents_are_caught(tmp_path, extractions):
    """Not only a different count: the index has document B where the store has document A,
    each with one claim."""
    store = SQLiteStore(tmp_path / "c.sqlite3")
    index = TantivyIndex(tmp_path / "i")
    a, b = extractions[0], extractions[1]
    store.put(a)
    with index.writing() as write:
        write.put_document(b.document.id, [])
        write.commit(IndexState(store.store_id, store.head()))  # claims to be in step
    assert in_step(store, index)
    report = sync_index(store, index, check=True)
    assert report.repaired == 2 and index.document_ids() == {a.document.id}
    assert index.count() == store.count_claims() == 1


def test_a_checking_process_never_deletes_the_index_another_searches(tmp_path, extractions):
    """Failure 6: a second process that finds the counts different used to clear the folder
    that the running server searched."""
    store = SQLiteStore(tmp_path / "c.sqlite3")
    server = TantivyIndex(tmp_path / "i")
    for e in extractions[:3]:
        service.put_extraction(store, server, e)
    store.put(extractions[3])  # out of step
    sync_index(store, TantivyIndex(tmp_path / "i"), check=True)  # "claimcheck verify" opening
    for e in extractions[:4]:
        assert claim_ids(e) <= found(server, e.claims[0].content.text)


def test_an_index_of_another_store_is_rebuilt(tmp_path, extractions):
    index = TantivyIndex(tmp_path / "i")
    old = SQLiteStore(tmp_path / "old.sqlite3")
    service.put_extraction(old, index, extractions[0])
    new = SQLiteStore(tmp_path / "new.sqlite3")
    new.put(extractions[1])
    assert sync_index(new, index).rebuilt
    assert index.document_ids() == {extractions[1].document.id}


def test_a_store_restored_from_an_older_backup_rebuilds_the_index(tmp_path, extractions):
    store = MemoryStore()
    index = TantivyIndex(tmp_path / "i")
    for e in extractions[:3]:
        service.put_extraction(store, index, e)
    with index.writing() as write:  # the index has applied more than the store now has
        write.commit(IndexState(store.store_id, store.head() + 5))
    assert sync_index(store, index).rebuilt
    assert index.count() == store.count_claims() == 3


def test_applying_the_same_changes_twice_gives_the_same_index(tmp_path, extractions):
    """A crash after tantivy's commit but before the state file: the changes are applied again."""
    store = SQLiteStore(tmp_path / "c.sqlite3")
    index = TantivyIndex(tmp_path / "i")
    for e in extractions:
        store.put(e)
    sync_index(store, index)
    with index.writing() as write:
        write.commit(IndexState(store.store_id, 0))  # forget what was applied
    assert sync_index(store, index).applied == len(extractions)
    assert index.count() == store.count_claims()
    assert len(found(index, "workers hurt fire plant")) == 5


def test_replace_and_delete_reach_the_index(tmp_path, extractor):
    store = SQLiteStore(tmp_path / "c.sqlite3")
    index = TantivyIndex(tmp_path / "i")
    old = extractor.extract(document_from_text("Officials said 40 people died in the flood.", path="a.txt"))
    new = extractor.extract(document_from_text("Officials said 45 people died in the flood.", path="a.txt"))
    service.put_extraction(store, index, old)
    service.put_extraction(store, index, new)
    assert index.document_ids() == {new.document.id} and found(index, "people died flood") == claim_ids(new)
    assert service.delete_document(store, index, new.document.id)
    assert index.document_ids() == set() and index.count() == 0


def test_an_index_folder_of_an_older_format_is_replaced(tmp_path, extractions):
    folder = tmp_path / "i"
    folder.mkdir()
    (folder / "meta.json").write_text("{}")  # what the first format left at the top level
    store = SQLiteStore(tmp_path / "c.sqlite3")
    store.put(extractions[0])
    index = TantivyIndex(folder)
    assert sync_index(store, index, check=True).rebuilt
    assert not (folder / "meta.json").exists() and index.count() == 1


def test_search_returns_claims_only_never_the_document_markers(tmp_path, extractions):
    """The query is a bare OR of body terms (so tantivy can skip blocks); the per-document
    markers have no body, so they can never be a hit, however wide the query or k."""
    store = SQLiteStore(tmp_path / "c.sqlite3")
    index = TantivyIndex(tmp_path / "i")
    for extraction in extractions:
        service.put_extraction(store, index, extraction)
    everything = " ".join(c.lemmas + " " + (c.speaker.name or "") for e in extractions for c in e.claims)
    hits = found(index, everything + " " + " ".join(e.document.id for e in extractions))
    assert hits == set().union(*(claim_ids(e) for e in extractions))
    assert found(index, "nothing matches this zzz") == set()
