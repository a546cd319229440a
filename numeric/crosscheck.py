"""Sampled 50-digit cross-check of vectorized solutions."""

from __future__ import annotations

import math

import numpy as np

from .optimum import solve
from .parameters import Parameters
from .vectorized import NAMES, REGIMES, Solutions

CHECKED = ("n", "d", "t", "profit")


def sampled_max_error(columns: dict[str, np.ndarray], solutions: Solutions, samples: int,
                      seed: int = 0) -> tuple[float, int]:
    """Max relative error of n, d, t, profit over a seeded random subset, vs 50 digits.

    Returns (max error, points compared).  A regime disagreement counts as error inf.
    """
    size = solutions.n.size
    rng = np.random.default_rng(seed)
    picks = rng.choice(size, size=min(samples, size), replace=False)
    worst, compared = 0.0, 0
    for i in sorted(picks):
        cap = columns["D"][i]
        params = Parameters(**{name: float(columns[name][i]) for name in NAMES[:-1]},
                            D=None if math.isinf(cap) else float(cap))
        reference = solve(params)
        compared += 1
        if REGIMES[solutions.regime_code[i]] != reference.regime:
            return math.inf, compared
        for name in CHECKED:
            want = getattr(reference, name)
            if want != 0.0:
                worst = max(worst, abs(getattr(solutions, name)[i] / want - 1.0))
    return worst, compared
