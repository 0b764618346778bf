"""Fit the confidence table (``match/calibration.py``) on blind fixtures the rules were not tuned on.

    python scripts/calibrate.py tests/fixtures/verdicts_calib.json [MORE.json ...]

Fit on statements written blind and never used to write or tune rules (``verdicts_calib.json``):
a table fitted on the development statements is optimistic, because the rules were tuned on them
(v2.1 promised 0.88 for `supported` from dev, and was right 0.68 of the time held out).

Runs the engine on the fixture and prints, for each verdict, bands of the engine's strength with
the share of verdicts in each band that were right, smoothed (at least MIN_BAND statements a band; the
bands are split at the strength's quantiles, and merged into one when a stronger band is not
right more often). Paste the printed table into calibration.py.
Never fit on a held-out fixture.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from eval_verdicts import run

from claimcheck.bootstrap import load_entailment
from claimcheck.extract import Extractor
from claimcheck.nlp import load
from claimcheck.settings import Settings

MIN_BAND = 12
MAX_BANDS = 3


def bands(rows: list[dict]) -> list[tuple[float, float, int]]:
    """(lowest strength, share right, n) per band, strongest first."""
    rows = sorted(rows, key=lambda r: r["strength"])
    k = max(1, min(MAX_BANDS, len(rows) // MIN_BAND))
    size = len(rows) / k
    out = []
    for i in range(k):
        band = rows[round(i * size): round((i + 1) * size)]
        lowest = 0.0 if i == 0 else band[0]["strength"]
        out.append((lowest, _share(band), len(band)))
    shares = [share for _, share, _ in out]
    if shares != sorted(shares):  # not more right when stronger: the bands are noise, use one
        return [(0.0, _share(rows), len(rows))]
    return out[::-1]


def _share(rows: list[dict]) -> float:
    """Share right, with one right and one wrong added (Laplace): a dozen right answers are not
    certainty."""
    return (sum(r["expected"] == r["got"] for r in rows) + 1) / (len(rows) + 2)


def main() -> int:
    settings = Settings()
    extractor = Extractor(load(settings.spacy_model))
    # The engine as it serves: with the entailment model unless CLAIMCHECK_NLI=off.
    engine = {"served": load_entailment(settings)}
    rows = [r for path in sys.argv[1:] for r in run(Path(path), extractor, engine)["served"]]
    by: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by[r["got"]].append(r)
    for label in ("supported", "conflicting", "misattributed", "disputed", "not_enough_info"):
        fitted = bands(by[label]) if by[label] else [(0.0, 0.5, 0)]
        cells = ", ".join(f"({lo:.3f}, {share:.2f})" for lo, share, _ in fitted)
        counts = " / ".join(str(n) for _, _, n in fitted)
        print(f"    VerdictLabel.{label.upper()}: ({cells},),  # n = {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
