"""First-order conditions: served tokens, the kink lemma, the reduced problem.

Every closed form here is produced by SymPy (diff, solve, simplify) from the
objective in :mod:`profit`; nothing is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .algebra import split_signed_terms, unique_positive_root
from .profit import ProfitModel
from .symbols import d, n, q, t


@dataclass(frozen=True)
class ServedTokens:
    """The t-subproblem at fixed (n, d, q)."""

    foc: sp.Expr          # d pi / d t
    optimum: sp.Expr      # t* solving foc = 0
    margin: sp.Expr       # omega f(q) - 2n/E  =  2 delta t*
    curvature: sp.Expr    # d^2 pi / d t^2 = -2 delta
    concentrated: sp.Expr  # pi at t = t*:  margin^2/(4 delta) - fixed costs (6nd/E)


def derive_served_tokens(model: ProfitModel, *, stable: bool = False) -> ServedTokens:
    """t* = (omega f(q) - 2n/E) / (2 delta), positive iff the per-token margin is.

    The margin is d pi/d t at t = 0: what the first token earns net of its
    serving cost.  t is eliminated in closed form when SymPy solves its condition
    uniquely and the t-subproblem is concave (curvature free of t and negative);
    then pi(t*) = margin^2/(2 |curvature|) - (the cost terms free of t), which is
    checked against the substitution.  ValueError otherwise.
    """
    if t not in model.chosen:
        raise ValueError(f"model {model.name!r}: served tokens t are not chosen")
    objective = model.objective_at_quality(n, d, t, q, stable=stable)
    foc = sp.diff(objective, t)
    solutions = sp.solve(foc, t)
    curvature = sp.diff(objective, t, 2)
    if len(solutions) != 1 or curvature.has(t) or not curvature.is_negative:
        raise ValueError(f"model {model.name!r}: the served-tokens condition has no unique "
                         f"closed-form maximizer ({len(solutions)} roots, curvature "
                         f"{curvature})")
    (optimum,) = solutions
    margin = foc.subs(t, 0)
    concentrated = margin**2 / (-2 * curvature) - model.fixed_cost(n, d)
    if sp.simplify(objective.subs(t, optimum) - concentrated) != 0:
        raise ValueError(f"model {model.name!r}: pi(t*) is not margin^2/(4 delta) less the "
                         "fixed costs")
    return ServedTokens(foc, optimum, margin, curvature, concentrated)


@dataclass(frozen=True)
class KinkSlopes:
    """Marginal profit of the input that is in excess, off the kink."""

    excess_parameters: sp.Expr  # d pi / d n where q = b d^beta (a n^alpha > b d^beta)
    excess_tokens: sp.Expr      # d pi / d d where q = a n^alpha (a n^alpha < b d^beta)


def derive_kink_slopes(model: ProfitModel) -> KinkSlopes:
    """Off the kink the slack input only adds cost: -(6d + 2t)/E and -6n/E."""
    law = model.law
    above = model.objective_at_quality(n, d, t, law.data_arm(d))
    below = model.objective_at_quality(n, d, t, law.parameter_arm(n))
    return KinkSlopes(sp.simplify(sp.diff(above, n)), sp.simplify(sp.diff(below, d)))


def check_kink_reduction(model: ProfitModel) -> KinkSlopes:
    """The kink lemma for ``model``'s own costs, or ValueError where it is not established.

    The reduction to the kink needs a law that is a minimum of two arms, n and d both
    chosen, and the slack input's marginal profit negative for every positive value of
    the symbols (SymPy decides the sign from their assumptions).
    """
    if not hasattr(model.law, "parameter_arm") or not {n, d} <= set(model.chosen):
        raise ValueError(f"model {model.name!r}: the kink reduction needs a min of two arms "
                         "with n and d chosen")
    slopes = derive_kink_slopes(model)
    for name, slope in (("parameters", slopes.excess_parameters),
                        ("tokens", slopes.excess_tokens)):
        if not slope.is_negative:
            raise ValueError(f"model {model.name!r}: the kink lemma is not established: "
                             f"the marginal profit of excess {name}, {slope}, is not "
                             "negative for every positive value")
    return slopes


@dataclass(frozen=True)
class ReducedProblem:
    """The problem on the kink with t = t*, in the single variable n."""

    tokens: sp.Expr          # d(n)
    quality: sp.Expr         # q(n)
    margin: sp.Expr          # m(n) = omega f(q(n)) - 2n/E
    margin_slope: sp.Expr    # m'(n)
    training_slope: sp.Expr  # d/dn [6 n d(n) / E] = (6/E)(1 + alpha/beta) d(n)
    profit: sp.Expr          # Pi(n) = m^2/(4 delta) - 6 n d(n)/E
    foc: sp.Expr             # Pi'(n), by sp.diff
    foc_factored: sp.Expr    # m m'/(2 delta) - training_slope
    soc: sp.Expr             # Pi''(n), by sp.diff
    peak: sp.Expr            # n at which m'(n) = 0 (the margin's maximum)


def derive_reduced_problem(model: ProfitModel, *, stable: bool = False) -> ReducedProblem:
    """Pi(n) = m(n)^2/(4 delta) - 6 n d(n)/E with d(n) on the kink and t = t*."""
    law = model.law
    tokens = law.frontier_tokens(n)
    quality = law.frontier_quality(n)
    margin = derive_served_tokens(model, stable=stable).margin.subs(q, quality)
    margin_slope = _margin_slope(model, quality)
    training = model.fixed_cost(n, tokens)
    # one factored slope per fixed cost term: d/dn[6 n d(n)/E] = (6/E)(1 + alpha/beta) d(n)
    training_slope = sp.Add(*(sp.factor(sp.powsimp(sp.simplify(sp.diff(term, n)), force=True))
                              for term in sp.Add.make_args(training)))
    profit = margin**2 / (4 * model.delta) - training
    foc = sp.diff(profit, n)
    foc_factored = margin * margin_slope / (2 * model.delta) - training_slope
    soc = sp.diff(foc, n)
    return ReducedProblem(tokens, quality, margin, margin_slope, training_slope, profit,
                          foc, foc_factored, soc, derive_margin_peak(model))


def _margin_slope(model: ProfitModel, quality: sp.Expr) -> sp.Expr:
    """m'(n) = omega f'(q) q'(n) - 2/E, with f' from the family (valid at gamma = 0)."""
    served = derive_served_tokens(model)
    margin = served.margin.subs(q, quality)
    return sp.powsimp(sp.expand(sp.simplify(sp.diff(margin, n))), force=True)


def derive_margin_peak(model: ProfitModel) -> sp.Expr:
    """n_peak solving m'(n) = 0: (omega alpha a^-gamma E / 2)^(1/(1 + alpha gamma)).

    For n < n_peak the margin rises with n; beyond it extra parameters cost
    more in serving than they add in willingness to pay.
    """
    gain, loss = split_signed_terms(_margin_slope(model, model.law.frontier_quality(n)))
    return unique_positive_root(sp.Eq(gain, loss), n)


@dataclass(frozen=True)
class SlopeLogConcavity:
    """k(x) = n m'(n) at n = e^x is a difference U - Q of exponentials in x."""

    gain: sp.Expr       # U(x) = omega alpha q^-gamma
    loss: sp.Expr       # Q(x) = 2 e^x / E
    curvature: sp.Expr  # k'' k - (k')^2, by sp.diff
    closed: sp.Expr     # -U Q (1 - sigma)^2 with sigma = -alpha gamma: never positive


def derive_slope_log_concavity(model: ProfitModel, log_n: sp.Symbol) -> SlopeLogConcavity:
    """(log k)'' = (k'' k - k'^2)/k^2 with k'' k - k'^2 = -U Q (1 - sigma)^2 <= 0."""
    reduced = derive_reduced_problem(model)
    gain, loss = split_signed_terms(n * reduced.margin_slope)
    exponent = sp.expand_power_base(gain, force=True).as_coeff_exponent(n)[1]
    gain_x, loss_x = gain.subs(n, sp.exp(log_n)), loss.subs(n, sp.exp(log_n))
    k = gain_x - loss_x
    curvature = sp.diff(k, log_n, 2) * k - sp.diff(k, log_n) ** 2
    return SlopeLogConcavity(gain_x, loss_x, curvature, -gain_x * loss_x * (1 - exponent) ** 2)
