"""HTTP: `claimcheck serve` (one worker) on loopback under a bounded load of POST /v1/verify at
concurrency 1, 8 and 32: requests/s, p50 / p99 latency, errors, and requests/s as a share of the
batch-parse ceiling (1 / the per-statement time of parsing the same statements in ``nlp.pipe``
batches of 32, measured in this run, in this process, before the load).

    python bench/bench_http.py [--seconds 30] [--concurrency 1 8 32] [--baseline DIR]
                               [--statements unique|fixture]

The service indexes the seeds and ../shared/corpora first. Load comes from threads in this
process, each with its own connection, on 127.0.0.1 only; every run stops after --seconds.

``--statements fixture`` sends the 68 seed statements over and over (what earlier figures used);
``unique`` (the default) sends distinct statements built from the corpus's claims (2,302 with the
development corpora); a long run at high concurrency goes round them about three times, so a
statement's parse is never cached but scoring caches can be warm on a repeat.
With ``--baseline DIR`` (a checkout of another commit, e.g.
``git worktree add /tmp/base e19a941``), a second service runs that checkout's code on the same
database, and the two are loaded in turn at each concurrency, so the ratio between them is
measured in one run on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from claimcheck.domain import Document
from claimcheck.extract import Extractor
from claimcheck.ingest import document_from_text
from claimcheck.nlp import load as load_model
from claimcheck.settings import Settings

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


def wait_ready(base: str, seconds: float = 240, proc: subprocess.Popen | None = None,
               interval: float = 0.5) -> None:
    """Until ``base``/readyz answers 200; a ``proc`` that exits first ends the wait at once."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"the service at {base} exited with {proc.returncode} before it was ready")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(interval)
    raise SystemExit(f"{base} not ready after {seconds:g} s")


def unique_statements(base: str, limit: int = 3000) -> list[str]:
    """Statements nobody sent before: "<speaker> said <content>" for the corpus's own claims,
    the content cut at 25 words (statements are sentences, not paragraphs), duplicates dropped."""
    with httpx.Client(base_url=base, timeout=60) as client:
        rows = [json.loads(line) for line in
                client.get("/v1/claims", headers={"Accept": "application/x-ndjson"}).text.splitlines()]
    seen: dict[str, None] = {}
    for row in rows:
        words = row["content"]["text"].split()[:25]
        name = row["speaker"]["name"]
        if len(words) < 4:
            continue
        text = " ".join(words)
        seen.setdefault(f"{name} said {text}" if name else text, None)
        if len(seen) >= limit:
            break
    return list(seen)


def parse_ceiling(statements: list[str], batch: int = 32, seconds: float = 15) -> float:
    """Statements per second parsed in ``nlp.pipe`` batches of ``batch`` (the service's own
    statement extraction), in this process: the most one worker could answer if parsing were
    all it did."""
    extractor = Extractor(load_model(Settings().spacy_model))
    docs: list[Document] = [document_from_text(s) for s in statements]
    extractor.statements(docs[:batch])  # warm up
    done, began, i = 0, time.perf_counter(), 0
    while time.perf_counter() - began < seconds:
        chunk = [docs[(i + k) % len(docs)] for k in range(batch)]
        extractor.statements(chunk)
        done += batch
        i += batch
    return done / (time.perf_counter() - began)


def serve(db: Path, tmp: str, source: Path | None) -> tuple[subprocess.Popen, str]:
    port = _port()
    env = dict(os.environ)
    if source is not None:  # another checkout's code (its src/ first on the path)
        env["PYTHONPATH"] = str(source / "src")
    proc = subprocess.Popen([sys.executable, "-m", "claimcheck", "serve", "--port", str(port), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp, env=env)
    return proc, f"http://127.0.0.1:{port}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--baseline", type=Path, help="a checkout of another commit, served side by side")
    parser.add_argument("--statements", choices=["unique", "fixture"], default="unique")
    args = parser.parse_args()
    fixture = json.loads((ROOT / "tests" / "fixtures" / "statements_seed.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "c.sqlite3"
        ingest = [sys.executable, "-m", "claimcheck", "ingest", str(ROOT / "seeds"), "--db", str(db)]
        if CORPORA.is_dir():
            ingest.insert(5, str(CORPORA))
        subprocess.run(ingest, check=True, capture_output=True)
        services = {"this": serve(db, tmp, None)}
        if args.baseline is not None:
            services["baseline"] = serve(db, tmp, args.baseline.resolve())
        try:
            for _, base in services.values():
                wait_ready(base)
            first = next(iter(services.values()))[1]
            statements = (unique_statements(first) if args.statements == "unique"
                          else [s["statement"] for s in fixture["statements"]])
            ceiling = parse_ceiling(statements)
            print(f"{len(statements)} {args.statements} statements; batch-parse ceiling "
                  f"{ceiling:.1f} statements/s ({1000 / ceiling:.2f} ms each in batches of 32)\n")
            for _, base in services.values():
                load(base, statements, 1, 3)  # warm up
            print("| code | concurrency | requests | requests/s | x ceiling | p50 ms | p99 ms | errors |")
            print("|---|---|---|---|---|---|---|---|")
            offset = 0
            for c in args.concurrency:
                for name, (_, base) in services.items():
                    # Each run starts where the last one stopped in the list (it wraps round
                    # when a run sends more requests than there are statements).
                    r = load(base, statements[offset:] + statements[:offset], c, args.seconds)
                    offset = (offset + r["requests"]) % len(statements)
                    print(f"| {name} | {c} | {r['requests']} | {r['rps']:.1f} | {r['rps'] / ceiling:.2f} "
                          f"| {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |", flush=True)
        finally:
            for proc, _ in services.values():
                proc.terminate()
                proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
