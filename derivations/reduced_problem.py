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
             r"Kink lemma: solve $a n^\alpha = b d^\beta$ for $d$."),
        Step("margin", sp.Eq(m, reduced.margin), Rule.SUBSTITUTE,
             r"Per-token margin on the kink, $q = a n^\alpha$.", ("frontier",)),
        Step("profit", sp.Eq(Pi, reduced.profit), Rule.SUBSTITUTE,
             r"Concentrate $t$ out ($t = t^*$) and put $d$ on the kink.", ("margin",)),
        Step("foc", sp.Eq(sp.Derivative(Pi, n), reduced.foc_factored), Rule.DIFFERENTIATE,
             r"Product rule; the training cost $6 n \, d(n)/E$ grows at "
             r"$(6/E)(1 + \alpha/\beta) \, d(n)$.",
             ("profit",)),
        Step("peak", sp.Eq(nd, reduced.peak), Rule.SOLVE,
             r"The margin peaks where $m'(n) = 0$; beyond it $\Pi' < 0$, so "
             r"$n^* < n_{\mathrm{peak}}$.", ("margin",)),
        Step("slope-log-concave", sp.Eq(slope_concavity.curvature, slope_concavity.closed),
             Rule.SIMPLIFY, r"In $x = \log n$, $n m' = U - Q$ is a difference of exponentials, "
             r"so $(\log(n m'))'' = -U Q (1 + \alpha\gamma)^2/(n m')^2 < 0$: one half of the "
             r"concavity of $S$; the other half, $\log m$, is checked numerically.", ("margin",)),
        Step("bounded", sp.Gt(gamma, bounded.lower), Rule.SOLVE,
             r"Profit is bounded above iff revenue's growth $n^{-\alpha\gamma}$ does not "
             r"outpace both serving cost $n$ and, squared, training cost $n^{1 + \alpha/\beta}$.",
             ("profit",)),
    )
    claims = (
        Claim("reduced-profit", r"On the kink with $t = t^*$, profit is "
              r"$m^2/(4\delta) - 6 n \, d(n)/E$.", reduced.profit,
              (IdentityCheck("reduction", r"$\pi(n, d(n), t^*(n))$ equals $\Pi(n)$", full,
                             reduced.profit),)),
        Claim("reduced-foc", r"$\Pi'(n) = m m'/(2\delta) - (6/E)(1 + \alpha/\beta) \, d(n)$.",
              reduced.foc_factored,
              (IdentityCheck("foc-factored", r"the closed form against SymPy's derivative of "
                             r"$\Pi$", reduced.foc, reduced.foc_factored),)),
        Claim("margin-peak", r"$m'(n)$ vanishes at "
              r"$n_{\mathrm{peak}} = (\omega \alpha a^{-\gamma} E/2)^{1/(1+\alpha\gamma)}$, "
              r"which bounds $n^*$ from above.", sp.Eq(nd, reduced.peak),
              (IdentityCheck("peak-root", r"$m'(n_{\mathrm{peak}}) = 0$",
                             reduced.margin_slope.subs(n, reduced.peak), sp.Integer(0)),)),
        Claim("soc", r"Where $t^* > 0$ and $n < n_{\mathrm{peak}}$, "
              r"$\log[m \, n m'/(2\delta)] - \log[n \, (6nd/E)']$ is strictly concave in "
              r"$\log n$, so $\Pi$ has one local maximum there and $\Pi'' < 0$ at it.",
              reduced.soc,
              (IdentityCheck("slope-log-concave", r"$k''k - k'^2 = -U Q (1 + \alpha\gamma)^2$ "
                             r"for $k = n m'(n)$ in $\log n$", slope_concavity.curvature,
                             slope_concavity.closed),
               ConcavityCheck("balance-concave", r"$S''(x) < 0$ at 9 points per draw",
                              interior_box(12, 3), 9),
               PrecisionCheck("solver-vs-50-digits", r"float64 root of $S$ vs the 50-digit root "
                              r"of $\partial\pi/\partial\log n$", interior_box(8, 4), 50,
                              1e-11))),
        Claim("bounded-range", r"Profit is bounded above for every positive parameter value iff "
              r"$\gamma > \min(-1/\alpha, -(\alpha+\beta)/(2\alpha\beta))$.",
              sp.Gt(gamma, bounded.lower),
              (IdentityCheck("homogeneous-threshold", r"at $\alpha = \beta$ both thresholds are "
                             r"$-1/\alpha$", bounded.training_threshold.subs(beta, alpha),
                             bounded.serving_threshold),)),
    )
    return Derivation(
        ID, "The reduced one-variable problem", "Proposition", "",
        r"With $d$ on the kink and $t = t^*$, the firm maximizes "
        r"$\Pi(n) = m(n)^2/(4\delta) - 6 n \, d(n)/E$ over $n$ with $m(n) > 0$; the optimum is "
        r"the unique local maximum below $n_{\mathrm{peak}}$.",
        (Assumption("range", r"$\gamma$ lies in the bounded range.",
                    sp.Gt(gamma, bounded.lower)),
         Assumption("exponents", r"$\alpha, \beta > 0$.")),
        steps, claims,
        statement_math=(sp.Eq(Pi, reduced.profit), sp.Eq(sp.Derivative(Pi, n),
                                                          reduced.foc_factored),
                        sp.Gt(gamma, bounded.lower)),
        notes=(r"Inputs with $\gamma$ at or below the bounded-range limit are rejected as input "
               r"errors; at the limit itself boundedness depends on the other parameters.",
               r"The paper's $\gamma \geq -1$ (concave $f_\gamma$) lies inside the bounded range "
               r"when $\alpha < 1$.",))
