"""Ingest throughput: `claimcheck ingest` (parse + extract + store + index) against plain
`nlp.pipe` with the same pipeline over the same texts, as a ratio; one and two processes; and
how throughput holds from 10 to 1,000 documents.

    python bench/bench_ingest.py [--docs 1000]

Documents are ~250-word pieces of the seed and development articles, each made unique by a
numbered closing line, so that nothing is skipped as already stored.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from claimcheck import service
from claimcheck.domain import Document
from claimcheck.extract import Extractor
from claimcheck.ingest import document_from_text, load_documents
from claimcheck.match import TantivyIndex
from claimcheck.nlp import load
from claimcheck.settings import Settings
from claimcheck.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def pieces(n: int, words: int = 250) -> list[Document]:
    paths = [ROOT / "seeds"] + ([CORPORA] if CORPORA.is_dir() else [])
    chunks: list[str] = []
    for item in load_documents(paths, max_bytes=10_000_000):
        if item.document is None:
            continue
        current: list[str] = []
        for para in item.document.text.splitlines():
            if not para.strip():
                continue
            current.append(para)
            if sum(len(p.split()) for p in current) >= words:
                chunks.append("\n".join(current))
                current = []
        if current:
            chunks.append("\n".join(current))
    return [document_from_text(f"{chunks[i % len(chunks)]}\nPiece {i}.", source="Bench Wire", path=f"bench/{i}.txt")
            for i in range(n)]


def words(docs: list[Document]) -> int:
    return sum(len(d.text.split()) for d in docs)


def plain_pipe(nlp, docs: list[Document], n_process: int) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe((d.text for d in docs), batch_size=32, n_process=n_process):
        pass
    return time.perf_counter() - start


def ingest(extractor: Extractor, docs: list[Document], n_process: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "c.sqlite3")
        index = TantivyIndex(Path(tmp) / "c.sqlite3.index")
        start = time.perf_counter()
        for _ in service.ingest(store, index, extractor, docs, n_process=n_process):
            pass
        elapsed = time.perf_counter() - start
        store.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    nlp = load(Settings().spacy_model)
    extractor = Extractor(nlp)
    docs = pieces(args.docs)
    n_words = words(docs)
    plain_pipe(nlp, docs[:20], 1)  # warm up
    print(f"{len(docs)} documents, {n_words:,} words\n")
    print("| processes | nlp.pipe words/s | claimcheck ingest words/s | ratio |")
    print("|---|---|---|---|")
    for n_process in (1, 2):
        t_pipe = plain_pipe(nlp, docs, n_process)
        t_ingest = ingest(extractor, docs, n_process)
        print(f"| {n_process} | {n_words / t_pipe:,.0f} | {n_words / t_ingest:,.0f} | {t_pipe / t_ingest:.3f} |",
              flush=True)
    print("\n| documents | words | claimcheck ingest words/s (2 processes) |")
    print("|---|---|---|")
    for n in (10, 100, args.docs):
        subset = docs[:n]
        print(f"| {n:,} | {words(subset):,} | {words(subset) / ingest(extractor, subset, 2):,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
