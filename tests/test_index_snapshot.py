"""New instances start from a snapshot of a peer's search index and catch up from the change log
(issue 22); the check at start counts before it compares document by document."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from claimcheck import service
from claimcheck.ingest import document_from_text
from claimcheck.match import IndexState, TantivyIndex, sync_index
from claimcheck.match.snapshot import MANIFEST, read_snapshot, restore_snapshot, write_snapshot
from claimcheck.store import SQLiteStore
from tests.serving import ROOT, Server

TEXTS = [f"Ola Brandt said {n + 2} ferries sank near the port of Tasso on Friday." for n in range(4)]


@pytest.fixture(scope="module")
def extractions(extractor):
    return [extractor.extract(document_from_text(t, path=f"{n}")) for n, t in enumerate(TEXTS)]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "claimcheck", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300)


def test_a_restored_snapshot_catches_up_from_the_log_without_a_rebuild(tmp_path, extractions):
    store = SQLiteStore(tmp_path / "c.sqlite3")
    peer = TantivyIndex(tmp_path / "peer")
    for e in extractions[:3]:
        service.put_extraction(store, peer, e)
    taken = write_snapshot(peer, tmp_path / "snap")
    assert (taken.seq, taken.claims, taken.documents) == (store.head(), store.count_claims(), 3)
    assert read_snapshot(tmp_path / "snap") == taken
    service.put_extraction(store, peer, extractions[3])  # stored after the snapshot

    restore_snapshot(tmp_path / "snap", tmp_path / "new")
    new = TantivyIndex(tmp_path / "new")
    assert new.state() == taken.state
    report = sync_index(store, new, check=True, thorough=True)
    assert not report.rebuilt and report.applied == 1 and report.repaired == 0
    assert new.document_ids() == store.document_ids() and new.count() == store.count_claims()


def test_the_check_at_start_counts_and_compares_documents_only_when_counts_differ(tmp_path, extractions):
    class Counting(TantivyIndex):
        compared = 0

        def document_ids(self) -> set[str]:
            Counting.compared += 1
            return super().document_ids()

    store = SQLiteStore(tmp_path / "c.sqlite3")
    index = Counting(tmp_path / "i")
    for e in extractions[:2]:
        service.put_extraction(store, index, e)
    assert not sync_index(store, index, check=True).changed
    assert Counting.compared == 0  # in step and the counts agree: no pass over the documents
    store.put(extractions[2])  # a crash between store and index: the log says what to apply
    assert sync_index(store, index, check=True).applied == 1
    assert Counting.compared == 0
    with index.writing() as write:  # a document the store never had: the counts differ
        write.put_document(extractions[3].document.id, [])
        write.commit(IndexState(store.store_id, store.head()))
    report = sync_index(store, index, check=True)
    assert report.repaired == 1 and Counting.compared == 1
    assert index.document_ids() == store.document_ids()


def test_thorough_catches_a_swap_the_counts_cannot_see(tmp_path, extractions):
    store = SQLiteStore(tmp_path / "c.sqlite3")
    index = TantivyIndex(tmp_path / "i")
    a, b = extractions[0], extractions[1]
    store.put(a)
    with index.writing() as write:  # B where the store has A, with as many claims
        write.put_document(b.document.id, [next(iter(store.list_claims(document_id=a.document.id)))])
        write.commit(IndexState(store.store_id, store.head()))
    assert not sync_index(store, index, check=True).changed
    report = sync_index(store, index, check=True, thorough=True)
    assert report.repaired == 2 and index.document_ids() == {a.document.id}


def test_snapshot_and_restore_refuse_what_they_cannot_use(tmp_path, extractions):
    db = str(tmp_path / "c.sqlite3")
    store = SQLiteStore(tmp_path / "c.sqlite3")
    store.put(extractions[0])
    store.close()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    r = run("index", "snapshot", str(tmp_path / "full"), "--db", db)
    assert r.returncode == 2 and "already exists and is not an empty folder" in r.stderr
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
    r = run("index", "restore", str(tmp_path / "full"), "--db", db)
    assert r.returncode == 2 and "is not an index snapshot" in r.stderr and "Traceback" not in r.stderr
    r = run("index", "snapshot", str(tmp_path / "snap"), "--db", db)
    assert r.returncode == 0, r.stderr
    manifest = json.loads((tmp_path / "snap" / MANIFEST).read_text())
    manifest["format"] = 999
    (tmp_path / "snap" / MANIFEST).write_text(json.dumps(manifest))
    r = run("index", "restore", str(tmp_path / "snap"), "--db", db)
    assert r.returncode == 2 and "index format 999" in r.stderr


def test_index_check_reports_and_repairs(tmp_path, extractions):
    db = tmp_path / "c.sqlite3"
    store = SQLiteStore(db)
    index = TantivyIndex(db.with_name(db.name + ".index"))
    service.put_extraction(store, index, extractions[0])
    store.put(extractions[1])  # never indexed
    store.close()
    r = run("index", "check", "--db", str(db), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"applied": 1, "rebuilt": False, "repaired": 0, "claims": 2, "documents": 2}


def test_a_new_instance_starts_from_a_peers_snapshot(postgres_url, tmp_path):
    """End to end on PostgreSQL, as a deployment adds an instance: the first serves and takes
    writes; a snapshot of its index is taken while it runs; more is written; a second instance
    started with CLAIMCHECK_INDEX_SNAPSHOT copies the snapshot, catches up from the log, and
    finds what was written before and after the snapshot."""
    env = {"CLAIMCHECK_DATABASE_URL": postgres_url, "CLAIMCHECK_PARSE_WORKERS": "0"}
    first = Server(tmp_path / "first.db", seeds=tmp_path / "none",
                   env={**env, "CLAIMCHECK_INDEX": str(tmp_path / "first.index")}).start()
    second = Server(tmp_path / "second.db", seeds=tmp_path / "none",
                    env={**env, "CLAIMCHECK_INDEX": str(tmp_path / "second.index"),
                         "CLAIMCHECK_INDEX_SNAPSHOT": str(tmp_path / "snap")})
    try:
        def post(text: str) -> None:
            r = httpx.post(f"{first.base}/v1/documents", content=text.encode(),
                           headers={"content-type": "text/plain"}, timeout=60)
            assert r.status_code == 201, r.text

        post("Ola Brandt, the harbour master, said 4 ferries sank near Tasso on Friday.")
        r = run("index", "snapshot", str(tmp_path / "snap"),
                env={**env, "CLAIMCHECK_INDEX": str(tmp_path / "first.index")})
        assert r.returncode == 0, r.stderr
        assert "up to change" in r.stdout
        post("Ann Cole, the mayor of Tasso, said 40 people were hurt in the fire on Monday.")
        second.start()
        # Its index holds the snapshot's segments (a rebuild would have written new ones) and
        # has applied the change stored after it.
        def segments(folder):
            return {seg["segment_id"] for seg in json.loads((folder / "v2" / "meta.json").read_text())["segments"]}

        assert segments(tmp_path / "snap") and segments(tmp_path / "snap") <= segments(tmp_path / "second.index")
        state = json.loads((tmp_path / "second.index" / "v2" / "claimcheck-state.json").read_text())
        assert state["seq"] > json.loads((tmp_path / "snap" / MANIFEST).read_text())["seq"]
        for statement in ("Ola Brandt said 4 ferries sank", "Ann Cole said 40 people were hurt"):
            r = httpx.post(f"{second.base}/v1/verify", json={"statement": statement}, timeout=60)
            assert r.status_code == 200 and r.json()["verdict"] == "supported", r.text
    finally:
        second.stop()
        first.stop()
