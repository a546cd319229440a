"""One smooth optimum, as :func:`profitopt.numeric.optimum.solve` reports it: the float64
solve of :mod:`.smooth_solver` (certified) and the 50-digit re-solve of
:mod:`.smooth_precision`, which must agree to CROSSCHECK_RTOL in n and in d."""

from __future__ import annotations

import math

import mpmath

from ..errors import OutOfRange, VerificationFailed
from .smooth_precision import refine_smooth
from .smooth_solver import REGIMES, solve_smooth


def locate(params) -> tuple[str, float, float, bool]:
    """(regime, log n*, log d*, certified) of the float64 solve of one parameter set."""
    names = params.domain.names
    found = solve_smooth(params.model, **dict(zip(names, params.natural())))
    regime = REGIMES[int(found.regime_code.reshape(-1)[0])]
    n, d = float(found.n.reshape(-1)[0]), float(found.d.reshape(-1)[0])
    x = math.log(n) if n > 0 else math.nan
    y = math.log(d) if d > 0 else math.nan
    return regime, x, y, bool(found.certified.reshape(-1)[0])


def solve_point(params, dps: int, rtol: float):
    """The Solution of one smooth-law parameter set (see optimum.solve)."""
    from .optimum import CORE_FIELDS, Solution, _to_float
    from .kernels import smooth_problem

    regime, x, y, certified = locate(params)
    k = smooth_problem(params.model)
    if regime == "shutdown":
        zero = {name: 0.0 for name in CORE_FIELDS}
        return Solution(**zero, regime=regime, crosscheck_rel_error=0.0, crosscheck_dps=dps,
                        costs=tuple((name, 0.0) for name in (*k.flops_fields, *k.cost_fields)))
    if regime == "unsolved":
        raise VerificationFailed("the smooth solver found no certified optimum")
    if not certified:
        raise VerificationFailed(f"the smooth optimum ({regime}) is not certified")
    if not (math.isfinite(x) and math.isfinite(y)):
        raise OutOfRange("the optimum's magnitudes lie beyond double range; rescale the "
                         "parameters")
    failure = None
    for digits in (dps, 2 * dps):
        try:
            precise = refine_smooth(params.model, params.natural(), x, y,
                                    regime == "data-bound", digits)
        except VerificationFailed as error:
            failure = error
            continue
        if max(precise.rel_error_n, precise.rel_error_d) <= rtol and precise.profit > 0:
            values = {name: _to_float(name, getattr(precise, name)) for name in CORE_FIELDS}
            costs = tuple((name, _to_float(name, value)) for name, value in precise.costs)
            return Solution(**values, regime=regime,
                            crosscheck_rel_error=max(precise.rel_error_n, precise.rel_error_d),
                            crosscheck_dps=digits, costs=costs)
        failure = VerificationFailed(
            f"float64 and {digits}-digit smooth optima differ: rel. error in n = "
            f"{precise.rel_error_n:.3e}, in d = {precise.rel_error_d:.3e} (> {rtol:g}), "
            f"profit {mpmath.nstr(precise.profit, 5)}")
    raise failure
