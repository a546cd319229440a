"""sigma on the compute-optimal path of the additive law, and its range over all (n, d).

The known result 2/(2 + alpha + beta) and the paper's 0.7622 are typed below only as
labelled reported values; every derived result comes from
:mod:`profitopt.symbolic.substitution`.
"""

from __future__ import annotations

import sympy as sp

from ..models.presets import preset
from ..symbolic.scaling import CES, additive
from ..symbolic.substitution import (between_bounds, c, derive_substitution, input_limits,
                                     path_arm_ratio, s, tokens_at_term_ratio)
from ..symbolic.symbols import A, B, alpha, beta, d, n, r
from .record import (Assumption, Claim, Derivation, ExponentCheck, IdentityCheck,
                     IsoquantCheck, Range, Role, Rule, SignCheck, Step)
from .substitution_elasticity import (CHINCHILLA, CURVATURE, DIGITS, EXPONENTS,
                                      REPORTED_SIGMA_VALUE, SAMPLES, SIGMA, STEP, TOLERANCE,
                                      VALUE_TOLERANCE)

ID = "compute_optimal_sigma"

#: Reported (a known extension of Appendix B): sigma on the compute-optimal path of the
#: additive law.
REPORTED_PATH_SIGMA = 2 / (2 + alpha + beta)

_R = sp.Rational
#: n in [1e6, 1e12] and A, B in [10, 1000] (log-uniform); d set by the ratio c of the two
#: loss terms, c in [1e-6, 1e6]: sigma then spans most of its range between the limits.
WIDE = (Range(n, _R(6), _R(12), True), Range(A, _R(1), _R(3), True),
        Range(B, _R(1), _R(3), True), Range(c, _R(-6), _R(6), True))
#: n alone, for checks on the path (d = d(n)); A, B drawn as above.
ON_PATH = (Range(n, _R(6), _R(12), True), Range(A, _R(1), _R(3), True),
           Range(B, _R(1), _R(3), True))

SIGMA_STAR = sp.Symbol(r"\sigma^{*}", positive=True)


def _isoquant(id_: str, description: str, quality: sp.Expr, sigma: sp.Expr,
              ranges: tuple[Range, ...], seed: int, tokens: sp.Expr) -> IsoquantCheck:
    return IsoquantCheck(id_, description, quality, sigma, ranges, SAMPLES, seed, STEP,
                         DIGITS, TOLERANCE, tokens=tokens)


def derive() -> Derivation:
    """sigma* = sigma(n, d(n)) on the path where 6nd is least at fixed q, at Chinchilla's
    exponents, for the CES family; and sigma's range and monotonicity in s = n^alpha/d^beta."""
    law, ces = additive(), CES()
    sub, ces_sub = derive_substitution(law), derive_substitution(ces)
    quality, ces_quality = law.quality(n, d), ces.quality(n, d)
    e_n, e_d = law.output_elasticities(n, d)
    on_path = path_arm_ratio(law)
    chinchilla = preset(CHINCHILLA)
    fit = {alpha: chinchilla.alpha, beta: chinchilla.beta}
    value = sub.compute_optimal.subs(fit)
    to_d_infinity, to_n_infinity = input_limits(law)
    scaled = {alpha: alpha * r, beta: beta * r}
    wide_tokens = tokens_at_term_ratio(law)
    s_form = sub.in_ratio.subs(s, n**alpha / d**beta)
    steps = (
        Step("frontier", sp.Eq(d, sub.frontier_tokens), Rule.SOLVE,
             r"Minimizing $6nd$ at fixed $q$ gives $d = \lambda q_n$, $n = \lambda q_d$, so "
             r"$n q_n = d q_d$: the output elasticities are equal; solve for $d$."),
        Step("arm-ratio", sp.Eq(s, on_path), Rule.SUBSTITUTE,
             r"On the path $s = n^\alpha/d^\beta$ is a constant, where the two loss terms, "
             r"weighted by their exponents, are equal.", ("frontier",)),
        Step("sigma-in-s", sp.Eq(SIGMA, sub.in_ratio), Rule.SUBSTITUTE,
             r"$\sigma$ depends on $(n, d)$ only through $s$.", ()),
        Step("path-sigma", sp.Eq(SIGMA_STAR, sub.compute_optimal), Rule.SUBSTITUTE,
             r"Put $d = d(n)$ into $\sigma$.", ("frontier", "sigma-in-s")),
        Step("slope", sp.Eq(sp.Derivative(SIGMA, s), sub.slope), Rule.DIFFERENTIATE,
             r"The sign of the slope is that of $\beta - \alpha$.", ("sigma-in-s",)),
        Step("limits", sp.Tuple(sp.Eq(sp.Limit(SIGMA, s, 0), sub.low),
                                sp.Eq(sp.Limit(SIGMA, s, sp.oo), sub.high)), Rule.LIMIT,
             r"Tokens abundant ($s \to 0$) and parameters abundant ($s \to \infty$).",
             ("sigma-in-s",)),
    )
    claims = (
        Claim("path-sigma", r"On the compute-optimal path of the additive law "
              r"$\sigma^* = 2/(2 + \alpha + \beta)$, the same at every compute budget and for "
              r"every $A$, $B$.", sp.Eq(SIGMA_STAR, sub.compute_optimal), (
                  IdentityCheck("equal-elasticities", r"on the derived path "
                                r"$n q_n/q = d q_d/q$", e_n.subs(d, sub.frontier_tokens),
                                e_d.subs(d, sub.frontier_tokens)),
                  IdentityCheck("via-s", r"$\sigma(s)$ at the path's constant $s$ gives the "
                                r"same", sub.in_ratio.subs(s, on_path), sub.compute_optimal),
                  _isoquant("isoquant", r"central differences along isoquants through points "
                            r"of the path, 50 digits", quality, sub.compute_optimal,
                            ON_PATH + EXPONENTS, 13031, sub.frontier_tokens),
                  IdentityCheck("vs-reported", r"the derived $\sigma^*$ equals the reported "
                                r"$2/(2+\alpha+\beta)$", sub.compute_optimal,
                                REPORTED_PATH_SIGMA, Role.REPORTED)),
              reported=REPORTED_PATH_SIGMA,
              reported_text=r"$\sigma^* = 2/(2 + \alpha + \beta)$ on the compute-optimal path "
                            r"(a known extension)"),
        Claim("chinchilla-path", r"At Chinchilla's exponents $0.3392$, $0.2849$ (unaveraged) "
              r"$\sigma^* = 2/2.6241 = 1/1.31205 \approx 0.762166$: the paper's $0.7622$ at "
              r"the averaged exponent is exactly $\sigma$ on the compute-optimal path.",
              sp.Eq(SIGMA_STAR, value), (
                  IdentityCheck("average", r"$2/(2+\alpha+\beta) = 1/(1 + (\alpha+\beta)/2)$: "
                                r"the equal-exponent value at the mean exponent",
                                sub.compute_optimal,
                                sub.equal_exponents.subs(alpha, (alpha + beta) / 2)),
                  _isoquant("isoquant", r"central differences along isoquants through points "
                            r"of the path at the \texttt{hoffmann2022-tex} exponents, 50 digits",
                            quality.subs(fit), value, ON_PATH, 13032,
                            sub.frontier_tokens.subs(fit)),
                  ExponentCheck("vs-reported", r"$\sigma^*$ at $\alpha = 0.3392$, "
                                r"$\beta = 0.2849$ vs the reported $0.7622$ (tolerance "
                                r"$5 \times 10^{-5}$, half a unit in its last digit)",
                                sub.compute_optimal, REPORTED_SIGMA_VALUE,
                                tuple(fit.items()), VALUE_TOLERANCE)),
              reported=sp.Eq(SIGMA_STAR, REPORTED_SIGMA_VALUE),
              reported_text=r"$\sigma \approx 0.7622$ (Appendix B, at the averaged exponent)"),
        Claim("range", r"Over all $(n, d)$, $\sigma$ lies strictly between $1/(1+\beta)$ "
              r"(tokens abundant, $n^\alpha/d^\beta \to 0$) and $1/(1+\alpha)$ (parameters "
              r"abundant, $n^\alpha/d^\beta \to \infty$), monotone in between: increasing in "
              r"$n^\alpha/d^\beta$ if $\beta > \alpha$, decreasing if $\beta < \alpha$, "
              r"constant if equal.", sp.Tuple(sp.Eq(sp.Limit(SIGMA, s, 0), sub.low),
                                              sp.Eq(sp.Limit(SIGMA, s, sp.oo), sub.high)), (
                  IdentityCheck("low-via-d", r"the limit in $s \to 0$ equals $\sigma$'s limit "
                                r"as $d \to \infty$ at fixed $n$", sub.low, to_d_infinity),
                  IdentityCheck("high-via-n", r"the limit in $s \to \infty$ equals $\sigma$'s "
                                r"limit as $n \to \infty$ at fixed $d$", sub.high,
                                to_n_infinity),
                  SignCheck("monotone", r"$(\mathrm{d}\sigma/\mathrm{d}s) / (\beta - \alpha) > 0$",
                            sub.slope / (beta - alpha), 1,
                            subject=r"the slope in $s$ over $\beta - \alpha$"),
                  SignCheck("between-bounds", r"$(\sigma - \frac{1}{1+\beta})(\sigma - "
                            r"\frac{1}{1+\alpha}) / (\alpha - \beta)^2 < 0$",
                            between_bounds(sub.in_ratio, sub.low, sub.high)
                            / (alpha - beta)**2, -1,
                            subject=r"the product of the distances to the two limits"),
                  _isoquant("isoquant", r"$\sigma(s)$ at $s = n^\alpha/d^\beta$ against central "
                            r"differences along isoquants, loss terms within a factor $10^6$, "
                            r"50 digits", quality, s_form, WIDE + EXPONENTS, 13033,
                            wide_tokens))),
        Claim("ces-path", r"On the compute-optimal path of the CES law "
              r"$\sigma^* = 2/(2 + r(\alpha + \beta))$, tending to $0$ as $r \to \infty$.",
              sp.Eq(SIGMA_STAR, ces_sub.compute_optimal), (
                  IdentityCheck("scaled-exponents", r"the additive law's $\sigma^*$ at exponents "
                                r"$\alpha r$, $\beta r$", ces_sub.compute_optimal,
                                sub.compute_optimal.subs(scaled, simultaneous=True)),
                  IdentityCheck("additive-member", r"at $r = 1$ it is the additive law's",
                                ces_sub.compute_optimal.subs(r, 1), sub.compute_optimal),
                  _isoquant("isoquant", r"central differences along isoquants through points "
                            r"of the CES path, $r \in [1/4, 8]$, 50 digits", ces_quality,
                            ces_sub.compute_optimal, ON_PATH + EXPONENTS + CURVATURE, 13034,
                            ces_sub.frontier_tokens))),
    )
    low, high = sorted((sub.low.subs(fit), sub.high.subs(fit)))
    return Derivation(
        ID, "Elasticity of substitution on the compute-optimal path", "Proposition", "",
        r"Where $6nd$ is least at fixed quality, the additive law has "
        r"$\sigma^* = 2/(2 + \alpha + \beta)$; over all $(n, d)$ its $\sigma$ runs "
        r"monotonically between $1/(1+\beta)$ and $1/(1+\alpha)$.",
        (Assumption("law", r"$q = 1/(A n^{-\alpha} + B d^{-\beta})$ (or its CES family), "
                    r"$A, B, \alpha, \beta > 0$.", sp.Eq(sp.Symbol("q"), quality)),
         Assumption("path", r"The compute-optimal path: $6nd$ least at fixed $q$, i.e. "
                    r"$n q_n = d q_d$.")),
        steps, claims,
        notes=(rf"At Chinchilla's exponents ($\alpha = 0.3392$, $\beta = 0.2849$) $\sigma$ "
               rf"ranges over $({float(low):.5f}, {float(high):.5f})$ with $(n, d)$ and is "
               rf"${float(value):.6f}$ on the compute-optimal path.",
               r"Near the limits the checks stop at loss terms within a factor $10^6$ of "
               r"each other: further out the isoquant through $(n, d)$ has no point at "
               r"$n e^{-h}$ in 50 digits."),
        statement_math=(sp.Eq(SIGMA_STAR, sub.compute_optimal), sp.Eq(SIGMA, sub.in_ratio)))
