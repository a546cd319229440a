"""Sampled 50-digit cross-check of a model's vectorized solutions (any kink model).

:func:`profitopt.numeric.crosscheck.sampled_max_error` for the paper's result type;
this one takes a :class:`~.batch_model.ModelSolutions` and re-solves with the model's
own parameter class, so the 50-digit solve (:func:`.optimum.solve`) runs on the same
compiled problem.
"""

from __future__ import annotations

import math

import numpy as np

from .batch_model import ModelSolutions
from .crosscheck import SampleCheck, compare_sample
from .parameters import parameters_class


def sampled_model_error(columns: dict[str, np.ndarray], solutions: ModelSolutions,
                        samples: int, seed: int = 0) -> SampleCheck:
    """Re-solve ``samples`` points drawn (seeded) from those with an answer, at 50 digits;
    the largest relative error in n, d, t, profit, and every point whose re-solve failed
    or put it in another regime."""
    cls = parameters_class(solutions.model)

    def parameters_of(i: int):
        values = {name: float(column[i]) for name, column in columns.items()}
        return cls(**{name: None if cls.domain.optional[name] and math.isinf(value) else value
                      for name, value in values.items()})

    # the model's own regimes with an answer: compute-bound, its caps' and shutdown
    answered = [name for name in solutions.regimes if name not in ("out-of-range", "invalid")]
    return compare_sample(solutions, list(solutions.regimes), answered, parameters_of,
                          samples, seed)
