"""Beyond one process, with real processes as a user runs them: `claimcheck serve` and
`claimcheck worker` on PostgreSQL, `ingest --queue`, a worker killed with SIGKILL mid-job, two
server processes on one port, and the same commands on SQLite."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.serving import Server, article, claimcheck

pytestmark = pytest.mark.slow


def write_articles(folder: Path, tags: list[str]) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    texts = {tag: article(tag, 10 + i) for i, tag in enumerate(tags)}
    for tag, text in texts.items():
        (folder / f"{tag}.txt").write_text(text, "utf-8")
    return texts


def rows(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def run(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    proc = claimcheck(*args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_queued_ingest_survives_a_killed_worker_and_stores_each_document_once(postgres_url, tmp_path):
    tags = [f"tarn{i}" for i in range(6)]
    write_articles(tmp_path / "in", tags)
    # A short lease, so that the killed worker's job is taken again within seconds.
    env = {"CLAIMCHECK_DATABASE_URL": postgres_url, "CLAIMCHECK_JOB_LEASE": "2",
           "CLAIMCHECK_INDEX": str(tmp_path / "index")}
    queued = run("ingest", str(tmp_path / "in"), "--queue", env=env)
    assert queued.returncode == 0, queued.stderr
    assert "6 documents queued, 0 already stored" in queued.stdout
    again = run("ingest", str(tmp_path / "in"), "--queue", env=env)  # re-queueing queues again: stored once
    assert again.returncode == 0

    victim = claimcheck("worker", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        start_new_session=True)
    try:
        wait_for(lambda: rows(postgres_url, "SELECT count(*) FROM jobs WHERE state = 'running'")[0][0] > 0,
                 120, "the first worker to take a job")
    finally:
        os.killpg(victim.pid, signal.SIGKILL)  # the worker and its parse process, mid-job
        victim.wait(timeout=30)
    # The jobs it held when it died (on a loaded machine it may have been between two jobs).
    held = [r[0] for r in rows(postgres_url, "SELECT id FROM jobs WHERE state = 'running'")]
    survivor = run("worker", "--drain", env=env)
    assert survivor.returncode == 0, survivor.stderr
    states = dict(rows(postgres_url, "SELECT state, count(*) FROM jobs GROUP BY state"))
    assert states == {"done": 12}
    assert rows(postgres_url, "SELECT count(*) FROM documents")[0][0] == 6
    per_doc = rows(postgres_url, "SELECT document_id, count(*) FROM claims GROUP BY document_id")
    assert len(per_doc) == 6 and len({n for _, n in per_doc}) == 1  # no document's claims twice
    for job_id in held:  # the killed job, taken again
        assert rows(postgres_url, "SELECT attempts FROM jobs WHERE id = %s", (job_id,))[0][0] >= 2
    assert "jobs done, 0 failed" in survivor.stdout


def test_serve_on_postgres_with_a_worker(postgres_url, tmp_path):
    env = {"CLAIMCHECK_DATABASE_URL": postgres_url, "CLAIMCHECK_INDEX": str(tmp_path / "index"),
           "CLAIMCHECK_INDEX_POLL_SECONDS": "0.2"}
    with Server(tmp_path / "pg", seeds=tmp_path / "none", env=env) as server:
        r = httpx.post(f"{server.base}/v1/documents?wait=false", json={"text": article("orrin", 9)}, timeout=30)
        assert r.status_code == 202, r.text
        job_url = f"{server.base}{r.headers['location']}"
        time.sleep(1)
        assert httpx.get(job_url).json()["state"] == "queued"  # with PostgreSQL the service leaves jobs to workers
        worker = run("worker", "--drain", env=env)
        assert worker.returncode == 0, worker.stderr
        assert httpx.get(job_url).json()["state"] == "done"

        def searchable() -> bool:  # the service's index follows the database's change log
            v = httpx.post(f"{server.base}/v1/verify", json={"statement": "orrin residents were evacuated"})
            return r.json()["document_id"] in {e["document"]["id"] for e in v.json()["evidence"]}

        wait_for(searchable, 30, "the worker's document to be searchable by the service")
        # A synchronous write is searchable when acknowledged, as with SQLite.
        w = httpx.post(f"{server.base}/v1/documents", json={"text": article("brisk", 3)}, timeout=60)
        assert w.status_code == 201
        v = httpx.post(f"{server.base}/v1/verify", json={"statement": "brisk residents were evacuated"})
        assert w.json()["id"] in {e["document"]["id"] for e in v.json()["evidence"]}


def test_two_server_processes_share_one_store(tmp_path):
    with Server(tmp_path / "c.sqlite3", seeds=tmp_path / "none", args=("--workers", "2")) as server:
        ids = set()
        for i in range(6):  # connections close each time: both processes take some
            r = httpx.post(f"{server.base}/v1/documents", json={"text": article(f"lisk{i}", 5)}, timeout=60)
            assert r.status_code == 201, r.text
            ids.add(r.json()["id"])
        listed = httpx.get(f"{server.base}/v1/documents?limit=50").json()["items"]
        assert {d["id"] for d in listed} == ids
        server.stop()
    assert server.proc.returncode == 0, server.log()[-2000:]


def test_sqlite_queue_is_worked_by_the_service_itself(tmp_path):
    write_articles(tmp_path / "in", ["quill", "fennel"])
    db = tmp_path / "c.sqlite3"
    queued = run("ingest", str(tmp_path / "in"), "--queue", "--db", str(db), env={})
    assert queued.returncode == 0 and "2 documents queued" in queued.stdout, queued.stderr
    with Server(db, seeds=tmp_path / "none") as server:
        wait_for(lambda: len(httpx.get(f"{server.base}/v1/documents").json()["items"]) == 2, 60,
                 "the service to work the queue")


def test_ctrl_c_stops_a_worker_after_its_job_and_fails_nothing(tmp_path):
    import sqlite3

    (tmp_path / "in").mkdir()
    for i in range(12):  # long enough that the signal lands during a parse
        (tmp_path / "in" / f"{i}.txt").write_text(
            "".join(article(f"wren{i}x{k}", k) for k in range(60)), "utf-8")
    db = tmp_path / "c.sqlite3"
    assert run("ingest", str(tmp_path / "in"), "--queue", "--db", str(db), env={}).returncode == 0

    def states() -> dict[str, int]:
        with sqlite3.connect(db) as conn:
            return dict(conn.execute("SELECT state, count(*) FROM jobs GROUP BY state").fetchall())

    worker = claimcheck("worker", "--db", str(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                        start_new_session=True)
    wait_for(lambda: states().get("done", 0) >= 1, 120, "the worker to finish a job")
    os.killpg(worker.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the worker and its parse process
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    after = states()
    assert "failed" not in after and "running" not in after, after
    assert after.get("done", 0) + after.get("queued", 0) == 12 and "jobs done, 0 failed" in out
