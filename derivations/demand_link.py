"""Definition: the demand link f_gamma from power-law consumer thresholds."""

from __future__ import annotations

import sympy as sp

from ..symbolic.demand import (THRESHOLD_FLOOR, derive_demand_curvature, derive_demand_link,
                               derive_demand_slope, derive_log_limit, demand_link,
                               stable_demand_link, threshold_density)
from ..symbolic.domain import derive_bounded_range
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import gamma, q
from .record import Assumption, Claim, Derivation, IdentityCheck, Role, Rule, Step

ID = "demand_link"


def derive() -> Derivation:
    """f_gamma(q) = (1 - q^-gamma)/gamma, f_0 = log q, f' = q^-(1+gamma), concave iff gamma >= -1."""
    s = sp.Symbol("s", positive=True)
    f = sp.Function("f_{\\gamma}")(q)
    f0 = sp.Function("f_{0}")(q)
    reported_limit = sp.Eq(f0, sp.log(q))
    reported_concavity = sp.Ge(gamma, -1)
    family = demand_link()
    integral = derive_demand_link()
    limit = derive_log_limit()
    slope = derive_demand_slope()
    curvature = derive_demand_curvature()
    stable = stable_demand_link()
    concavity = derive_bounded_range(ProfitModel()).concavity_bound
    steps = (
        Step("density", sp.Eq(sp.Symbol("g(s)"), threshold_density(s)), Rule.DEFINE,
             r"Quality thresholds $s$ have power-law density on $s \geq 1$ (the floor is a named "
             r"choice)."),
        Step("integral", sp.Eq(f, sp.Integral(threshold_density(s), (s, THRESHOLD_FLOOR, q))),
             Rule.DEFINE, r"Demand at quality $q$ is the mass of consumers whose threshold is met.",
             ("density",)),
        Step("family", sp.Eq(f, integral), Rule.INTEGRATE, r"Integrate for $\gamma \neq 0$.",
             ("integral",)),
        Step("limit", sp.Eq(sp.Limit(family, gamma, 0), limit), Rule.LIMIT,
             r"The $\gamma = 0$ member is the limit of the family.", ("family",)),
        Step("slope", sp.Eq(sp.Derivative(f, q), slope), Rule.DIFFERENTIATE,
             r"The slope has no singularity at $\gamma = 0$.", ("family",)),
        Step("curvature", sp.Eq(sp.Derivative(f, q, 2), curvature), Rule.DIFFERENTIATE,
             r"$f_\gamma$ is concave exactly when $1 + \gamma \geq 0$.", ("slope",)),
        Step("stable", sp.Eq(f, stable.rewrite("exprel")), Rule.SUBSTITUTE,
             r"With $L = \log q$, $\mathrm{exprel}(z) = (e^z - 1)/z$ keeps $f_\gamma$ finite at "
             r"$\gamma = 0$.", ("family",)),
    )
    claims = (
        Claim("family", r"Integrating the threshold density gives "
              r"$f_\gamma(q) = (1 - q^{-\gamma})/\gamma$.",
              integral, (IdentityCheck("family-integral", "the integral equals the family",
                                        integral, family),)),
        Claim("log-limit", r"The $\gamma = 0$ demand link is $\log q$, the limit of the family.",
              sp.Eq(f0, limit),
              (IdentityCheck("limit-is-log", r"SymPy's limit equals the reported $\log q$",
                             limit, reported_limit.rhs, Role.REPORTED),),
              reported=reported_limit, reported_text=r"$f_0(q) = \log q$ for $\gamma = 0$"),
        Claim("stable-form", r"$L \, \mathrm{exprel}(-\gamma L)$ with $L = \log q$ equals the "
              r"family.", sp.Eq(f, stable.rewrite("exprel")),
              (IdentityCheck("stable-equals-family", r"rewrite $\mathrm{exprel}$ with $\exp$ and "
                             r"simplify", stable.rewrite("exp"), family),
               IdentityCheck("slope-at-zero", r"the slope at $\gamma = 0$ is that of $\log q$",
                             slope.subs(gamma, 0), sp.diff(limit, q)))),
        Claim("concavity", r"The paper needs $\gamma \geq -1$: exactly where $f_\gamma$ is "
              r"concave.", sp.Ge(gamma, concavity),
              (IdentityCheck("concavity-bound", r"root of the curvature factor vs the reported "
                             r"$-1$", concavity, reported_concavity.rhs, Role.REPORTED),),
              reported=reported_concavity, reported_text=r"$\gamma \geq -1$"),
    )
    return Derivation(
        ID, "Demand link from consumer quality thresholds", "Definition", "",
        r"$f_\gamma(q) = (1 - q^{-\gamma})/\gamma$ for $\gamma \neq 0$ and $f_0(q) = \log q$; "
        r"$f_\gamma'(q) = q^{-(1+\gamma)}$ and $f_\gamma$ is concave iff $\gamma \geq -1$.",
        (Assumption("floor", r"Thresholds are distributed on $[1, \infty)$ with unit scale "
                    r"(named choice: the paper's floor and normalization are not known).",
                    sp.Eq(sp.Symbol("s_{min}"), THRESHOLD_FLOOR)),),
        steps, claims,
        statement_math=(sp.Eq(f, family), sp.Eq(f0, limit),
                        sp.Eq(sp.Derivative(f, q), slope)))
