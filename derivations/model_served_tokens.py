"""Proposition (any model): the optimal served tokens t* at fixed (n, d), for the model's costs.

Built from the model's own parts by :func:`~profitopt.symbolic.optimality.derive_served_tokens`:
its first-order condition in t, its curvature, the root t*, the per-token margin (the
marginal profit of the first token) and profit with t = t*.  Every formula in the text is
SymPy's LaTeX of the derived expression.
"""

from __future__ import annotations

import sympy as sp

from ..symbolic.optimality import derive_served_tokens
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import d, n, q, t
from .record import Assumption, Claim, Derivation, IdentityCheck, Rule, SignCheck, Step
from .text import expression_latex, inline

ID = "model_served_tokens"
TITLE = "Optimal served tokens"


def derive(model: ProfitModel) -> Derivation:
    """t* solves d pi/d t = 0; pi is concave in t; margin = -pi_tt t*;
    pi(t*) = margin^2/(2|pi_tt|) - fixed costs."""
    served = derive_served_tokens(model)
    objective = model.objective_at_quality(n, d, t, q)
    fixed = model.fixed_cost(n, d)
    t_star, margin, profit = sp.Symbol("t^{*}"), sp.Symbol("m"), sp.Symbol("\\pi")
    curvature = expression_latex(served.curvature)
    steps = (
        Step("objective", sp.Eq(profit, objective), Rule.DEFINE,
             "The model's revenue under linear inverse demand less its cost terms, at "
             "quality $q$."),
        Step("foc", sp.Eq(sp.Derivative(profit, t), served.foc), Rule.DIFFERENTIATE,
             r"First-order condition in $t$.", ("objective",)),
        Step("curvature", sp.Eq(sp.Derivative(profit, t, 2), served.curvature),
             Rule.DIFFERENTIATE, r"The curvature in $t$ is free of $t$.", ("foc",)),
        Step("solution", sp.Eq(t_star, served.optimum), Rule.SOLVE,
             r"Solve the first-order condition for $t$ (its only root).", ("foc",)),
        Step("margin", sp.Eq(margin, served.margin), Rule.SUBSTITUTE,
             r"The per-token margin: the marginal profit of the first token ($t = 0$).",
             ("foc",)),
        Step("concentrated", sp.Eq(profit.subs(t, t_star), served.concentrated),
             Rule.SUBSTITUTE, r"Profit at $t = t^*$: the margin's square over twice the "
             r"curvature's magnitude, less the costs free of $t$.", ("solution", "margin")),
    )
    concave = SignCheck("concave-in-t", rf"$\partial^2 \pi/\partial t^2 = {curvature} < 0$",
                        served.curvature, -1, subject=r"the curvature in $t$")
    claims = (
        Claim("t-star", r"$t^*$ solves the first-order condition $\partial\pi/\partial t = 0$ "
              r"and, as $\partial^2\pi/\partial t^2 = " + curvature + r" < 0$, maximizes "
              r"profit in $t$.", served.optimum,
              (IdentityCheck("foc-at-t-star", r"the first-order condition vanishes at $t^*$",
                             served.foc.subs(t, served.optimum), sp.Integer(0)),
               concave)),
        Claim("positive-margin", rf"$m = {expression_latex(-served.curvature)} \, t^*$, so "
              r"$t^* > 0$ iff the per-token margin $m$ is positive.",
              served.margin,
              (IdentityCheck("margin-is-curvature-times-t", r"$m = -(\partial^2\pi/\partial "
                             r"t^2) \, t^*$", served.margin, -served.curvature * served.optimum),
               concave)),
        Claim("concentrated", r"At $t = t^*$, profit is $m^2/(2|\partial^2\pi/\partial t^2|)$ "
              r"less the costs free of $t$, " + inline(fixed, "shown in the proof") + ".",
              served.concentrated,
              (IdentityCheck("concentrated-profit", r"$\pi(n, d, t^*)$ equals the concentrated "
                             r"form", objective.subs(t, served.optimum),
                             served.concentrated),)),
    )
    return Derivation(
        ID, TITLE, "Proposition", "",
        r"For fixed $n$, $d$ the firm serves $t^*$ tokens when the per-token margin $m$ is "
        r"positive, and none otherwise, with",
        (Assumption("positive", r"The model's parameters and $n$, $d$ are positive (declared "
                    r"with its symbols)."),),
        steps, claims,
        statement_math=(sp.Eq(t_star, served.optimum), sp.Eq(margin, served.margin)),
        model=model.name)
