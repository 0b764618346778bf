"""Verdict accuracy of a statements fixture against its hand-written labels.

    python scripts/eval_verdicts.py tests/fixtures/statements_seed.json [--show-errors]

Unlike `claimcheck regress` (which reports every change against accepted output), this scores
the engine against what a person decided each statement's verdict should be.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from claimcheck.extract import Extractor
from claimcheck.nlp import load
from claimcheck.regress import load_fixture, run_statements
from claimcheck.settings import Settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixtures", nargs="+", type=Path)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    extractor = Extractor(load(Settings().spacy_model))
    for path in args.fixtures:
        results = run_statements(path, load_fixture(path), extractor)
        right = sum(o.expected["verdict"] == o.actual["verdict"] for _, o in results)
        confusion = Counter((o.expected["verdict"], o.actual["verdict"]) for _, o in results)
        print(f"{path}: verdict accuracy {right}/{len(results)} = {right / len(results):.3f}")
        for (want, got), n in sorted(confusion.items()):
            print(f"  expected {want:16} got {got:16} {n}")
        if args.show_errors:
            for item, o in results:
                if o.expected["verdict"] != o.actual["verdict"]:
                    print(f"  WRONG {item['statement']!r} ({item.get('speaker')}): "
                          f"expected {o.expected['verdict']}, got {o.actual['verdict']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
