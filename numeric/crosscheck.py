"""Sampled 50-digit cross-check of vectorized solutions."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ProfitoptError
from .optimum import solve
from .parameters import Parameters
from .vectorized import NAMES, REGIMES, Solutions

CHECKED = ("n", "d", "t", "profit")
#: Regimes with an answer to compare (not out-of-range, not invalid).
ANSWERED = ("compute-bound", "data-bound", "shutdown")


@dataclass(frozen=True)
class SampleCheck:
    """How a seeded random sample of answered points compares with the 50-digit solve.

    ``failures`` lists (point index, what went wrong) for every sampled point whose
    50-digit solve failed or put it in another regime; ``max_rel_error`` is the largest
    relative error in n, d, t, profit over the others.
    """

    max_rel_error: float
    compared: int
    failures: tuple[tuple[int, str], ...]


def sampled_max_error(columns: dict[str, np.ndarray], solutions: Solutions, samples: int,
                      seed: int = 0) -> SampleCheck:
    """Re-solve ``samples`` points drawn (seeded) from those with an answer, at 50 digits."""
    def parameters_of(i: int) -> Parameters:
        cap = columns["D"][i]
        return Parameters(**{name: float(columns[name][i]) for name in NAMES[:-1]},
                          D=None if math.isinf(cap) else float(cap))

    return compare_sample(solutions, REGIMES, ANSWERED, parameters_of, samples, seed)


def compare_sample(solutions, regimes: Sequence[str], answered: Sequence[str],
                   parameters_of: Callable[[int], object], samples: int,
                   seed: int) -> SampleCheck:
    """Re-solve a seeded sample of the points whose regime (``regimes[regime_code]``) is in
    ``answered`` at 50 digits (``parameters_of(i)``: point i's parameters); the largest
    relative error in CHECKED and every point whose re-solve failed or changed regime."""
    codes = [regimes.index(name) for name in answered if name in regimes]
    points = np.flatnonzero(np.isin(solutions.regime_code, codes))
    rng = np.random.default_rng(seed)
    picks = rng.choice(points, size=min(samples, points.size), replace=False)
    worst, failures = 0.0, []
    for i in sorted(int(p) for p in picks):
        try:
            reference = solve(parameters_of(i))
        except ProfitoptError as error:
            failures.append((i, str(error)))
            continue
        regime = regimes[solutions.regime_code[i]]
        if regime != reference.regime:
            failures.append((i, f"regime {regime}, at 50 digits {reference.regime}"))
            continue
        for name in CHECKED:
            want = getattr(reference, name)
            if want != 0.0:
                worst = max(worst, abs(getattr(solutions, name)[i] / want - 1.0))
    return SampleCheck(worst, len(picks), tuple(failures))
