"""An independent high-precision optimum of the profit problem under a CES law.

Written from the model's definition only (no derived relation is used):

    q(n, d) = (A n^(-alpha r) + B d^(-beta r))^(-1/r)      (r = 1: additive law)
    f(q) = (1 - q^(-gamma))/gamma   (log q at gamma = 0)
    pi(n, d, t) = omega t f(q) - delta t^2 - (6nd + 2nt)/E,   optionally d <= D.

The first-order conditions of the full objective in (x, y, s) = (log n, log d, log t),

    omega f(q) = 2 delta t + 2n/E                          (d pi/d t = 0)
    omega t f'(q) n q_n = (6nd + 2nt)/E,   n q_n = alpha q A n^(-alpha r)/q^(-r)
    omega t f'(q) d q_d = 6nd/E,           d q_d = beta q B d^(-beta r)/q^(-r)

are solved by mpmath's multidimensional Newton at ``dps`` digits from a float64 start:
the maximum of the concentrated profit max(m, 0)^2/(4 delta) - 6nd/E on a (log n, log d)
grid, zoomed around the best cell.  A solution is accepted only where every relative
residual is below 10^(-dps + 10) and profit falls when x, y or s moves by 10^-8 (a local
maximum).  With a cap the corner d = D is taken when the grid's best point is on it, and
then d pi/d d >= 0 there (the KKT multiplier) is required.

The inference-aware frontier (Sardana et al.) is solved the same way from its definition:
6nd + 2nT least on the iso-quality curve q(n, d) = q_bar, d written as a function of n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from fractions import Fraction
from numbers import Rational

import mpmath
import numpy as np

#: Digits of the independent optimum.
DEFAULT_DPS = 50
#: Grid points per axis of the float64 start, and how many times it is zoomed.
GRID_POINTS, ZOOMS = 257, 6
#: The natural-log box the start is searched in: n in [1, e^160], d in [1, e^220].
LOG_N_RANGE, LOG_D_RANGE = (0.0, 160.0), (0.0, 220.0)
#: Relative move of x, y or s that must lower profit at an accepted optimum.
PROBE = "1e-8"
#: Relative step (in log v) of the central difference of a local exponent.
EXPONENT_STEP = "1e-10"

Number = float | int | Rational | str


class NoOptimum(ValueError):
    """No producing optimum (shutdown), or Newton did not reach an accepted one."""


@dataclass(frozen=True)
class CesMarket:
    """The parameters of one problem, as given (float, int, Fraction or decimal text);
    they become mpf only inside a precision block.  ``D`` None: no data cap."""

    A: Number
    B: Number
    alpha: Number
    beta: Number
    gamma: Number
    omega: Number
    delta: Number
    E: Number
    r: Number = 1
    D: Number | None = None

    def moved(self, name: str, factor: float | mpmath.mpf) -> "CesMarket":
        """The same market with parameter ``name`` multiplied by ``factor`` (kept as mpf)."""
        return replace(self, **{name: to_mpf(getattr(self, name)) * factor})


def to_mpf(value: Number) -> mpmath.mpf:
    if isinstance(value, mpmath.mpf):
        return value
    if isinstance(value, Rational) and not isinstance(value, int):
        fraction = Fraction(value)
        return mpmath.mpf(fraction.numerator) / fraction.denominator
    return mpmath.mpf(value)


@dataclass(frozen=True)
class Optimum:
    """The optimum at ``dps`` digits (mpf values), and whether the cap binds."""

    n: mpmath.mpf
    d: mpmath.mpf
    t: mpmath.mpf
    q: mpmath.mpf
    profit: mpmath.mpf
    capped: bool
    dps: int

    def value(self, name: str, E: mpmath.mpf) -> mpmath.mpf:
        """n, d, t, q, profit, ``tokens_per_parameter`` d/n, ``train_cost`` 6nd/E,
        ``train_flops`` 6nd or ``compute_ratio`` 2nt/(6nd)."""
        derived = {"tokens_per_parameter": lambda: self.d / self.n,
                   "train_cost": lambda: 6 * self.n * self.d / E,
                   "train_flops": lambda: 6 * self.n * self.d,
                   "compute_ratio": lambda: self.t / (3 * self.d)}
        return derived[name]() if name in derived else getattr(self, name)


class _Values:
    """The market's parameters as mpf at the working precision."""

    def __init__(self, market: CesMarket) -> None:
        for field in fields(market):
            value = getattr(market, field.name)
            setattr(self, field.name, None if value is None else to_mpf(value))


def quality(v: _Values, n, d):
    """q = (A n^(-alpha r) + B d^(-beta r))^(-1/r)."""
    return (v.A * n ** (-v.alpha * v.r) + v.B * d ** (-v.beta * v.r)) ** (-1 / v.r)


def link(v: _Values, q):
    """f(q) = (1 - q^-gamma)/gamma, log q at gamma = 0 (via expm1: no cancellation)."""
    log_q = mpmath.log(q)
    return log_q if v.gamma == 0 else -mpmath.expm1(-v.gamma * log_q) / v.gamma


def profit(v: _Values, n, d, t):
    """pi = omega t f(q) - delta t^2 - (6nd + 2nt)/E."""
    return v.omega * t * link(v, quality(v, n, d)) - v.delta * t**2 - (6 * n * d + 2 * n * t) / v.E


def _residuals(v: _Values, x, y, s, capped: bool):
    """The relative first-order conditions at n = e^x, d = e^y, t = e^s."""
    n, d, t = mpmath.exp(x), mpmath.exp(y), mpmath.exp(s)
    u, w = v.A * n ** (-v.alpha * v.r), v.B * d ** (-v.beta * v.r)
    q = (u + w) ** (-1 / v.r)
    marginal = v.omega * t * q ** (-v.gamma) / (u + w)  # omega t f'(q) q / q^(-r)
    served = 1 - (2 * v.delta * t + 2 * n / v.E) / (v.omega * link(v, q))
    size = 1 - (6 * n * d + 2 * n * t) / (v.E * marginal * v.alpha * u)
    tokens = 1 - 6 * n * d / (v.E * marginal * v.beta * w)
    return (served, size) if capped else (served, size, tokens)


def _grid_start(v: _Values, cap: float | None) -> tuple[float, float, float]:
    """(x, y, s) of the best concentrated profit on a zoomed float64 grid (NoOptimum if no
    grid point earns a positive profit)."""
    A, B, al, be, r = (float(p) for p in (v.A, v.B, v.alpha, v.beta, v.r))
    g, om, de, E = float(v.gamma), float(v.omega), float(v.delta), float(v.E)
    x_lo, x_hi = LOG_N_RANGE
    y_lo, y_hi = LOG_D_RANGE
    if cap is not None:
        y_hi = min(y_hi, cap)
    best = None
    for _ in range(ZOOMS):
        xs, ys = np.linspace(x_lo, x_hi, GRID_POINTS), np.linspace(y_lo, y_hi, GRID_POINTS)
        X, Y = np.meshgrid(xs, ys, indexing="ij")
        log_q = -np.logaddexp(math.log(A) - al * r * X, math.log(B) - be * r * Y) / r
        f = log_q if g == 0 else -np.expm1(-g * log_q) / g
        margin = np.maximum(om * f - 2 * np.exp(X) / E, 0.0)
        concentrated = margin**2 / (4 * de) - 6 * np.exp(X + Y) / E
        i, j = np.unravel_index(int(np.argmax(concentrated)), concentrated.shape)
        best = (xs[i], ys[j], margin[i, j], concentrated[i, j])
        dx, dy = 2 * (xs[1] - xs[0]), 2 * (ys[1] - ys[0])
        x_lo, x_hi = max(LOG_N_RANGE[0], xs[i] - dx), xs[i] + dx
        y_lo, y_hi = max(LOG_D_RANGE[0], ys[j] - dy), min(ys[j] + dy, y_hi)
    x, y, margin, value = best
    if not value > 0 or not margin > 0:
        raise NoOptimum("no grid point earns a positive profit (shutdown)")
    return x, y, math.log(margin / (2 * de))


def _accept(v: _Values, point, capped: bool, dps: int) -> Optimum:
    x, y, s = point
    worst = max(abs(e) for e in _residuals(v, x, y, s, capped))
    if not worst < mpmath.mpf(10) ** (-dps + 10):
        raise NoOptimum(f"Newton stopped with relative residual {mpmath.nstr(worst, 3)}")
    n, d, t = mpmath.exp(x), mpmath.exp(y), mpmath.exp(s)
    base = profit(v, n, d, t)
    probe = mpmath.mpf(PROBE)
    moves = [(1, 0, 0), (0, 0, 1)] + ([] if capped else [(0, 1, 0)])
    for mx, my, ms in moves:
        for sign in (1, -1):
            e = sign * probe
            if profit(v, n * mpmath.exp(mx * e), d * mpmath.exp(my * e),
                      t * mpmath.exp(ms * e)) >= base:
                raise NoOptimum("the root of the conditions is not a local maximum")
    if not base > 0:
        raise NoOptimum("the optimum earns no positive profit (shutdown)")
    return Optimum(n, d, t, quality(v, n, d), base, capped, dps)


def solve_optimum(market: CesMarket, dps: int = DEFAULT_DPS,
                  start: Optimum | None = None) -> Optimum:
    """argmax pi at ``dps`` digits (see the module docstring); ``start`` skips the grid."""
    with mpmath.workdps(dps):
        v = _Values(market)
        cap = None if v.D is None else float(mpmath.log(v.D))
        if start is not None:
            guess = [mpmath.log(start.n), mpmath.log(start.d), mpmath.log(start.t)]
            capped = start.capped
        else:
            x, y, s = _grid_start(v, cap)
            capped = cap is not None and y >= cap - 1e-9 * max(1.0, abs(cap))
            guess = [mpmath.mpf(x), mpmath.mpf(y), mpmath.mpf(s)]
        if capped:
            y_cap = mpmath.log(v.D)
            root = mpmath.findroot(lambda x, s: _residuals(v, x, y_cap, s, True),
                                   (guess[0], guess[2]))
            found = _accept(v, (root[0], y_cap, root[1]), True, dps)
            if not _residuals(v, root[0], y_cap, root[1], False)[2] > 0:
                raise NoOptimum("the cap's multiplier d pi/d d is not positive at d = D")
        else:
            root = mpmath.findroot(lambda x, y, s: _residuals(v, x, y, s, False), guess)
            found = _accept(v, tuple(root), False, dps)
            if v.D is not None and found.d > v.D:
                raise NoOptimum("the interior root lies beyond the cap")
        return found


def local_exponent(market: CesMarket, quantity: str, wrt: str, dps: int = DEFAULT_DPS,
                   base: Optimum | None = None) -> mpmath.mpf:
    """d log X*/d log v by a central difference at ``dps`` digits, relative step 1e-10:
    truncation ~1e-20, well above the solver's 10^(-dps + 10) residual error."""
    with mpmath.workdps(dps):
        base = base or solve_optimum(market, dps)
        h = mpmath.mpf(EXPONENT_STEP)
        values = []
        for sign in (1, -1):
            moved = market.moved(wrt, mpmath.exp(sign * h))
            found = solve_optimum(moved, dps, start=base)
            values.append(mpmath.log(found.value(quantity, to_mpf(moved.E))))
        return (values[0] - values[1]) / (2 * h)


def solve_frontier(market: CesMarket, target_quality: Number, lifetime_tokens: Number,
                   dps: int = DEFAULT_DPS) -> tuple[mpmath.mpf, mpmath.mpf]:
    """(n, d) minimizing 6nd + 2nT on q(n, d) = q_bar, from the definition.

    On the iso-quality curve B d^(-beta r) = q_bar^(-r) - A n^(-alpha r) (n > n_min, where
    the right side vanishes) the cost's slope in z = log n is, up to the factor n,
    g(z) = 6d (1 + d log d/d log n) + 2T with d log d/d log n = -alpha u/(beta w),
    u = A n^(-alpha r), w = B d^(-beta r).  g -> -infinity at n_min and g > 0 for large n;
    its root (that of g/(6d + 2T), a relative quantity) is bracketed (doubling away from
    n_min) and found by the Anderson-Bjorck bracketing method, independent of any profit
    optimum.
    """
    with mpmath.workdps(dps):
        v = _Values(market)
        level, T = to_mpf(target_quality) ** (-v.r), to_mpf(lifetime_tokens)

        def tokens(z):
            w = level - v.A * mpmath.exp(-v.alpha * v.r * z)
            return w, (w / v.B) ** (-1 / (v.beta * v.r))

        def slope(z):
            w, d = tokens(z)
            u = level - w
            return 1 - 6 * d * v.alpha * u / (v.beta * w * (6 * d + 2 * T))  # g/(6d + 2T)

        z_min = mpmath.log(v.A / level) / (v.alpha * v.r)
        step = mpmath.mpf(1)
        lo = z_min + mpmath.mpf(10) ** (-dps // 3)
        if not slope(lo) < 0:
            raise NoOptimum("the frontier's cost slope is not negative near n_min")
        hi = z_min + step
        while not slope(hi) > 0:
            lo, step = hi, 2 * step
            hi = z_min + step
            if step > 10**4:
                raise NoOptimum("no bracket for the frontier's root")
        z = mpmath.findroot(slope, (lo, hi), solver="anderson")
        return mpmath.exp(z), tokens(z)[1]
