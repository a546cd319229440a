"""Where the model is well posed: the range of gamma for which profit is bounded.

On the kink with t = t*, profit is ``Pi(n) = m(n)^2/(4 delta) - 6 n d(n)/E``.
As n grows, the margin m has terms of order n^0, n^(-alpha gamma) (revenue)
and n^1 (serving cost); training costs n^(1 + alpha/beta).  Profit is
unbounded above exactly when revenue outgrows serving cost *and* its square
outgrows training cost.  The exponents are read off the derived expressions.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .demand import derive_demand_curvature
from .optimality import derive_reduced_problem
from .profit import ProfitModel
from .symbols import gamma, n


@dataclass(frozen=True)
class BoundedRange:
    """gamma > lower  <=>  sup Pi < infinity for every positive parameter value."""

    revenue_exponent: sp.Expr   # growth exponent in n of the margin's revenue term
    serving_exponent: sp.Expr   # ... of its serving-cost term
    training_exponent: sp.Expr  # ... of the fastest-growing fixed cost (6 n d(n)/E)
    serving_threshold: sp.Expr  # gamma at which revenue and serving grow alike
    training_threshold: sp.Expr  # gamma at which revenue^2 and training grow alike
    lower: sp.Expr              # Min of the two thresholds: gamma must exceed it
    concavity_bound: sp.Expr    # gamma >= this makes f concave (the paper's assumption)


def growth_exponent(term: sp.Expr, variable: sp.Symbol = n) -> sp.Expr:
    """k in term = c * variable^k (the term must be a monomial in ``variable``)."""
    monomial = sp.powsimp(sp.expand_power_base(term, force=True), force=True)
    coefficient, exponent = sp.expand_power_base(monomial, force=True).as_coeff_exponent(variable)
    if coefficient.has(variable):
        raise ValueError(f"{term} is not a monomial in {variable}")
    return sp.simplify(exponent)


def derive_bounded_range(model: ProfitModel) -> BoundedRange:
    """Profit is bounded above for all parameters iff gamma > min(-1/alpha, -(alpha+beta)/(2 alpha beta)).

    ValueError, saying that the bounded range could not be established and why, when the
    model's margin or fixed costs are not of the monomial form this reading needs.
    """
    try:
        return _derive_bounded_range(model)
    except ValueError as error:
        raise ValueError(f"model {model.name!r}: where profit is bounded could not be "
                         f"established: {error}") from None


def _derive_bounded_range(model: ProfitModel) -> BoundedRange:
    reduced = derive_reduced_problem(model)
    growing = [t for t in sp.Add.make_args(sp.expand(reduced.margin)) if t.has(n)]
    revenue_terms = [t for t in growing if t.has(model.shape)]
    serving_terms = [t for t in growing if not t.has(model.shape)]
    if len(revenue_terms) != 1 or len(serving_terms) != 1:
        raise ValueError("the per-token margin must have one revenue term and one serving-cost "
                         f"term that grow with n (found {len(revenue_terms)} and "
                         f"{len(serving_terms)})")
    (revenue_term,), (serving_term,) = revenue_terms, serving_terms
    revenue = growth_exponent(revenue_term)
    serving = growth_exponent(serving_term)
    # the fastest-growing fixed cost on the kink (the paper: 6 n d(n)/E)
    training = sp.Max(*(growth_exponent(term) for term in
                        sp.Add.make_args(model.fixed_cost(n, reduced.tokens))))
    if isinstance(training, sp.Max):
        raise ValueError(f"no fixed cost term grows fastest for every parameter value "
                         f"({training})")
    (serving_threshold,) = sp.solve(sp.Eq(revenue, serving), gamma)
    (training_threshold,) = sp.solve(sp.Eq(2 * revenue, training), gamma)
    if not sp.diff(revenue, gamma).is_negative:
        raise ValueError("revenue exponent must fall with gamma")
    curvature = derive_demand_curvature(shape=model.shape)
    (concavity_bound,) = sp.solve(sp.Add(*[f for f in sp.Mul.make_args(curvature)
                                            if f.is_polynomial(gamma) and f.has(gamma)]), gamma)
    return BoundedRange(revenue, serving, training, sp.simplify(serving_threshold),
                        sp.factor(training_threshold),
                        sp.Min(serving_threshold, sp.factor(training_threshold)),
                        concavity_bound)
