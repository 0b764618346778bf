"""Where retrieval's time goes at a size built by bench_verify.py: the tantivy query as the
service sends it, the same terms under the old query shape (every claim filtered by its
``kind`` term, which keeps tantivy from skipping blocks), the store lookup of the hits, and the
speaker lookup; with the index's segment count and whether both shapes return the same hits.

    python bench/bench_retrieve.py --size 1000000 [--data bench/.data] [--queries 500]

Statements are those of bench_verify.py (same seed), parsed once before any timing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

HERE = Path(__file__).resolve().parent


def _filtered_query(index: Any, unique: list[str]) -> Any:
    """The query shape used up to 2026-12-05: Must(kind=claim) AND Should(terms)."""
    import tantivy

    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, tantivy.Query.term_query(index.schema, "kind", "claim")),
         (tantivy.Occur.Must, tantivy.Query.boolean_query(
             [(tantivy.Occur.Should, tantivy.Query.term_query(index.schema, "body", t)) for t in unique]))])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()

    import synth
    from bench_scale import pct
    from bench_verify import _sample_contents

    from claimcheck.extract import Extractor
    from claimcheck.match import TantivyIndex
    from claimcheck.match.search import terms
    from claimcheck.nlp import load
    from claimcheck.service import statement_document
    from claimcheck.settings import Settings
    from claimcheck.store import SQLiteStore

    folder = args.data / str(args.size)
    extractor = Extractor(load(Settings().spacy_model))
    store = SQLiteStore(folder / "claims.sqlite3")
    index = TantivyIndex(folder / "claims.sqlite3.index")
    stmts = synth.statements(_sample_contents(folder / "claims.sqlite3", 3 * args.queries), args.queries)
    parsed = [extractor.statement(statement_document(s, None)) for s in stmts]
    queries = [list(dict.fromkeys(t for t in terms(p.lemmas) if t)) for p in parsed]
    speakers = [p.speaker.name for p in parsed]
    searcher = index._index.searcher()

    def old(q: list[str]) -> list[str]:
        if not q:
            return []
        result = searcher.search(_filtered_query(index, q), 20)
        return [searcher.doc(a)["claim_id"][0] for _, a in result.hits]

    def new(q: list[str]) -> list[str]:
        return [claim_id for claim_id, _ in index.search(q, 20)]

    timings: dict[str, list[float]] = {"old_query": [], "query": [], "get_claims": [], "find_speakers": []}
    same = 0
    for q in queries[:20]:  # warm
        old(q), new(q)
    for i, (q, who) in enumerate(zip(queries, speakers, strict=True)):
        order = [("old_query", old), ("query", new)]
        for name, fn in (order if i % 2 else order[::-1]):
            t0 = time.perf_counter()
            hits = fn(q)
            timings[name].append(time.perf_counter() - t0)
            if name == "query":
                new_hits = hits
            else:
                old_hits = hits
        same += new_hits == old_hits
        t0 = time.perf_counter()
        store.get_claims(new_hits)
        timings["get_claims"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        if who:
            store.find_speakers(who)
        timings["find_speakers"].append(time.perf_counter() - t0)

    out = {"size": args.size, "queries": len(queries), "segments": searcher.num_segments,
           "terms_mean": round(sum(map(len, queries)) / max(1, len(queries)), 1),
           "same_hits": same}
    for name, values in timings.items():
        ms = [v * 1000 for v in values]
        out[name] = {"p50": pct(ms, 0.5), "p99": pct(ms, 0.99)}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
