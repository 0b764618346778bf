"""Verify in-process at 10k / 100k / 1M claims: p50/p99 split into parse, retrieve and score;
index build time; store and index size on disk; peak RSS.

    python bench/bench_verify.py [--sizes 10000 100000 1000000] [--queries 1000] [--data bench/.data]

Each size is built once (kept in --data, reused by later runs) and measured in a fresh process,
so peak RSS is the measuring process's own.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

HERE = Path(__file__).resolve().parent


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def build(n: int, data: Path) -> dict:
    import synth

    from claimcheck import service
    from claimcheck.extract import Extractor
    from claimcheck.match import TantivyIndex
    from claimcheck.nlp import load
    from claimcheck.settings import Settings
    from claimcheck.store import SQLiteStore

    folder = data / str(n)
    done = folder / "build.json"
    if done.exists():
        return json.loads(done.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    extractor = Extractor(load(Settings().spacy_model))
    tmpl = synth.templates(extractor, data / "templates.pickle")
    store = SQLiteStore(folder / "claims.sqlite3")
    t0 = time.perf_counter()
    for extraction in synth.documents(tmpl, n):
        store.put(extraction)
    t1 = time.perf_counter()
    index = TantivyIndex(folder / "claims.sqlite3.index")
    count = service.reindex(store, index)
    t2 = time.perf_counter()
    info = {"claims": count, "store_seconds": round(t1 - t0, 1), "index_seconds": round(t2 - t1, 1),
            "db_mb": round(_size(folder / "claims.sqlite3") / 1e6, 1),
            "index_mb": round(_size(folder / "claims.sqlite3.index") / 1e6, 1)}
    done.write_text(json.dumps(info))
    return info


def _sample_contents(db: Path, k: int, seed: int = 5) -> list[str]:
    """Random claim contents straight from the database file (benchmark-only access)."""
    import random
    import sqlite3

    con = sqlite3.connect(db)
    top = con.execute("SELECT MAX(seq) FROM claims").fetchone()[0]
    picks = random.Random(seed).sample(range(1, top + 1), min(k, top))
    marks = ",".join("?" * len(picks))
    rows = con.execute(f"SELECT content FROM claims WHERE seq IN ({marks})", picks)
    return [r[0] for r in rows if r[0] and len(r[0].split()) >= 5]


def measure(n: int, data: Path, queries: int) -> dict:
    import synth

    from claimcheck import service
    from claimcheck.extract import Extractor
    from claimcheck.match import TantivyIndex, sync_index
    from claimcheck.nlp import load
    from claimcheck.settings import Settings
    from claimcheck.store import SQLiteStore

    folder = data / str(n)
    extractor = Extractor(load(Settings().spacy_model))
    store = SQLiteStore(folder / "claims.sqlite3")
    index = TantivyIndex(folder / "claims.sqlite3.index")
    sync_index(store, index)  # a build cached by an older format is rebuilt here, not timed
    stmts = synth.statements(_sample_contents(folder / "claims.sqlite3", 3 * queries), queries)
    for s in stmts[:20]:  # warm caches
        service.verify(store, index, extractor, s)
    rows = []
    verdicts: dict[str, int] = {}
    for s in stmts:
        t: dict[str, float] = {}
        start = time.perf_counter()
        v = service.verify(store, index, extractor, s, timings=t)
        t["total"] = time.perf_counter() - start
        rows.append(t)
        verdicts[v.verdict.value] = verdicts.get(v.verdict.value, 0) + 1

    def pct(key: str, q: float) -> float:
        values = sorted(r[key] * 1000 for r in rows)
        return round(values[min(len(values) - 1, int(q * len(values)))], 2)

    out = {"claims": store.count_claims(), "queries": len(rows), "verdicts": verdicts,
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    for key in ("total", "parse", "retrieve", "score"):
        out[key] = {"p50": pct(key, 0.50), "p99": pct(key, 0.99),
                    "mean": round(statistics.mean(r[key] for r in rows) * 1000, 2)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--build-one", type=int)
    parser.add_argument("--measure-one", type=int)
    args = parser.parse_args()
    if args.build_one:
        print(json.dumps(build(args.build_one, args.data)))
        return 0
    if args.measure_one:
        print(json.dumps(measure(args.measure_one, args.data, args.queries)))
        return 0
    results = []
    for n in args.sizes:
        me = [sys.executable, __file__, "--data", str(args.data), "--queries", str(args.queries)]
        b = json.loads(subprocess.run([*me, "--build-one", str(n)], check=True, capture_output=True,
                                      text=True).stdout)
        m = json.loads(subprocess.run([*me, "--measure-one", str(n)], check=True, capture_output=True,
                                      text=True).stdout)
        results.append((n, b, m))
        print(json.dumps({"size": n, "build": b, "measure": m}), flush=True)
    print()
    print("| claims | build: store s | build: index s | db MB | index MB | p50 ms | p99 ms | parse p50 "
          "| retrieve p50 / p99 | score p50 / p99 | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, b, m in results:
        print(f"| {n:,} | {b['store_seconds']} | {b['index_seconds']} | {b['db_mb']} | {b['index_mb']} | "
              f"{m['total']['p50']} | {m['total']['p99']} | {m['parse']['p50']} | "
              f"{m['retrieve']['p50']} / {m['retrieve']['p99']} | {m['score']['p50']} / {m['score']['p99']} "
              f"| {m['peak_rss_mb']} |")
    if len(results) >= 2:
        print(f"\np50 growth {results[0][0]:,} -> {results[-1][0]:,} claims: "
              f"{results[-1][2]['total']['p50'] / results[0][2]['total']['p50']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
