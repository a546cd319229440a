"""Comparative statics in the compute-bound regime: data and parameter efficiency."""

from __future__ import annotations

import sympy as sp

from ..symbolic.asymptotics import PowerLaw
from ..symbolic.symbols import E, a, b, gamma
from .boxes import Box, Range
from .calibration import growth, point
from .record import (Assumption, Claim, Derivation, ElasticityCheck, Role, Rule, SignCheck,
                     Step)

ID = "efficiency"

SHAPES = ("negative", "zero", "positive")


def elasticity(law: PowerLaw, variable: sp.Symbol) -> sp.Expr:
    """d log x / d log v of x ~ C E^k (log E)^m, leading order (k for v = E)."""
    value = variable * sp.diff(sp.log(law.coefficient), variable)
    if variable == E:
        value += law.exponent
    return sp.simplify(value)


def _law(regime: str, shape: str, quantity: str) -> PowerLaw:
    return getattr(growth(shape), regime).quantities[quantity].law


def _sign_checks(regime: str, quantity: str, variable: sp.Symbol, sign: int) -> tuple:
    word = "positive" if sign > 0 else "negative"
    return tuple(
        SignCheck(f"{regime}-{quantity}-{variable}-{shape}",
                  f"{regime} regime, gamma {shape}: elasticity of {quantity} in {variable} is "
                  f"{word}", elasticity(_law(regime, shape, quantity), variable)
                  .subs(dict(point(shape))), sign, Role.REPORTED)
        for shape in SHAPES)


def _training_point(seed: int) -> Box:
    """The calibration point at gamma = -1 and E = 1e30, deep in the training-dominated regime."""
    fixed = [Range(s, v, v) for s, v in point("negative")]
    return Box((*fixed, Range(E, sp.Integer(30), sp.Integer(30), log=True)), 1, seed, "interior")


def derive() -> Derivation:
    """Elasticities of n* and 6nd/E in b, a, E per regime; where a's effect changes sign."""
    inference_a = elasticity(_law("inference", "negative", "n"), a)
    training_a = elasticity(_law("training", "negative", "n"), a)
    (flip_inference,) = sp.solve(inference_a, gamma)
    (flip_training,) = sp.solve(training_a, gamma)
    steps = tuple(
        Step(f"{regime}-{quantity}-{variable}-{shape}",
             sp.Eq(sp.Symbol(f"\\varepsilon^{{{regime}}}_{{{quantity.replace('_', '')},"
                             f"{variable}}}"), elasticity(_law(regime, shape, quantity), variable)),
             Rule.DIFFERENTIATE, f"{regime} regime, gamma {shape}.")
        for regime in ("inference", "training") for shape in ("negative", "zero")
        for quantity in ("n", "train_cost") for variable in (b, a)
    ) + (
        Step("flip-inference", sp.Eq(sp.Symbol("\\gamma_{a}^{inference}"), flip_inference),
             Rule.SOLVE, "a's effect on n* changes sign here (inference-dominated)."),
        Step("flip-training", sp.Eq(sp.Symbol("\\gamma_{a}^{training}"), flip_training),
             Rule.SOLVE, "a's effect on n* changes sign here (training-dominated, gamma < 0)."),
    )
    law_b = elasticity(_law("training", "negative", "n"), b)
    claims = (
        Claim("data-efficiency-size", "Data-efficiency improvements incentivize larger models "
              "(compute-bound).", law_b,
              (*_sign_checks("training", "n", b, 1),
               ElasticityCheck("numeric-size-b", "central difference of the solver's n* at "
                               "E = 1e30", "n", b, law_b, _training_point(31),
                               sp.Rational(1, 10**4), 1e-4)),
              reported=sp.Integer(1), reported_text="larger models"),
        Claim("data-efficiency-spend", "Data-efficiency improvements incentivize more training "
              "expenditure (compute-bound).",
              elasticity(_law("training", "negative", "train_cost"), b),
              (*_sign_checks("training", "train_cost", b, 1),
               ElasticityCheck("numeric-spend-b", "central difference of the solver's 6nd/E "
                               "at E = 1e30", "train_cost", b,
                               elasticity(_law("training", "negative", "train_cost"), b),
                               _training_point(32), sp.Rational(1, 10**4), 1e-4)),
              reported=sp.Integer(1), reported_text="more training expenditure"),
        Claim("parameter-efficiency", "The effect of parameter efficiency depends on gamma.",
              flip_inference,
              (SignCheck("inference-a-negative-gamma", "inference regime, gamma = -1: "
                         "elasticity of n* in a is positive",
                         inference_a.subs(dict(point("negative"))), 1, Role.REPORTED),
               SignCheck("inference-a-positive-gamma", "inference regime, gamma = 1/2: "
                         "elasticity of n* in a is negative",
                         elasticity(_law("inference", "positive", "n"), a)
                         .subs(dict(point("positive"))), -1, Role.REPORTED)),
              reported=None, reported_text="depends on gamma"),
    )
    return Derivation(
        ID, "Data and parameter efficiency in the compute-bound regime", "Proposition",
        "Abstract; Section 4",
        "Elasticities of n* and training spend in b and a follow from the regime laws; data "
        "efficiency always raises n* in the training-dominated regime, raises spend only for "
        "gamma < 0, and a's effect on n* changes sign at gamma = 0 (inference-dominated) and "
        "at gamma = -1/(2 beta) (training-dominated).",
        (Assumption("compute-bound", "d is free (no data cap).", sp.Eq(sp.Symbol("D"), sp.oo)),),
        steps, claims,
        statement_math=(sp.Eq(sp.Symbol("\\gamma_{a}^{inference}"), flip_inference),
                        sp.Eq(sp.Symbol("\\gamma_{a}^{training}"), flip_training)),
        notes=("In the inference-dominated window n* ~ n_peak does not depend on b at leading "
               "order, and the spend falls with b (elasticity -1/beta).",))
