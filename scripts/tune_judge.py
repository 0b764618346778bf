"""Choose the entailment thresholds of ``match/judge.py`` on the development verdicts.

    python scripts/tune_judge.py tests/fixtures/verdicts_dev.json [--model FOLDER]

Runs the engine with the model over the fixture for every combination of ENTAILED, KEEP and
CONTRADICTED in a small grid (the model's readings are cached, so each pair is scored once) and
prints accuracy, precision of `supported` and recall of `conflicting` per combination, best
accuracy first among those whose `supported` precision is at least the rules' own.

Only ever on development statements: the held-out and calibration fixtures are never tuned on.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from pathlib import Path

from eval_verdicts import prepare, summary, verdicts

from claimcheck.extract import Extractor
from claimcheck.match import judge
from claimcheck.match.entailment import Entailment, EntailmentScorer, load_model
from claimcheck.nlp import load
from claimcheck.settings import Settings


class Cached:
    """The model, each pair scored once across the grid."""

    def __init__(self, model: EntailmentScorer) -> None:
        self.model, self.seen = model, {}

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[Entailment]:
        todo = [p for p in pairs if p not in self.seen]
        if todo:
            self.seen.update(zip(todo, self.model.score(todo), strict=True))
        return [self.seen[p] for p in pairs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixture", type=Path)
    parser.add_argument("--model", type=Path)
    args = parser.parse_args()
    if "heldout" in args.fixture.name or "calib" in args.fixture.name:
        parser.error("tune on development statements only")
    settings = Settings()
    extractor = Extractor(load(settings.spacy_model))
    model = Cached(load_model(args.model or settings.nli_model, threads=settings.nli_threads))
    grid = list(itertools.product((0.6, 0.7, 0.8, 0.9), (0.0, 0.2, 0.5), (0.6, 0.7, 0.8, 0.9)))
    prepared = prepare(args.fixture, extractor)
    rows = {}
    for entailed, keep, contradicted in grid:
        judge.ENTAILED, judge.KEEP, judge.CONTRADICTED = entailed, keep, contradicted
        rows[(entailed, keep, contradicted)] = summary(verdicts(prepared, extractor, model))
    rules = summary(verdicts(prepared, extractor, None))
    print(f"rules alone: accuracy {rules['accuracy']}, precision(supported) {rules['supported_precision']}, "
          f"recall(conflicting) {rules['conflicting_recall']}")
    floor = rules["supported_precision"] or 0.0
    ranked = sorted(rows.items(), key=lambda kv: ((kv[1]["supported_precision"] or 0) < floor,
                                                  -kv[1]["accuracy"], -(kv[1]["supported_precision"] or 0)))
    print("ENTAILED KEEP CONTRADICTED | accuracy | precision(supported) | recall(conflicting)")
    for (e, k, c), s in ranked:
        print(f"{e:8} {k:4} {c:12} | {s['accuracy']:8} | {s['supported_precision']!s:20} | {s['conflicting_recall']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
