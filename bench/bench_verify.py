"""Verify in-process at 10k / 100k / 1M claims: p50/p99 split into parse, retrieve, model and
score; index build time; store and index size on disk; peak RSS; with the entailment model off
and on, over the same statements in the same process (the order alternates per statement, so
neither engine gets the warmer caches).

    python bench/bench_verify.py [--sizes 10000 100000 1000000] [--queries 1000] [--data bench/.data]
        [--nli both|on|off]

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


def measure(n: int, data: Path, queries: int, nli: str = "both") -> dict:
    import synth

    from claimcheck import service
    from claimcheck.bootstrap import load_entailment
    from claimcheck.extract import Extractor
    from claimcheck.match import TantivyIndex, sync_index
    from claimcheck.nlp import load
    from claimcheck.settings import Settings
    from claimcheck.store import SQLiteStore

    folder = data / str(n)
    settings = Settings()
    extractor = Extractor(load(settings.spacy_model))
    rss_before_model = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # "on" measures the model whatever CLAIMCHECK_NLI says (it is off by default)
    engines = {name: (load_entailment(settings.model_copy(update={"nli": True})) if name == "on" else None)
               for name in (("off", "on") if nli == "both" else (nli,))}
    model_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before_model
    store = SQLiteStore(folder / "claims.sqlite3")
    index = TantivyIndex(folder / "claims.sqlite3.index")
    sync_index(store, index)  # a build cached by an older format is rebuilt here, not timed
    stmts = synth.statements(_sample_contents(folder / "claims.sqlite3", 3 * queries), queries)
    for s in stmts[:20]:  # warm caches
        for model in engines.values():
            service.verify(store, index, extractor, s, entailment=model)
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in engines}
    verdicts: dict[str, dict[str, int]] = {name: {} for name in engines}
    names = list(engines)
    for i, s in enumerate(stmts):
        for name in names[i % 2:] + names[:i % 2]:  # alternate which engine goes first
            t: dict[str, float] = {"model": 0.0}
            start = time.perf_counter()
            v = service.verify(store, index, extractor, s, timings=t, entailment=engines[name])
            t["total"] = time.perf_counter() - start
            rows[name].append(t)
            verdicts[name][v.verdict.value] = verdicts[name].get(v.verdict.value, 0) + 1

    def pct(name: str, key: str, q: float) -> float:
        values = sorted(r[key] * 1000 for r in rows[name])
        return round(values[min(len(values) - 1, int(q * len(values)))], 2)

    out: dict = {"claims": store.count_claims(), "queries": len(stmts),
                 "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                 "model_rss_mb": round(model_rss, 1)}
    for name in engines:
        out[name] = {"verdicts": verdicts[name]}
        for key in ("total", "parse", "retrieve", "model", "score"):
            out[name][key] = {"p50": pct(name, key, 0.50), "p99": pct(name, key, 0.99),
                              "mean": round(statistics.mean(r[key] for r in rows[name]) * 1000, 2)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--build-one", type=int)
    parser.add_argument("--measure-one", type=int)
    parser.add_argument("--nli", choices=("both", "on", "off"), default="both",
                        help="the entailment model: off and on in one run (default), or one of them")
    args = parser.parse_args()
    if args.build_one:
        print(json.dumps(build(args.build_one, args.data)))
        return 0
    if args.measure_one:
        print(json.dumps(measure(args.measure_one, args.data, args.queries, args.nli)))
        return 0
    results = []
    for n in args.sizes:
        me = [sys.executable, __file__, "--data", str(args.data), "--queries", str(args.queries), "--nli", args.nli]
        b = json.loads(subprocess.run([*me, "--build-one", str(n)], check=True, capture_output=True,
                                      text=True).stdout)
        m = json.loads(subprocess.run([*me, "--measure-one", str(n)], check=True, capture_output=True,
                                      text=True).stdout)
        results.append((n, b, m))
        print(json.dumps({"size": n, "build": b, "measure": m}), flush=True)
    print()
    print("| claims | model | build: store s | build: index s | db MB | index MB | p50 ms | p99 ms | parse p50 "
          "| retrieve p50 / p99 | model p50 / p99 | score p50 / p99 | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n, b, m in results:
        for name in ("off", "on"):
            if name not in m:
                continue
            e = m[name]
            print(f"| {n:,} | {name} | {b['store_seconds']} | {b['index_seconds']} | {b['db_mb']} | {b['index_mb']} | "
                  f"{e['total']['p50']} | {e['total']['p99']} | {e['parse']['p50']} | "
                  f"{e['retrieve']['p50']} / {e['retrieve']['p99']} | {e['model']['p50']} / {e['model']['p99']} | "
                  f"{e['score']['p50']} / {e['score']['p99']} | {m['peak_rss_mb']} |")
    if len(results) >= 2:
        for name in ("off", "on"):
            if name in results[0][2]:
                print(f"\np50 growth {results[0][0]:,} -> {results[-1][0]:,} claims, model {name}: "
                      f"{results[-1][2][name]['total']['p50'] / results[0][2][name]['total']['p50']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
