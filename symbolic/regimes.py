"""The data-bound regime d <= D: the corner solution and when it binds.

Profit on the kink rises in n up to the interior optimum, so with the cap
d <= D the firm sits at the corner d* = D, n* = n(D) whenever Pi'(n(D)) > 0.
Multiplying Pi'(n(D)) by E^2 gives a quadratic in E whose larger root is
the threshold E_bind: the cap binds iff E > E_bind.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .costs import training_cost, training_flops
from .optimality import derive_reduced_problem
from .profit import ProfitModel
from .symbols import n


@dataclass(frozen=True)
class DataBoundCorner:
    """d* = D, n* = (b D^beta / a)^(1/alpha), spend 6 n* D / E."""

    parameters: sp.Expr          # n* on the corner
    tokens: sp.Expr              # d* = D
    quality: sp.Expr             # q* = b D^beta
    flops: sp.Expr               # 6 n* D
    spend: sp.Expr               # 6 n* D / E
    marginal_profit: sp.Expr     # Pi'(n*) : the cap binds iff positive
    binding_quadratic: sp.Expr   # E^2 Pi'(n*) as a polynomial in E
    binding_threshold: sp.Expr   # E_bind: the larger root of the quadratic
    elasticities: dict[sp.Symbol, sp.Expr]  # d log spend / d log v


def derive_data_bound_corner(model: ProfitModel, variables: tuple[sp.Symbol, ...]) -> DataBoundCorner:
    """Corner solution of the data-bound regime and the spend's elasticities in ``variables``."""
    law, cap, efficiency = model.law, model.data_cap, model.efficiency
    parameters = law.frontier_parameters(cap)
    reduced = derive_reduced_problem(model)
    marginal = sp.simplify(reduced.foc_factored.subs(n, parameters))
    quadratic = sp.Poly(sp.expand(efficiency**2 * marginal), efficiency)
    if quadratic.degree() != 2:
        raise ValueError(f"expected a quadratic in {efficiency}, got {quadratic}")
    threshold = _larger_root(quadratic)
    spend = training_cost(parameters, cap, efficiency)
    elasticities = {v: sp.simplify(sp.expand_log(v * sp.diff(spend, v) / spend, force=True))
                    for v in variables}
    return DataBoundCorner(parameters, cap, law.data_arm(cap), training_flops(parameters, cap),
                           spend, marginal, quadratic.as_expr(), threshold, elasticities)


def _larger_root(quadratic: sp.Poly) -> sp.Expr:
    """Larger root of c2 E^2 + c1 E + c0, given c2 > 0.

    c2 = omega^2 alpha f(q_D) q_D^-gamma / (2 delta n_D) is positive exactly
    when the capped quality exceeds the threshold floor (f(q_D) > 0), the
    only case in which the corner can be profitable.
    """
    c2, c1, c0 = quadratic.all_coeffs()
    return (-c1 + sp.sqrt(c1**2 - 4 * c2 * c0)) / (2 * c2)
