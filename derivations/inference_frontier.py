"""Sardana et al. 2024 ("Beyond Chinchilla-Optimal"): the inference-aware frontier.

Least lifetime compute 6nd + 2nT at fixed quality q and lifetime inference tokens T.  Its
Lagrange conditions give n q_n/(d q_d) = 1 + T/(3d); for the CES family (r = 1: additive)
implicit differentiation at fixed q gives dn/dT < 0 and dd/dT > 0.  The profit-maximizing
firm lies on this frontier at its own (q*, t*).
"""

from __future__ import annotations

import sympy as sp

from ..symbolic.inference_frontier import (LIFETIME_TOKENS, MULTIPLIER, TARGET_QUALITY,
                                           derive_frontier_conditions,
                                           derive_frontier_statics, lifetime_compute)
from ..symbolic.overtraining import GENERIC_QUALITY, derive_overtraining_relation
from ..symbolic.scaling import CES, additive
from ..symbolic.symbols import A, d, n, t
from ..symbolic.variants import model_named
from .overtraining import DPS, market_box
from .record import (Assumption, Claim, Derivation, FrontierOptimumCheck, IdentityCheck,
                     Rule, SignCheck, Step)

ID = "inference_frontier"

#: Relative distance allowed between the frontier's (n, d) at (q*, t*) and (n*, d*): both
#: are solved to residuals below 10^-40 at 50 digits; 10^-30 leaves ten digits of margin.
RTOL = 1e-30


def derive() -> Derivation:
    """The frontier's conditions, its comparative statics in T, and the firm on it."""
    T = LIFETIME_TOKENS
    frontier = derive_frontier_conditions()
    profit_relation = derive_overtraining_relation(model_named("additive"))
    statics = {"additive": derive_frontier_statics(additive()),
               "ces": derive_frontier_statics(CES())}
    ratio_symbol = sp.Symbol(r"\frac{n q_n}{d q_d}")
    slope_n, slope_d = sp.Symbol(r"\frac{dn}{dT}"), sp.Symbol(r"\frac{dd}{dT}")
    add = statics["additive"]
    steps = (
        Step("lagrangian", sp.Eq(sp.Symbol("L"), frontier.lagrangian), Rule.DEFINE,
             r"Lifetime compute $6nd + 2nT$ with the quality constraint $q(n, d) = \bar q$."),
        Step("conditions", sp.Tuple(*(sp.Eq(c, 0) for c in frontier.conditions)),
             Rule.DIFFERENTIATE, r"$\partial L/\partial n = \partial L/\partial d = "
             r"\partial L/\partial\lambda = 0$.", ("lagrangian",)),
        Step("multiplier", sp.Eq(MULTIPLIER, frontier.multiplier), Rule.SOLVE,
             r"From $\partial L/\partial d = 0$.", ("conditions",)),
        Step("tangency", sp.Eq(ratio_symbol, frontier.ratio), Rule.SOLVE,
             r"$\lambda$ substituted into $\partial L/\partial n = 0$.",
             ("conditions", "multiplier")),
        Step("system", sp.Tuple(*(sp.Eq(g, 0) for g in add.system)), Rule.SUBSTITUTE,
             r"Additive law: the constraint and the tangency as $G_1 = G_2 = 0$.",
             ("tangency",)),
        Step("implicit", sp.Tuple(sp.Eq(slope_n, add.size_slope_signed),
                                  sp.Eq(slope_d, add.token_slope_signed)), Rule.DIFFERENTIATE,
             r"$J\,(dn/dT, dd/dT)^{\mathrm{T}} = -\partial G/\partial T$ by Cramer's rule, with $A$ "
             r"eliminated through $G_2 = 0$.", ("system",)),
    )
    conditions_claim = Claim(
        "conditions", r"On the frontier $n q_n/(d q_d) = 1 + T/(3d)$, with "
        r"$\lambda = 6n/q_d$.", sp.Eq(ratio_symbol, frontier.ratio),
        (IdentityCheck("tangency", r"the ratio is $1 + T/(3d)$", frontier.ratio,
                       1 + T / (3 * d)),
         IdentityCheck("same-as-profit", r"it is the profit optimum's relation with "
                       r"$T = t^*$", frontier.ratio, profit_relation.ratio.subs(t, T)),
         IdentityCheck("constraint", r"$\partial L/\partial\lambda = 0$ is the quality "
                       "constraint", frontier.conditions[2], TARGET_QUALITY - GENERIC_QUALITY),
         IdentityCheck("compute", r"the objective is the model's training plus inference "
                       "FLOPs", lifetime_compute(), 6 * n * d + 2 * n * T)))
    finding_checks = []
    for name, value in statics.items():
        finding_checks += [
            SignCheck(f"size-{name}", rf"{name}: $dn/dT < 0$ at fixed $q$",
                      value.size_slope_signed, -1, subject=r"$dn/dT$"),
            SignCheck(f"tokens-{name}", rf"{name}: $dd/dT > 0$ at fixed $q$",
                      value.token_slope_signed, 1, subject=r"$dd/dT$"),
            IdentityCheck(f"cramer-{name}", rf"{name}: the signed form equals Cramer's "
                          r"$dn/dT$ on $G_2 = 0$",
                          value.size_slope.subs(A, value.eliminated),
                          value.size_slope_signed)]
    finding_claim = Claim(
        "finding", r"Sardana et al.'s finding, for the additive and the CES law: at fixed "
        r"quality, more lifetime inference $T$ means a smaller model trained on more tokens "
        r"($dn/dT < 0$, $dd/dT > 0$).",
        sp.Tuple(sp.Eq(slope_n, add.size_slope_signed), sp.Eq(slope_d, add.token_slope_signed)),
        tuple(finding_checks),
        reported_text=r"smaller models trained on more data when inference demand is large "
                      r"(Sardana et al. 2024)")
    box = market_box(6, 17)
    firm_claim = Claim(
        "firm-on-frontier", r"The profit-maximizing firm lies on the frontier at its own "
        r"$(q^*, t^*)$: the frontier solved at $\bar q = q^*$, $T = t^*$ returns "
        r"$(n^*, d^*)$.", sp.Eq(ratio_symbol, frontier.ratio.subs(T, t)),
        (FrontierOptimumCheck("frontier-at-optimum", r"frontier at $(q^*, t^*)$ vs the profit "
                              "optimum, both at 50 digits, independently solved", box, DPS,
                              RTOL),))
    return Derivation(
        ID, "The inference-aware frontier", "Proposition", "Sardana et al. 2024",
        r"Minimizing $6nd + 2nT$ at fixed quality gives $n q_n/(d q_d) = 1 + T/(3d)$; for the "
        r"additive and CES laws a larger $T$ means a smaller $n$ and a larger $d$; the "
        r"profit optimum is the frontier's point at $(q^*, t^*)$.",
        (Assumption("smooth", r"$q(n, d)$ is differentiable with $q_n, q_d > 0$."),
         Assumption("fixed", r"Quality $\bar q$ and lifetime inference tokens $T$ are fixed.")),
        steps, (conditions_claim, finding_claim, firm_claim),
        notes=(r"Sardana et al. state the finding for Chinchilla's additive law by numerical "
               r"solution; here it is derived by implicit differentiation, for every CES "
               r"curvature $r > 0$.",
               r"The frontier's numeric solution uses only its definition: $d$ on the "
               r"iso-quality curve as a function of $n$, the cost's slope in $\log n$ "
               r"bracketed and solved (Anderson--Bj\"orck), started from neither optimum."),
        statement_math=(sp.Eq(ratio_symbol, frontier.ratio),),
        model="additive")
