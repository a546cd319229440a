"""Over-training: inference demand tilts the optimum from the compute-optimal path.

For any smooth law the first-order conditions of the concentrated problem give, at an
interior producing optimum, n q_n/(d q_d) = 1 + t*/(3d*): one plus inference compute
2nt* over training compute 6nd*.  At t* = 0 this is the compute-optimal path (equal output
elasticities); for the additive law it solves to d*/n* = rho_c(n*) (1 + t*/(3d*))^(1/beta).
"""

from __future__ import annotations

import sympy as sp

from ..models.presets import preset
from ..symbolic.optimality import derive_served_tokens
from ..symbolic.overtraining import (COMPUTE_RATIO, GENERIC_QUALITY,
                                     derive_overtraining_relation,
                                     derive_tokens_per_parameter, elasticity_ratio)
from ..symbolic.scaling import CES
from ..symbolic.symbols import A, B, E, alpha, beta, d, delta, gamma, n, omega, r, t
from ..symbolic.variants import model_named
from .record import (Assumption, Box, Claim, Derivation, IdentityCheck, OptimumRelationCheck,
                     Range, Rule, SignCheck, Step)

ID = "overtraining"

#: The preset whose coefficients the numeric checks use (exact rationals).
PRESET = "hoffmann2022"
#: Relative residual allowed at the 50-digit optima: the optimizer's residuals are below
#: 10^-40, so 10^-30 leaves ten digits of margin and still rejects any relation that is
#: off by a term of relative size t*/(3d*) (at least 10^-6 in these draws).
RTOL = 1e-30
DPS = 50
SAMPLES, SEED = 8, 13

R = sp.Rational


def market_box(samples: int = SAMPLES, seed: int = SEED, name: str = PRESET) -> Box:
    """The preset's A, B, alpha, beta (exact); gamma in [-1, 1/2]; log10 omega in [-1, 1],
    log10 delta in [-20, -10], log10 E in [14, 24]: optima with t*/(3d*) from ~1e-10 to ~1e-1."""
    law = preset(name)
    fixed = tuple(Range(s, v, v) for s, v in ((A, law.A), (B, law.B), (alpha, law.alpha),
                                                 (beta, law.beta)))
    return Box((*fixed, Range(gamma, R(-1), R(1, 2)), Range(omega, R(-1), R(1), True),
                Range(delta, R(-20), R(-10), True), Range(E, R(14), R(24), True)),
               samples, seed, "producing")


def _full_objective_ratio() -> sp.Expr:
    """n q_n/(d q_d) from d pi/dn = d pi/dd = 0 of the full objective pi(n, d, t) (t kept):
    the second derivation, without concentrating t out."""
    model = model_named("additive")
    objective = model.objective_at_quality(n, d, t, GENERIC_QUALITY)
    solved = [sp.solve(sp.diff(objective, v), sp.Derivative(GENERIC_QUALITY, v))[0]
              for v in (n, d)]
    return sp.simplify(n * solved[0] / (d * solved[1]))


def derive() -> Derivation:
    """The relation, its t* = 0 limit, the additive closed form and its direction."""
    model = model_named("additive")
    relation = derive_overtraining_relation(model)
    law = model.law
    per = derive_tokens_per_parameter(law)
    ces = derive_tokens_per_parameter(CES())
    ratio_law = elasticity_ratio(law)
    kappa = COMPUTE_RATIO
    ratio_symbol = sp.Symbol(r"\frac{n q_n}{d q_d}")
    served = derive_served_tokens(model)
    box = market_box()
    kappa_at = t / (3 * d)

    steps = (
        Step("served", sp.Eq(t, served.optimum), Rule.SOLVE,
             r"$\partial\pi/\partial t = 0$: served tokens at fixed quality."),
        Step("concentrated", sp.Eq(sp.Symbol(r"\Pi"), relation.concentrated), Rule.SUBSTITUTE,
             r"Profit at $t = t^*$, with $q = q(n, d)$ any smooth law.", ("served",)),
        Step("focs", sp.Tuple(*(sp.Eq(f, 0) for f in relation.focs)), Rule.DIFFERENTIATE,
             r"The conditions $\partial\Pi/\partial n = \partial\Pi/\partial d = 0$.",
             ("concentrated",)),
        Step("eliminate", sp.Eq(model.omega, relation.omega_at_optimum), Rule.SOLVE,
             r"$t = t^*(q)$ solved for $\omega$: the margin becomes $2\delta t$.", ("served",)),
        Step("ratio", sp.Eq(ratio_symbol, relation.ratio), Rule.SOLVE,
             r"Both conditions are linear in $q_n$, $q_d$; their ratio is free of $f$, "
             r"$\omega$, $\delta$ and $E$.", ("focs", "eliminate")),
        Step("additive", sp.Eq(ratio_symbol, ratio_law), Rule.DIFFERENTIATE,
             r"Output elasticities of the additive law $q = 1/(A n^{-\alpha} + B d^{-\beta})$."),
        Step("closed-form", sp.Eq(d / n, per.compute_optimal_ratio * per.factor), Rule.SOLVE,
             r"$\alpha A n^{-\alpha}/(\beta B d^{-\beta}) = 1 + \kappa$ solved for $d$, with "
             r"$\kappa = t^*/(3d^*)$.", ("ratio", "additive")),
    )
    relation_claim = Claim(
        "relation", r"At an interior producing optimum, for any smooth law, "
        r"$n q_n/(d q_d) = 1 + t^*/(3d^*)$: one plus inference compute $2nt^*$ over "
        r"training compute $6nd^*$.", sp.Eq(ratio_symbol, relation.ratio),
        (IdentityCheck("compute-ratio", r"the ratio minus one is $2nt/(6nd)$ from the cost "
                       "terms", relation.ratio - 1, relation.compute_ratio),
         IdentityCheck("full-objective", r"the same ratio from $\partial\pi/\partial n = "
                       r"\partial\pi/\partial d = 0$ of the full objective (t not "
                       "concentrated out)", relation.ratio, _full_objective_ratio()),
         OptimumRelationCheck("numeric-optimum", r"the additive law's "
                              r"$\alpha A n^{-\alpha}/(\beta B d^{-\beta})$ equals "
                              r"$1 + t^*/(3d^*)$ at independent 50-digit optima "
                              f"({PRESET} coefficients)", ratio_law, 1 + kappa_at, box, DPS,
                              RTOL)))
    limit_claim = Claim(
        "compute-optimal-limit", r"At $t^* = 0$ the relation is the compute-optimal path: "
        r"equal output elasticities.", sp.Eq(ratio_symbol, relation.compute_optimal),
        (IdentityCheck("limit-one", r"$\lim_{t \to 0} n q_n/(d q_d) = 1$",
                       relation.compute_optimal, sp.S.One),
         IdentityCheck("frontier-equal", r"the additive law's frontier $d_c(n)$ has ratio 1",
                       ratio_law.subs(d, per.compute_optimal), sp.S.One)))
    closed_claim = Claim(
        "additive-closed-form", r"Additive law: $d^*/n^* = \rho_c(n^*) (1 + t^*/(3d^*))^{1/\beta}$, "
        r"$\rho_c(n) = d_c(n)/n$ the compute-optimal tokens per parameter at the same $n$; "
        r"at the same $d^*$ the model is smaller by $(1 + t^*/(3d^*))^{-1/\alpha}$.",
        sp.Eq(d / n, per.compute_optimal_ratio * per.factor),
        (IdentityCheck("solves-relation", r"$d(n, \kappa)$ puts the ratio at $1 + \kappa$",
                       ratio_law.subs(d, per.tokens), 1 + kappa),
         IdentityCheck("factor", r"$d(n, \kappa)/d_c(n) = (1 + \kappa)^{1/\beta}$",
                       per.factor, (1 + kappa) ** (1 / beta)),
         IdentityCheck("size-factor", r"$n(d, \kappa)/n_c(d) = (1 + \kappa)^{-1/\alpha}$",
                       per.size_factor, (1 + kappa) ** (-1 / alpha)),
         IdentityCheck("ces-at-r-1", r"the CES family's factor $(1 + \kappa)^{1/(\beta r)}$ "
                       r"is the additive one at $r = 1$", ces.factor.subs(r, 1), per.factor),
         OptimumRelationCheck("numeric-closed-form", r"$d^*/n^*$ of the 50-digit optima equals "
                              r"$\rho_c(n^*)(1 + t^*/(3d^*))^{1/\beta}$", d / n,
                              per.ratio.subs(kappa, kappa_at), box, DPS, RTOL)))
    direction_claim = Claim(
        "direction", r"More served tokens per training token means more tokens per parameter "
        r"than compute-optimal: $\partial \log(d/n)/\partial\kappa = 1/(\beta(1+\kappa)) > 0$ "
        r"at fixed $n$.", sp.Eq(sp.Symbol(r"\partial_\kappa \log(d/n)"), per.slope),
        (SignCheck("slope-positive", r"$\partial_\kappa \log(d/n) > 0$", per.slope, 1,
                   subject="the slope of tokens per parameter in $\\kappa$"),
         SignCheck("smaller-model", r"$\partial_\kappa \log(n/n_c) < 0$ at fixed $d$",
                   sp.diff(sp.log(per.size_factor), kappa), -1)))
    return Derivation(
        ID, "Inference demand means over-training", "Proposition", "",
        r"For any smooth law, at an interior producing optimum $n q_n/(d q_d) = "
        r"1 + t^*/(3d^*)$; the compute-optimal path is its $t^* = 0$ case, and for the "
        r"additive law $d^*/n^* = \rho_c(n^*)(1 + t^*/(3d^*))^{1/\beta}$ grows with $t^*/d^*$.",
        (Assumption("smooth", r"$q(n, d)$ is differentiable with $q_n, q_d > 0$."),
         Assumption("interior", r"The optimum is interior and producing: $n^*, d^*, t^* > 0$, "
                    r"no cap binds.")),
        steps, (relation_claim, limit_claim, closed_claim, direction_claim),
        notes=(rf"Numeric checks: {box.samples} draws (seed {box.seed}) with the "
               rf"\texttt{{{PRESET}}} coefficients read exactly, $\gamma \in [-1, 1/2]$, "
               r"$\log_{10}\omega \in [-1, 1]$, $\log_{10}\delta \in [-20, -10]$, "
               r"$\log_{10}E \in [14, 24]$; each optimum solves the first-order conditions "
               r"of the full objective at 50 digits (mpmath), independently of the relation.",),
        statement_math=(sp.Eq(ratio_symbol, relation.ratio),),
        model="additive")
