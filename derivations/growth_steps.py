"""Proof steps shared by the growth records: pieces, balances, crossover, ratio identity."""

from __future__ import annotations

import sympy as sp

from ..symbolic.growth import ComputeBoundGrowth
from ..symbolic.symbols import E, alpha, beta
from .record import Rule, Step


def growth_steps(g: ComputeBoundGrowth) -> tuple[Step, ...]:
    """The dominant-balance derivation of the compute-bound rates, as proof steps."""
    A, Q, U, R = (sp.Symbol(s) for s in ("A", "Q", "U", "R"))
    n_star, n_t, e_c = sp.Symbol("n^{*}"), sp.Symbol("n_{T}"), sp.Symbol("E_{c}")
    return (
        Step("pieces", sp.Eq((A - Q) * (U - Q), R), Rule.SUBSTITUTE,
             r"Reduced condition $m \, (n m') = 2\delta n T(n)$ with $A = \omega f_\gamma(q)$, "
             r"$Q = 2n/E$, $U = \omega\alpha q^{-\gamma}$ and "
             r"$R = 12\delta (1 + \alpha/\beta) \, n \, d(n)/E$."),
        Step("inference-balance", sp.Eq(n_star, g.inference.law.expr(E)), Rule.SOLVE,
             r"Balance $U = Q$ (the margin peaks): the inference-dominated rate and the bound.",
             ("pieces",)),
        Step("training-balance", sp.Eq(n_t, g.training.law.expr(E)), Rule.SOLVE,
             r"Balance $A U = R$ with $Q$ negligible: the training-dominated rate.", ("pieces",)),
        Step("training-homogeneous", sp.Eq(n_t, g.training.law.expr(E).subs(beta, alpha)),
             Rule.SUBSTITUTE, r"The homogeneous case $\alpha = \beta$.", ("training-balance",)),
        Step("crossover", sp.Eq(e_c, g.crossover), Rule.SOLVE,
             r"The two laws meet at $E_c$.", ("inference-balance", "training-balance")),
        Step("ratio", g.ratio_identity, Rule.SUBSTITUTE,
             r"With $r = 2nt/(6nd)$ at the optimum and "
             r"$U/Q = (n_{\mathrm{peak}}/n)^{1 + \alpha\gamma}$.", ("pieces",)),
    )
