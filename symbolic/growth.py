"""How the compute-bound optimum grows with E: regimes, rates, bound and crossover.

The reduced condition m (n m') = 2 delta n T(n) reads, with

    A = omega f(q)   (revenue per token)      Q = 2n/E  (serving cost per token)
    U = omega alpha q^-gamma  (= n d(omega f)/dn)    R = 12 delta (1 + alpha/beta) n d(n)/E,

as (A - Q)(U - Q) = R.  Two balances can hold as E grows:

- *inference-dominated*: U ~ Q, i.e. n* -> n_peak; the firm's costs are mostly
  serving, and Theorems 1-2's bound n* = O(n_peak) is tight;
- *training-dominated*: Q << A, U and A U ~ R; training is most of the cost.

At the optimum the ratio r of inference to training FLOPs (2nt vs 6nd)
satisfies exactly (n_peak/n*)^(1 + alpha gamma) = 1 + (1 + alpha/beta)/r,
so r tells which regime holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .asymptotics import Leading, PowerLaw, balance, leading_in, to_monomial
from .costs import inference_cost, inference_flops, training_cost, training_flops
from .decisions import decide
from .optimality import derive_reduced_problem
from .profit import ProfitModel
from .symbols import E, gamma, n, t

QUANTITIES = ("n", "d", "t", "train_flops", "train_cost", "profit", "compute_ratio")


@dataclass(frozen=True)
class FocPieces:
    """(A - Q)(U - Q) = R, each piece a function of n on the kink."""

    revenue: sp.Expr    # A
    serving: sp.Expr    # Q
    marginal: sp.Expr   # U
    training: sp.Expr   # R
    quantities: dict[str, sp.Expr]
    gross_profit: sp.Expr  # delta t*^2 = m^2/(4 delta): profit before training costs


def derive_foc_pieces(model: ProfitModel, shape: sp.Expr = gamma) -> FocPieces:
    """The pieces of the reduced condition, with gamma -> ``shape`` (0 taken as a limit)."""
    reduced = derive_reduced_problem(model)
    serving = sp.diff(inference_cost(n, t, model.efficiency), t)
    margin, slope = reduced.margin, sp.expand(n * reduced.margin_slope)
    if shape == 0:
        margin = sp.limit(margin, model.shape, 0)
    margin, slope = margin.subs(model.shape, shape), slope.subs(model.shape, shape)
    margin = sp.expand_log(margin, force=True)
    served = margin / (2 * model.delta)
    tokens = reduced.tokens
    quantities = {
        "n": n,
        "d": tokens,
        "t": served,
        "train_flops": training_flops(n, tokens),
        "train_cost": training_cost(n, tokens, model.efficiency),
        "profit": margin**2 / (4 * model.delta) - training_cost(n, tokens, model.efficiency),
        "compute_ratio": inference_flops(n, served) / training_flops(n, tokens),
    }
    return FocPieces(sp.expand(margin + serving), serving, sp.expand(slope + serving),
                     sp.expand(2 * model.delta * n * reduced.training_slope), quantities,
                     margin**2 / (4 * model.delta))


@dataclass(frozen=True)
class RateRegime:
    """One dominant balance: the law of n*, of every quantity, and where it holds."""

    name: str
    kind: str                       # "rate" or "bound"
    balance: str                    # which terms balance, in words
    law: PowerLaw                   # n* ~ C E^k (log E)^m
    quantities: dict[str, Leading]  # law of each quantity in QUANTITIES
    conditions: tuple[sp.Basic, ...]  # exponent inequalities making the neglected terms small
    holds_as_e_grows: bool          # conditions true at the reference point


@dataclass(frozen=True)
class ComputeBoundGrowth:
    """The compute-bound regimes and their crossover, at one sign case of gamma."""

    shape: sp.Expr
    inference: RateRegime
    training: RateRegime
    bound: RateRegime
    crossover: sp.Expr              # E_c where the two rates' n* laws meet
    ratio_identity: sp.Eq           # (n_peak/n)^(1 + alpha gamma) = 1 + (1 + alpha/beta)/r
    peak_condition: sp.Basic = sp.true  # the margin has an interior peak n_peak
    has_peak: bool = True           # peak_condition at the reference point

    @property
    def limit(self) -> RateRegime:
        """The regime that holds as E -> infinity with everything else fixed."""
        if self.training.holds_as_e_grows or not self.has_peak:
            return self.training
        return self.inference


def _leading(expr: sp.Expr, law: PowerLaw, reference: dict) -> Leading:
    return leading_in(expr, law, n, E, reference)


def _smaller(small: Leading, large: Leading, reference: dict) -> tuple[sp.Basic, bool]:
    """Condition that ``small`` grows strictly slower than ``large``, and its value."""
    gap = sp.simplify(large.law.exponent - small.law.exponent)
    log_gap = sp.simplify(large.law.log_power - small.law.log_power)
    if gap == 0:
        condition = sp.Gt(log_gap, 0)
    else:
        condition = sp.Gt(gap, 0)
    return condition, decide(condition, reference)


def _regime(name: str, kind: str, words: str, law: PowerLaw, pieces: FocPieces,
            checks: list[tuple[sp.Expr, sp.Expr]], reference: dict,
            training_negligible: bool = False, requires: sp.Basic = sp.true) -> RateRegime:
    """The laws of every quantity under ``law``.

    Where the balance neglects training (``training_negligible``), profit is
    taken as delta t*^2 alone: the training cost 6nd/E is of the order of R,
    which the balance drops, so its power of E must not lead the profit law
    even when it grows faster than the revenue while still smaller.
    """
    expressions = dict(pieces.quantities)
    if training_negligible:
        expressions["profit"] = pieces.gross_profit
    quantities = {q: _leading(expr, law, reference) for q, expr in expressions.items()}
    conditions = [] if requires == sp.true else [requires]
    holds = decide(requires, reference)
    for small, large in checks:
        condition, value = _smaller(_leading(small, law, reference),
                                    _leading(large, law, reference), reference)
        conditions.append(sp.simplify(condition))
        holds = holds and value
    return RateRegime(name, kind, words, law, quantities, tuple(conditions), holds)


def _leading_term(expr: sp.Expr, reference: dict) -> sp.Expr:
    """The term of ``expr`` that grows fastest in n (decided at the reference point)."""
    law = PowerLaw(sp.S.One, sp.S.One)  # n ~ E: compares powers of n
    terms = sp.Add.make_args(sp.expand(expr))
    leading = [(t, _leading(t, law, reference).law) for t in terms]
    best = leading[0]
    for term, term_law in leading[1:]:
        gap = sp.simplify(term_law.exponent - best[1].exponent)
        log_gap = sp.simplify(term_law.log_power - best[1].log_power)
        if (gap != 0 and decide(sp.Gt(gap, 0), reference)) or (
                gap == 0 and decide(sp.Gt(log_gap, 0), reference)):
            best = (term, term_law)
    return best[0]


def derive_compute_bound_growth(model: ProfitModel, reference: dict,
                                shape: sp.Expr = gamma) -> ComputeBoundGrowth:
    """Regimes of n*(E) as E -> oo; ``reference`` fixes which terms lead (sign of gamma etc.)."""
    pieces = derive_foc_pieces(model, shape)
    A, Q, U, R = pieces.revenue, pieces.serving, pieces.marginal, pieces.training
    U_lead, A_lead = _leading_term(U, reference), _leading_term(A, reference)
    law_inference = balance(U_lead, Q, n, E)
    law_training = balance(A_lead * U_lead, R, n, E)
    margin_at_peak = sp.expand(A - Q)
    inference = _regime(
        "inference-dominated", "rate", "U = Q (n* -> n_peak): serving cost per token "
        "balances the marginal revenue of quality", law_inference, pieces,
        [(R, sp.expand(Q * margin_at_peak))], reference, training_negligible=True)
    training = _regime(
        "training-dominated", "rate", "A U = R: revenue times marginal revenue balances "
        "the training-cost slope; serving cost negligible", law_training, pieces,
        [(Q, U_lead), (Q, A_lead)], reference, requires=_falling(A_lead * U_lead, R))
    bound = RateRegime("margin bound", "bound", "n* < n_peak: the per-token margin must "
                       "still rise (Theorems 1-2)", law_inference, inference.quantities,
                       (), True)
    peak_condition = _falling(U_lead, Q)
    return ComputeBoundGrowth(shape, inference, training, bound,
                              _crossover(law_training, law_inference),
                              _ratio_identity(model, pieces), peak_condition,
                              decide(peak_condition, reference))


def _falling(left: sp.Expr, right: sp.Expr) -> sp.Basic:
    """left/right, a power n^p of n on the kink (times powers of log n), falls with n: p < 0.

    A balance left = right has a root that tracks E only where left/right falls: for
    U = Q that is the margin's interior peak (1 + alpha gamma > 0 for the paper's law;
    otherwise there is no n_peak, no margin bound and no inference-dominated window);
    for A U = R it is 1 + alpha/beta + 2 alpha gamma > 0 when gamma < 0 (otherwise the
    training-dominated balance holds in no window).
    """
    power = to_monomial(sp.factor(left), n, E).power - to_monomial(sp.factor(right), n, E).power
    return sp.Gt(sp.simplify(-power), 0)


def _crossover(first: PowerLaw, second: PowerLaw) -> sp.Expr:
    """E_c at which the two laws of n* meet.

    With u = log E, s = k1 - k2 and L = log(C2/C1): s u + m1 log u = L (second has no
    log factor).  Without a log factor u = L/s; with one, u = (m1/s) W_{-1}((s/m1) e^(L/m1))
    (the branch giving the large root; no real crossover if the argument is below -1/e).
    """
    if second.log_power != 0:
        raise ValueError("the second law must be a pure power")
    s = sp.simplify(first.exponent - second.exponent)
    ratio = sp.powsimp(second.coefficient / first.coefficient, force=True)
    if first.log_power == 0:
        return sp.powsimp(ratio ** (1 / s), force=True)
    m = first.log_power
    return sp.exp((m / s) * sp.LambertW((s / m) * ratio ** (1 / m), -1))


def _ratio_identity(model: ProfitModel, pieces: FocPieces) -> sp.Eq:
    """(U/Q) - 1 = (1 + alpha/beta)/r at the optimum, r = 2nt/(6nd), from the condition."""
    r = sp.Symbol("r", positive=True)
    # At the optimum (A - Q)(U - Q) = R with A - Q = 2 delta t; eliminate t through r.
    ratio = pieces.quantities["compute_ratio"]
    served = pieces.quantities["t"]
    u_over_q = sp.Symbol("U/Q", positive=True)
    tokens_from_ratio = sp.solve(sp.Eq(ratio.subs(served, t), r), t)
    # Q (U/Q - 1) * 2 delta t = R  ->  U/Q - 1 = R / (2 delta t Q)
    (t_of_r,) = tokens_from_ratio if tokens_from_ratio else (None,)
    rhs = sp.simplify(pieces.training / (2 * model.delta * t_of_r * pieces.serving))
    return sp.Eq(u_over_q - 1, rhs)


def derive_data_bound_growth(model: ProfitModel, variable: sp.Symbol,
                             reference: dict) -> RateRegime:
    """Laws of the corner optimum (d* = D) in ``variable`` (E or the cap D).

    n* = n(D) does not depend on E; in D it is (b/a)^(1/alpha) D^(beta/alpha).  Only
    n, d, training FLOPs and spend are listed in D: t* and profit are not power laws in
    D inside the window where the cap binds.
    """
    from .regimes import derive_data_bound_corner

    pieces = derive_foc_pieces(model)
    corner = derive_data_bound_corner(model, ())
    if variable == model.data_cap:
        monomial = sp.powsimp(sp.expand_power_base(corner.parameters, force=True), force=True)
        coefficient, exponent = monomial.as_coeff_exponent(variable)
        law = PowerLaw(coefficient, exponent)
        names = ("n", "d", "train_flops", "train_cost")
    else:
        law = PowerLaw(corner.parameters, sp.S.Zero)
        names = QUANTITIES
    quantities = {q: leading_in(pieces.quantities[q], law, n, variable, reference)
                  for q in names}
    return RateRegime("data-bound", "rate", "corner d* = D, n* = n(D) while the cap binds",
                      law, quantities, (), True)
