"""Appendix B: the elasticity of substitution between parameters and tokens.

The paper's formula for the additive law, its value 1/(1 + alpha) at alpha = beta and
0.7622 at the averaged Chinchilla exponent are typed below only as labelled reported
values; every derived result comes from :mod:`profitopt.symbolic.substitution`.
"""

from __future__ import annotations

import sympy as sp

from ..models.presets import preset
from ..symbolic.scaling import CES, additive
from ..symbolic.substitution import (between_bounds, c, derive_substitution, leontief_limit,
                                     tokens_at_term_ratio)
from ..symbolic.symbols import A, B, alpha, beta, d, n, r
from .record import (Assumption, Claim, Derivation, ExponentCheck, IdentityCheck,
                     IsoquantCheck, Range, Role, Rule, SignCheck, Step)

ID = "substitution_elasticity"

#: Reported (Appendix B): sigma of the additive law q = 1/(A n^-alpha + B d^-beta).
REPORTED_SIGMA = (A * alpha * d**beta + B * beta * n**alpha) / (
    A * alpha * (beta + 1) * d**beta + (alpha + 1) * B * beta * n**alpha)
#: Reported (Appendix B): sigma at alpha = beta.
REPORTED_EQUAL_EXPONENTS = 1 / (1 + alpha)
#: Reported (Appendix B): Chinchilla's alpha = 0.3392 and beta = 0.2849 averaged (5 digits).
REPORTED_AVERAGE_EXPONENT = sp.Rational("0.31205")
#: Reported (Appendix B): sigma at the averaged exponent, 4 digits.
REPORTED_SIGMA_VALUE = sp.Rational("0.7622")
#: Half a unit in the last reported digit of 0.7622: the reported value's own rounding.
VALUE_TOLERANCE = sp.Rational(1, 20000)
#: Reported (Appendix B): "Leontief is the sigma = 0 limit".
REPORTED_LEONTIEF = sp.Integer(0)
#: Where Chinchilla's exponents come from: the preset at the paper's TeX precision.
CHINCHILLA = "hoffmann2022-tex"

#: Numeric isoquant checks: step h, digits, absolute tolerance on sigma (sigma is in
#: (0, 1]); the difference quotient's error is O(h^2) ~ 1e-30 and its rounding
#: 10^-50 / h ~ 1e-35, so 1e-20 leaves ten orders of margin.
STEP = sp.Rational(1, 10**15)
DIGITS = 50
TOLERANCE = sp.Rational(1, 10**20)
SAMPLES = 12

_R = sp.Rational
#: n in [1e6, 1e12], d in [1e8, 1e14], A, B in [10, 1000] (log-uniform); exponents in
#: [0.1, 0.5] (uniform); CES curvature r in [1/4, 8].
POINTS = (Range(n, _R(6), _R(12), True), Range(d, _R(8), _R(14), True),
          Range(A, _R(1), _R(3), True), Range(B, _R(1), _R(3), True))
EXPONENTS = (Range(alpha, _R(1, 10), _R(1, 2)), Range(beta, _R(1, 10), _R(1, 2)))
CURVATURE = (Range(r, _R(1, 4), _R(8)),)
#: Large r, for the approach to Leontief.
LARGE_CURVATURE = (Range(r, _R(16), _R(64)),)
#: For the CES law d is not drawn but set by the ratio c = A n^(-alpha r) / (B d^(-beta r))
#: of the two loss terms, c in [1e-4, 1e4]: independent draws of n and d at large r put
#: one term 10^40 times the other, where the isoquant has no point at n e^(-h).
BALANCED = (Range(n, _R(6), _R(12), True), Range(A, _R(1), _R(3), True),
            Range(B, _R(1), _R(3), True), Range(c, _R(-4), _R(4), True))

SIGMA = sp.Symbol("sigma", positive=True)


def _isoquant(id_: str, description: str, quality: sp.Expr, sigma: sp.Expr,
              ranges: tuple[Range, ...], seed: int, tokens: sp.Expr | None = None
              ) -> IsoquantCheck:
    return IsoquantCheck(id_, description, quality, sigma, ranges, SAMPLES, seed, STEP,
                         DIGITS, TOLERANCE, tokens=tokens)


def derive() -> Derivation:
    """sigma of the additive law, at alpha = beta, at the averaged Chinchilla exponent, and
    for the CES family with its Leontief limit."""
    law, ces = additive(), CES()
    sub, ces_sub = derive_substitution(law), derive_substitution(ces)
    quality, ces_quality = law.quality(n, d), ces.quality(n, d)
    chinchilla = preset(CHINCHILLA)
    average = (chinchilla.alpha + chinchilla.beta) / 2
    value = sub.equal_exponents.subs(alpha, average)
    limit = leontief_limit(ces)
    scaled = {alpha: alpha * r, beta: beta * r}
    balanced = tokens_at_term_ratio(ces)
    steps = (
        Step("definition", sp.Eq(SIGMA, sp.Derivative(sp.log(d / n), sp.Symbol("m"))),
             Rule.DEFINE, r"Along an isoquant $q(n, d) = \mathrm{const}$, $\sigma$ is the "
             r"rate at which $\log(d/n)$ turns with $m = \log(q_n/q_d)$; for two inputs "
             r"the direct, Allen and Hicks elasticities coincide."),
        Step("closed-form", sp.Eq(SIGMA, sub.sigma), Rule.DIFFERENTIATE,
             r"Differentiate $q = 1/(A n^{-\alpha} + B d^{-\beta})$ twice: "
             r"$\sigma = q_n q_d (n q_n + d q_d) / (n d (2 q_n q_d q_{nd} - q_n^2 q_{dd} "
             r"- q_d^2 q_{nn}))$.", ("definition",)),
        Step("equal-exponents", sp.Eq(SIGMA, sub.equal_exponents), Rule.SUBSTITUTE,
             r"Set $\beta = \alpha$: $\sigma$ no longer depends on $n$, $d$, $A$, $B$.",
             ("closed-form",)),
        Step("ces", sp.Eq(SIGMA, ces_sub.sigma), Rule.DIFFERENTIATE,
             r"The same for $q = (A n^{-\alpha r} + B d^{-\beta r})^{-1/r}$; it is the "
             r"additive law's $\sigma$ with $\alpha r$, $\beta r$ for $\alpha$, $\beta$, as "
             r"$q^{r}$ is the additive law in those exponents and $\sigma$ depends only on "
             r"the isoquants.", ("definition",)),
        Step("leontief", sp.Eq(sp.Limit(SIGMA, r, sp.oo), limit), Rule.LIMIT,
             r"$\sigma$ lies between $1/(1 + \alpha r)$ and $1/(1 + \beta r)$ at every "
             r"$(n, d)$, and both tend to $0$.", ("ces",)),
    )
    claims = (
        Claim("closed-form", r"For the additive law the elasticity of substitution between "
              r"$n$ and $d$ is the ratio below; it varies with $(n, d)$ unless "
              r"$\alpha = \beta$.", sp.Eq(SIGMA, sub.sigma), (
                  IdentityCheck("two-routes", r"the closed form from second derivatives "
                                r"equals $\sigma$ from its isoquant definition",
                                sub.sigma, sub.by_definition),
                  _isoquant("isoquant", r"central differences along isoquants at 50 digits "
                            r"match the closed form", quality, sub.sigma,
                            POINTS + EXPONENTS, 13021),
                  IdentityCheck("vs-reported", r"the derived closed form equals the reported "
                                r"formula", sub.sigma, REPORTED_SIGMA, Role.REPORTED)),
              reported=REPORTED_SIGMA,
              reported_text=r"$\sigma = (A\alpha d^\beta + B\beta n^\alpha) / (A\alpha(\beta+1)"
                            r"d^\beta + (\alpha+1)B\beta n^\alpha)$ (Appendix B)"),
        Claim("equal-exponents", r"At $\alpha = \beta$, $\sigma = 1/(1 + \alpha)$ at every "
              r"$(n, d)$ and for every $A$, $B$.", sp.Eq(SIGMA, sub.equal_exponents), (
                  _isoquant("isoquant", r"central differences along isoquants of the law with "
                            r"$\beta = \alpha$ at 50 digits", quality.subs(beta, alpha),
                            sub.equal_exponents, POINTS + EXPONENTS[:1], 13022),
                  IdentityCheck("vs-reported", r"the derived value equals the reported "
                                r"$1/(1+\alpha)$", sub.equal_exponents,
                                REPORTED_EQUAL_EXPONENTS, Role.REPORTED)),
              reported=REPORTED_EQUAL_EXPONENTS,
              reported_text=r"$\sigma = 1/(1+\alpha)$ when $\alpha = \beta$ (Appendix B)"),
        Claim("chinchilla", r"Chinchilla's exponents $0.3392$ and $0.2849$ average to "
              r"$0.31205$, where $\sigma = 1/1.31205 \approx 0.762166$.",
              sp.Eq(SIGMA, value), (
                  IdentityCheck("average", r"the mean of the preset's exponents "
                                r"(\texttt{hoffmann2022-tex}) equals the reported $0.31205$",
                                average, REPORTED_AVERAGE_EXPONENT, Role.REPORTED),
                  _isoquant("isoquant", r"central differences along isoquants at "
                            r"$\alpha = \beta = 0.31205$, 50 digits",
                            quality.subs({alpha: average, beta: average}), value,
                            POINTS, 13023),
                  ExponentCheck("vs-reported", r"$1/(1+\alpha)$ at the averaged exponent vs the "
                                r"reported $0.7622$ (4 digits: tolerance half a unit in the "
                                r"last digit, $5 \times 10^{-5}$)", sub.equal_exponents,
                                REPORTED_SIGMA_VALUE, ((alpha, average),), VALUE_TOLERANCE)),
              reported=sp.Eq(SIGMA, REPORTED_SIGMA_VALUE),
              reported_text=r"$\sigma \approx 0.7622$ at $\alpha = \beta = 0.31205$ "
                            r"(Appendix B)"),
        Claim("ces", r"For the CES family $q = (A n^{-\alpha r} + B d^{-\beta r})^{-1/r}$, "
              r"$\sigma$ is the additive law's with exponents $\alpha r$, $\beta r$; "
              r"$r = 1$ gives the additive law's.", sp.Eq(SIGMA, ces_sub.sigma), (
                  IdentityCheck("two-routes", r"second derivatives vs the isoquant "
                                r"definition", ces_sub.sigma, ces_sub.by_definition),
                  IdentityCheck("scaled-exponents", r"equals the additive law's $\sigma$ at "
                                r"exponents $\alpha r$, $\beta r$", ces_sub.sigma,
                                sub.sigma.subs(scaled, simultaneous=True)),
                  IdentityCheck("additive-member", r"at $r = 1$ it is the additive law's",
                                ces_sub.sigma.subs(r, 1), sub.sigma),
                  _isoquant("isoquant", r"central differences along isoquants of the CES law, "
                            r"$r \in [1/4, 8]$, loss terms within a factor $10^4$, 50 digits",
                            ces_quality, ces_sub.sigma, BALANCED + EXPONENTS + CURVATURE, 13024,
                            balanced))),
        Claim("ces-equal-exponents", r"At $\alpha = \beta$ the CES law has "
              r"$\sigma = 1/(1 + \alpha r)$ at every $(n, d)$.",
              sp.Eq(SIGMA, ces_sub.equal_exponents), (
                  IdentityCheck("scaled-exponents", r"the additive law's $1/(1+\alpha)$ at "
                                r"exponent $\alpha r$", ces_sub.equal_exponents,
                                sub.equal_exponents.subs(alpha, alpha * r)),
                  _isoquant("isoquant", r"central differences along isoquants of the CES law "
                            r"with $\beta = \alpha$, 50 digits", ces_quality.subs(beta, alpha),
                            ces_sub.equal_exponents, BALANCED + EXPONENTS[:1] + CURVATURE,
                            13025, balanced.subs(beta, alpha)))),
        Claim("leontief-limit", r"As $r \to \infty$ (with $A = a^{-r}$, $B = b^{-r}$ the "
              r"Leontief law) $\sigma \to 0$ at every $(n, d)$: $\sigma$ lies between "
              r"$1/(1+\alpha r)$ and $1/(1+\beta r)$ whatever $A$ and $B$ are.",
              sp.Eq(sp.Limit(SIGMA, r, sp.oo), limit), (
                  SignCheck("between-bounds", r"$(\sigma - \frac{1}{1+\beta r})(\sigma - "
                            r"\frac{1}{1+\alpha r}) / (\alpha - \beta)^2 < 0$",
                            between_bounds(ces_sub.in_ratio, ces_sub.low, ces_sub.high)
                            / (alpha - beta)**2, -1,
                            subject=r"the product of the distances to the two bounds"),
                  _isoquant("isoquant", r"central differences along isoquants of the CES law "
                            r"at $r \in [16, 64]$, loss terms within a factor $10^4$, 50 digits",
                            ces_quality, ces_sub.sigma, BALANCED + EXPONENTS + LARGE_CURVATURE,
                            13026, balanced),
                  IdentityCheck("vs-reported", r"the limit equals the reported Leontief value "
                                r"$\sigma = 0$", limit, REPORTED_LEONTIEF, Role.REPORTED)),
              reported=sp.Eq(sp.Symbol("sigma"), REPORTED_LEONTIEF),  # sigma >= 0 here
              reported_text=r"Leontief is the $\sigma = 0$ limit (Appendix B)"),
    )
    return Derivation(
        ID, "Elasticity of substitution of the additive law", "Proposition", "Appendix B",
        r"For $q = 1/(A n^{-\alpha} + B d^{-\beta})$ the elasticity of substitution between "
        r"parameters and tokens is a ratio of $A\alpha d^\beta$ and $B\beta n^\alpha$ terms, "
        r"$1/(1+\alpha)$ at $\alpha = \beta$ and about $0.7622$ at Chinchilla's averaged "
        r"exponent: parameters and tokens are complements.  The CES family has the same "
        r"form with exponents $\alpha r$, $\beta r$, and $\sigma \to 0$ (Leontief) as "
        r"$r \to \infty$.",
        (Assumption("law", r"Quality is the additive law inverted, "
                    r"$q = 1/(A n^{-\alpha} + B d^{-\beta})$, or its CES family with $r > 0$; "
                    r"$A, B, \alpha, \beta > 0$.", sp.Eq(sp.Symbol("q"), quality)),
         Assumption("definition", r"$\sigma = \mathrm{d}\log(d/n) / \mathrm{d}\log(q_n/q_d)$ "
                    r"along an isoquant (direct elasticity; equal to Allen's and Hicks's for "
                    r"two inputs).")),
        steps, claims,
        notes=(r"The average $0.31205$ is of Chinchilla's exponents; with the unaveraged "
               r"exponents $\sigma$ varies with $(n, d)$ between $1/1.3392$ and $1/1.2849$, "
               r"and on the compute-optimal path it equals $2/(2 + \alpha + \beta)$, which is "
               r"exactly $1/(1 + 0.31205)$ (record \texttt{compute\_optimal\_sigma}).",),
        statement_math=(sp.Eq(SIGMA, sub.sigma), sp.Eq(SIGMA, ces_sub.sigma)))
