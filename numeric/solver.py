"""Float64 solver for one parameter set, in log space (x = log n).

On the interval where the per-token margin is positive and still rising,
(x_0, x_peak), the balance S(x) = log[m n m'/(2 delta)] - log[n (6nd/E)']
is strictly concave and tends to -inf at both ends (see the reduced-problem
derivation).  Hence Pi has at most one local maximum there: the right root
of S.  The solver

1. finds x_0 (margin turns positive) by bisection on sign(m);
2. finds the maximum x_s of S by bisection on S' (decreasing);
3. if S(x_s) <= 0, profit falls everywhere: shutdown;
4. else bisects S on (x_s, x_peak) for x*, then polishes with Newton;
5. with caps, takes the corner x_V = log n_V of the nearest cap (:mod:`.caps`) when
   x_V < x* and S(x_V) > 0, and shuts down when no candidate has positive profit.

Every kernel comes from the parameters' model (:func:`.kernels.problem`), so the solver
is written once for any model whose reduction is the kink: its caps, costs and
parameters are the model's.

It never evaluates the branch t* <= 0, so it cannot return the spurious
stationary point there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError, OutOfRange
from .caps import nearest_cap
from .kernels import problem
from .parameters import Parameters

COMPUTE_BOUND = "compute-bound"
DATA_BOUND = "data-bound"
SHUTDOWN = "shutdown"

_MAX_BISECTIONS = 2000
_MAX_EXPANSIONS = 64


@dataclass(frozen=True)
class LogOptimum:
    """Where the float64 solver puts the optimum: regime, x* = log n*, and its certificate."""

    regime: str
    x: float                 # log n*; nan on shutdown
    margin_start: float      # x_0: t* > 0 for x > x_0
    balance_peak: float      # x_s: argmax of S
    balance_slope: float     # S'(x*) (< 0 at an interior maximum); nan otherwise
    cap: float               # x_V = log n_V of the nearest cap; inf when uncapped


def bisect(predicate, lo: float, hi: float) -> tuple[float, float]:
    """Shrink [lo, hi] with predicate(lo) true, predicate(hi) false to adjacent floats."""
    for _ in range(_MAX_BISECTIONS):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if predicate(mid):
            lo = mid
        else:
            hi = mid
    return lo, hi


def _expand_right(predicate, start: float) -> float:
    """First x = start + 2^k (k = 0, 1, ...) at which predicate(x) is false."""
    step = 1.0
    for _ in range(_MAX_EXPANSIONS):
        if not predicate(start + step):
            return start + step
        step *= 2.0
    raise OutOfRange("no bracket found: the optimum lies beyond double range")


def solve_log(params: Parameters) -> LogOptimum:
    """Locate the profit-maximizing log n* (interior, a cap's corner or shutdown); the
    regime of a corner is its cap's (the paper's data cap: "data-bound")."""
    k = problem(params.model)
    lp = params.log()

    def call(kernel, x):
        # -inf is meaningful (log of a vanishing margin at an end of the interval); +inf
        # or nan inside the interval means a term overflowed float64.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            value = float(kernel.numpy(x, *lp))
        if math.isnan(value) or value == math.inf:
            raise OutOfRange(f"float64 overflow at log n = {x:.6g}: the optimum's magnitudes "
                             "lie beyond double range; rescale the parameters")
        return value

    floor = float(k.margin_floor.numpy(*lp))
    grows_forever = not float(k.peak_rate.numpy(*lp)) > 0.0
    peak = math.inf if grows_forever else float(k.peak.numpy(*lp))
    cap, cap_regime = nearest_cap(k, lp)
    shutdown = LogOptimum(SHUTDOWN, math.nan, math.nan, math.nan, math.nan, cap)

    def margin_positive(x):
        return call(k.margin_sign, x) > 0.0

    def balance(x):
        # S = -inf on the edges of (x_0, x_peak): the margin or its slope vanish there, and
        # just beyond the float64 rounding of x_peak the slope term's log is undefined.
        if not margin_positive(x) or not call(k.slope_sign, x) > 0.0:
            return -math.inf
        return call(k.balance, x)

    def balance_slope(x):
        # S rises from x_0 and falls towards x_peak: signed infinities outside.
        if not margin_positive(x):
            return math.inf
        if not call(k.slope_sign, x) > 0.0:
            return -math.inf
        return call(k.balance_slope, x)

    if cap < peak:
        decided = _decide_by_cap(call, k, cap, cap_regime, floor, shutdown, margin_positive)
        if decided is not None:
            return decided
    top = peak if not grows_forever else _expand_right(lambda x: not margin_positive(x), floor)
    if top <= floor or not margin_positive(top if grows_forever else math.nextafter(peak, -math.inf)):
        return shutdown
    _, x0 = bisect(lambda x: not margin_positive(x), floor, top)
    hi = peak if not grows_forever else _expand_right(lambda x: balance_slope(x) > 0.0, x0)
    xs, _ = bisect(lambda x: balance_slope(x) > 0.0, x0, hi)
    if not balance(xs) > 0.0:
        return shutdown
    upper = peak if not grows_forever else _expand_right(lambda x: balance(x) > 0.0, xs)
    lo, hi = bisect(lambda x: balance(x) > 0.0, xs, upper)
    x_star = _polish(balance, balance_slope, lo, hi)
    if cap < x_star:
        if cap > x0 and balance(cap) > 0.0 and call(k.profit_sign, cap) > 0.0:
            return LogOptimum(cap_regime, cap, x0, xs, math.nan, cap)
        return shutdown
    if not call(k.profit_sign, x_star) > 0.0:
        return shutdown
    return LogOptimum(COMPUTE_BOUND, x_star, x0, xs, balance_slope(x_star), cap)


def _decide_by_cap(call, k, cap: float, regime: str, floor: float, shutdown: LogOptimum,
                   margin_positive) -> LogOptimum | None:
    """The answer where the cap x_D < x_peak alone decides it, else None.

    S is concave on (x_0, x_peak): S(x_D) > 0 puts x_D between S's roots, left of x*, so
    the optimum is the corner (or shutdown if its profit is not positive); x_D <= x_0, or
    S(x_D) <= 0 with S rising, leaves no profitable choice.  Neither needs x*, which may
    lie beyond double range.  None (solve for x*) where x_D may lie right of x*, or where
    a term at x_D overflows.
    """
    if cap <= floor:  # q <= 1: f(q) <= 0, no positive margin
        return shutdown
    try:
        if not call(k.slope_sign, cap) > 0.0:
            return None
        if not margin_positive(cap):
            return shutdown
        if call(k.balance, cap) > 0.0:
            if call(k.profit_sign, cap) > 0.0:
                return LogOptimum(regime, cap, math.nan, math.nan, math.nan, cap)
            return shutdown
        if call(k.balance_slope, cap) > 0.0:
            return shutdown
    except InputError:
        return None
    return None


def _polish(f, df, lo: float, hi: float) -> float:
    """Newton from the bracket's midpoint, kept inside [lo, hi]; the bracket's end if tighter."""
    x = 0.5 * (lo + hi)
    for _ in range(4):
        slope = df(x)
        if not slope < 0.0:
            break
        nxt = x - f(x) / slope
        if not lo <= nxt <= hi or nxt == x:
            break
        x = nxt
    return x
