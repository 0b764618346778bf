"""The store contract: the in-memory fake used in unit tests, SQLite and PostgreSQL behave the same."""

import sqlite3

import pytest

from claimcheck.errors import StoreError
from claimcheck.ingest import document_from_text, read_document
from claimcheck.store import SQLiteStore
from claimcheck.store.sqlite import MIGRATIONS
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seed(extractor):
    return extractor.extract(read_document(SEEDS / "000_58b65f41969edd74.txt", max_bytes=1_000_000))


def test_ingest_is_idempotent(store, seed):
    first = store.put(seed)
    again = store.put(seed)
    assert first.created and not again.created and first.document_id == again.document_id
    assert store.count_claims() == len(seed.claims)


def test_a_changed_file_replaces_its_older_version(store, extractor):
    old = extractor.extract(document_from_text("Officials said 40 people died.", path="a.txt"))
    new = extractor.extract(document_from_text("Officials said 45 people died.", path="a.txt"))
    store.put(old)
    result = store.put(new)
    assert result.replaced == old.document.id
    assert store.get_document(old.document.id) is None
    assert [c.claim.document_id for c in store.list_claims(limit=10)] == [new.document.id]


def test_delete_removes_claims_and_orphan_speakers(store, seed):
    store.put(seed)
    assert store.delete_document(seed.document.id)
    assert store.count_claims() == 0 and store.list_speakers() == []
    assert not store.delete_document(seed.document.id)


def test_speakers_are_canonical_across_documents(store, seed, extractor):
    store.put(seed)
    store.put(extractor.extract(document_from_text(
        "Donald J. Trump said on Monday that the wall would be built. Mr Trump added that it would be cheap.")))
    (trump,) = store.find_speakers("Trump")
    assert trump.name == "Donald Trump"
    assert {"Donald J. Trump", "US President Donald Trump"} <= set(trump.aliases)
    assert trump.claim_count == 5
    assert store.find_speakers("US President Donald Trump") == [trump]
    claims = store.list_claims(speaker_ids=[trump.id], limit=10)
    assert len({c.claim.document_id for c in claims}) == 2


def test_no_wrong_merges(store, seed, extractor):
    store.put(seed)
    store.put(extractor.extract(document_from_text("Abdul Rahman Smith said the river had flooded.")))
    names = {s.name for s in store.list_speakers(limit=50)}
    assert {"Abdel Rahman", "Abdul Rahman Smith"} <= names
    assert [s.name for s in store.find_speakers("Abdel Rahman")] == ["Abdel Rahman"]


def test_claims_round_trip_unchanged(store, seed):
    store.put(seed)
    stored = store.get_claims([c.id for c in seed.claims])
    assert [stored[c.id].claim for c in seed.claims] == list(seed.claims)
    assert store.get_document(seed.document.id) == seed.document


def test_pagination_with_after(store, seed):
    store.put(seed)
    first = store.list_claims(limit=10)
    second = store.list_claims(limit=10, after=first[-1].id)
    assert len(first) == 10 and second[0].id not in {c.id for c in first}


def test_sqlite_migrates_on_open_and_keeps_data(tmp_path, seed):
    path = tmp_path / "c.sqlite3"
    SQLiteStore(path).put(seed)
    reopened = SQLiteStore(path)
    assert reopened.count_claims() == len(seed.claims)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_failed_write_leaves_nothing_half_written(tmp_path, seed, monkeypatch):
    store = SQLiteStore(tmp_path / "c.sqlite3")

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("claimcheck.store.sqlite.claim_to_dict", boom)
    with pytest.raises(RuntimeError):
        store.put(seed)
    assert store.get_document(seed.document.id) is None
    assert store.count_claims() == 0 and store.list_speakers() == []


def test_filter_claims_by_words_with_like_wildcards_literal(store, seed):
    store.put(seed)
    assert [c.claim.content.text for c in store.list_claims(q="SDF fighters")] == [
        "at least 900 jihadists and 500 SDF fighters were killed in the battle for Hajin"]
    assert store.list_claims(q="%") == [] and store.list_claims(q="_") == []


def test_migration_from_schema_1_fills_the_new_column(tmp_path, seed, monkeypatch):
    from claimcheck.store import sqlite as sqlite_store

    path = tmp_path / "old.sqlite3"
    monkeypatch.setattr(sqlite_store, "MIGRATIONS", sqlite_store.MIGRATIONS[:1])
    old = sqlite_store.SQLiteStore(path)
    old._db.execute("INSERT INTO documents (id, text, body_start) VALUES (?,?,0)",
                    (seed.document.id, seed.document.text))
    old._db.execute("INSERT INTO claims (id, document_id, data) VALUES (?,?,?)",
                    (seed.claims[0].id, seed.document.id,
                     __import__("json").dumps(sqlite_store.claim_to_dict(seed.claims[0]))))
    old.close()
    monkeypatch.undo()
    new = sqlite_store.SQLiteStore(path)
    assert new._db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert [c.id for c in new.list_claims(q=seed.claims[0].content.text[:20])] == [seed.claims[0].id]
    # migration 4 logs the documents already stored, so that an index follower picks them up
    assert [c.document_id for c in new.changes_since(0)] == [seed.document.id] and new.head() == 1


def test_every_change_is_logged_in_order(store, extractor):
    old = extractor.extract(document_from_text("Officials said 40 people died.", path="a.txt"))
    new = extractor.extract(document_from_text("Officials said 45 people died.", path="a.txt"))
    assert store.head() == 0
    store.put(old)
    store.put(old)  # unchanged: nothing to log
    store.put(new)  # replaces old: both logged
    store.delete_document(new.document.id)
    changes = store.changes_since(0)
    assert [c.document_id for c in changes] == [old.document.id, old.document.id, new.document.id,
                                                new.document.id]
    assert [c.seq for c in changes] == sorted(c.seq for c in changes) and store.head() == changes[-1].seq
    assert store.changes_since(changes[1].seq, limit=1) == [changes[2]]
    assert store.document_ids() == set()


def test_store_id_is_stable_for_one_store(store):
    assert store.store_id == store.store_id and len(store.store_id) >= 16


def test_speaker_queries(store, seed, extractor):
    store.put(seed)
    store.put(extractor.extract(document_from_text(
        "A spokesman for Kestrel Air said fares would rise. Kestrel Air said the fleet was grounded.")))
    listed = store.list_speakers(limit=100)
    assert [s.id for s in store.list_speakers(limit=2)] == [s.id for s in listed[:2]]
    assert [s.id for s in store.list_speakers(limit=100, after=listed[0].id)] == [s.id for s in listed[1:]]
    assert store.list_speakers(q="%") == []
    (spokesman,) = [s for s in listed if s.name == "spokesman for Kestrel Air"]
    assert store.find_affiliated(["Kestrel Air"]) == [spokesman]
    assert store.get_speaker(spokesman.id) == spokesman and store.get_speaker("nobody") is None
    assert spokesman in store.find_speakers_by_role("the spokesman")
    assert store.find_speakers_by_role("the weather") == []


def test_sqlite_reads_from_many_threads_never_see_a_replacement_half_done(tmp_path, extractor):
    """Readers on their own connections while one file is replaced again and again: each read
    sees the old version or the new one, whole (a replace deletes the old document's claims and
    inserts the new ones in one transaction)."""
    import threading

    store = SQLiteStore(tmp_path / "c.sqlite3")
    versions = [extractor.extract(document_from_text(f"Ann Cole said {n} people were hurt in Tasso.",
                                                     path="tasso.txt")) for n in range(30)]
    per_version = {len(v.claims) for v in versions}
    assert len(per_version) == 1 and per_version != {0}  # every version has the same number of claims
    (k,) = per_version
    store.put(versions[0])
    counts: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                counts.append(store.count_claims())
                docs = store.list_documents(limit=10)
                assert len(docs) == 1, [d.id for d in docs]
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for t in readers:
        t.start()
    for v in versions[1:]:
        assert store.put(v).replaced is not None
        assert store.get_document(v.document.id) is not None  # read-after-write on this thread
    done.set()
    for t in readers:
        t.join()
    assert not errors
    assert len(counts) > 10 and set(counts) == {k}
    store.close()


def test_sqlite_read_connections_are_reused_across_threads_and_closed_with_the_store(tmp_path, seed):
    """Server threads come and go; their reads share a pool that never grows past the number of
    reads run at once, and closing the store closes them all."""
    import threading

    store = SQLiteStore(tmp_path / "c.sqlite3")
    store.put(seed)
    for _ in range(20):  # twenty short-lived threads, one after the other
        t = threading.Thread(target=store.count_claims)
        t.start()
        t.join()
    assert store._readers is not None and store._readers.opened == 1
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count_claims()


def test_sqlite_in_memory_reads_share_its_one_connection(extractor, seed):
    store = SQLiteStore(":memory:")
    store.put(seed)
    assert store.count_claims() == len(seed.claims)
    assert store._readers is None
    store.close()


def test_recent_documents_are_the_last_stored_newest_first(store, extractor):
    docs = [extractor.extract(document_from_text(f"Ann Cole said {n} people were hurt in Tasso.", path=f"{n}.txt"))
            for n in range(4)]
    assert store.recent_documents(3) == []
    for d in docs:
        store.put(d)
    assert [d.id for d in store.recent_documents(3)] == [d.document.id for d in reversed(docs[1:])]
    # A replaced document is new again: it is stored last.
    again = extractor.extract(document_from_text("Ann Cole said 99 people were hurt in Tasso.", path="0.txt"))
    store.put(again)
    assert [d.id for d in store.recent_documents(2)] == [again.document.id, docs[3].document.id]
