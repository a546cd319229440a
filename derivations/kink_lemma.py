"""Lemma (the paper's Lemma 2): at any optimum a n^alpha = b d^beta."""

from __future__ import annotations

import sympy as sp

from ..symbolic.optimality import derive_kink_slopes
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import a, alpha, b, beta, d, n
from .boxes import interior_box
from .record import (Assumption, Claim, Derivation, IdentityCheck, OffKinkCheck, Role, Rule,
                     SignCheck, Step)

ID = "kink_lemma"

#: The paper's Lemma 2, as it states it.
REPORTED_KINK = sp.Eq(a * n**alpha, b * d**beta)


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
             r"If $a n^\alpha > b d^\beta$ then $q = b d^\beta$ does not depend on $n$.",
             ("quality",)),
        Step("excess-tokens", sp.Eq(sp.Derivative(profit, d), slopes.excess_tokens),
             Rule.DIFFERENTIATE, r"If $a n^\alpha < b d^\beta$ then $q = a n^\alpha$ does not "
             r"depend on $d$.", ("quality",)),
        Step("conclusion", sp.Eq(law.parameter_arm(n), law.data_arm(d)), Rule.SIGN,
             "Both slopes are negative, so shrinking the input in excess raises profit until "
             "the arms meet: every optimum lies on the kink.",
             ("excess-parameters", "excess-tokens")),
    )
    kink = sp.Eq(law.parameter_arm(n), law.data_arm(d))
    checks = (
        SignCheck("parameters-slope", r"$-(6d + 2t)/E < 0$", slopes.excess_parameters, -1),
        SignCheck("tokens-slope", r"$-6n/E < 0$", slopes.excess_tokens, -1),
        OffKinkCheck("off-kink-numeric", r"moving $n$ or $d$ off the kink by a factor "
                     r"$1 \pm 10^{-6}$ lowers profit (50 digits, full objective)",
                     interior_box(6, 2), sp.Rational(1, 10**6), 50),
        IdentityCheck("kink-vs-reported", r"the derived kink condition, as "
                      r"$a n^\alpha - b d^\beta$, equals the reported one",
                      kink.lhs - kink.rhs, REPORTED_KINK.lhs - REPORTED_KINK.rhs, Role.REPORTED),
    )
    claim = Claim("kink", r"At any optimum the two arms of the Leontief law are equal: "
                  r"$a n^\alpha = b d^\beta$.", kink, checks, reported=REPORTED_KINK,
                  reported_text=r"$a n^\alpha = b d^\beta$ (Lemma 2)")
    return Derivation(
        ID, "Optimal inputs lie on the kink", "Lemma", "Lemma 2",
        r"At any profit-maximizing $(n, d, t)$, $a n^\alpha = b d^\beta$: growing only one "
        r"input raises cost but not quality.",
        (Assumption("served", r"Served tokens are not negative: $t \geq 0$."),), steps,
        (claim,),
        statement_math=(kink,),
        notes=(r"The lemma holds in both regimes: with $d \leq D$, a point with "
               r"$a n^\alpha > b D^\beta$ is improved by lowering $n$.",))
