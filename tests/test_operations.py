"""What users do, with real processes on real sockets: the README's run command, a CLI ingest
beside a running service, kill -9 at random moments, and concurrent writers and readers.

The crash and load tests are marked ``slow``; CI runs them (``.ci/run`` runs the whole suite)."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from claimcheck.bootstrap import open_runtime
from claimcheck.settings import Settings
from tests.serving import Server, article, claimcheck


def post(base: str, text: str, **kw) -> httpx.Response:
    return httpx.post(f"{base}/v1/documents", json={"text": text, **kw}, timeout=120)


def findable(base: str, tag: str, document_id: str) -> bool:
    """The document is GET-able and /v1/verify finds one of its claims."""
    if httpx.get(f"{base}/v1/documents/{document_id}", timeout=30).status_code != 200:
        return False
    r = httpx.post(f"{base}/v1/verify", json={"statement": f"{tag} residents were evacuated from the valley"},
                   timeout=60)
    assert r.status_code == 200, r.text
    return any(e["document"] and e["document"]["id"] == document_id for e in r.json()["evidence"])


def test_readme_run_command_path_write_then_read_and_verify(tmp_path):
    """`claimcheck serve` on an empty database ingests the seeds, then a document POSTed to it
    is stored and found by /v1/verify and /v1/claims (every POST answered 500 before)."""
    with Server(tmp_path / "c.sqlite3") as server:
        log = server.log()
        assert "ingesting" in log
        r = post(server.base, article("brindle", 40), title="Storm", published="2026-11-02")
        assert r.status_code == 201, r.text
        doc = r.json()
        assert doc["claims"] >= 2
        assert findable(server.base, "brindle", doc["id"])
        claims = httpx.get(f"{server.base}/v1/claims", params={"speaker": "Quell"}, timeout=30).json()["items"]
        assert claims and all(c["document_id"] == doc["id"] for c in claims)
        verdict = httpx.post(f"{server.base}/v1/verify", timeout=30, json={
            "statement": "Brindle officials said 400 residents were evacuated from the brindle valley"}).json()
        assert verdict["verdict"] == "conflicting"
        again = post(server.base, article("brindle", 40))
        assert again.status_code == 200 and again.json()["id"] == doc["id"]
        assert httpx.delete(f"{server.base}/v1/documents/{doc['id']}", timeout=30).status_code == 204
        assert not findable(server.base, "brindle", doc["id"])
        # the seed article is still there and verified as before
        r = httpx.post(f"{server.base}/v1/verify", timeout=30,
                       json={"statement": "Abdel Rahman said 900 SDF fighters died in Hajin"})
        assert r.json()["verdict"] == "conflicting"
    assert "Traceback" not in server.log()


def test_cli_ingest_while_the_service_runs(tmp_path):
    """Both write to the same store and index; the server finds the CLI's documents without a
    restart, and its own writes during the CLI ingest succeed."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(12):
        (folder / f"a{i}.txt").write_text(article(f"cliv{i}", 10 + i), "utf-8")
    empty = tmp_path / "seeds"
    empty.mkdir()
    with Server(tmp_path / "c.sqlite3", seeds=empty) as server:
        ingest = claimcheck("ingest", str(folder), "--db", str(server.db), stdout=-1, stderr=-1, text=True)
        served = [post(server.base, article(f"srv{i}", 30 + i)) for i in range(4)]
        out, err = ingest.communicate(timeout=300)
        assert ingest.returncode == 0, err
        assert "12 documents added" in out
        assert [r.status_code for r in served] == [201] * 4
        documents = httpx.get(f"{server.base}/v1/documents", params={"limit": 100}, timeout=30).json()["items"]
        assert len(documents) == 16
        by_text = {httpx.get(f"{server.base}/v1/documents/{d['id']}", timeout=30).json()["text"]: d["id"]
                   for d in documents}
        for i in range(12):
            assert findable(server.base, f"cliv{i}", by_text[article(f"cliv{i}", 10 + i)])
        for i, r in enumerate(served):
            assert findable(server.base, f"srv{i}", r.json()["id"])
    assert "Traceback" not in server.log()


@pytest.mark.slow
def test_kill_9_of_the_server_loses_no_acknowledged_document(tmp_path):
    """10 cycles: a client posts distinct documents while the server is killed at a random
    moment; after a restart every acknowledged document is GET-able and findable, and writes
    work (after a kill the restart's repair used to keep the index writer: every POST a 500)."""
    rng = random.Random(9)
    empty = tmp_path / "seeds"
    empty.mkdir()
    server = Server(tmp_path / "c.sqlite3", seeds=empty)
    acknowledged: dict[str, str] = {}  # tag -> document id
    errors: list[str] = []
    counter = iter(range(10**6))
    for _cycle in range(10):
        server.start()
        stop = threading.Event()

        def client(stop: threading.Event = stop) -> None:
            while not stop.is_set():
                tag = f"kq{next(counter)}"
                try:
                    r = post(server.base, article(tag, 5))
                except httpx.HTTPError:
                    return  # the server died mid-request: not acknowledged
                if r.status_code in (200, 201):
                    acknowledged[tag] = r.json()["id"]
                else:
                    errors.append(f"{r.status_code} {r.text[:200]}")

        thread = threading.Thread(target=client)
        thread.start()
        time.sleep(rng.uniform(0.2, 2.5))
        server.kill9()
        stop.set()
        thread.join(timeout=130)
    assert not errors
    assert len(acknowledged) >= 10
    with server:
        lost = [tag for tag, doc_id in acknowledged.items() if not findable(server.base, tag, doc_id)]
        assert post(server.base, article("afterkill", 3)).status_code == 201
    print(f"kill -9 of serve: 10 cycles, {len(acknowledged)} acknowledged, {len(lost)} lost")
    assert lost == []


@pytest.mark.slow
def test_kill_9_of_a_cli_ingest_leaves_store_and_index_in_step(tmp_path):
    """10 cycles of a CLI ingest killed mid-run, each after a random number of newly stored
    documents (mostly between two index commits): whatever the store committed is searchable
    once the store is opened again, and a final run stores every document once."""
    rng = random.Random(11)
    total = 400
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(total):
        (folder / f"a{i:03}.txt").write_text(article(f"ck{i}", i + 1), "utf-8")
    db = tmp_path / "c.sqlite3"
    settings = Settings(db=db)
    stored_counts = [0]
    for _cycle in range(10):
        proc = claimcheck("ingest", str(folder), "--db", str(db), env={"CLAIMCHECK_PROCESSES": "1"},
                          stdout=-3, stderr=-3, start_new_session=True)
        target = stored_counts[-1] + rng.randint(1, 30)
        while proc.poll() is None and _stored(db) < target:
            time.sleep(0.01)
        proc.kill()
        proc.wait()
        with open_runtime(settings) as runtime:  # the check on open repairs what the kill left
            in_store = runtime.store.document_ids()
            assert runtime.index.document_ids() == in_store
            assert runtime.index.count() == runtime.store.count_claims()
            stored_counts.append(len(in_store))
    assert stored_counts[-1] < total  # every kill landed mid-ingest
    final = claimcheck("ingest", str(folder), "--db", str(db), stdout=-1, stderr=-1, text=True)
    _, err = final.communicate(timeout=900)
    assert final.returncode == 0, err
    with open_runtime(settings) as runtime:
        assert len(runtime.store.document_ids()) == total
        assert runtime.index.document_ids() == runtime.store.document_ids()
        assert runtime.index.count() == runtime.store.count_claims()
    print(f"kill -9 of ingest: 10 cycles, documents stored when killed {stored_counts[1:]}, "
          f"{total} after the final run, 0 out of step")


def _stored(db) -> int:
    """Documents committed so far, read as another process would."""
    import sqlite3
    from contextlib import closing

    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as con:
            return con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created or not migrated yet


@pytest.mark.slow
def test_eight_writers_and_eight_verifiers_at_once(tmp_path):
    """No 5xx, nothing lost: 8 threads post 40 documents while 8 threads verify."""
    empty = tmp_path / "seeds"
    empty.mkdir()
    statuses: list[int] = []
    ids: dict[str, str] = {}
    with Server(tmp_path / "c.sqlite3", seeds=empty) as server:
        done = threading.Event()

        def writer(k: int) -> None:
            for i in range(5):
                tag = f"cw{k}x{i}"
                r = post(server.base, article(tag, k * 10 + i))
                statuses.append(r.status_code)
                if r.status_code in (200, 201):
                    ids[tag] = r.json()["id"]

        def verifier(k: int) -> int:
            n = 0
            while not done.is_set():
                r = httpx.post(f"{server.base}/v1/verify", timeout=60,
                               json={"statement": f"cw{k}x0 officials said {k} residents were evacuated"})
                statuses.append(r.status_code)
                n += 1
            return n

        with ThreadPoolExecutor(16) as pool:
            verifiers = [pool.submit(verifier, k) for k in range(8)]
            writers = [pool.submit(writer, k) for k in range(8)]
            for w in writers:
                w.result(timeout=600)
            done.set()
            verified = sum(v.result(timeout=120) for v in verifiers)
        print(f"concurrent load: {len(ids)} documents posted, {verified} verifications, "
              f"{sum(s >= 500 for s in statuses)} 5xx")
        assert [s for s in statuses if s >= 500] == []
        assert len(ids) == 40 and verified > 0
        assert all(findable(server.base, tag, doc_id) for tag, doc_id in ids.items())
    assert "Traceback" not in server.log()


def test_the_service_answers_while_a_large_document_parses(tmp_path):
    """Documents parse in a worker process: health checks and verification keep answering
    meanwhile, and a hostile document (it used to crash the process) cannot take it down."""
    empty = tmp_path / "seeds"
    empty.mkdir()
    with Server(tmp_path / "c.sqlite3", seeds=empty) as server:
        big = "".join(article(f"bg{i}", i) for i in range(500))
        result: dict[str, httpx.Response] = {}
        writer = threading.Thread(target=lambda: result.update(r=post(server.base, big)))
        writer.start()
        answered_meanwhile = 0
        while writer.is_alive():
            assert httpx.get(f"{server.base}/healthz", timeout=10).status_code == 200
            r = httpx.post(f"{server.base}/v1/verify", json={"statement": "officials said 4 residents left"},
                           timeout=10)
            assert r.status_code == 200
            answered_meanwhile += writer.is_alive()
        writer.join()
        assert result["r"].status_code == 201, result["r"].text
        assert answered_meanwhile >= 3
        hostile = post(server.base, "said " * 40000)
        assert hostile.status_code in (201, 413, 422), hostile.text
        assert httpx.get(f"{server.base}/healthz", timeout=10).status_code == 200
        assert post(server.base, article("stillup", 1)).status_code == 201
    assert "Traceback" not in server.log()
