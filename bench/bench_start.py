"""What a start costs as the archive grows: the check of store against index when an instance
opens (counted, and document by document), and a new instance's time to a ready index from a
snapshot of a peer's against a rebuild from the store; then the service itself
(``claimcheck serve``, model on) over that store: seconds to ready and its resident memory after
verify calls.

    python bench/bench_start.py [--sizes 100000 1000000 10000000] [--data bench/.data]

Uses the SQLite builds of bench_verify.py (built there if missing, kept in --data). Each size
is measured in a fresh process (cold Python, warm page cache: the files were just read), and
prints one JSON line; ratios between sizes are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

HERE = Path(__file__).resolve().parent


def measure(n: int, data: Path, scratch: Path) -> dict:
    from claimcheck.match import TantivyIndex, rebuild_index, sync_index
    from claimcheck.match.snapshot import restore_snapshot, write_snapshot
    from claimcheck.store import SQLiteStore

    folder = data / str(n)
    out: dict = {"claims": 0}
    t0 = time.perf_counter()
    store = SQLiteStore(folder / "claims.sqlite3")  # migrations run here
    index = TantivyIndex(folder / "claims.sqlite3.index")
    sync_index(store, index)  # an index of an older format is rebuilt here, not timed
    out["open_seconds"] = round(time.perf_counter() - t0, 3)
    out["claims"] = store.count_claims()

    t0 = time.perf_counter()
    report = sync_index(store, index, check=True)
    out["check_seconds"] = round(time.perf_counter() - t0, 3)
    assert not report.changed, report
    t0 = time.perf_counter()
    sync_index(store, index, check=True, thorough=True)
    out["check_thorough_seconds"] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    write_snapshot(index, scratch / "snap")
    out["snapshot_write_seconds"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    restore_snapshot(scratch / "snap", scratch / "restored")
    restored = TantivyIndex(scratch / "restored")
    report = sync_index(store, restored, check=True)
    out["ready_from_snapshot_seconds"] = round(time.perf_counter() - t0, 3)
    assert not report.rebuilt and restored.count() == out["claims"], report
    shutil.rmtree(scratch / "restored")
    shutil.rmtree(scratch / "snap")

    t0 = time.perf_counter()
    rebuilt = TantivyIndex(scratch / "rebuilt")
    count = rebuild_index(store, rebuilt)
    out["ready_from_rebuild_seconds"] = round(time.perf_counter() - t0, 3)
    assert count == out["claims"]
    shutil.rmtree(scratch / "rebuilt")
    out["snapshot_speedup"] = round(out["ready_from_rebuild_seconds"] / out["ready_from_snapshot_seconds"], 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    store.close()
    return out


def _tree(pid: int) -> list[int]:
    """``pid`` and every process under it (the statement parser, server processes)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return out


def _memory_mb(pid: int, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def serve(n: int, data: Path, scratch: Path, requests: int) -> dict:
    """The service as users start it (``claimcheck serve``, the entailment model on) over the
    size's store and index: seconds until /readyz answers 200 (the counted check included), then
    ``requests`` verify calls, and the resident memory of the server process and of its tree."""
    import httpx
    import synth
    from bench_http import _port, wait_ready
    from bench_verify import _sample_contents

    folder = data / str(n)
    statements = synth.statements(_sample_contents(folder / "claims.sqlite3", 3 * requests), requests)
    port = _port()
    env = {**os.environ, "CLAIMCHECK_NLI": "true", "CLAIMCHECK_INDEX": str(folder / "claims.sqlite3.index")}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "claimcheck", "serve", "--port", str(port),
                             "--db", str(folder / "claims.sqlite3")], cwd=scratch, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    out: dict = {}
    try:
        wait_ready(base, proc=proc, interval=0.1)
        out["serve_ready_seconds"] = round(time.perf_counter() - t0, 2)
        with httpx.Client(base_url=base, timeout=60) as client:
            times = []
            for statement in statements:
                t1 = time.perf_counter()
                client.post("/v1/verify", json={"statement": statement}).raise_for_status()
                times.append((time.perf_counter() - t1) * 1000)
        times.sort()
        out["serve_verify_p50_ms"] = round(times[len(times) // 2], 1)
        out["serve_peak_rss_mb"] = round(_memory_mb(proc.pid, "VmHWM"), 1)
        out["serve_tree_rss_mb"] = round(sum(_memory_mb(p, "VmRSS") for p in _tree(proc.pid)), 1)
    finally:
        proc.terminate()
        proc.wait(30)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--measure-one", type=int)
    parser.add_argument("--requests", type=int, default=100,
                        help="verify calls sent to `claimcheck serve` before its memory is read")
    args = parser.parse_args()
    if args.measure_one:
        with tempfile.TemporaryDirectory(dir=args.data) as scratch:
            out = measure(args.measure_one, args.data, Path(scratch))
            out.update(serve(args.measure_one, args.data, Path(scratch), args.requests))
            print(json.dumps(out))
        return 0
    verify = HERE / "bench_verify.py"
    for n in args.sizes:
        subprocess.run([sys.executable, str(verify), "--data", str(args.data), "--build-one", str(n)], check=True,
                       capture_output=True)
        line = subprocess.run([sys.executable, __file__, "--data", str(args.data), "--measure-one", str(n),
                               "--requests", str(args.requests)],
                              check=True, capture_output=True, text=True).stdout
        print(json.dumps({"size": n, **json.loads(line)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
