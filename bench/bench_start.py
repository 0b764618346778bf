"""What a start costs as the archive grows: the check of store against index when an instance
opens (counted, and document by document), and a new instance's time to a ready index from a
snapshot of a peer's against a rebuild from the store.

    python bench/bench_start.py [--sizes 100000 1000000 10000000] [--data bench/.data]

Uses the SQLite builds of bench_verify.py (built there if missing, kept in --data). Each size
is measured in a fresh process (cold Python, warm page cache: the files were just read), and
prints one JSON line; ratios between sizes are what to compare.
"""

from __future__ import annotations

import argparse
import json
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--measure-one", type=int)
    args = parser.parse_args()
    if args.measure_one:
        with tempfile.TemporaryDirectory(dir=args.data) as scratch:
            print(json.dumps(measure(args.measure_one, args.data, Path(scratch))))
        return 0
    verify = HERE / "bench_verify.py"
    for n in args.sizes:
        subprocess.run([sys.executable, str(verify), "--data", str(args.data), "--build-one", str(n)], check=True,
                       capture_output=True)
        line = subprocess.run([sys.executable, __file__, "--data", str(args.data), "--measure-one", str(n)],
                              check=True, capture_output=True, text=True).stdout
        print(json.dumps({"size": n, **json.loads(line)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
