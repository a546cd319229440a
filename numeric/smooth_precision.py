"""The 50-digit cross-check of a smooth optimum, from the plain objective.

Independent of the float64 solver's log balances: the concentrated profit
Pi(x, y) = pi(e^x, e^y, t*(e^x, e^y)) is evaluated from the model's plain objective (its
mpmath kernel), differentiated numerically by ``mpmath.diff`` at the working precision,
and its gradient's root is found by ``mpmath.findroot`` (multidimensional Newton) from the
float64 optimum; at a data-cap corner, y = log D and the root is in x alone.  The gradient
is divided by |Pi| at the start, so the root finder's tolerance is relative.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath

from ..errors import VerificationFailed
from .kernels import smooth_problem

DEFAULT_DPS = 50


@dataclass(frozen=True)
class PreciseSmooth:
    """The optimum at ``dps`` digits (mpf values) and how far float64 was from it."""

    dps: int
    x: mpmath.mpf
    y: mpmath.mpf
    n: mpmath.mpf
    d: mpmath.mpf
    t: mpmath.mpf
    q: mpmath.mpf
    profit: mpmath.mpf
    rel_error_n: float
    rel_error_d: float
    costs: tuple[tuple[str, mpmath.mpf], ...]


def refine_smooth(model: str, natural: tuple[float, ...], x: float, y: float,
                  corner: bool, dps: int = DEFAULT_DPS) -> PreciseSmooth:
    """Re-solve the first-order conditions at ``dps`` digits from the float64 (x, y)
    (``natural``: the parameters in kernel order, inf for an absent cap); VerificationFailed
    if mpmath does not converge."""
    k = smooth_problem(model)
    with mpmath.workdps(dps):
        nat = [mpmath.mpf(v) for v in natural]

        def profit(u, v):
            n, d = mpmath.exp(u), mpmath.exp(v)
            return k.objective.mpmath(n, d, k.served_tokens.mpmath(n, d, *nat), *nat)

        x0, y0 = mpmath.mpf(x), mpmath.mpf(y)
        scale = abs(profit(x0, y0)) or mpmath.mpf(1)
        try:
            if corner:
                y_cap = mpmath.log(nat[k.cap_index])
                root_x = mpmath.findroot(
                    lambda u: mpmath.diff(lambda w: profit(w, y_cap), u) / scale, x0)
                root_y = y_cap
            else:
                root = mpmath.findroot(
                    lambda u, v: [mpmath.diff(profit, (u, v), (1, 0)) / scale,
                                  mpmath.diff(profit, (u, v), (0, 1)) / scale], (x0, y0))
                root_x, root_y = root[0], root[1]
        except (ValueError, ZeroDivisionError) as error:
            raise VerificationFailed(f"the {dps}-digit re-solve did not converge from "
                                     f"(log n, log d) = ({x:.17g}, {y:.17g}): {error}") \
                from None
        n, d = mpmath.exp(root_x), mpmath.exp(root_y)
        t = k.served_tokens.mpmath(n, d, *nat)
        full = (n, d, t, *nat)
        costs = (*zip(k.flops_fields, (kernel.mpmath(*full) for kernel in k.flops)),
                 *zip(k.cost_fields, (kernel.mpmath(*full) for kernel in k.costs)))
        return PreciseSmooth(
            dps, root_x, root_y, n, d, t, k.quality.mpmath(n, d, *nat),
            k.objective.mpmath(*full), float(abs(mpmath.expm1(x0 - root_x))),
            float(abs(mpmath.expm1(y0 - root_y))), tuple(costs))
