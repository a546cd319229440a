"""Rigorous mode: interval arithmetic proves that each root lies in its enclosure.

S is continuous on (x_0, x_peak); if an interval evaluation of S at the
point x* - e is entirely positive and at x* + e entirely negative, S has a
root in [x* - e, x* + e] -- whatever the rounding of the float64 solve.
The enclosures use mpmath's ``iv`` context (the fallback the toolkit ships;
python-flint's arb would be faster and is not required).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from mpmath import iv

from .kernels import model_kernels
from .vectorized import CERTIFICATE_WIDTH, REGIMES, Solutions


@lru_cache(maxsize=1)
def _balance_interval():
    return model_kernels().balance.interval()


def prove_root(log_parameters: tuple[float, ...], x: float, width: float) -> bool:
    """True iff S([x - w]) > 0 and S([x + w]) < 0 hold as interval inequalities."""
    balance = _balance_interval()
    args = [iv.mpf(v) for v in log_parameters]
    left = balance(iv.mpf(x) - width, *args)
    right = balance(iv.mpf(x) + width, *args)
    return bool(left.a > 0) and bool(right.b < 0)


def prove_interior(columns: dict[str, np.ndarray], solutions: Solutions,
                   indices: np.ndarray) -> np.ndarray:
    """Proof flags for the interior (compute-bound) points among ``indices``."""
    proofs = np.zeros(len(indices), dtype=bool)
    for j, i in enumerate(indices):
        if REGIMES[solutions.regime_code[i]] != "compute-bound":
            continue
        logs = (columns["alpha"][i], columns["beta"][i], columns["gamma"][i],
                np.log(columns["a"][i]), np.log(columns["b"][i]), np.log(columns["omega"][i]),
                np.log(columns["delta"][i]), np.log(columns["E"][i]), np.log(columns["D"][i]))
        x = float(solutions.x[i])
        proofs[j] = prove_root(tuple(map(float, logs)), x, CERTIFICATE_WIDTH * max(1.0, abs(x)))
    return proofs
