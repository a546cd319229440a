"""The reduced first-order condition in log space, for the numeric kernels.

With x = log n, write the reduced condition n Pi'(n) = 0 as the balance

    m(n) * n m'(n) / (2 delta)  =  n * d/dn[6 n d(n)/E]

and take logs of both sides.  Each side is a product of a *margin-like*
difference (gain minus loss, both positive) and monomials, so

    S(x) = log m + log(n m') - log(2 delta) - log(training slope)

is computed from sums of logs and ``log1p(-exp(loss - gain))``: no
overflow for any magnitude of n or E, and sign(S) = sign(Pi'(n)) wherever
t* > 0 and n < n_peak.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.codegen.cfunctions import log1p

from .algebra import log_of_positive_sum, split_signed_terms, to_log_coordinates
from .optimality import derive_reduced_problem, derive_served_tokens
from .profit import ProfitModel
from .symbols import d, n, t, x


@dataclass(frozen=True)
class LogCondition:
    """log-space pieces of the reduced problem, all functions of x and log-parameters."""

    log_margin: sp.Expr          # log m(x)
    log_margin_slope: sp.Expr    # log(n m'(n))
    log_training_slope: sp.Expr  # log(n d/dn[6 n d(n)/E])
    balance: sp.Expr             # S(x)
    balance_slope: sp.Expr       # dS/dx
    balance_curvature: sp.Expr   # d^2 S/dx^2
    log_tokens: sp.Expr          # log d(x)
    log_quality: sp.Expr         # log q(x)
    margin_floor: sp.Expr        # x at which q = 1: below it f(q) <= 0 and m < 0
    peak: sp.Expr                # x_peak = log n_peak, where n m' = 0
    margin_sign: sp.Expr         # log(gain) - log(loss) of m: positive iff t* > 0
    slope_sign: sp.Expr          # log(gain) - log(loss) of n m': positive iff x < x_peak
    profit_sign: sp.Expr         # log[m^2/(4 delta)] - log[6 n d(n)/E]: positive iff Pi > 0
    log_served_tokens: sp.Expr   # log t* = log m + log(t*/m)
    log_training_cost: sp.Expr   # log(6 n d(n)/E)
    log_inference_cost: sp.Expr  # log(2 n t*/E)
    log_training_flops: sp.Expr  # log(6 n d(n))
    log_revenue_net: sp.Expr     # log(m^2/(4 delta)): profit before training cost
    peak_log_room: sp.Expr       # log u_0: S ~ log(kappa u) + R(x_peak) = 0 at u = x_peak - x


def log_difference(gain: sp.Expr, loss: sp.Expr,
                   coordinates: dict[sp.Symbol, sp.Symbol] | None = None) -> sp.Expr:
    """log(gain - loss) = log gain + log1p(-exp(log loss - log gain)), for gain > loss > 0."""
    log_gain = to_log_coordinates(gain, coordinates)
    log_loss = to_log_coordinates(loss, coordinates)
    return log_gain + log1p(-sp.exp(log_loss - log_gain))


def derive_peak_log_room(regular: sp.Expr, gap: sp.Expr, peak: sp.Expr) -> sp.Expr:
    """log u_0, the inference-dominated estimate of u* = x_peak - x* (close to x_peak).

    With the margin slope's gap r(x) = log(loss) - log(gain), the balance splits as
    S(x) = log1p(-e^r) + R(x), R regular at x_peak.  r is linear in x, r = -kappa u with
    u = x_peak - x, so log1p(-e^(-kappa u)) = log(kappa u) + O(u) and S(x_peak - u) =
    log(kappa u) + R(x_peak) + O(u): its root, to leading order as u* -> 0, is
    log u_0 = -R(x_peak) - log kappa.
    """
    kappa = sp.diff(gap, x)
    if kappa.has(x):
        raise ValueError(f"the margin slope's gap is not linear in x: {gap}")
    return -regular.subs(x, peak) - sp.log(kappa)


def derive_log_condition(model: ProfitModel) -> LogCondition:
    """S(x) = log[m n m' / (2 delta)] - log[n (fixed costs on the kink)'], derived from the
    reduced problem of ``model`` (the paper: log[n (6 n d(n)/E)'])."""
    coords = model.log_coordinates

    def log(expr: sp.Expr) -> sp.Expr:
        return to_log_coordinates(expr, coords)

    reduced = derive_reduced_problem(model, stable=True)
    margin_gain, margin_loss = split_signed_terms(reduced.margin)
    slope_gain, slope_loss = split_signed_terms(n * reduced.margin_slope)
    log_margin = log_difference(margin_gain, margin_loss, coords)
    log_margin_slope = log_difference(slope_gain, slope_loss, coords)
    log_training_slope = log_of_positive_sum(
        sp.Add(*(n * term for term in sp.Add.make_args(reduced.training_slope))), coords)
    # S = log1p(-e^gap) + regular: the part of S singular at x_peak and the rest
    gap = log(slope_loss) - log(slope_gain)
    regular = log_margin + log(slope_gain) - log(2 * model.delta) - log_training_slope
    balance = log_margin + log_margin_slope - log(2 * model.delta) - log_training_slope
    log_quality = log(reduced.quality)
    (floor,) = sp.solve(log_quality, x)
    (peak,) = sp.solve(log(slope_gain) - log(slope_loss), x)
    served = derive_served_tokens(model, stable=True)
    # concentrated profit m^2/(4 delta) - fixed costs: the revenue part as a log
    revenue_net = sp.simplify(served.concentrated + model.fixed_cost(n, d))
    log_revenue_net = sp.Integer(2) * log_margin + log(sp.simplify(revenue_net / served.margin**2))
    log_served = log_margin + log(sp.simplify(served.optimum / served.margin))
    log_training_cost = log_of_positive_sum(model.fixed_cost(n, reduced.tokens), coords)
    log_inference_cost = log(sp.simplify(model.serving_cost(n, t) / t)) + log_served
    flops = sp.Add(*(term.flops for term in model.costs
                     if term.flops is not None and not term.expr.has(t)))
    log_training_flops = log_of_positive_sum(flops.subs(d, reduced.tokens), coords) \
        if flops != 0 else sp.S.NegativeInfinity
    return LogCondition(
        log_margin, log_margin_slope, log_training_slope, balance,
        sp.diff(balance, x), sp.diff(balance, x, 2),
        log(reduced.tokens), log_quality, floor, sp.expand(peak),
        log(margin_gain) - log(margin_loss),
        log(slope_gain) - log(slope_loss),
        log_revenue_net - log_training_cost,
        log_served, log_training_cost, log_inference_cost,
        log_training_flops, log_revenue_net,
        derive_peak_log_room(regular, gap, peak),
    )
