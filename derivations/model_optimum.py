"""Proposition (any model): the float64 optimum on a seeded sample agrees with 50 digits.

The model's compiled problem (its kernels, derived from its parts) is solved in float64
by the kink solver and re-solved independently at 50 digits (the plain objective along
the kink, differentiated numerically) on parameter sets drawn around the paper's
calibration (:mod:`.model_sampling`).  With caps, the draws cycle through the KKT cases
(no cap; each cap binding, then slack) and the solver's regime is checked against the
case each draw sets up.
"""

from __future__ import annotations

import sympy as sp

from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import n
from .model_sampling import box_latex, model_box
from .record import Assumption, CapCaseCheck, Claim, Derivation, PrecisionCheck, Rule, Step
from .text import number_latex

ID = "model_optimum"
TITLE = "The optimum at 50 digits"
#: Largest relative difference in n* between float64 and the 50-digit re-solve (the
#: solver's own cross-check tolerance, numeric/optimum.py CROSSCHECK_RTOL).
RTOL = 1e-11
DPS = 50
SEED = 7
#: Draws per KKT case (no cap; each cap binding; each cap slack).
PER_CASE = 3


def derive(model: ProfitModel) -> Derivation:
    """max |n*_float64 / n*_50 - 1| <= 1e-11 on the sample; the solver's regime is each
    draw's KKT case."""
    cases = 2 * len(model.caps) + 1
    box = model_box(model, PER_CASE * cases, SEED, caps=bool(model.caps))
    where = box_latex(box)
    precision = PrecisionCheck(
        "solver-vs-50-digits", rf"float64 optimum of the model's kink solver vs the "
        rf"independent {DPS}-digit root of $\partial\pi/\partial\log n$ along the kink, "
        rf"relative error in $n^*$ at most ${number_latex(RTOL)}$", box, DPS, RTOL)
    claims = [Claim("precision", rf"On {box.samples} parameter sets drawn with seed "
                    rf"{box.seed}, the float64 optimum $n^*$ agrees with the {DPS}-digit "
                    rf"re-solve to a relative ${number_latex(RTOL)}$.",
                    sp.Symbol("n^{*}"), (precision,))]
    if model.caps:
        claims.append(Claim(
            "kkt-cases", r"The solver picks the KKT case each draw sets up: the interior "
            r"optimum when every cap is slack, the corner $n^* = n_V$ with "
            r"$\Pi'(n_V) > 0$ when a cap lies below the uncapped optimum (or shutdown where "
            r"profit there is not positive).", sp.Symbol("n^{*}"),
            (CapCaseCheck("kkt-regimes", "the solver's regime and corner against each draw's "
                          f"KKT case, with the {DPS}-digit marginal profit at the corner",
                          box, DPS),)))
    return Derivation(
        ID, TITLE, "Proposition", "",
        rf"The model's kink solver finds the optimum that an independent {DPS}-digit "
        r"re-solve finds, on a seeded sample of its parameters.",
        (Assumption("sample", "Parameters drawn with " + where + "."),),
        (Step("stationarity", sp.Eq(n * sp.Derivative(sp.Function("\\Pi")(n), n), 0),
              Rule.DEFINE, r"An interior optimum is a root of $\mathrm{d}\Pi/\mathrm{d}\log n$; "
              r"the float64 solver brackets it in log space, the re-solve finds it by the "
              r"secant method on the numerical derivative of the plain objective."),),
        tuple(claims), model=model.name,
        notes=(r"A parameter with a default in the model file is held at it; the ranges of "
               r"the others are the paper's calibration, and a parameter the paper does not "
               r"have is drawn by its domain (a scale log-uniform in "
               r"$[10^{-12}, 10^{-6}]$).",))
