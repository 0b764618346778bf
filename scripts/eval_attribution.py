"""Attribution precision and recall against the PolNeAR annotations in ../shared/corpora.

    python scripts/eval_attribution.py [CORPUS_DIR] [--show-errors]

Prints one row per annotated article and the totals. Exits 0 with a notice when the corpus is
absent (a fresh clone has no ../shared).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claimcheck.evaluate import Score, read_gold, score
from claimcheck.extract import Extractor
from claimcheck.ingest import read_document, read_manifest
from claimcheck.nlp import load
from claimcheck.settings import Settings

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def evaluate(corpus: Path, extractor: Extractor) -> tuple[list[tuple[str, Score]], Score]:
    manifest = read_manifest(corpus)
    rows = []
    total = Score()
    for gold_path in sorted((corpus / "annotations").glob("*.attributions.json")):
        name = gold_path.name.replace(".attributions.json", ".txt")
        document = read_document(corpus / name, max_bytes=10_000_000, manifest=manifest)
        result = score(extractor.extract(document), read_gold(gold_path))
        rows.append((name, result))
        total.add(result)
    return rows, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    if not (args.corpus / "annotations").is_dir():
        print(f"no annotated corpus at {args.corpus}; nothing to evaluate")
        return 0
    extractor = Extractor(load(Settings().spacy_model))
    rows, total = evaluate(args.corpus, extractor)
    print(f"{'article':60} {'gold':>5} {'found':>5} {'pred':>5} {'ok':>5} {'R':>6} {'P':>6}")
    for name, s in [*rows, ("TOTAL", total)]:
        print(f"{name[:60]:60} {s.gold_named:5} {s.gold_found:5} {s.predicted:5} "
              f"{s.predicted_correct:5} {s.recall:6.3f} {s.precision:6.3f}")
    if args.show_errors:
        print("\nmissed:", *total.misses, sep="\n  ")
        print("\nfalse alarms:", *total.false_alarms, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
