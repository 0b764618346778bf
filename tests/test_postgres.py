"""What only the PostgreSQL store has to show: migrations under an advisory lock, writers from
several threads (several instances) at once, and clear errors. The shared behaviour is in the
contract tests (test_store.py), run over every store."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from claimcheck.errors import StoreError
from claimcheck.ingest import document_from_text
from claimcheck.store import PostgresStore
from claimcheck.store.postgres import redact
from claimcheck.store.postgres_schema import MIGRATIONS


def test_instances_starting_at_once_migrate_once(postgres_url):
    stores: list[PostgresStore] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            stores.append(PostgresStore(postgres_url, max_connections=2))
        except BaseException as exc:  # collected: a thread's exception would be lost
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == [] and len(stores) == 4
        assert len({s.store_id for s in stores}) == 1
        with psycopg.connect(postgres_url) as conn:
            assert conn.execute("SELECT value FROM claimcheck_meta WHERE key = 'schema_version'"
                                ).fetchone() == (str(len(MIGRATIONS)),)
    finally:
        for s in stores:
            s.close()


def test_concurrent_writers_share_speakers_and_log_in_commit_order(postgres_url, extractor):
    extractions = [extractor.extract(document_from_text(
        f"Peter Okafor said {n} flights were cancelled on Monday.", path=f"{n}.txt")) for n in range(2, 14)]
    stores = [PostgresStore(postgres_url, max_connections=2) for _ in range(3)]
    try:
        def write(part: int) -> None:
            for e in extractions[part::3]:
                stores[part].put(e)

        threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        reader = stores[0]
        assert reader.count_claims() == len(extractions)
        (okafor,) = reader.find_speakers("Peter Okafor")
        assert okafor.claim_count == len(extractions)
        changes = reader.changes_since(0)
        assert sorted(c.document_id for c in changes) == sorted(e.document.id for e in extractions)
        assert [c.seq for c in changes] == list(range(changes[0].seq, changes[0].seq + len(changes)))
    finally:
        for s in stores:
            s.close()


def test_a_failed_write_leaves_nothing_half_written(postgres_url, extractor, monkeypatch):
    store = PostgresStore(postgres_url)
    extraction = extractor.extract(document_from_text("Ann Cole said 40 trains were late.", path="x.txt"))

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("claimcheck.store.postgres.claim_to_dict", boom)
    try:
        with pytest.raises(RuntimeError):
            store.put(extraction)
        assert store.get_document(extraction.document.id) is None
        assert store.count_claims() == 0 and store.list_speakers() == [] and store.head() == 0
        monkeypatch.undo()
        assert store.put(extraction).created  # the connection went back to the pool usable
    finally:
        store.close()


def test_a_newer_schema_is_refused(postgres_url):
    PostgresStore(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE claimcheck_meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer claimcheck"):
        PostgresStore(postgres_url)


def test_an_unreachable_server_is_a_clear_error_without_the_password():
    url = "postgresql://ann:s3cret@127.0.0.1:1/nothing"
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as raised:
        PostgresStore(url, connect_timeout=2)
    assert "s3cret" not in str(raised.value)


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://ann:s3cret@db:5432/claims", "postgresql://ann:***@db:5432/claims"),
    ("postgresql://ann@db/claims", "postgresql://ann@db/claims"),
    ("postgresql:///claims", "postgresql:///claims"),
])
def test_redact(url, shown):
    assert redact(url) == shown


def test_a_write_wakes_the_listeners_of_other_instances(postgres_url, extractor):
    listener, writer = PostgresStore(postgres_url), PostgresStore(postgres_url)
    try:
        assert listener.wait_for_change(0.2) is False  # nothing written: the wait times out
        woke: list[bool | None] = []
        thread = threading.Thread(target=lambda: woke.append(listener.wait_for_change(30)))
        thread.start()
        time.sleep(0.3)
        started = time.monotonic()
        writer.put(extractor.extract(document_from_text("Lina Berg said 12 ferries were late.")))
        thread.join()
        assert woke == [True] and time.monotonic() - started < 5
    finally:
        listener.close()
        writer.close()


def test_sqlite_and_memory_send_no_change_notices(tmp_path):
    from claimcheck.store import MemoryStore, SQLiteStore

    assert SQLiteStore(tmp_path / "c.sqlite3").wait_for_change(5) is None
    assert MemoryStore().wait_for_change(5) is None


def test_connections_lost_to_a_database_restart_are_replaced(postgres_url, extractor):
    store = PostgresStore(postgres_url, max_connections=2)
    try:
        store.put(extractor.extract(document_from_text("Ola Brandt said 9 buses were late.")))
        with psycopg.connect(postgres_url, autocommit=True) as admin:  # what a restart does to them
            ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                  " WHERE application_name = 'claimcheck' AND datname = current_database()"
                                  " AND pid <> pg_backend_pid()").fetchone()[0]
        assert ended >= 1
        assert store.count_claims() == 1  # no failed request: the pool reconnects
    finally:
        store.close()


def test_a_copied_index_catches_up_from_the_change_log(postgres_url, extractor, tmp_path):
    """A new instance copies a peer's index folder instead of rebuilding: it applies only the
    changes stored since the copy."""
    import shutil

    from claimcheck.match import TantivyIndex, sync_index

    store = PostgresStore(postgres_url)
    try:
        for n in range(3):
            store.put(extractor.extract(document_from_text(f"Ola Brandt said {n + 2} ferries sank.", path=f"{n}")))
        peer = TantivyIndex(tmp_path / "peer")
        assert sync_index(store, peer).rebuilt
        peer.close()
        shutil.copytree(tmp_path / "peer", tmp_path / "new")
        store.put(extractor.extract(document_from_text("Ola Brandt said 9 ferries sank.", path="later")))
        new = TantivyIndex(tmp_path / "new")
        report = sync_index(store, new, check=True)
        assert not report.rebuilt and report.applied == 1
        assert new.document_ids() == store.document_ids()
        new.close()
    finally:
        store.close()
