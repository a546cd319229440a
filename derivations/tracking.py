"""The abstract's trend claims in E: near-linear tracking and sub-quadratic training cost."""

from __future__ import annotations

import sympy as sp

from ..symbolic.symbols import E, alpha, beta, gamma
from .calibration import COMPUTE_BOUND, growth, point
from .record import (Assumption, Claim, Derivation, ExponentCheck, LocalExponentCheck, Role,
                     Rule, SignCheck, Step)
from .text import number_latex

ID = "tracking"

#: Our reading of "near-linear": an exponent k with |log k| <= log(3/2), i.e. k in
#: [2/3, 3/2] -- closer to linear than to square-root or quadratic growth.
NEAR_LINEAR = sp.log(sp.Rational(3, 2))
NEAR_LINEAR_RANGE = sp.Interval(sp.Rational(2, 3), sp.Rational(3, 2))
QUADRATIC = sp.Integer(2)
#: The abstract's range of gamma for a sub-quadratic training cost.
REPORTED_RANGE = sp.Gt(gamma, -1)
#: The sign cases of gamma, in words for the text.
SHAPE_TEXT = {"negative": r"$\gamma < 0$", "zero": r"$\gamma = 0$", "positive": r"$\gamma > 0$"}


#: Where each branch's E -> infinity law of n* is checked against 50-digit local exponents
#: (log10 E), and to how much: the gamma = 0 law carries (log E)^m and converges like 1/log E.
LIMIT_POINTS = {"negative": ((28, 34, 40), sp.Rational(1, 10**4)),
                "zero": ((40, 60, 80), sp.Rational(1, 200)),
                "positive": ((28, 34, 40), sp.Rational(1, 10**4))}


def _near_linear_checks(shape: str, quantity: str) -> list:
    g, at = growth(shape), point(shape)
    window = g.bound.quantities[quantity].law.exponent
    limit = g.limit.quantities[quantity].law.exponent
    where = rf"${quantity}^*$ at $\gamma = {sp.latex(dict(at)[gamma])}$"
    return [
        ExponentCheck(f"{quantity}-window-{shape}", f"log of the bound exponent of {where}",
                      sp.log(window), sp.S.Zero, at, NEAR_LINEAR),
        ExponentCheck(f"{quantity}-limit-{shape}", rf"log of the $E \to \infty$ exponent of "
                      rf"{where}", sp.log(limit), sp.S.Zero, at, NEAR_LINEAR, Role.TIGHTNESS),
    ]


def _limit_rate_check(shape: str) -> LocalExponentCheck:
    """The branch's E -> infinity law of n* against 50-digit local exponents at large E."""
    law, at = growth(shape).limit.law, point(shape)
    values, tolerance = LIMIT_POINTS[shape]
    return LocalExponentCheck(
        f"n-limit-rate-{shape}", rf"local exponent of $n^*$ at large $E$, "
        rf"$\gamma = {sp.latex(dict(at)[gamma])}$", "n", E, law.exponent, law.log_power, at,
        values, tolerance)


def derive() -> Derivation:
    """Which exponents are near-linear, and for which gamma the spend is sub-quadratic."""
    negative = growth("negative")
    cost_bound = negative.bound.quantities["train_cost"].law.exponent
    (threshold,) = sp.solve(sp.Eq(cost_bound, QUADRATIC), gamma)
    threshold = sp.simplify(threshold)
    at = dict(point("negative"))
    limits = {s: growth(s).limit.quantities["n"].law for s in ("negative", "zero", "positive")}
    k_window = negative.bound.quantities["n"].law.exponent
    near_linear = sp.latex(NEAR_LINEAR_RANGE, fold_short_frac=True)
    homogeneous = sp.latex(limits["zero"].exponent.subs(beta, alpha), fold_short_frac=True)
    steps = (
        Step("cost-bound", sp.Eq(sp.Symbol("k_{C}"), cost_bound), Rule.SUBSTITUTE,
             r"$E$-exponent of $6nd/E$ at $n = n_{\mathrm{peak}}$."),
        Step("quadratic-threshold", sp.Eq(sp.Symbol("\\gamma_{2}"), threshold), Rule.SOLVE,
             r"The bound exponent equals $2$ at $\gamma_2$; above it the spend is "
             r"sub-quadratic.", ("cost-bound",)),
        *(Step(f"limit-{s}", sp.Eq(sp.Symbol(f"k_{{{s}}}"), law.exponent), Rule.SOLVE,
               rf"$E \to \infty$ exponent of $n^*$ for {SHAPE_TEXT[s]} (log power "
               rf"${sp.latex(law.log_power)}$).") for s, law in limits.items()),
    )
    claims = (
        Claim("near-linear", r"Optimal model size and token budget track $E$ at a near-linear "
              r"rate.", sp.Contains(k_window, NEAR_LINEAR_RANGE, evaluate=False),
              (*(c for s in SHAPE_TEXT for q in ("n", "d")
                 for c in _near_linear_checks(s, q)),
               *(_limit_rate_check(s) for s in SHAPE_TEXT)),
              reported=None, reported_text=r"near-linear in $E$", kind="bound",
              window=rf"near-linear (exponent in ${near_linear}$) while inference dominates "
                     rf"($E \ll E_c$); as $E \to \infty$ the exponent of $n^*$ is "
                     rf"${sp.latex(limits['negative'].exponent)}$ for $\gamma < 0$, "
                     rf"${sp.latex(limits['zero'].exponent)}$ at $\gamma = 0$ (${homogeneous}$ "
                     rf"when $\alpha = \beta$, with a $\log E$ factor) and "
                     rf"${sp.latex(limits['positive'].exponent)}$ for $\gamma > 0$"),
        Claim("sub-quadratic", r"Total training cost scales sub-quadratically in $E$ for "
              r"$\gamma > -1$.", sp.Gt(gamma, threshold),
              (SignCheck("threshold-below-minus-one", rf"$\gamma_2 < -1$ at "
                         rf"$\alpha = \beta = {number_latex(at[alpha])}$, so every "
                         rf"$\gamma > -1$ is sub-quadratic", (-1 - threshold).subs(at), 1,
                         Role.REPORTED),
               SignCheck("limit-below-quadratic", rf"$2$ minus the $E \to \infty$ exponent of "
                         rf"the spend at $\gamma = {sp.latex(at[gamma])}$ is positive",
                         (QUADRATIC - negative.limit.quantities["train_cost"].law.exponent
                          ).subs(at), 1, Role.REPORTED),
               LocalExponentCheck("window-cost-rate", r"local exponent of $6nd/E$ in the "
                                  rf"inference-dominated window, $\gamma = {sp.latex(at[gamma])}$",
                                  "train_cost", E, cost_bound, sp.S.Zero, tuple(at.items()),
                                  (2, 4), sp.Rational(1, 100))),
              reported=REPORTED_RANGE, reported_text=r"sub-quadratic for $\gamma > -1$"),
    )
    return Derivation(
        ID, r"Trends in hardware efficiency $E$", "Proposition", "Abstract",
        r"The bound exponents $1/(1+\alpha\gamma)$ are near-linear and the bound on training "
        r"spend is sub-quadratic for $\gamma > \gamma_2$; as $E \to \infty$ the rates are "
        r"slower.",
        (COMPUTE_BOUND,
         Assumption("near-linear", rf"Near-linear means an exponent in ${near_linear}$ "
                    r"(named choice).",
                    sp.Contains(sp.Symbol("k"), NEAR_LINEAR_RANGE, evaluate=False))),
        steps, claims,
        statement_math=(sp.Eq(sp.Symbol("k_{C}"), cost_bound),
                        sp.Eq(sp.Symbol("\\gamma_{2}"), threshold)))
