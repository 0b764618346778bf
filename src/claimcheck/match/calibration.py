"""Confidence that means what it says.

The engine's own score for a verdict (``strength``: how much of the statement the deciding
evidence covers, and how many figures and dates agree) is not a probability. ``calibrated`` maps
it to the share of verdicts that were right on blind statements the rules were never tuned on,
for that verdict and that band of strength (histogram binning). The table is refitted by
``scripts/calibrate.py`` whenever the rules change; ``docs/accuracy.md`` reports how well it
holds on the held-out statements.
"""

from __future__ import annotations

from claimcheck.domain import VerdictLabel

# Refitted 2026-11-29 (release v2.1) by scripts/calibrate.py on tests/fixtures/verdicts_calib.json:
# 90 statements written blind after the rules of this release, and never used to tune them (a
# table fitted on the development statements promised 0.88 for `supported`; held out it was
# right 0.68 of the time). Shares smoothed by one right and one wrong answer; one band per verdict
# (too few statements to split by strength). n = statements in the band.
TABLE: dict[VerdictLabel, tuple[tuple[float, float], ...]] = {
    VerdictLabel.SUPPORTED: ((0.000, 0.60),),  # n = 13
    VerdictLabel.CONFLICTING: ((0.000, 0.72),),  # n = 23
    VerdictLabel.MISATTRIBUTED: ((0.000, 0.57),),  # n = 12
    VerdictLabel.DISPUTED: ((0.000, 0.50),),  # n = 0: no evidence either way
    VerdictLabel.NOT_ENOUGH_INFO: ((0.000, 0.43),),  # n = 42
}


# The engine with the entailment model (CLAIMCHECK_NLI=on), fitted 2026-12-04 the same way on the same
# fixture (scripts/calibrate.py with the model on): verdicts_calib.json was never used to train
# the model or to choose its thresholds (those were chosen on the development verdicts).
MODEL_TABLE: dict[VerdictLabel, tuple[tuple[float, float], ...]] = {
    VerdictLabel.SUPPORTED: ((0.000, 0.73),),  # n = 13
    VerdictLabel.CONFLICTING: ((0.000, 0.73),),  # n = 24
    VerdictLabel.MISATTRIBUTED: ((0.000, 0.62),),  # n = 11
    VerdictLabel.DISPUTED: ((0.000, 0.50),),  # n = 0: no evidence either way
    VerdictLabel.NOT_ENOUGH_INFO: ((0.000, 0.45),),  # n = 42
}


def calibrated(label: VerdictLabel, strength: float, model: bool = False) -> float:
    """The probability that ``label`` is right, given how strong its evidence was (``model``:
    with the entailment model, whose verdicts are right at other rates)."""
    table = MODEL_TABLE if model else TABLE
    for lowest, share in table[label]:
        if strength >= lowest:
            return share
    return table[label][-1][1]
