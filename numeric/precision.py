"""High-precision cross-check of the float64 optimum with mpmath (>= 50 digits).

The check is independent of the float solver's formulation: it maximizes
the plain objective pi(n, d(n), t*(n)) along the kink, differentiating it
numerically with ``mpmath.diff`` at the working precision, and finds the
root of that derivative with the secant method started at the float64
x*.  The float64 answer is then compared with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath

from ..errors import VerificationFailed
from .kernels import problem
from .outputs import NamedOutputs
from .parameters import Parameters
from .solver import SHUTDOWN, LogOptimum

DEFAULT_DPS = 50
#: Digits the numerical derivative may lose to cancellation before the secant's best
#: point is no longer accepted (see _secant).
NOISE_DIGITS = 30


@dataclass(frozen=True)
class PreciseOptimum(NamedOutputs):
    """Quantities at the optimum as mpmath numbers, with how the float solve compares;
    the model's FLOP counts and cost terms are ``costs`` (``.train_cost`` etc. by name)."""

    regime: str
    dps: int
    x: mpmath.mpf
    n: mpmath.mpf
    d: mpmath.mpf
    t: mpmath.mpf
    q: mpmath.mpf
    profit: mpmath.mpf
    marginal_profit: mpmath.mpf   # d Pi / d log n at the optimum (0 interior, > 0 at a binding cap)
    rel_error_n: float            # |n_float / n_precise - 1|
    costs: tuple[tuple[str, mpmath.mpf], ...]


def _profit_along_kink(params: Parameters):
    k = problem(params.model)
    nat = [mpmath.mpf(v) for v in params.natural()]

    def profit(x):
        n = mpmath.exp(x)
        d = k.tokens.mpmath(n, *nat)
        return k.objective.mpmath(n, d, k.served_tokens.mpmath(n, *nat), *nat)

    return profit


def _secant(f, start: mpmath.mpf, dps: int, max_steps: int = 60) -> mpmath.mpf:
    """Root of f near ``start``; stops when the step is below 10^-(dps-10) relative.

    f is a numerical derivative of an objective whose terms can nearly cancel, so its
    own accuracy can end above that tolerance: the secant then wanders at the noise
    floor.  Its best point (smallest |f|) is accepted if the steps there have come
    below 10^-(dps-NOISE_DIGITS) relative -- still far below what a float64
    comparison can resolve.
    """
    step = mpmath.mpf(2) ** -30 * max(1, abs(start))
    x_prev, x = start - step, start + step
    f_prev, f_x = f(x_prev), f(x)
    scale = max(1, abs(start))
    tolerance = mpmath.mpf(10) ** (-(dps - 10)) * scale
    best, best_value, best_step = x, abs(f_x), mpmath.inf
    for _ in range(max_steps):
        if f_x == f_prev:
            break
        x_next = x - f_x * (x - x_prev) / (f_x - f_prev)
        x_prev, f_prev, x, f_x = x, f_x, x_next, f(x_next)
        if abs(x - x_prev) < tolerance:
            return x
        if abs(f_x) < best_value:
            best, best_value, best_step = x, abs(f_x), abs(x - x_prev)
    if best_step < mpmath.mpf(10) ** (-(dps - NOISE_DIGITS)) * scale:
        return best
    raise VerificationFailed(f"the {dps}-digit re-solve did not converge from log n = "
                             f"{mpmath.nstr(start, 17)}")


def refine(params: Parameters, optimum: LogOptimum, dps: int = DEFAULT_DPS) -> PreciseOptimum:
    """Re-solve at ``dps`` digits from the float64 optimum and evaluate every output there."""
    k = problem(params.model)
    with mpmath.workdps(dps):
        nat = [mpmath.mpf(v) for v in params.natural()]
        profit = _profit_along_kink(params)
        zero = mpmath.mpf(0)
        if optimum.regime == SHUTDOWN:
            return PreciseOptimum(SHUTDOWN, dps, mpmath.ninf, zero, zero, zero, zero, zero,
                                  zero, 0.0, tuple((name, zero) for name in
                                                   (*k.flops_fields, *k.cost_fields)))
        binding = k.cap_regimes.index(optimum.regime) if optimum.regime in k.cap_regimes \
            else None
        if binding is not None:
            x = mpmath.log(k.caps[binding].mpmath(*nat))
        else:
            x = _secant(lambda y: mpmath.diff(profit, y), mpmath.mpf(optimum.x), dps)
        n = mpmath.exp(x)
        d = k.tokens.mpmath(n, *nat)
        if binding is not None:  # the capped input sits exactly at its bound
            bound = nat[[spec.name for spec in k.specs].index(k.cap_bounds[binding])]
            n, d = (bound, d) if k.cap_variables[binding] == "n" else (n, bound)
        t = k.served_tokens.mpmath(n, *nat)
        full = (n, d, t, *nat)
        rel = abs(mpmath.expm1(mpmath.mpf(optimum.x) - x))
        outputs = (*zip(k.flops_fields, (kernel.mpmath(*full) for kernel in k.flops)),
                   *zip(k.cost_fields, (kernel.mpmath(*full) for kernel in k.costs)))
        return PreciseOptimum(
            optimum.regime, dps, x, n, d, t, k.quality.mpmath(n, *nat),
            k.objective.mpmath(*full), mpmath.diff(profit, x), float(rel), tuple(outputs))
