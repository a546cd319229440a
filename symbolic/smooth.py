"""The concentrated profit of a smooth law in log coordinates, for the smooth solver.

With t = t* eliminated (:func:`~.optimality.derive_served_tokens`) the firm maximizes

    Pi(x, y) = m^2/(4 delta) - C,   m = omega f(q) - 2n/E = 2 delta t*,   C = 6nd/E,

over x = log n, y = log d (C: the cost terms free of t).  Every term is written in logs,
so nothing overflows a double for E from 1e10 to 1e40:

- log q by ``logaddexp`` (the CES law: -(1/r) logaddexp(log A - alpha r x, log B - beta r y));
- the margin and its slopes m_i = dm/dx_i as gain - loss, logged as
  log gain + log1p(-exp(log loss - log gain));
- the first-order conditions as log balances (the kink solver's S, one per input)

      S_i = log m + log m_i - log(2 delta) - log C_i,   C_i = dC/dx_i,

  so that dPi/dx_i = C_i (e^(S_i) - 1): the gradient scaled by C is
  g_i = (C_i/C)(e^(S_i) - 1), and the Hessian scaled by C is
  h_ij = (C_ij/C)(e^(S_i) - 1) + (C_i/C) e^(S_i) dS_i/dx_j, exact everywhere (not only at
  a root) where m > 0 and m_i > 0.

The producing condition is m > 0 (t* > 0): ``margin_sign`` = log gain - log loss > 0.  At an
interior producing optimum m_x > 0 too (m m_x = 2 delta C_x > 0).  The data cap d <= D is
the KKT case y = log D: a problem in x alone, whose multiplier dPi/dy = C_y (e^(S_y) - 1)
must be >= 0, i.e. S_y >= 0 at the corner.

What is proven here (:func:`derive_quality_concavity`): log q is concave in (x, y) for the
CES family (its Hessian is negative semidefinite, of rank one).  Pi itself is not proven
concave, and uniqueness of the optimum is not proven (f is convex in log q for gamma < 0,
and m^2 of a concave m need not be concave); the solver's tests give multi-start evidence.

The profit-bounded range of gamma is the Leontief one, reused rather than re-derived
(:func:`derive_smooth_bounded_range`): with arms a n^alpha, b d^beta, a = A^(-1/r),
b = B^(-1/r), the CES quality lies between 2^(-1/r) min(arms) and min(arms); f is
increasing, so Pi is squeezed between two Leontief profits whose bounded range does not
depend on a or b.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p

from .algebra import log_of_positive_sum, split_signed_terms
from .domain import BoundedRange, derive_bounded_range
from .optimality import derive_served_tokens
from .profit import ProfitModel
from .scaling import CES, Leontief, SmoothLaw
from .symbols import d, n, q, x

#: y = log d, the second log coordinate of the smooth problem (x = log n is in symbols).
y = sp.Symbol("y", real=True)
#: The log coordinates of the chosen inputs.
INPUTS = (x, y)


def smooth_coordinates(model: ProfitModel) -> dict[sp.Symbol, sp.Symbol]:
    """n -> x, d -> y and each scale parameter -> its log coordinate."""
    return {**model.log_coordinates, d: y}


def log_positive(expr: sp.Expr, coordinates: dict[sp.Symbol, sp.Symbol]) -> sp.Expr:
    """log(expr) for a positive product of powers, exponentials and positive sums, in log
    coordinates: each log of a sum becomes a :class:`~.algebra.logaddexp` fold, so no term
    is exponentiated on its own."""
    expanded = sp.expand_log(sp.log(sp.powsimp(expr, force=True)), force=True)
    expanded = expanded.replace(
        lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.Add),
        lambda e: log_of_positive_sum(e.args[0], coordinates))
    return sp.expand(expanded.subs({sp.log(s): c for s, c in coordinates.items()}))


def _log_difference(log_gain: sp.Expr, log_loss: sp.Expr) -> sp.Expr:
    """log(gain - loss) = log gain + log1p(-exp(log loss - log gain)), for gain > loss > 0;
    log gain where there is no loss."""
    if log_loss == sp.S.NegativeInfinity:
        return log_gain
    return log_gain + log1p(-sp.exp(log_loss - log_gain))


@dataclass(frozen=True)
class SmoothCondition:
    """The smooth problem in (x, y) and the model's log parameters."""

    log_quality: sp.Expr            # L = log q(x, y)
    margin_sign: sp.Expr            # log(gain) - log(loss) of m: > 0 iff t* > 0
    log_margin: sp.Expr             # log m
    slope_signs: tuple[sp.Expr, sp.Expr]   # log gain - log loss of m_x, m_y (+oo: no loss)
    log_margin_slopes: tuple[sp.Expr, sp.Expr]  # log m_x, log m_y
    log_cost: sp.Expr               # log C (fixed costs)
    log_cost_slopes: tuple[sp.Expr, sp.Expr]    # log C_x, log C_y
    balance: tuple[sp.Expr, sp.Expr]            # S_x, S_y
    balance_jacobian: tuple[tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]]  # dS_i/dx_j
    gradient: tuple[sp.Expr, sp.Expr]           # g_i = (dPi/dx_i)/C
    hessian: tuple[tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]]  # (d2Pi/dx_i dx_j)/C
    log_revenue_net: sp.Expr        # log(m^2/(4 delta)): Pi = e^this - e^(log C)
    profit_sign: sp.Expr            # log_revenue_net - log C: > 0 iff Pi > 0
    log_served_tokens: sp.Expr      # log t* = log m - log(2 delta)
    frontier: sp.Expr               # y on the compute-optimal path, as a function of x
    corner: "CornerCase"            # the data-cap KKT case y = log D


@dataclass(frozen=True)
class CornerCase:
    """The data cap binding: y = log D, Pi(x, log D) maximized in x."""

    log_bound: sp.Expr              # log D in log coordinates
    balance: sp.Expr                # S_x(x, log D)
    balance_slope: sp.Expr          # dS_x/dx at y = log D
    gradient: sp.Expr               # g_x(x, log D)
    curvature: sp.Expr              # h_xx(x, log D)
    multiplier_sign: sp.Expr        # S_y(x, log D): the multiplier C_y (e^S_y - 1) >= 0 iff >= 0


def _require_smooth(model: ProfitModel) -> None:
    if not isinstance(model.law, SmoothLaw) or not {n, d} <= set(model.chosen):
        raise ValueError(f"model {model.name!r}: the smooth problem needs a smooth law with n "
                         "and d chosen")


def derive_smooth_condition(model: ProfitModel) -> SmoothCondition:
    """S_i, g_i, h_ij and the producing condition of ``model``'s concentrated profit in
    (x, y) = (log n, log d), derived by SymPy from its parts (ValueError for a law that is
    not smooth or a model whose served tokens have no closed form)."""
    _require_smooth(model)
    coords = smooth_coordinates(model)
    served = derive_served_tokens(model, stable=True)
    natural = {n: sp.exp(x), d: sp.exp(y)}
    log_quality = log_positive(model.law.quality(n, d), coords)
    # the margin in (x, y): omega f(e^L) - 2 e^x/E, with L = log q written by logaddexp
    margin = served.margin.xreplace({sp.log(q): log_quality}).subs(natural)
    if margin.has(q):
        raise ValueError(f"model {model.name!r}: the margin depends on q other than via log q")
    gain, loss = split_signed_terms(margin)

    def logs(expr: sp.Expr) -> sp.Expr:
        return sp.S.NegativeInfinity if expr == 0 else log_positive(expr, coords)

    log_gain, log_loss = logs(gain), logs(loss)
    log_margin = _log_difference(log_gain, log_loss)
    slope_signs, log_slopes = [], []
    for variable in INPUTS:
        slope_gain, slope_loss = split_signed_terms(sp.diff(margin, variable))
        lg, ll = logs(slope_gain), logs(slope_loss)
        slope_signs.append(sp.oo if ll == sp.S.NegativeInfinity else lg - ll)
        log_slopes.append(_log_difference(lg, ll))
    cost = model.fixed_cost(n, d).subs(natural)
    log_cost = log_of_positive_sum(cost.subs({sp.exp(x): n, sp.exp(y): d}), coords)
    cost_slopes = [sp.diff(cost, variable) for variable in INPUTS]
    log_cost_slopes = [log_of_positive_sum(sp.powsimp(s).subs({sp.exp(x): n, sp.exp(y): d}),
                                           coords) for s in cost_slopes]
    log_twice_delta = logs(-served.curvature)
    balance = [log_margin + log_slope - log_twice_delta - log_cost_slope
               for log_slope, log_cost_slope in zip(log_slopes, log_cost_slopes)]
    jacobian = tuple(tuple(sp.diff(b, v) for v in INPUTS) for b in balance)
    weights = [sp.exp(lc - log_cost) for lc in log_cost_slopes]
    cost_curvature = [[sp.exp(log_positive(sp.diff(s, v), coords) - log_cost) for v in INPUTS]
                      for s in cost_slopes]
    gradient = tuple(w * expm1(b) for w, b in zip(weights, balance))
    hessian = tuple(tuple(cost_curvature[i][j] * expm1(balance[i])
                          + weights[i] * sp.exp(balance[i]) * jacobian[i][j]
                          for j in range(2)) for i in range(2))
    log_revenue_net = 2 * log_margin - logs(-2 * served.curvature)
    frontier = log_positive(model.law.frontier_tokens(n), coords)
    bound = log_positive(model.data_cap, coords) if any(c.variable == d for c in model.caps) \
        else sp.S.NaN
    corner = CornerCase(
        bound, balance[0].subs(y, bound), jacobian[0][0].subs(y, bound),
        gradient[0].subs(y, bound), hessian[0][0].subs(y, bound), balance[1].subs(y, bound))
    return SmoothCondition(
        log_quality, log_gain - log_loss, log_margin, tuple(slope_signs), tuple(log_slopes),
        log_cost, tuple(log_cost_slopes), tuple(balance), jacobian, gradient, hessian,
        log_revenue_net, log_revenue_net - log_cost, log_margin - log_twice_delta, frontier,
        corner)


def check_gradient(model: ProfitModel, condition: SmoothCondition,
                   point: dict[sp.Symbol, sp.Expr]) -> tuple[sp.Expr, sp.Expr]:
    """(C g_i - dPi/dx_i) / |dPi/dx_i| at an exact ``point`` (x, y and every log
    parameter), with Pi the plain concentrated profit m^2/(4 delta) - C differentiated by
    sp.diff, evaluated at 30 digits: both zero up to that rounding (a spot check of the
    derived gradient)."""
    coords = smooth_coordinates(model)
    served = derive_served_tokens(model)
    symbols = {s: sp.exp(c) for s, c in coords.items()}
    profit = served.concentrated.subs(q, model.law.quality(n, d)).subs(symbols)
    cost = sp.exp(condition.log_cost)

    def value(expr: sp.Expr) -> sp.Expr:
        return expr.subs(point).rewrite(sp.log).rewrite(sp.exp).evalf(30)

    return tuple((value(cost * g) - value(sp.diff(profit, v))) / abs(value(sp.diff(profit, v)))
                 for g, v in zip(condition.gradient, INPUTS))


@dataclass(frozen=True)
class QualityConcavity:
    """The Hessian of L = log q in (x, y) and what SymPy proves about it."""

    hessian: sp.Matrix
    determinant: sp.Expr   # 0: rank one
    diagonal: tuple[sp.Expr, sp.Expr]
    concave: bool          # both diagonal entries negative and determinant zero


def derive_quality_concavity(model: ProfitModel) -> QualityConcavity:
    """log q is concave in (x, y) for the CES family: -(1/r) logaddexp of two linear
    functions, whose Hessian -r s(1 - s) [[alpha^2, -alpha beta], [-alpha beta, beta^2]]
    is negative semidefinite (s the share of the parameter term)."""
    _require_smooth(model)
    log_quality = log_positive(model.law.quality(n, d), smooth_coordinates(model))
    hessian = sp.hessian(log_quality.rewrite(sp.log), INPUTS)
    determinant = sp.simplify(hessian.det())
    diagonal = (sp.factor(sp.simplify(hessian[0, 0])), sp.factor(sp.simplify(hessian[1, 1])))
    concave = determinant == 0 and all(entry.is_negative for entry in diagonal)
    return QualityConcavity(hessian, determinant, diagonal, bool(concave))


def derive_smooth_bounded_range(model: ProfitModel) -> BoundedRange:
    """The range of gamma where profit is bounded, for a CES law: that of the Leontief law
    with arms A^(-1/r) n^alpha and B^(-1/r) d^beta (derive_bounded_range on it), which
    squeezes the CES quality between 2^(-1/r) min(arms) and min(arms).  ValueError unless
    the law is CES and the Leontief range is free of the arms' coefficients."""
    law = model.law
    if not isinstance(law, CES):
        raise ValueError(f"model {model.name!r}: the bounded range is established for CES "
                         "laws only")
    leontief = Leontief(law.A ** (-1 / law.r), law.B ** (-1 / law.r), law.alpha, law.beta)
    bounded = derive_bounded_range(replace(model, law=leontief))
    if bounded.lower.has(law.A, law.B):
        raise ValueError(f"model {model.name!r}: the Leontief bound depends on A or B")
    return bounded
