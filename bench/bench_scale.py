"""Beyond one machine: PostgreSQL against SQLite, the two search designs, replica lag, ingest
workers and server processes. Prints Markdown tables; one run, ratios are what to compare.

    python bench/bench_scale.py --database-url postgresql://postgres@127.0.0.1/postgres \
        [--claims 1000000] [--queries 500] [--parts verify fts lag ingest http]

- verify: in-process verify p50/p99 with the record in SQLite and in PostgreSQL, the same
  synthetic corpus (bench/synth.py) and statements, a local tantivy index in both cases (design b).
- fts: design a, PostgreSQL full-text search queried directly (tsvector + GIN): build time, size,
  and the candidate query's p50/p99 beside tantivy's retrieval for the same statements.
- lag: design b's replica lag, from a writer's commit to searchable in another instance's index,
  p50/p99, woken by LISTEN/NOTIFY and by polling alone.
- ingest: documents/s with 1, 2 and 4 `claimcheck worker` processes on one queue, and the share
  of the workers' time spent waiting for the store's write lock (sampled from pg_stat_activity),
  the cores the machine kept busy and how many of them the workers used (the rest is PostgreSQL
  and this process: what 2 workers on 2 cores must share); then one of four workers killed with
  SIGKILL mid-run, and the count of documents lost or stored twice.
- http: POST /v1/verify requests/s at concurrency 16 with `serve --workers 1` and `--workers 2`.
- put: one document's write (the write lock's hold) into an empty database and into the built
  corpus of ``--claims`` (the documents are deleted again after): does the hold grow with size?
- build (alone): only build the PostgreSQL corpus, so that it can be built beside bench_verify.py's
  SQLite one (``--build-one``); later runs of the other parts reuse both.

The PostgreSQL database ``claimcheck_bench_<claims>`` is made on the given server and reused
(``--rebuild`` drops it). Load goes to 127.0.0.1 only, bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_http  # noqa: E402
import bench_verify  # noqa: E402


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 2)


def database(server_url: str, name: str, rebuild: bool) -> tuple[str, bool]:
    """The bench database's URL, and whether it already holds a built corpus."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and rebuild:
            conn.execute(f"DROP DATABASE {name}")
            exists = None
        if not exists:
            conn.execute(f"CREATE DATABASE {name}")
    url = server_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(url) as conn:
        built = conn.execute("SELECT to_regclass('claims') IS NOT NULL").fetchone()[0]
        if built:
            built = conn.execute("SELECT value FROM claimcheck_meta WHERE key = 'bench_built'").fetchone() is not None
    return url, bool(built)


def build_postgres(url: str, n: int, data: Path, built: bool) -> dict:
    import synth

    from claimcheck import service
    from claimcheck.extract import Extractor
    from claimcheck.match import TantivyIndex
    from claimcheck.nlp import load
    from claimcheck.settings import Settings
    from claimcheck.store import PostgresStore

    store = PostgresStore(url)
    index_path = data / f"pg-{n}" / "index"
    info_path = data / f"pg-{n}" / "build.json"
    if built and info_path.exists():
        store.close()
        return json.loads(info_path.read_text())
    with psycopg.connect(url) as conn:  # the rows were stored by an earlier, interrupted run
        stored = conn.execute("SELECT 1 FROM claimcheck_meta WHERE key = 'bench_store_built'").fetchone()
    t0 = time.perf_counter()
    if not stored:
        extractor = Extractor(load(Settings().spacy_model))
        for extraction in synth.documents(synth.templates(extractor, data / "templates.pickle"), n):
            store.put(extraction)
    t1 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO claimcheck_meta VALUES ('bench_store_built', 'yes') ON CONFLICT DO NOTHING")
        conn.execute("ANALYZE")
    count = service.reindex(store, TantivyIndex(index_path))
    t2 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        conn.execute("INSERT INTO claimcheck_meta VALUES ('bench_built', 'yes') ON CONFLICT DO NOTHING")
    store.close()
    info = {"claims": count, "store_seconds": round(t1 - t0, 1) if not stored else None,
            "index_seconds": round(t2 - t1, 1),
            "db_mb": round(size / 1e6, 1), "index_mb": round(bench_verify._size(index_path) / 1e6, 1)}
    info_path.parent.mkdir(parents=True, exist_ok=True)
    info_path.write_text(json.dumps(info))
    return info


def verify_latency(store, index, statements: list[str]) -> dict:
    from claimcheck import service
    from claimcheck.extract import Extractor
    from claimcheck.nlp import load
    from claimcheck.settings import Settings

    extractor = Extractor(load(Settings().spacy_model))
    for s in statements[:20]:
        service.verify(store, index, extractor, s)
    total, retrieve = [], []
    for s in statements:
        t: dict[str, float] = {}
        start = time.perf_counter()
        service.verify(store, index, extractor, s, timings=t)
        total.append((time.perf_counter() - start) * 1000)
        retrieve.append(t["retrieve"] * 1000)
    return {"p50": pct(total, 0.5), "p99": pct(total, 0.99), "retrieve_p50": pct(retrieve, 0.5),
            "retrieve_p99": pct(retrieve, 0.99), "mean": round(statistics.mean(total), 2)}


def part_verify(args, url: str, statements: list[str]) -> dict:
    from claimcheck.match import TantivyIndex
    from claimcheck.store import PostgresStore, SQLiteStore

    folder = args.data / str(args.claims)
    sqlite = SQLiteStore(folder / "claims.sqlite3")
    out = {"sqlite": verify_latency(sqlite, TantivyIndex(folder / "claims.sqlite3.index"), statements)}
    sqlite.close()
    pg = PostgresStore(url)
    out["postgres"] = verify_latency(pg, TantivyIndex(args.data / f"pg-{args.claims}" / "index"), statements)
    pg.close()
    return out


def part_fts(url: str, statements: list[str]) -> dict:
    """Design a: candidates straight from PostgreSQL full-text search, ranked, top 20."""
    from claimcheck.match import terms

    with psycopg.connect(url, autocommit=True) as conn:
        t0 = time.perf_counter()
        conn.execute("ALTER TABLE claims ADD COLUMN IF NOT EXISTS tsv tsvector"
                     " GENERATED ALWAYS AS (to_tsvector('english', coalesce(content, ''))) STORED")
        conn.execute("CREATE INDEX IF NOT EXISTS claims_tsv ON claims USING GIN (tsv)")
        build = time.perf_counter() - t0
        size = conn.execute("SELECT pg_relation_size('claims_tsv')").fetchone()[0]
        conn.execute("ANALYZE claims")
        times, found = [], 0
        for s in statements:
            words = [w for w in terms(s) if len(w) > 2][:24]
            if not words:
                continue
            start = time.perf_counter()
            rows = conn.execute(
                "SELECT id FROM claims, to_tsquery('english', %s) q WHERE tsv @@ q"
                " ORDER BY ts_rank(tsv, q) DESC LIMIT 20", (" | ".join(words),)).fetchall()
            times.append((time.perf_counter() - start) * 1000)
            found += bool(rows)
    return {"build_seconds": round(build, 1), "gin_mb": round(size / 1e6, 1), "p50": pct(times, 0.5),
            "p99": pct(times, 0.99), "queries": len(times), "with_candidates": found}


def part_lag(url: str, data: Path, documents: int, notify: bool) -> dict:
    """A writer (another instance, as far as the store can tell) stores documents one by one;
    this instance's follower brings its own index up; lag = commit -> index state at that seq."""
    import synth

    from claimcheck.bootstrap import IndexFollower, Runtime
    from claimcheck.extract import Extractor
    from claimcheck.match import TantivyIndex, sync_index
    from claimcheck.nlp import load
    from claimcheck.settings import Settings
    from claimcheck.store import PostgresStore

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=url, index=Path(tmp) / "index")
        reader, writer = PostgresStore(url), PostgresStore(url)
        if not notify:
            reader.wait_for_change = lambda timeout: None  # type: ignore[method-assign]  # polling alone
        index = TantivyIndex(settings.index_path)
        sync_index(reader, index)
        runtime = Runtime(settings, reader, index)
        follower = IndexFollower(runtime, interval=1.0)
        tmpl = synth.templates(Extractor(load(settings.spacy_model)), data / "templates.pickle")
        lags: list[float] = []
        try:
            made = synth.documents(tmpl, documents * synth.CLAIMS_PER_DOC, seed=1000 + int(notify))
            for i, extraction in enumerate(made):
                # A path of its own: the corpus's synthetic/N.txt would be replaced, not added.
                document = replace(extraction.document, path=f"lag-{int(notify)}/{i}.txt")
                writer.put(replace(extraction, document=document))
                committed, seq = time.perf_counter(), writer.head()
                while (state := index.state()) is None or state.seq < seq:
                    time.sleep(0.002)
                lags.append((time.perf_counter() - committed) * 1000)
                time.sleep(0.05 + (i % 7) * 0.03)  # writes arrive at irregular moments
        finally:
            follower.close()
            index.close()
            reader.close()
            writer.close()
    return {"p50": pct(lags, 0.5), "p99": pct(lags, 0.99), "documents": len(lags)}


def _documents_folder(folder: Path, n: int, salt: str) -> None:
    """``n`` distinct article-like documents of about 250 words (bench_ingest's pieces)."""
    import bench_ingest

    folder.mkdir(parents=True, exist_ok=True)
    for i, doc in enumerate(bench_ingest.pieces(n)):
        (folder / f"{i:05d}.txt").write_text(f"{doc.text}\n{salt} {i}.\n", "utf-8")


def _claimcheck(*args: str, env: dict[str, str], **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "claimcheck", *args], env={**os.environ, **env}, cwd=ROOT, **kw)


class _LockSampler:
    """How much of the workers' time goes to waiting for the store's write lock, sampled from the
    server every 20 ms (sampling is itself load on the same cores): the database's backends
    waiting on an advisory lock, over the workers."""

    def __init__(self, url: str, workers: int) -> None:
        import threading

        self.url, self.workers = url, workers
        self.samples = self.waiting = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _LockSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(0.02):
                self.waiting += conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND wait_event = 'advisory'").fetchone()[0]
                self.samples += 1

    @property
    def share(self) -> float:
        return self.waiting / (self.samples * self.workers) if self.samples else 0.0


def _busy_core_seconds() -> float:
    """CPU time the whole machine has spent busy (every process: workers, PostgreSQL, this one)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children_core_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _drain(env: dict[str, str], workers: int, cpu: dict[str, float] | None = None) -> float:
    """Run ``workers`` workers until the queue is empty; ``cpu`` receives the cores the machine
    kept busy on average and the share of that the workers (and their parse processes) used."""
    start, busy, mine = time.perf_counter(), _busy_core_seconds(), _children_core_seconds()
    procs = [_claimcheck("worker", "--drain", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(workers)]
    for p in procs:
        p.wait()
    seconds = time.perf_counter() - start
    if cpu is not None:
        cpu["cores_busy"] = round((_busy_core_seconds() - busy) / seconds, 2)
        cpu["workers_cores"] = round((_children_core_seconds() - mine) / seconds, 2)
    return seconds


def part_ingest(server_url: str, documents: int) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2, 4, "kill"):
            name = f"claimcheck_bench_ingest_{workers}"
            url, _ = database(server_url, name, rebuild=True)
            env = {"CLAIMCHECK_DATABASE_URL": url, "CLAIMCHECK_JOB_LEASE": "5"}
            folder = Path(tmp) / str(workers)
            _documents_folder(folder, documents, f"Batch {workers}")
            subprocess.run([sys.executable, "-m", "claimcheck", "ingest", str(folder), "--queue"], check=True,
                           env={**os.environ, **env}, cwd=ROOT, capture_output=True)
            if workers == "kill":
                victim = _claimcheck("worker", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
                others = [_claimcheck("worker", "--drain", env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL) for _ in range(3)]  # four in all
                with psycopg.connect(url, autocommit=True) as conn:  # kill it a third of the way through
                    while conn.execute("SELECT count(*) FROM jobs WHERE state = 'done'").fetchone()[0] < documents / 3:
                        time.sleep(0.2)
                os.killpg(victim.pid, signal.SIGKILL)
                victim.wait()
                for other in others:
                    other.wait()
                _drain(env, 1)  # whatever the killed worker held, after its lease
                with psycopg.connect(url) as conn:
                    docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                    # Every job records how many claims its document's extraction gave: the table
                    # holds exactly that many, none missing, none twice.
                    expected = conn.execute("SELECT sum(claims) FROM jobs").fetchone()[0]
                    stored = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
                    states = dict(conn.execute("SELECT state, count(*) FROM jobs GROUP BY state").fetchall())
                    retaken = conn.execute("SELECT count(*) FROM jobs WHERE attempts > 1").fetchone()[0]
                out["kill"] = {"documents": documents, "stored": docs, "lost": documents - docs,
                               "claims_expected": expected, "claims_stored": stored, "jobs": states,
                               "jobs_taken_again": retaken}
            else:
                cpu: dict[str, float] = {}
                with _LockSampler(url, int(workers)) as sampler:
                    seconds = _drain(env, int(workers), cpu)
                out[str(workers)] = {"seconds": round(seconds, 1), "docs_per_s": round(documents / seconds, 2),
                                     "words": _words(folder), "lock_wait_share": round(sampler.share, 4),
                                     **cpu}
            if workers == 1:  # what a worker costs before its first job: start, load, find nothing
                out["startup_seconds"] = round(_drain(env, 1), 1)
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
    out["put"] = _put_latency(server_url, documents // 2)
    out["ratio"] = round(out["2"]["docs_per_s"] / out["1"]["docs_per_s"], 2)
    out["ratio_4"] = round(out["4"]["docs_per_s"] / out["1"]["docs_per_s"], 2)
    # Steady state: each run's time less one worker start-up (the workers start side by side).
    steady = {k: documents / (out[k]["seconds"] - out["startup_seconds"]) for k in ("1", "2", "4")}
    out["ratio_steady"] = round(steady["2"] / steady["1"], 2)
    out["ratio_steady_4"] = round(steady["4"] / steady["1"], 2)
    out["words_per_cpu_second_1"] = round(out["1"]["words"] / (out["1"]["seconds"] - out["startup_seconds"]), 1)
    return out


def _put_latency(server_url: str, documents: int, into: str | None = None) -> dict:
    """How long one document's write holds the store's write lock (taken first in its
    transaction, so the put's time is the hold), alone: what bounds ingest past the cores.
    ``into``: a built corpus's database to write into (the documents are deleted again after),
    to see whether the hold grows with the archive; else a new, empty database."""
    import bench_ingest

    from claimcheck.extract import Extractor
    from claimcheck.nlp import load
    from claimcheck.settings import Settings
    from claimcheck.store import PostgresStore

    name = "claimcheck_bench_put"
    url = into or database(server_url, name, rebuild=True)[0]
    extractor = Extractor(load(Settings().spacy_model))
    extractions = [extractor.extract(d) for d in bench_ingest.pieces(documents)]
    store = PostgresStore(url)
    times = []
    try:
        for e in extractions:
            t0 = time.perf_counter()
            store.put(e)
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        if into is not None:
            for e in extractions:
                store.delete_document(e.document.id)
        store.close()
    if into is None:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
    p50 = pct(times, 0.5)
    return {"documents": len(times), "p50_ms": round(p50, 2), "p99_ms": round(pct(times, 0.99), 2),
            "lock_ceiling_docs_per_s": round(1000 / p50, 1)}


def _words(folder: Path) -> int:
    return sum(len(p.read_text("utf-8").split()) for p in folder.glob("*.txt"))


def part_http(url: str, index: Path, statements: list[str], seconds: float) -> dict:
    out = {}
    for workers in (1, 2):
        port = bench_http._port()
        env = {"CLAIMCHECK_DATABASE_URL": url, "CLAIMCHECK_INDEX": str(index),
               "CLAIMCHECK_SERVE_WORKER": "false"}
        server = _claimcheck("serve", "--port", str(port), "--workers", str(workers), env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            bench_http.wait_ready(base)
            bench_http.load(base, statements, 16, 5)  # warm every process
            out[str(workers)] = bench_http.load(base, statements, 16, seconds)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    out["ratio"] = round(out["2"]["rps"] / out["1"]["rps"], 2)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server (any database on it)")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--parts", nargs="+", default=["verify", "fts", "lag", "ingest", "http"])
    parser.add_argument("--lag-documents", type=int, default=200)
    parser.add_argument("--ingest-documents", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    import synth

    results: dict = {"claims": args.claims}
    url, built = database(args.database_url, f"claimcheck_bench_{args.claims}", args.rebuild)
    if args.parts == ["build"]:  # the PostgreSQL corpus alone (it may be built beside SQLite's)
        print(json.dumps({"postgres": build_postgres(url, args.claims, args.data, built)}), flush=True)
        return 0
    if {"verify", "fts", "http"} & set(args.parts):
        results["build"] = {"sqlite": bench_verify.build(args.claims, args.data),
                            "postgres": build_postgres(url, args.claims, args.data, built)}
        print(json.dumps(results["build"]), flush=True)
        contents = bench_verify._sample_contents(args.data / str(args.claims) / "claims.sqlite3", 3 * args.queries)
        statements = synth.statements(contents, args.queries)
    for part in args.parts:
        if part == "verify":
            results["verify"] = part_verify(args, url, statements)
        elif part == "fts":
            results["fts"] = part_fts(url, statements)
        elif part == "lag":
            results["lag"] = {"notify": part_lag(url, args.data, args.lag_documents, True),
                              "poll_1s": part_lag(url, args.data, args.lag_documents // 4, False)}
        elif part == "ingest":
            results["ingest"] = part_ingest(args.database_url, args.ingest_documents)
        elif part == "put":
            results["put"] = {"empty": _put_latency(args.database_url, args.ingest_documents // 2),
                              "at_size": _put_latency(args.database_url, args.ingest_documents // 2, into=url)}
        elif part == "http":
            results["http"] = part_http(url, args.data / f"pg-{args.claims}" / "index", statements, args.seconds)
        print(json.dumps({part: results.get(part)}), flush=True)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
