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

#: The corner's model size n_D = n(D) and quality q_D = b D^beta, as symbols.
N_CORNER = sp.Symbol("n_D", positive=True)
Q_CORNER = sp.Symbol("q_D", positive=True)


@dataclass(frozen=True)
class DataBoundCorner:
    """d* = D, n* = (b D^beta / a)^(1/alpha), spend 6 n* D / E."""

    parameters: sp.Expr          # n* on the corner
    tokens: sp.Expr              # d* = D
    quality: sp.Expr             # q* = b D^beta
    flops: sp.Expr               # 6 n* D
    spend: sp.Expr               # 6 n* D / E
    marginal_profit: sp.Expr     # Pi'(n*) in terms of n_D, q_D: the cap binds iff positive
    binding_quadratic: sp.Expr   # E^2 Pi'(n*) as a polynomial in E (in n_D, q_D)
    binding_threshold: sp.Expr   # E_bind: the larger root, in terms of n_D and q_D
    corner_symbols: dict[sp.Symbol, sp.Expr]  # n_D -> n*, q_D -> b D^beta
    elasticities: dict[sp.Symbol, sp.Expr]  # d log spend / d log v

    def explicit(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with n_D and q_D replaced by their closed forms."""
        return expr.subs(self.corner_symbols)


def derive_data_bound_corner(model: ProfitModel, variables: tuple[sp.Symbol, ...]) -> DataBoundCorner:
    """Corner solution of the data-bound regime and the spend's elasticities in ``variables``."""
    law, cap, efficiency = model.law, model.data_cap, model.efficiency
    parameters = law.frontier_parameters(cap)
    reduced = derive_reduced_problem(model, stable=True)
    # Evaluate Pi'(n) at n = n_D, writing a through the corner identity a n_D^alpha = b D^beta
    # and b D^beta as q_D, so that the threshold reads in the corner's own quantities.
    n_corner, q_corner = N_CORNER, Q_CORNER
    (a_on_corner,) = sp.solve(sp.Eq(law.parameter_arm(n_corner), law.data_arm(cap)), law.a)
    (b_on_corner,) = sp.solve(sp.Eq(law.data_arm(cap), q_corner), law.b)
    marginal = reduced.foc_factored.subs(n, n_corner).subs(law.a, a_on_corner)
    marginal = sp.powsimp(sp.expand_power_base(marginal, force=True), force=True)
    marginal = sp.powsimp(sp.expand_power_base(marginal.subs(law.b, b_on_corner), force=True),
                          force=True)
    quadratic = sp.Poly(sp.expand(efficiency**2 * marginal), efficiency)
    if quadratic.degree() != 2:
        raise ValueError(f"expected a quadratic in {efficiency}, got {quadratic}")
    threshold = _larger_root(quadratic)
    spend = training_cost(parameters, cap, efficiency)
    elasticities = {v: sp.simplify(sp.expand_log(v * sp.diff(spend, v) / spend, force=True))
                    for v in variables}
    return DataBoundCorner(parameters, cap, law.data_arm(cap), training_flops(parameters, cap),
                           spend, marginal, quadratic.as_expr(), threshold,
                           {n_corner: parameters, q_corner: law.data_arm(cap)}, elasticities)


def _larger_root(quadratic: sp.Poly) -> sp.Expr:
    """Larger root of c2 E^2 + c1 E + c0, given c2 > 0.

    c2 = omega^2 alpha f(q_D) q_D^-gamma / (2 delta n_D) is positive exactly
    when the capped quality exceeds the threshold floor (f(q_D) > 0), the
    only case in which the corner can be profitable.
    """
    c2, c1, c0 = quadratic.all_coeffs()
    return (-c1 + sp.sqrt(c1**2 - 4 * c2 * c0)) / (2 * c2)
