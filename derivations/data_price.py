"""Proposition (a variant): the reduced first-order condition with a price per data token.

The data-price model is the paper's model with one more cost term, c_D d.  Its
reduced condition is derived by the same generic steps from its own parts; this
record states it and checks it against SymPy's derivative, against the paper's
condition at c_D = 0, and the kink lemma against the model's own costs.
"""

from __future__ import annotations

import sympy as sp

from ..paramspec import DATA_PRICE
from ..symbolic.logspace import derive_log_condition
from ..symbolic.optimality import check_kink_reduction, derive_reduced_problem
from ..symbolic.symbols import d, n, parameter_symbol, x
from ..symbolic.variants import data_price, paper
from .record import Assumption, Claim, Derivation, IdentityCheck, Rule, SignCheck, Step

ID = "data_price"


def derive() -> Derivation:
    """Pi'(n) = m m'/(2 delta) - [(6/E)(1 + alpha/beta) d(n) + c_D (alpha/beta) d(n)/n]."""
    model, base = data_price(), paper()
    price = parameter_symbol(DATA_PRICE)
    reduced = derive_reduced_problem(model)
    reduced_base = derive_reduced_problem(base)
    slopes = check_kink_reduction(model)
    Pi, m, cost = sp.Symbol("\\Pi"), sp.Symbol("m"), sp.Symbol("C")
    fixed = model.fixed_cost(n, d)
    # in x = log n the cost side of the balance is log(e^u + e^v), u and v affine in x
    cost_side = derive_log_condition(model).log_training_slope
    u, v = cost_side.args
    curvature = sp.diff(cost_side, x, 2).rewrite(sp.log)
    curvature_closed = (sp.exp(u + v - 2 * cost_side)
                        * (sp.diff(u, x) - sp.diff(v, x)) ** 2).rewrite(sp.log)
    data_slope = reduced.training_slope - reduced_base.training_slope
    steps = (
        Step("costs", sp.Eq(cost, fixed), Rule.DEFINE,
             r"The costs paid before serving: training compute and the data bought at "
             r"$c_D$ dollars per token.", ()),
        Step("excess-tokens", sp.Eq(sp.Derivative(sp.Symbol("\\pi"), d), slopes.excess_tokens),
             Rule.DIFFERENTIATE, r"Off the kink, with $a n^\alpha < b d^\beta$, extra tokens "
             r"only add cost: the kink lemma holds with the data price.", ("costs",)),
        Step("profit", sp.Eq(Pi, reduced.profit), Rule.SUBSTITUTE,
             r"On the kink with $t = t^*$: the margin is the paper's, the fixed costs are "
             r"evaluated at $d(n)$.", ("costs", "excess-tokens")),
        Step("foc", sp.Eq(sp.Derivative(Pi, n), reduced.foc_factored), Rule.DIFFERENTIATE,
             r"Product rule; each fixed cost contributes its own slope on the kink.",
             ("profit",)),
    )
    claims = (
        Claim("reduced-foc", r"With a data price, $\Pi'(n) = m m'/(2\delta) - "
              r"(6/E)(1 + \alpha/\beta) \, d(n) - c_D (\alpha/\beta) \, d(n)/n$.",
              reduced.foc_factored,
              (IdentityCheck("foc-factored", r"the closed form against SymPy's derivative of "
                             r"$\Pi$", reduced.foc, reduced.foc_factored),
               IdentityCheck("data-term", r"the data price adds "
                             r"$c_D \, d'(n) = c_D (\alpha/\beta) \, d(n)/n$ to the cost slope",
                             data_slope, price * sp.diff(reduced.tokens, n)))),
        Claim("paper-limit", r"At $c_D = 0$ the condition is the paper's reduced condition.",
              reduced.foc_factored.subs(price, 0),
              (IdentityCheck("zero-price", r"$\Pi'(n)$ at $c_D = 0$ equals the paper's "
                             r"$\Pi'(n)$", reduced.foc_factored.subs(price, 0),
                             reduced_base.foc_factored),)),
        Claim("balance-concave", r"In $x = \log n$ the cost side of the balance, "
              r"$\log[n \, C'(n)] = \log(e^u + e^v)$ with $u$, $v$ affine in $x$, is convex, "
              r"so the balance $S$ stays strictly concave and the kink solver's bracket holds.",
              curvature_closed,
              (IdentityCheck("affine-u", r"$u''(x) = 0$", sp.diff(u, x, 2), sp.Integer(0)),
               IdentityCheck("affine-v", r"$v''(x) = 0$", sp.diff(v, x, 2), sp.Integer(0)),
               IdentityCheck("log-sum-curvature", r"$(\log(e^u + e^v))'' = "
                             r"e^{u + v}(u' - v')^2/(e^u + e^v)^2 \geq 0$",
                             curvature, curvature_closed))),
        Claim("kink", r"The kink lemma holds with a data price: excess tokens have marginal "
              r"profit $-6n/E - c_D < 0$.", slopes.excess_tokens,
              (SignCheck("tokens-slope", r"$-6n/E - c_D < 0$", slopes.excess_tokens, -1),
               SignCheck("parameters-slope", r"$-(6d + 2t)/E < 0$", slopes.excess_parameters,
                         -1))),
    )
    return Derivation(
        ID, "A price per training token", "Proposition", "",
        r"If training data costs $c_D$ dollars per token, the optimum still lies on the kink "
        r"and $n^*$ solves $m m'/(2\delta) = (6/E)(1 + \alpha/\beta) \, d(n) + "
        r"c_D (\alpha/\beta) \, d(n)/n$.",
        (Assumption("price", r"$c_D > 0$ (declared with the variant's parameters)."),
         Assumption("range", r"$\gamma$ lies in the bounded range; the data price grows "
                    r"more slowly in $n$ than training compute, so the range is the paper's.")),
        steps, claims,
        statement_math=(sp.Eq(sp.Derivative(Pi, n), reduced.foc_factored),),
        notes=(r"A variant of the paper's model, built from its parts (the paper does not "
               r"state it). \texttt{profitopt solve --model data-price} solves it with the "
               r"same kink solver, fed from this model.",))
