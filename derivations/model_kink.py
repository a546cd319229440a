"""Lemma (any model whose law is a minimum of two arms): optimal inputs lie on the kink.

Off the kink one input is in excess: quality is the other arm, so the excess input only
adds cost.  The marginal profit of each excess input is derived from the model's own
objective (:func:`~profitopt.symbolic.optimality.derive_kink_slopes`); the lemma holds for
the model when SymPy finds both negative for every positive value of the symbols, and the
full objective is checked numerically around the optimum of sampled parameter sets.
"""

from __future__ import annotations

import sympy as sp

from ..symbolic.optimality import derive_kink_slopes
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import d, n
from .model_sampling import box_latex, model_box
from .record import (Assumption, Claim, Derivation, OffKinkCheck, Rule, SignCheck, Step)
from .text import expression_latex

ID = "model_kink"
TITLE = "Optimal inputs lie on the kink"
#: Relative step off the kink of the numeric check, and its sample.
EPS = sp.Rational(1, 10**6)
SAMPLES, SEED = 4, 11


def applies(model: ProfitModel) -> bool:
    """The lemma concerns a law that is a minimum of two arms, with n and d chosen."""
    return hasattr(model.law, "parameter_arm") and {n, d} <= set(model.chosen)


def derive(model: ProfitModel) -> Derivation:
    """Where a n^alpha > b d^beta, d pi/d n < 0; where a n^alpha < b d^beta, d pi/d d < 0."""
    if not applies(model):
        raise ValueError(f"model {model.name!r}: the kink lemma needs a law that is a minimum "
                         "of two arms with n and d chosen")
    law = model.law
    slopes = derive_kink_slopes(model)
    profit = sp.Symbol("\\pi")
    p_arm, d_arm = law.parameter_arm(n), law.data_arm(d)
    kink = sp.Eq(p_arm, d_arm)
    arm_n, arm_d = expression_latex(p_arm), expression_latex(d_arm)
    slope_n, slope_d = (expression_latex(slopes.excess_parameters),
                        expression_latex(slopes.excess_tokens))
    steps = (
        Step("quality", sp.Eq(sp.Symbol("q"), law.quality(n, d)), Rule.DEFINE,
             "The model's law: quality is the smaller arm."),
        Step("excess-parameters", sp.Eq(sp.Derivative(profit, n), slopes.excess_parameters),
             Rule.DIFFERENTIATE, rf"If ${arm_n} > {arm_d}$, quality is ${arm_d}$, free of $n$.",
             ("quality",)),
        Step("excess-tokens", sp.Eq(sp.Derivative(profit, d), slopes.excess_tokens),
             Rule.DIFFERENTIATE, rf"If ${arm_n} < {arm_d}$, quality is ${arm_n}$, free of $d$.",
             ("quality",)),
        Step("conclusion", kink, Rule.SIGN,
             "Where both slopes are negative, shrinking the input in excess raises profit "
             "until the arms meet.", ("excess-parameters", "excess-tokens")),
    )
    box = model_box(model, SAMPLES, SEED)
    checks = (
        SignCheck("parameters-slope", rf"${slope_n} < 0$", slopes.excess_parameters, -1,
                  subject="the marginal profit of excess parameters"),
        SignCheck("tokens-slope", rf"${slope_d} < 0$", slopes.excess_tokens, -1,
                  subject="the marginal profit of excess training tokens"),
        OffKinkCheck("off-kink-numeric", rf"moving $n$ or $d$ off the kink by a factor "
                     rf"$1 \pm 10^{{-6}}$ lowers the model's profit (50 digits, full "
                     rf"objective), at parameters drawn with {box_latex(box)}",
                     box, EPS, 50),
    )
    claim = Claim("kink", rf"At any optimum the two arms are equal, ${arm_n} = {arm_d}$: "
                  rf"excess parameters earn ${slope_n}$ and excess tokens ${slope_d}$, both "
                  r"negative.", kink, checks)
    return Derivation(
        ID, TITLE, "Lemma", "",
        rf"At any profit-maximizing $(n, d, t)$ of the model, ${arm_n} = {arm_d}$: growing "
        r"only one input raises its cost but not quality.",
        (Assumption("served", r"Served tokens are not negative: $t \geq 0$."),),
        steps, (claim,), statement_math=(kink,), model=model.name)
