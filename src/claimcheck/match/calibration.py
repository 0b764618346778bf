"""Confidence that means what it says.

The engine's own score for a verdict (``strength``: how much of the statement the deciding
evidence covers, and how many figures and dates agree) is not a probability. ``calibrated`` maps
it to the share of verdicts that were right on the development set, for that verdict and that
band of strength (histogram binning). The table is refitted by ``scripts/calibrate.py`` whenever
the rules change; ``docs/accuracy.md`` reports how well it holds on the held-out statements.
"""

from __future__ import annotations

from claimcheck.domain import VerdictLabel

# Refitted 2026-11-29 (second release of the day) by scripts/calibrate.py on
# tests/fixtures/verdicts_dev.json (238 statements; shares smoothed by one right and one wrong
# answer): verdict -> ((lowest strength of the band, share right in it), ...), strongest band
# first. n = statements in each band.
TABLE: dict[VerdictLabel, tuple[tuple[float, float], ...]] = {
    VerdictLabel.SUPPORTED: ((0.900, 0.88), (0.700, 0.88), (0.000, 0.71)),  # n = 15 / 15 / 15
    VerdictLabel.CONFLICTING: ((0.900, 0.81), (0.633, 0.76), (0.000, 0.50)),  # n = 14 / 15 / 14
    VerdictLabel.MISATTRIBUTED: ((0.000, 0.82),),  # n = 20
    VerdictLabel.DISPUTED: ((0.000, 0.40),),  # n = 3
    VerdictLabel.NOT_ENOUGH_INFO: ((0.771, 0.45), (0.715, 0.44), (0.000, 0.43)),  # n = 42 / 43 / 42
}


def calibrated(label: VerdictLabel, strength: float) -> float:
    """The probability that ``label`` is right, given how strong its evidence was."""
    for lowest, share in TABLE[label]:
        if strength >= lowest:
            return share
    return TABLE[label][-1][1]
