"""Tokens per parameter d*/n* against E under the additive law, beside the Leontief law's.

Each point is the independent 50-digit optimum (:mod:`profitopt.numeric.ces_highprec`):
float64 is not used because the over-training factor d*/d_c(n*) = (1 + t*/(3d*))^(1/beta)
is within 1e-10 of 1 at large E, below float64's resolution of a ratio of two solved
quantities.  Values are returned as floats.

The Leontief comparison uses the mapping a = 1/A, b = 1/B with the same alpha, beta (the
CES family q = (A n^(-alpha r) + B d^(-beta r))^(-1/r) tends to min(a n^alpha, b d^beta)
as r -> infinity with A = a^-r, B = b^-r; at r = 1, A = 1/a).  Its tokens per parameter
on the kink, d/n = (a n^alpha/b)^(1/beta)/n, is a constant rho = (a/b)^(1/alpha) only when
alpha = beta; each row gives both the paper's rho = (a/b)^(1/alpha) and the kink's d/n at
the same n*.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import mpmath
import sympy as sp

from ..models.presets import preset as named_preset
from ..numeric.ces_highprec import CesMarket, NoOptimum, solve_optimum
from ..numeric.kernels import compile_kernel
from ..symbolic.overtraining import COMPUTE_RATIO, derive_tokens_per_parameter
from ..symbolic.scaling import Leontief, additive
from ..symbolic.symbols import A, B, a, alpha, b, beta, n

#: Default sweep: E = 10^12 ... 10^30 FLOPs per dollar.
DEFAULT_E = tuple(10.0**k for k in range(12, 31, 2))
#: Digits of each optimum.
DPS = 50


@lru_cache(maxsize=1)
def _kernels():
    """mpmath kernels of the compute-optimal and Leontief tokens per parameter, in
    (n, A, B, alpha, beta), from the laws' own frontiers."""
    per = derive_tokens_per_parameter(additive())
    leontief = Leontief()
    kink = sp.powsimp(leontief.frontier_tokens(n) / n, force=True).subs({a: 1 / A, b: 1 / B})
    rho = ((a / b) ** (1 / alpha)).subs({a: 1 / A, b: 1 / B})
    args = (n, A, B, alpha, beta)
    return (compile_kernel(per.compute_optimal_ratio, args).mpmath,
            compile_kernel(kink, args).mpmath, compile_kernel(rho, args).mpmath,
            compile_kernel(per.factor, (COMPUTE_RATIO, beta)).mpmath)


def tokens_per_parameter_curve(preset: str = "hoffmann2022", gamma: float = -1.0,
                               E_values=DEFAULT_E, omega: float = 1.0, delta: float = 1e-12
                               ) -> list[dict]:
    """One row per E: the additive optimum's d*/n*, the compute-optimal rho_c(n*) at the same
    n*, the over-training factor (1 + t*/(3d*))^(1/beta), and the Leontief kink's d/n at n*
    and rho = (a/b)^(1/alpha) with a = 1/A, b = 1/B.

    Keys: E, regime ("producing" or "shutdown"), n, d, t, tokens_per_parameter,
    compute_optimal, compute_ratio (t*/(3d*)), overtraining_factor, leontief_kink,
    leontief_rho.  Shutdown rows carry None for the optimum's fields.
    """
    law = named_preset(preset)
    compute_optimal, kink, rho, factor = _kernels()
    rows = []
    with mpmath.workdps(DPS):
        coefficients = [mpmath.mpf(v.p) / v.q for v in (law.A, law.B, law.alpha, law.beta)]
        for E in E_values:
            market = CesMarket(Fraction(str(law.A)), Fraction(str(law.B)),
                               Fraction(str(law.alpha)), Fraction(str(law.beta)), gamma,
                               omega, delta, E)
            try:
                found = solve_optimum(market, DPS)
            except NoOptimum:
                rows.append({"E": float(E), "regime": "shutdown", "n": None, "d": None,
                             "t": None, "tokens_per_parameter": None, "compute_optimal": None,
                             "compute_ratio": None, "overtraining_factor": None,
                             "leontief_kink": None,
                             "leontief_rho": float(rho(mpmath.mpf(1), *coefficients))})
                continue
            kappa = found.t / (3 * found.d)
            rows.append({
                "E": float(E), "regime": "producing", "n": float(found.n),
                "d": float(found.d), "t": float(found.t),
                "tokens_per_parameter": float(found.d / found.n),
                "compute_optimal": float(compute_optimal(found.n, *coefficients)),
                "compute_ratio": float(kappa),
                "overtraining_factor": float(factor(kappa, coefficients[3])),
                "leontief_kink": float(kink(found.n, *coefficients)),
                "leontief_rho": float(rho(found.n, *coefficients)),
            })
    return rows
