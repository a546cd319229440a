"""The vectorized solver's result: one array per output and per certificate flag.

A point's regime is an index into REGIMES; its outputs are the optimum (n, d, t) and
what follows from it, q = min(a n^alpha, b d^beta), profit pi = omega t f(q) - delta t^2
- (6 n d + 2 n t) / E, training FLOPs 6 n d, training cost 6 n d / E and inference cost
2 n t / E.  A point is certified when it shuts down, or when t* > 0 there and it is
either the data-cap corner or an interior root at which S changes sign and Newton
converged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .parameters import REASONS
from .solver import COMPUTE_BOUND, DATA_BOUND, SHUTDOWN

#: out-of-range: the optimum cannot be carried in a double (refused, never clipped);
#: invalid: the parameters lie outside the domain (see parameters.reason_codes).
REGIMES = (COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, "out-of-range", "invalid")
#: Index of each regime name in REGIMES.
CODE = {name: code for code, name in enumerate(REGIMES)}
OUTPUTS = ("n", "d", "t", "q", "profit", "train_flops", "train_cost", "infer_cost")
#: dtypes of the fields that are not float64.
DTYPES = {"regime_code": np.int8, "margin_positive": bool, "sign_change": bool,
          "converged": bool, "reason_code": np.int8}


@dataclass(frozen=True)
class Solutions:
    """Arrays of optima (one entry per parameter point) and their certificates."""

    x: np.ndarray
    n: np.ndarray
    d: np.ndarray
    t: np.ndarray
    q: np.ndarray
    profit: np.ndarray
    train_flops: np.ndarray
    train_cost: np.ndarray
    infer_cost: np.ndarray
    regime_code: np.ndarray      # index into REGIMES
    margin_positive: np.ndarray  # certificate: t* > 0
    sign_change: np.ndarray      # certificate: S > 0 left of x*, < 0 right (interior)
    converged: np.ndarray        # Newton step fell below STEP_TOLERANCE
    reason_code: np.ndarray      # index into parameters.REASONS (0: inside the domain)

    @property
    def regime(self) -> np.ndarray:
        """Regime names per point."""
        return np.asarray(REGIMES, dtype=object)[self.regime_code]

    @property
    def reason(self) -> np.ndarray:
        """Why each invalid point lies outside the domain ("" for the others)."""
        return np.asarray(REASONS, dtype=object)[self.reason_code]

    @property
    def certified(self) -> np.ndarray:
        """True where the certificate holds (shutdown points are certified by construction)."""
        interior = self.regime_code == CODE[COMPUTE_BOUND]
        corner = self.regime_code == CODE[DATA_BOUND]
        shutdown = self.regime_code == CODE[SHUTDOWN]
        return shutdown | (self.margin_positive & (corner | (interior & self.sign_change
                                                              & self.converged)))
