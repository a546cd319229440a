"""The E -> infinity law of the optimum under a smooth law, by dominant balance.

Ansatz (training-dominated): inference compute becomes negligible next to training
compute, kappa = t*/(3d*) -> 0, so by the over-training relation n q_n/(d q_d) = 1 + kappa
the optimum approaches the compute-optimal path d = d_c(n), where q = q_c(n).  There the
condition d pi/d d = 0, written

    t* omega f'(q) d q_d = 6nd/E,   t* = (omega f(q) - 2n/E)/(2 delta),

balances its leading terms: t* ~ omega f(q)/(2 delta) (its leading term in n) against
6 n d_c(n)/E.  The law n* ~ C E^k (log E)^m follows (:func:`~.asymptotics.balance`), and
with it the laws of d*, d*/n* and the spend 6n*d*/E.  The ansatz applies where the terms
it drops are smaller under that law: kappa -> 0, and the serving cost 2n/E below both the
revenue per token omega f(q) and the marginal revenue omega f'(q) n q_n -- each decided at
a reference point of the parameters (returned as conditions, like :mod:`.growth`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .asymptotics import Leading, PowerLaw, balance, leading_in
from .decisions import decide
from .profit import ProfitModel
from .scaling import SmoothLaw
from .symbols import E, d, n, q

#: The quantities whose laws are derived.
SMOOTH_QUANTITIES = ("n", "d", "tokens_per_parameter", "train_cost")


@dataclass(frozen=True)
class SmoothLimit:
    """The training-dominated law of the optimum in E and where it applies."""

    shape: sp.Expr                   # the value of gamma (0: the limit)
    balance: tuple[sp.Expr, sp.Expr]  # (leading t* omega f'(q) d q_d, 6 n d_c(n)/E) on the path
    law: PowerLaw                     # n* ~ C E^k (log E)^m
    quantities: dict[str, Leading]    # law of each of SMOOTH_QUANTITIES
    conditions: tuple[sp.Basic, ...]  # what the dropped terms need to stay smaller
    applies: bool                     # every condition true at the reference point


def _on_path(expr: sp.Expr, shape: sp.Expr, model: ProfitModel) -> sp.Expr:
    """``expr`` with gamma -> shape (gamma = 0 as a limit), expanded for monomial reading."""
    if shape == 0:
        expr = sp.limit(expr, model.shape, 0)
    expr = sp.simplify(expr.subs(model.shape, shape))
    expr = expr.replace(lambda e: e.is_Pow and e.base.is_Add,
                        lambda e: sp.factor(e.base) ** e.exp)
    expr = sp.expand_power_base(sp.powsimp(expr, force=True), force=True)
    terms = sp.Add.make_args(sp.expand(sp.expand_log(expr, force=True), power_base=False))
    return sp.Add(*(sp.factor(term) for term in terms))


def _opaque_constants(expr: sp.Expr) -> sp.Expr:
    """Sums free of n and E (such as alpha + beta) as positive symbols, so that expanding
    cannot turn a monomial's constant denominator into a sum of monomials.  Only the powers
    of n and E of the result are read."""
    return expr.replace(lambda e: e.is_Add and not e.has(n, E),
                        lambda e: sp.Dummy("c", positive=True))


def derive_smooth_limit(model: ProfitModel, reference: dict, shape: sp.Expr) -> SmoothLimit:
    """n* ~ C E^k (log E)^m from t* omega f'(q) d q_d = 6nd/E on the compute-optimal path."""
    law = model.law
    if not isinstance(law, SmoothLaw):
        raise ValueError(f"model {model.name!r}: the smooth limit needs a smooth law")
    n_, d_ = sp.Dummy("n", positive=True), sp.Dummy("d", positive=True)
    tokens = law.frontier_tokens(n)
    quality = sp.factor(sp.simplify(law.frontier_quality(n)))
    e_n, e_d = (sp.factor(sp.simplify(e.subs({n_: n, d_: tokens}, simultaneous=True)))
                for e in law.output_elasticities(n_, d_))
    token_slope = e_d * quality  # d q_d on the path
    link_slope = sp.diff(model.link(q), q).subs(q, quality)
    revenue = _on_path(model.omega * model.link(quality) / (2 * model.delta), shape, model)
    trial = PowerLaw(sp.S.One, sp.S.One)  # n ~ E: ranks terms by their power of n
    served = sp.Add(*leading_in(revenue, trial, n, E, reference).terms)
    left = sp.factor(sp.powsimp(sp.simplify(
        served * _on_path(model.omega * link_slope * token_slope, shape, model)), force=True))
    right = model.fixed_cost(n, tokens)
    found = balance(left, right, n, E)
    expressions = {"n": n, "d": tokens, "tokens_per_parameter": tokens / n,
                   "train_cost": right}
    quantities = {name: leading_in(sp.powsimp(expr, force=True), found, n, E, reference)
                  for name, expr in expressions.items()}
    serving = 2 * n / model.efficiency
    marginal = _on_path(model.omega * link_slope * e_n * quality, shape, model)
    pairs = ((served / (3 * tokens), sp.S.One), (serving, revenue), (serving, marginal))
    conditions, applies = [], True
    for small, large in pairs:
        gap = (leading_in(_opaque_constants(large), found, n, E, reference).law,
               leading_in(_opaque_constants(sp.powsimp(sp.simplify(small), force=True)),
                          found, n, E, reference).law)
        exponent = sp.simplify(gap[0].exponent - gap[1].exponent)
        condition = (sp.Gt(exponent, 0) if exponent != 0
                     else sp.Gt(sp.simplify(gap[0].log_power - gap[1].log_power), 0))
        conditions.append(condition)
        applies = applies and bool(decide(condition, reference))
    return SmoothLimit(shape, (left, right), found, quantities, tuple(conditions), applies)
