"""The profit-optimal (n, d, t) for one parameter set: float64 solve, 50-digit check.

The float64 log-space solver locates the optimum; :func:`refine` re-solves
it at 50 digits from the plain objective.  Reported values are evaluated
at the 50-digit optimum (so that profit, a difference of revenue and cost,
keeps its relative accuracy), and the float64 and 50-digit roots must agree
to ``CROSSCHECK_RTOL`` or :class:`VerificationFailed` is raised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath

from ..errors import InputError, OutOfRange, VerificationFailed
from .outputs import NamedOutputs
from .parameters import Parameters
from .precision import DEFAULT_DPS, PreciseOptimum, refine
from .solver import SHUTDOWN, LogOptimum, solve_log

#: Largest relative difference in n* tolerated between float64 and 50-digit solves.
CROSSCHECK_RTOL = 1e-11

#: The outputs every model has; a model adds its FLOP counts and cost terms after them.
CORE_FIELDS = ("n", "d", "t", "q", "profit")


@dataclass(frozen=True)
class Solution(NamedOutputs):
    """Profit-optimal choices and their consequences (shutdown: all zero); the model's FLOP
    counts and cost terms are ``costs`` (the paper: train_flops, train_cost, infer_cost),
    each also an attribute."""

    n: float
    d: float
    t: float
    q: float
    profit: float
    regime: str
    crosscheck_rel_error: float
    crosscheck_dps: int
    costs: tuple[tuple[str, float], ...]

    def as_dict(self) -> dict[str, float | str | int]:
        """The JSON contract of ``profitopt solve --json`` (plus the cross-check)."""
        return {
            **{name: getattr(self, name) for name in CORE_FIELDS},
            **dict(self.costs),
            "regime": self.regime,
            "crosscheck": {"dps": self.crosscheck_dps, "rel_error_n": self.crosscheck_rel_error},
        }


def _to_float(name: str, value: mpmath.mpf) -> float:
    result = float(value)
    if not math.isfinite(result):
        raise OutOfRange(f"the optimal {name} = {mpmath.nstr(value, 6)} lies outside double "
                         "range; rescale the parameters")
    return result


def _locate_vectorized(params: Parameters) -> LogOptimum:
    """The float64 optimum from the vectorized solver (InputError if out of double range)."""
    # imported here: the vectorized solver brings numba, which a plain solve does not need
    from .vectorized import NAMES, REGIMES, solve_many

    located = solve_many(**dict(zip(NAMES, params.natural())))
    regime = REGIMES[int(located.regime_code[0])]
    if regime == "out-of-range":
        raise OutOfRange("the optimum's magnitudes lie beyond double range; rescale the "
                         "parameters")
    cap = math.log(params.D) if params.capped else math.inf
    return LogOptimum(regime, float(located.x[0]), math.nan, math.nan, math.nan, cap)


def solve(params: Parameters, dps: int = DEFAULT_DPS) -> Solution:
    """argmax over (n, d, t) of omega t f(q) - delta t^2 - costs, subject to the model's caps
    (the paper: costs (6nd + 2nt)/E, d <= D if D is given); the model is the parameters'.
    A model with a smooth law is solved in (log n, log d) (:mod:`.smooth_optimum`)."""
    from .kernels import is_smooth

    if is_smooth(params.model):
        from .smooth_optimum import solve_point

        return solve_point(params, dps, CROSSCHECK_RTOL)
    try:
        located: LogOptimum = solve_log(params)
    except InputError:
        # the scalar solver brackets from the margin's ends, where terms can overflow
        # although the optimum itself fits a double; the vectorized solver starts beside
        # the root (and refuses what does not fit).  The 50-digit check below holds either.
        # The vectorized solver's starts are the paper's asymptotic laws: other models
        # keep the scalar solver's answer (the error).
        if params.model != "paper":
            raise
        located = _locate_vectorized(params)
    precise = _refine_checked(params, located, dps)
    if located.regime != SHUTDOWN and not precise.profit > 0:
        # A near-tie with shutting down that float64 judged the other way: the
        # 50-digit profit decides.
        located = LogOptimum(SHUTDOWN, math.nan, located.margin_start, located.balance_peak,
                             math.nan, located.cap)
        precise = refine(params, located, dps)
    values = {name: _to_float(name, getattr(precise, name)) for name in CORE_FIELDS}
    costs = tuple((name, _to_float(name, value)) for name, value in precise.costs)
    return Solution(**values, regime=located.regime, crosscheck_rel_error=precise.rel_error_n,
                    crosscheck_dps=precise.dps, costs=costs)


def _refine_checked(params: Parameters, located: LogOptimum, dps: int) -> PreciseOptimum:
    """The re-solve at ``dps`` digits, or at 2 dps where that one fails.

    The re-solve differentiates the objective numerically; where its terms nearly cancel
    (large alpha, beta at large E) ``dps`` digits can leave the secant at the noise floor.
    Twice the digits is the same independent computation with more headroom.  Raises
    VerificationFailed when both fail or disagree with float64 beyond CROSSCHECK_RTOL.
    """
    failure = None
    for digits in (dps, 2 * dps):
        try:
            precise: PreciseOptimum = refine(params, located, digits)
        except VerificationFailed as error:
            failure = error
            continue
        if located.regime == SHUTDOWN or precise.rel_error_n <= CROSSCHECK_RTOL:
            return precise
        failure = VerificationFailed(
            f"float64 and {digits}-digit optima differ: rel. error in n = "
            f"{precise.rel_error_n:.3e} > {CROSSCHECK_RTOL:g}")
    raise failure
