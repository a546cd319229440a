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
    family = demand_link()
    integral = derive_demand_link()
    limit = derive_log_limit()
    slope = derive_demand_slope()
    curvature = derive_demand_curvature()
    stable = stable_demand_link()
    concavity = derive_bounded_range(ProfitModel()).concavity_bound
    steps = (
        Step("density", sp.Eq(sp.Symbol("g(s)"), threshold_density(s)), Rule.DEFINE,
             "Quality thresholds s have power-law density on s >= 1 (floor: a named choice)."),
        Step("integral", sp.Eq(f, sp.Integral(threshold_density(s), (s, THRESHOLD_FLOOR, q))),
             Rule.DEFINE, "Demand at quality q is the mass of consumers whose threshold is met.",
             ("density",)),
        Step("family", sp.Eq(f, integral), Rule.INTEGRATE, "Integrate for gamma != 0.",
             ("integral",)),
        Step("limit", sp.Eq(sp.Limit(family, gamma, 0), limit), Rule.LIMIT,
             "The gamma = 0 member is the limit of the family.", ("family",)),
        Step("slope", sp.Eq(sp.Derivative(f, q), slope), Rule.DIFFERENTIATE,
             "The slope has no singularity at gamma = 0.", ("family",)),
        Step("curvature", sp.Eq(sp.Derivative(f, q, 2), curvature), Rule.DIFFERENTIATE,
             "f is concave exactly when 1 + gamma >= 0.", ("slope",)),
        Step("stable", sp.Eq(f, stable.rewrite("exprel")), Rule.SUBSTITUTE,
             "With L = log q, exprel(z) = (e^z - 1)/z keeps f finite at gamma = 0.", ("family",)),
    )
    claims = (
        Claim("family", "Integrating the threshold density gives f(q) = (1 - q^-gamma)/gamma.",
              integral, (IdentityCheck("family-integral", "integral equals the family",
                                        integral, family),)),
        Claim("log-limit", "The gamma = 0 demand link is log q, the limit of the family.",
              limit,
              (IdentityCheck("limit-is-log", "SymPy limit equals the reported log q",
                             limit, sp.log(q), Role.REPORTED),),
              reported=sp.log(q), reported_text="f(q) = log q for gamma = 0"),
        Claim("stable-form", "L exprel(-gamma L) with L = log q equals the family.",
              stable,
              (IdentityCheck("stable-equals-family", "rewrite exprel to exp and simplify",
                             stable.rewrite("exp"), family),
               IdentityCheck("slope-at-zero", "the slope at gamma = 0 is that of log q",
                             slope.subs(gamma, 0), sp.diff(limit, q)))),
        Claim("concavity", "The paper needs gamma >= -1: exactly where f is concave.",
              concavity,
              (IdentityCheck("concavity-bound", "root of the curvature factor vs reported -1",
                             concavity, sp.Integer(-1), Role.REPORTED),),
              reported=sp.Integer(-1), reported_text="gamma >= -1"),
    )
    return Derivation(
        ID, "Demand link from consumer quality thresholds", "Definition", "",
        "f_gamma(q) = (1 - q^-gamma)/gamma for gamma != 0 and f_0(q) = log q; "
        "f' = q^-(1+gamma) and f is concave iff gamma >= -1.",
        (Assumption("floor", "Thresholds are distributed on [1, infinity) with unit scale "
                    "(named choice: the paper's floor and normalization are not known).",
                    sp.Eq(sp.Symbol("s_{min}"), THRESHOLD_FLOOR)),),
        steps, claims,
        statement_math=(sp.Eq(f, family), sp.Eq(f.subs(gamma, 0), limit),
                        sp.Eq(sp.Derivative(f, q), slope)))
