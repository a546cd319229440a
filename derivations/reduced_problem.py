"""Proposition: the problem on the kink in one variable, its FOC, SOC and domain."""

from __future__ import annotations

import sympy as sp

from ..symbolic.domain import derive_bounded_range
from ..symbolic.optimality import (derive_reduced_problem, derive_served_tokens,
                                   derive_slope_log_concavity)
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import alpha, beta, d, gamma, n, q, x
from .boxes import interior_box
from .record import (Assumption, Claim, ConcavityCheck, Derivation, IdentityCheck,
                     PrecisionCheck, Rule, Step)

ID = "reduced_problem"


def derive() -> Derivation:
    """Pi(n) = m^2/(4 delta) - 6 n d(n)/E; Pi' = m m'/(2 delta) - (6/E)(1 + alpha/beta) d(n)."""
    model = ProfitModel()
    reduced = derive_reduced_problem(model)
    served = derive_served_tokens(model)
    bounded = derive_bounded_range(model)
    slope_concavity = derive_slope_log_concavity(model, x)
    Pi, m, nd = sp.Symbol("\\Pi"), sp.Symbol("m"), sp.Symbol("n_{peak}")
    full = model.objective_at_quality(n, reduced.tokens, served.optimum, reduced.quality)
    full = full.subs(q, reduced.quality)
    steps = (
        Step("frontier", sp.Eq(d, reduced.tokens), Rule.SOLVE,
             "Kink lemma: solve a n^alpha = b d^beta for d."),
        Step("margin", sp.Eq(m, reduced.margin), Rule.SUBSTITUTE,
             "Per-token margin on the kink, q = a n^alpha.", ("frontier",)),
        Step("profit", sp.Eq(Pi, reduced.profit), Rule.SUBSTITUTE,
             "Concentrate t out (t = t*) and put d on the kink.", ("margin",)),
        Step("foc", sp.Eq(sp.Derivative(Pi, n), reduced.foc_factored), Rule.DIFFERENTIATE,
             "Product rule; training cost 6 n d(n)/E grows at (6/E)(1 + alpha/beta) d(n).",
             ("profit",)),
        Step("peak", sp.Eq(nd, reduced.peak), Rule.SOLVE,
             "The margin peaks where m'(n) = 0; beyond it Pi' < 0, so n* < n_peak.", ("margin",)),
        Step("slope-log-concave", sp.Eq(slope_concavity.curvature, slope_concavity.closed),
             Rule.SIMPLIFY, "In x = log n, n m' = U - Q is a difference of exponentials, so "
             "(log(n m'))'' = -U Q (1 + alpha gamma)^2/(n m')^2 < 0: one half of the "
             "concavity of S; the other half, log m, is checked numerically.", ("margin",)),
        Step("bounded", sp.Gt(gamma, bounded.lower), Rule.SOLVE,
             "Profit is bounded above iff revenue's growth n^(-alpha gamma) does not outpace "
             "both serving cost n and, squared, training cost n^(1 + alpha/beta).",
             ("profit",)),
    )
    claims = (
        Claim("reduced-profit", "On the kink with t = t*, profit is m^2/(4 delta) - 6 n d(n)/E.",
              reduced.profit,
              (IdentityCheck("reduction", "pi(n, d(n), t*(n)) equals Pi(n)", full,
                             reduced.profit),)),
        Claim("reduced-foc", "Pi'(n) = m m'/(2 delta) - (6/E)(1 + alpha/beta) d(n).",
              reduced.foc_factored,
              (IdentityCheck("foc-factored", "closed form against sp.diff of Pi",
                             reduced.foc, reduced.foc_factored),)),
        Claim("margin-peak", "m'(n) vanishes at n_peak = (omega alpha a^-gamma E/2)^(1/(1+alpha "
              "gamma)), which bounds n* from above.", reduced.peak,
              (IdentityCheck("peak-root", "m'(n_peak) = 0",
                             reduced.margin_slope.subs(n, reduced.peak), sp.Integer(0)),)),
        Claim("soc", "Where t* > 0 and n < n_peak, log[m n m'/(2 delta)] - log[n (6nd/E)'] is "
              "strictly concave in log n, so Pi has one local maximum there and Pi'' < 0 at it.",
              reduced.soc,
              (IdentityCheck("slope-log-concave", "k''k - k'^2 = -U Q (1 + alpha gamma)^2 for "
                             "k = n m'(n) in log n", slope_concavity.curvature,
                             slope_concavity.closed),
               ConcavityCheck("balance-concave", "S''(x) < 0 at 9 points per draw",
                              interior_box(12, 3), 9),
               PrecisionCheck("solver-vs-50-digits", "float64 root of S vs 50-digit root of "
                              "d pi/d log n", interior_box(8, 4), 50, 1e-11))),
        Claim("bounded-range", "Profit is bounded above for every positive parameter value iff "
              "gamma > min(-1/alpha, -(alpha+beta)/(2 alpha beta)).", bounded.lower,
              (IdentityCheck("homogeneous-threshold", "at alpha = beta both thresholds are "
                             "-1/alpha", bounded.training_threshold.subs(beta, alpha),
                             bounded.serving_threshold),)),
    )
    return Derivation(
        ID, "The reduced one-variable problem", "Proposition", "",
        "With d on the kink and t = t*, the firm maximizes Pi(n) = m(n)^2/(4 delta) - "
        "6 n d(n)/E over n with m(n) > 0; the optimum is the unique local maximum below n_peak.",
        (Assumption("range", "gamma lies in the bounded range.", sp.Gt(gamma, bounded.lower)),
         Assumption("exponents", "alpha, beta > 0.", sp.And(sp.Gt(alpha, 0), sp.Gt(beta, 0)))),
        steps, claims,
        statement_math=(sp.Eq(Pi, reduced.profit), sp.Eq(sp.Derivative(Pi, n),
                                                          reduced.foc_factored),
                        sp.Gt(gamma, bounded.lower)),
        notes=("Inputs with gamma at or below the bounded-range limit are rejected as input "
               "errors; at the limit itself boundedness depends on the other parameters.",
               "The paper's gamma >= -1 (concave f) lies inside the bounded range when "
               "alpha < 1.",))
