"""The abstract's trend claims in E: near-linear tracking and sub-quadratic training cost."""

from __future__ import annotations

import sympy as sp

from ..symbolic.symbols import E, gamma
from .calibration import growth, point
from .record import (Assumption, Claim, Derivation, ExponentCheck, LocalExponentCheck, Role,
                     Rule, SignCheck, Step)

ID = "tracking"

#: Our reading of "near-linear": an exponent k with |log k| <= log(3/2), i.e. k in
#: [2/3, 3/2] -- closer to linear than to square-root or quadratic growth.
NEAR_LINEAR = sp.log(sp.Rational(3, 2))
QUADRATIC = sp.Integer(2)


def _near_linear_checks(shape: str, quantity: str) -> list:
    g, at = growth(shape), point(shape)
    window = g.bound.quantities[quantity].law.exponent
    limit = g.limit.quantities[quantity].law.exponent
    return [
        ExponentCheck(f"{quantity}-window-{shape}", f"log of the bound exponent (gamma {shape})",
                      sp.log(window), sp.S.Zero, at, NEAR_LINEAR),
        ExponentCheck(f"{quantity}-limit-{shape}", f"log of the E -> infinity exponent "
                      f"(gamma {shape})", sp.log(limit), sp.S.Zero, at, NEAR_LINEAR,
                      Role.TIGHTNESS),
    ]


def derive() -> Derivation:
    """Which exponents are near-linear, and for which gamma the spend is sub-quadratic."""
    negative = growth("negative")
    cost_bound = negative.bound.quantities["train_cost"].law.exponent
    (threshold,) = sp.solve(sp.Eq(cost_bound, QUADRATIC), gamma)
    threshold = sp.simplify(threshold)
    at = dict(point("negative"))
    limits = {s: growth(s).limit.quantities["n"].law for s in ("negative", "zero", "positive")}
    steps = (
        Step("cost-bound", sp.Eq(sp.Symbol("k_{C}"), cost_bound), Rule.SUBSTITUTE,
             "E-exponent of 6 n d/E at n = n_peak."),
        Step("quadratic-threshold", sp.Eq(sp.Symbol("\\gamma_{2}"), threshold), Rule.SOLVE,
             "The bound exponent equals 2 at gamma_2; above it the spend is sub-quadratic.",
             ("cost-bound",)),
        *(Step(f"limit-{s}", sp.Eq(sp.Symbol(f"k_{{{s}}}"), law.exponent), Rule.SOLVE,
               f"E -> infinity exponent of n* for gamma {s} (log power "
               f"{sp.sstr(law.log_power)}).") for s, law in limits.items()),
    )
    claims = (
        Claim("near-linear", "Optimal model size and token budget track E at a near-linear "
              "rate.", limits["zero"].exponent,
              tuple(c for s in ("negative", "zero") for q in ("n", "d")
                    for c in _near_linear_checks(s, q)),
              reported=sp.Integer(1), reported_text="near-linear in E", kind="bound",
              window="near-linear (exponent in [2/3, 3/2]) while inference dominates "
                     "(E << E_c); as E -> infinity the exponent at gamma = 0 is "
                     "beta/(alpha+beta) (1/2 when alpha = beta)"),
        Claim("sub-quadratic", "Total training cost scales sub-quadratically in E for "
              "gamma > -1.", threshold,
              (SignCheck("threshold-below-minus-one", "gamma_2 < -1 at alpha = beta = 0.3, so "
                         "every gamma > -1 is sub-quadratic", (-1 - threshold).subs(at), 1,
                         Role.REPORTED),
               SignCheck("limit-below-quadratic", "2 minus the E -> infinity exponent of the "
                         "spend at gamma = -1 is positive",
                         (QUADRATIC - negative.limit.quantities["train_cost"].law.exponent
                          ).subs(at), 1, Role.REPORTED),
               LocalExponentCheck("window-cost-rate", "local exponent of 6nd/E in the "
                                  "inference-dominated window, gamma = -1", "train_cost", E,
                                  cost_bound, sp.S.Zero, tuple(at.items()), (2, 4),
                                  sp.Rational(1, 100))),
              reported=sp.Integer(-1), reported_text="sub-quadratic for gamma > -1"),
    )
    return Derivation(
        ID, "Trends in hardware efficiency E", "Proposition", "Abstract",
        "The bound exponents 1/(1+alpha gamma) are near-linear and the bound on training "
        "spend is sub-quadratic for gamma > gamma_2; as E -> infinity the rates are slower.",
        (Assumption("compute-bound", "d is free (no data cap).", sp.Eq(sp.Symbol("D"), sp.oo)),
         Assumption("near-linear", "Near-linear means an exponent in [2/3, 3/2] (named "
                    "choice).", sp.Interval(sp.Rational(2, 3), sp.Rational(3, 2)))),
        steps, claims,
        statement_math=(sp.Eq(sp.Symbol("k_{C}"), cost_bound),
                        sp.Eq(sp.Symbol("\\gamma_{2}"), threshold)))
