"""Proposition (any model): the problem on the kink in one variable, its caps and its domain.

With d on the kink and t = t*, profit is a function Pi(n) of model size alone
(:func:`~profitopt.symbolic.optimality.derive_reduced_problem`); each cap of the model is
a cap n <= n_V on it (:func:`~profitopt.symbolic.kkt.derive_cap_cases`); profit is bounded
above for the gamma that :func:`~profitopt.symbolic.domain.derive_bounded_range` derives
from the growth exponents of the margin's terms and of the fixed costs.  Where SymPy
cannot derive a part for the model, its claim carries a failing
:class:`~.record.DerivableCheck` with the reason: it is not established.
"""

from __future__ import annotations

import sympy as sp

from ..symbolic.domain import derive_bounded_range
from ..symbolic.kkt import derive_cap_cases
from ..symbolic.optimality import derive_reduced_problem, derive_served_tokens
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import d, n, q
from .record import (Assumption, Claim, DerivableCheck, Derivation, IdentityCheck, Rule,
                     SignCheck, Step)
from .text import expression_latex, inline

ID = "model_reduced"
TITLE = "The reduced one-variable problem"


def _elasticity(term: sp.Expr) -> sp.Expr:
    """n d log(term)/d n: the exponent k when term = c n^k."""
    return n * sp.diff(term, n) / term


def _cap_claims(model: ProfitModel) -> tuple[tuple[Step, ...], tuple[Claim, ...]]:
    try:
        cases = derive_cap_cases(model)
    except ValueError as error:
        return (), (Claim("caps", "The caps of the model are caps on $n$ along the kink.",
                          sp.Integer(0), (DerivableCheck("cap-images", "SymPy derives each "
                                                         "cap's image on the kink",
                                                         str(error)),)),)
    law, steps, claims = model.law, [], []
    for index, case in enumerate(cases):
        cap = case.cap
        variable, bound = expression_latex(cap.variable), expression_latex(cap.bound)
        image = sp.Eq(sp.Symbol(f"n_{{{bound}}}"), case.parameters)
        if cap.variable == d:  # an independent route: SymPy's root of the kink at d = V
            roots = sp.solve(sp.Eq(law.parameter_arm(n), law.data_arm(cap.bound)), n)
            check = (IdentityCheck(f"cap-{index}-on-kink", rf"$n_{{{bound}}}$ equals SymPy's "
                                   rf"root in $n$ of the kink equation at $d = {bound}$",
                                   case.parameters, roots[0]) if len(roots) == 1 else
                     DerivableCheck(f"cap-{index}-on-kink", "SymPy solves the kink for $n$",
                                    f"{len(roots)} roots"))
        else:
            check = IdentityCheck(f"cap-{index}-on-kink", rf"a cap on ${variable}$ is its own "
                                  "image on the kink", case.parameters, cap.bound)
        steps.append(Step(f"cap-{index}", image, Rule.SOLVE,
                          rf"The cap ${variable} \leq {bound}$ ({cap.regime}) along the kink: "
                          rf"$n \leq n_{{{bound}}}$.", ("frontier",)))
        claims.append(Claim(
            f"cap-{index}", rf"The cap ${variable} \leq {bound}$ is, on the kink, "
            rf"$n \leq n_{{{bound}}}$ with $n_{{{bound}}} = "
            + expression_latex(case.parameters) + r"$: its KKT cases are the interior "
            rf"optimum (slack) and the corner $n^* = n_{{{bound}}}$ where "
            rf"$\Pi'(n_{{{bound}}}) > 0$ ({cap.regime}).", image,
            (check,)))
    return tuple(steps), tuple(claims)


def _bounded_claim(model: ProfitModel, margin: sp.Expr, fixed: sp.Expr
                   ) -> tuple[tuple[Step, ...], Claim]:
    gamma = model.shape
    try:
        bounded = derive_bounded_range(model)
    except ValueError as error:
        return (), Claim("bounded-range", rf"Profit is bounded above for a range of "
                         rf"${expression_latex(gamma)}$ derived from the growth of the "
                         r"model's terms in $n$.", sp.Integer(0),
                         (DerivableCheck("bounded-range", "SymPy derives the bounded range "
                                         "from the growth exponents", str(error)),))
    growing = [term for term in sp.Add.make_args(sp.expand(margin)) if term.has(n)]
    revenue = [term for term in growing if term.has(gamma)]
    serving = [term for term in growing if not term.has(gamma)]
    costs = sp.Add.make_args(fixed)
    k_r, k_s, k_t = (bounded.revenue_exponent, bounded.serving_exponent,
                     bounded.training_exponent)
    fastest = [term for term in costs if sp.simplify(_elasticity(term) - k_t) == 0]
    checks = [
        IdentityCheck("revenue-exponent", r"the margin's revenue term grows as "
                      rf"$n^{{{expression_latex(k_r)}}}$", _elasticity(revenue[0]), k_r),
        IdentityCheck("serving-exponent", r"the margin's serving term grows as "
                      rf"$n^{{{expression_latex(k_s)}}}$", _elasticity(serving[0]), k_s),
        IdentityCheck("training-exponent", r"the fastest fixed cost on the kink grows as "
                      rf"$n^{{{expression_latex(k_t)}}}$",
                      _elasticity(fastest[0]) if fastest else sp.nan, k_t),
        *(SignCheck(f"slower-cost-{i}", r"this fixed cost grows more slowly: "
                    + inline(term, "a slower fixed cost"), k_t - _elasticity(term), 1,
                    subject=r"the exponent gap") for i, term in enumerate(costs)
          if term not in fastest),
        IdentityCheck("serving-threshold", rf"at ${expression_latex(gamma)} = "
                      rf"{expression_latex(bounded.serving_threshold)}$ revenue and serving "
                      r"cost grow alike", k_r.subs(gamma, bounded.serving_threshold), k_s),
        IdentityCheck("training-threshold", rf"at ${expression_latex(gamma)} = "
                      rf"{expression_latex(bounded.training_threshold)}$ revenue squared and "
                      r"the fastest fixed cost grow alike",
                      2 * k_r.subs(gamma, bounded.training_threshold), k_t),
        SignCheck("revenue-falls", rf"revenue's growth exponent falls with "
                  rf"${expression_latex(gamma)}$", sp.diff(k_r, gamma), -1,
                  subject=r"$\partial k_R/\partial " + expression_latex(gamma) + "$"),
    ]
    relation = sp.Gt(gamma, bounded.lower)
    step = Step("bounded", relation, Rule.SOLVE,
                rf"On the kink the margin's revenue term grows as "
                rf"$n^{{{expression_latex(k_r)}}}$, serving cost as "
                rf"$n^{{{expression_latex(k_s)}}}$ and the fastest fixed cost as "
                rf"$n^{{{expression_latex(k_t)}}}$: profit is unbounded exactly when revenue "
                r"outgrows serving cost and its square outgrows that fixed cost.",
                ("profit",))
    claim = Claim("bounded-range", r"Profit is bounded above for every positive parameter "
                  rf"value iff ${expression_latex(relation)}$.", relation, tuple(checks))
    return (step,), claim


def derive(model: ProfitModel) -> Derivation:
    """Pi(n) = m(n)^2/(2|pi_tt|) - fixed costs at d(n); Pi'(n) closed form; caps n <= n_V."""
    reduced = derive_reduced_problem(model)
    served = derive_served_tokens(model)
    Pi, m = sp.Symbol("\\Pi"), sp.Symbol("m")
    full = model.objective_at_quality(n, reduced.tokens, served.optimum, reduced.quality)
    full = full.subs(q, reduced.quality)
    fixed = model.fixed_cost(n, reduced.tokens)
    steps = [
        Step("frontier", sp.Eq(d, reduced.tokens), Rule.SOLVE,
             "On the kink the arms are equal: solve for $d$."),
        Step("margin", sp.Eq(m, reduced.margin), Rule.SUBSTITUTE,
             "The per-token margin with quality on the kink.", ("frontier",)),
        Step("profit", sp.Eq(Pi, reduced.profit), Rule.SUBSTITUTE,
             r"Concentrate $t$ out ($t = t^*$) and put $d$ on the kink.", ("margin",)),
        Step("foc", sp.Eq(sp.Derivative(Pi, n), reduced.foc_factored), Rule.DIFFERENTIATE,
             "Product rule; each fixed cost contributes its own slope on the kink.",
             ("profit",)),
    ]
    cap_steps, cap_claims = _cap_claims(model)
    bounded_steps, bounded = _bounded_claim(model, reduced.margin, fixed)
    steps += [*cap_steps, *bounded_steps]
    claims = (
        Claim("reduced-profit", r"On the kink with $t = t^*$, profit is $\Pi(n)$ as stated.",
              reduced.profit,
              (IdentityCheck("reduction", r"$\pi(n, d(n), t^*(n))$ equals $\Pi(n)$", full,
                             reduced.profit),)),
        Claim("reduced-foc", r"$\Pi'(n)$ is the margin term less the slopes of the fixed "
              r"costs on the kink, as stated.", reduced.foc_factored,
              (IdentityCheck("foc-factored", r"the closed form against SymPy's derivative of "
                             r"$\Pi$", reduced.foc, reduced.foc_factored),)),
        *cap_claims,
        bounded,
    )
    return Derivation(
        ID, TITLE, "Proposition", "",
        r"With $d$ on the kink and $t = t^*$, the firm maximizes $\Pi(n)$ over $n$ with "
        r"$m(n) > 0$" + (", subject to its caps" if model.caps else "") + ", where",
        (Assumption("kink", r"The optimum lies on the kink (the kink lemma above)."),
         Assumption("positive", r"The model's parameters are positive; its exponents too.")),
        tuple(steps), claims,
        statement_math=(sp.Eq(d, reduced.tokens), sp.Eq(Pi, reduced.profit),
                        sp.Eq(sp.Derivative(Pi, n), reduced.foc_factored)),
        model=model.name)
