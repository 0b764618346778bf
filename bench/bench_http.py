"""HTTP: `claimcheck serve` (one worker) on loopback under a bounded load of POST /v1/verify at
concurrency 1, 8 and 32: requests/s, p50 / p99 latency, errors.

    python bench/bench_http.py [--seconds 30] [--concurrency 1 8 32]

The service indexes the seeds and ../shared/corpora first. Load comes from threads in this
process, each with its own connection, on 127.0.0.1 only; every run stops after --seconds.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(base: str, statements: list[str], concurrency: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(offset: int) -> None:
        nonlocal errors
        i = offset
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < stop:
                start = time.perf_counter()
                try:
                    body = {"statement": statements[i % len(statements)]}
                    ok = client.post(f"{base}/v1/verify", json=body).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    errors += not ok
                i += concurrency

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    values = sorted(x * 1000 for x in latencies)
    return {"concurrency": concurrency, "requests": len(values), "rps": len(values) / wall,
            "p50": values[len(values) // 2], "p99": values[min(len(values) - 1, int(0.99 * len(values)))],
            "errors": errors}


def wait_ready(base: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{base} not ready after {seconds:g} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    args = parser.parse_args()
    fixture = json.loads((ROOT / "tests" / "fixtures" / "statements_seed.json").read_text("utf-8"))
    statements = [s["statement"] for s in fixture["statements"]]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "c.sqlite3"
        ingest = [sys.executable, "-m", "claimcheck", "ingest", str(ROOT / "seeds"), "--db", str(db)]
        if CORPORA.is_dir():
            ingest.insert(5, str(CORPORA))
        subprocess.run(ingest, check=True, capture_output=True)
        port = _port()
        server = subprocess.Popen([sys.executable, "-m", "claimcheck", "serve", "--port", str(port), "--db", str(db)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base)
            load(base, statements, 1, 3)  # warm up
            print("| concurrency | requests | requests/s | p50 ms | p99 ms | errors |")
            print("|---|---|---|---|---|---|")
            for c in args.concurrency:
                r = load(base, statements, c, args.seconds)
                print(f"| {c} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} "
                      f"| {r['errors']} |", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
