"""Proposition: the optimal number of served tokens t* at fixed (n, d)."""

from __future__ import annotations

import sympy as sp

from ..symbolic.optimality import derive_served_tokens
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import d, n, q, t
from .record import Assumption, Claim, Derivation, IdentityCheck, SignCheck, Rule, Step

ID = "served_tokens"


def derive() -> Derivation:
    """t* = (omega f(q) - 2n/E)/(2 delta) > 0 iff the per-token margin is positive."""
    model = ProfitModel()
    served = derive_served_tokens(model)
    objective = model.objective_at_quality(n, d, t, q)
    t_star, margin, profit = sp.Symbol("t^{*}"), sp.Symbol("m"), sp.Symbol("\\pi")
    steps = (
        Step("objective", sp.Eq(profit, objective), Rule.DEFINE,
             "Revenue under linear inverse demand minus training and inference cost."),
        Step("foc", sp.Eq(sp.Derivative(profit, t), served.foc), Rule.DIFFERENTIATE,
             r"First-order condition in $t$.", ("objective",)),
        Step("curvature", sp.Eq(sp.Derivative(profit, t, 2), served.curvature),
             Rule.DIFFERENTIATE, r"Profit is strictly concave in $t$.", ("foc",)),
        Step("solution", sp.Eq(t_star, served.optimum), Rule.SOLVE,
             r"Solve the first-order condition for $t$.", ("foc",)),
        Step("margin", sp.Eq(margin, served.margin), Rule.SUBSTITUTE,
             r"The per-token margin is the marginal profit of the first token ($t = 0$).",
             ("foc",)),
        Step("concentrated", sp.Eq(profit.subs(t, t_star), served.concentrated), Rule.SUBSTITUTE,
             r"Profit with $t = t^*$ when $m > 0$; otherwise $t = 0$ and only training is paid.",
             ("solution", "margin")),
    )
    claims = (
        Claim("t-star", r"$t^* = (\omega f_\gamma(q) - 2n/E)/(2\delta)$ solves the first-order "
              r"condition and maximizes profit in $t$.", served.optimum,
              (IdentityCheck("foc-at-t-star", r"the first-order condition vanishes at $t^*$",
                             served.foc.subs(t, served.optimum), sp.Integer(0)),
               SignCheck("concave-in-t", r"$\partial^2 \pi/\partial t^2 < 0$", served.curvature,
                         -1))),
        Claim("positive-margin", r"$t^* > 0$ iff the per-token margin "
              r"$\omega f_\gamma(q) - 2n/E$ is positive.", served.margin,
              (IdentityCheck("margin-is-2-delta-t", r"$m = 2\delta t^*$",
                             served.margin, 2 * model.delta * served.optimum),)),
        Claim("concentrated", r"At $t = t^*$, profit is $m^2/(4\delta) - 6nd/E$.",
              served.concentrated,
              (IdentityCheck("concentrated-profit", r"$\pi(n, d, t^*)$ equals "
                             r"$m^2/(4\delta) - 6nd/E$",
                             objective.subs(t, served.optimum), served.concentrated),)),
    )
    return Derivation(
        ID, "Optimal served tokens", "Proposition", "",
        r"For fixed $n$, $d$ the firm serves $t^* = (\omega f_\gamma(q) - 2n/E)/(2\delta)$ "
        r"tokens when the per-token margin $m = \omega f_\gamma(q) - 2n/E$ is positive, and none "
        r"otherwise.",
        (Assumption("positive", r"$\omega$, $\delta$, $E$, $n$, $d$ are positive (declared "
                    r"with the model's symbols)."),),
        steps, claims,
        statement_math=(sp.Eq(t_star, served.optimum), sp.Eq(margin, served.margin)))
