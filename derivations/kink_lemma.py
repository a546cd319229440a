"""Lemma (the paper's Lemma 2): at any optimum a n^alpha = b d^beta."""

from __future__ import annotations

import sympy as sp

from ..symbolic.optimality import derive_kink_slopes
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import d, n, t
from .boxes import interior_box
from .record import (Assumption, Claim, Derivation, OffKinkCheck, Rule, SignCheck,
                     Step)

ID = "kink_lemma"


def derive() -> Derivation:
    """Off the kink the slack input has marginal profit -(6d + 2t)/E < 0 or -6n/E < 0."""
    model = ProfitModel()
    law = model.law
    slopes = derive_kink_slopes(model)
    profit = sp.Symbol("\\pi")
    steps = (
        Step("quality", sp.Eq(sp.Symbol("q"), law.quality(n, d)), Rule.DEFINE,
             "Leontief scaling law."),
        Step("excess-parameters",
             sp.Eq(sp.Derivative(profit, n), slopes.excess_parameters), Rule.DIFFERENTIATE,
             "If a n^alpha > b d^beta then q = b d^beta does not depend on n.", ("quality",)),
        Step("excess-tokens", sp.Eq(sp.Derivative(profit, d), slopes.excess_tokens),
             Rule.DIFFERENTIATE, "If a n^alpha < b d^beta then q = a n^alpha does not depend "
             "on d.", ("quality",)),
        Step("conclusion", sp.Eq(law.parameter_arm(n), law.data_arm(d)), Rule.SIGN,
             "Both slopes are negative, so shrinking the input in excess raises profit until "
             "the arms meet: every optimum lies on the kink.",
             ("excess-parameters", "excess-tokens")),
    )
    checks = (
        SignCheck("parameters-slope", "-(6d + 2t)/E < 0", slopes.excess_parameters, -1),
        SignCheck("tokens-slope", "-6n/E < 0", slopes.excess_tokens, -1),
        OffKinkCheck("off-kink-numeric", "moving n or d off the kink by 1e-6 lowers profit "
                     "(50 digits, full objective)", interior_box(6, 2), sp.Rational(1, 10**6), 50),
    )
    claim = Claim("kink", "At any optimum the two arms of the Leontief law are equal: "
                  "a n^alpha = b d^beta.", sp.Eq(law.parameter_arm(n), law.data_arm(d)),
                  checks, reported=sp.Eq(law.parameter_arm(n), law.data_arm(d)),
                  reported_text="a n^alpha = b d^beta (Lemma 2)")
    return Derivation(
        ID, "Optimal inputs lie on the kink", "Lemma", "Lemma 2",
        "At any profit-maximizing (n, d, t), a n^alpha = b d^beta: growing only one input "
        "raises cost but not quality.",
        (Assumption("served", "t >= 0.", sp.Ge(t, 0)),), steps, (claim,),
        statement_math=(sp.Eq(law.parameter_arm(n), law.data_arm(d)),),
        notes=("The lemma holds in both regimes: with d <= D, a point with a n^alpha > b D^beta "
               "is improved by lowering n.",))
