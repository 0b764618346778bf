"""Reading articles from the web, against text: the cost of a page and of fetching it.

    python bench/bench_fetch.py [--rounds 20] [--concurrency 1 8]

Over the 22 saved pages of tests/fixtures/pages, measured in one process:

1. per article, the time to read it and extract its claims from the page (trafilatura, then the
   parser), against from its text alone (the .txt beside it): the ratio is what HTML costs;
2. the fetch path: the pages served by a local HTTP server on loopback (tests/pageserver.py),
   fetched with claimcheck's Fetcher (address check, size cap, content type) and read as pages
   (no parsing) by N threads at once: pages/s and p50/p95 per page, at each concurrency.

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.pageserver import PAGES, serving

from claimcheck.extract import Extractor
from claimcheck.ingest import read_document
from claimcheck.ingest.fetch import Fetcher
from claimcheck.ingest.html import HTML_TYPES
from claimcheck.ingest.sources import page_document
from claimcheck.nlp import load
from claimcheck.settings import Settings

MAX = 2_000_000


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="fetches of every page per concurrency")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    pages = sorted(PAGES.glob("*.html"))
    extractor = Extractor(load(Settings().spacy_model))
    extractor.extract(read_document(pages[0].with_suffix(".txt"), max_bytes=MAX))  # warm up
    html_s: list[float] = []
    text_s: list[float] = []
    read_s: list[float] = []
    for _ in range(3):  # alternate, so that a slower moment of the machine weighs on both
        for page in pages:
            t0 = time.perf_counter()
            document = read_document(page, max_bytes=MAX)
            t1 = time.perf_counter()
            extractor.extract(document)
            t2 = time.perf_counter()
            extractor.extract(read_document(page.with_suffix(".txt"), max_bytes=MAX))
            t3 = time.perf_counter()
            read_s.append(t1 - t0)
            html_s.append(t2 - t0)
            text_s.append(t3 - t2)
    print("| path | per article (mean) | p50 | ratio to text |")
    print("|---|---|---|---|")
    mean_text = statistics.fmean(text_s)
    for name, values in (("text: read + parse", text_s), ("page: read (trafilatura) + parse", html_s),
                         ("page: read only (trafilatura)", read_s)):
        print(f"| {name} | {statistics.fmean(values) * 1000:.1f} ms | {_pct(values, 0.5) * 1000:.1f} ms | "
              f"{statistics.fmean(values) / mean_text:.2f} |")
    print()
    print("| fetch + read a page, concurrency | pages/s | p50 | p95 | errors |")
    print("|---|---|---|---|---|")
    with serving() as server, Fetcher(max_bytes=MAX, timeout=20, allow_private=True) as fetcher:
        urls = [server.url(f"/pages/{p.name}") for p in pages]

        def one(url: str) -> float:
            t = time.perf_counter()
            page_document(fetcher.fetch(url, HTML_TYPES), MAX)
            return time.perf_counter() - t

        for n in args.concurrency:
            work = urls * args.rounds
            errors = 0
            start = time.perf_counter()
            with ThreadPoolExecutor(n) as pool:
                futures = [pool.submit(one, u) for u in work]
                times = []
                for f in futures:
                    try:
                        times.append(f.result())
                    except Exception:  # counted, not raised: the table says how many
                        errors += 1
            wall = time.perf_counter() - start
            print(f"| {n} | {len(work) / wall:.1f} | {_pct(times, 0.5) * 1000:.1f} ms | "
                  f"{_pct(times, 0.95) * 1000:.1f} ms | {errors} |")


if __name__ == "__main__":
    main()
