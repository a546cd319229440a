"""Sampled 50-digit cross-check of a model's vectorized solutions (any kink model).

:func:`profitopt.numeric.crosscheck.sampled_max_error` for the paper's result type;
this one takes a :class:`~.batch_model.ModelSolutions` and re-solves with the model's
own parameter class, so the 50-digit solve (:func:`.optimum.solve`) runs on the same
compiled problem.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ProfitoptError
from .batch_model import ModelSolutions
from .crosscheck import CHECKED, SampleCheck
from .optimum import solve
from .parameters import parameters_class


def sampled_model_error(columns: dict[str, np.ndarray], solutions: ModelSolutions,
                        samples: int, seed: int = 0) -> SampleCheck:
    """Re-solve ``samples`` points drawn (seeded) from those with an answer, at 50 digits;
    the largest relative error in n, d, t, profit, and every point whose re-solve failed
    or put it in another regime."""
    # the model's own regimes with an answer: compute-bound, its caps' and shutdown
    answered_codes = [i for i, name in enumerate(solutions.regimes)
                      if name not in ("out-of-range", "invalid")]
    answered = np.flatnonzero(np.isin(solutions.regime_code, answered_codes))
    rng = np.random.default_rng(seed)
    picks = rng.choice(answered, size=min(samples, answered.size), replace=False)
    cls = parameters_class(solutions.model)
    worst, failures = 0.0, []
    for i in sorted(int(p) for p in picks):
        values = {name: float(column[i]) for name, column in columns.items()}
        values = {name: None if cls.domain.optional[name] and math.isinf(value) else value
                  for name, value in values.items()}
        try:
            reference = solve(cls(**values))
        except ProfitoptError as error:
            failures.append((i, str(error)))
            continue
        regime = solutions.regimes[solutions.regime_code[i]]
        if regime != reference.regime:
            failures.append((i, f"regime {regime}, at 50 digits {reference.regime}"))
            continue
        for name in CHECKED:
            want = getattr(reference, name)
            if want != 0.0:
                worst = max(worst, abs(getattr(solutions, name)[i] / want - 1.0))
    return SampleCheck(worst, len(picks), tuple(failures))
