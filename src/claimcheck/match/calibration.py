"""Confidence that means what it says.

The engine's own score for a verdict (``strength``: how much of the statement the deciding
evidence covers, and how many figures and dates agree) is not a probability. ``calibrated`` maps
it to the share of verdicts that were right on the development set, for that verdict and that
band of strength (histogram binning). The table is refitted by ``scripts/calibrate.py`` whenever
the rules change; ``docs/accuracy.md`` reports how well it holds on the held-out statements.
"""

from __future__ import annotations

from claimcheck.domain import VerdictLabel

# Refitted 2026-11-29 (release v2.1) by scripts/calibrate.py on
# tests/fixtures/verdicts_dev.json (238 statements; shares smoothed by one right and one wrong
# answer): verdict -> ((lowest strength of the band, share right in it), ...), strongest band
# first. n = statements in each band.
TABLE: dict[VerdictLabel, tuple[tuple[float, float], ...]] = {
    VerdictLabel.SUPPORTED: ((0.000, 0.88),),  # n = 47
    VerdictLabel.CONFLICTING: ((0.807, 0.84), (0.633, 0.78), (0.000, 0.58)),  # n = 17 / 16 / 17
    VerdictLabel.MISATTRIBUTED: ((0.000, 0.91),),  # n = 21
    VerdictLabel.DISPUTED: ((0.000, 0.40),),  # n = 3
    VerdictLabel.NOT_ENOUGH_INFO: ((0.760, 0.51), (0.700, 0.46), (0.000, 0.46)),  # n = 39 / 39 / 39
}


def calibrated(label: VerdictLabel, strength: float) -> float:
    """The probability that ``label`` is right, given how strong its evidence was."""
    for lowest, share in TABLE[label]:
        if strength >= lowest:
            return share
    return TABLE[label][-1][1]
