"""The parameter points the exponent records are evaluated at, and their growth analyses.

The paper's worked example is alpha = 0.3, gamma = -1; beta = alpha is our
named choice (the example's d* is "of the same order" as n*).  The market
parameters a = b = 10, omega = 1, delta = 1e-12 are the toolkit's choice:
exponents do not depend on them, only the crossover scale E_c does.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ..symbolic.growth import ComputeBoundGrowth, derive_compute_bound_growth
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import a, alpha, b, beta, delta, gamma, omega
from .record import Assumption

R = sp.Rational

#: The market and efficiency parameters shared by every point.
MARKET: tuple[tuple[sp.Symbol, sp.Rational], ...] = (
    (a, R(10)), (b, R(10)), (omega, R(1)), (delta, R(1, 10**12)),
)

#: The hypothesis every compute-bound record shares: no cap on training data.
COMPUTE_BOUND = Assumption("compute-bound",
                           r"$d$ is free (no data cap): $d \le D$ is not imposed.")

#: gamma for each sign case of the demand link.
SHAPES = {"negative": R(-1), "zero": R(0), "positive": R(1, 2)}


def point(shape: str, exponent: sp.Rational = R(3, 10)) -> tuple[tuple[sp.Symbol, sp.Rational], ...]:
    """alpha = beta = exponent, gamma for the case, and the market parameters."""
    return ((alpha, exponent), (beta, exponent), (gamma, SHAPES[shape]), *MARKET)


@lru_cache(maxsize=None)
def growth(shape: str) -> ComputeBoundGrowth:
    """Compute-bound regimes for one sign case of gamma (gamma = 0 taken as the limit)."""
    reference = dict(point(shape))
    return derive_compute_bound_growth(ProfitModel(), reference,
                                       sp.S.Zero if shape == "zero" else gamma)
