"""The elasticity of substitution between parameters n and tokens d of a smooth law.

Definition (the direct elasticity along an isoquant; for two inputs it equals Allen's
and Hicks's):

    sigma = d log(d/n) / d log(q_n/q_d)   at fixed q,

how fast the input ratio turns as the marginal rate of technical substitution
q_n/q_d changes along the isoquant q(n, d) = const.  Written with first and second
derivatives (implicit differentiation along the isoquant):

    sigma = q_n q_d (n q_n + d q_d) / (n d (2 q_n q_d q_nd - q_n^2 q_dd - q_d^2 q_nn)).

sigma depends only on the isoquants, so any increasing transform of q has the same sigma;
sigma = 1 for Cobb-Douglas, sigma -> 0 for the Leontief law (perfect complements).

For the CES family q = (A n^(-alpha r) + B d^(-beta r))^(-1/r) (r = 1: the additive
Chinchilla law) SymPy finds, with s = n^alpha / d^beta the ratio of the arms,

    sigma = (A alpha d^(beta r) + B beta n^(alpha r))
            / (A alpha (1 + beta r) d^(beta r) + B beta (1 + alpha r) n^(alpha r)),

a weighted mediant of 1/(1 + beta r) (s -> 0) and 1/(1 + alpha r) (s -> infinity),
monotone in s with the sign of beta - alpha; 1/(1 + alpha r) at alpha = beta; on the
compute-optimal path (n q_n = d q_d) it is 2/(2 + r (alpha + beta)).  Every one of these
is derived here by SymPy, not typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from .algebra import unique_positive_root
from .scaling import CES, SmoothLaw
from .symbols import d, n

#: The ratio of the arms, s = n^alpha / d^beta, in which sigma of the CES family is written.
s = sp.Symbol("s", positive=True)
#: The ratio of the two terms of the reducible loss, c = A n^(-alpha r) / (B d^(-beta r)).
c = sp.Symbol("c", positive=True)


def elasticity_of_substitution(quality: sp.Expr, n_: sp.Symbol = n, d_: sp.Symbol = d
                               ) -> sp.Expr:
    """sigma = q_n q_d (n q_n + d q_d) / (n d (2 q_n q_d q_nd - q_n^2 q_dd - q_d^2 q_nn)),
    simplified (the closed form from first and second derivatives)."""
    qn, qd = sp.diff(quality, n_), sp.diff(quality, d_)
    qnn, qdd, qnd = sp.diff(quality, n_, 2), sp.diff(quality, d_, 2), sp.diff(quality, n_, d_)
    sigma = qn * qd * (n_ * qn + d_ * qd) / (
        n_ * d_ * (2 * qn * qd * qnd - qn**2 * qdd - qd**2 * qnn))
    return sp.simplify(sigma)


def isoquant_elasticity(quality: sp.Expr, n_: sp.Symbol = n, d_: sp.Symbol = d) -> sp.Expr:
    """sigma from its definition, a second route to :func:`elasticity_of_substitution`.

    With x = log n, y = log d and m = log(q_n/q_d): along the isoquant
    dy/dx = -n q_n / (d q_d) (implicit function theorem), d log(d/n)/dx = dy/dx - 1 and
    d m/dx = n m_n + d m_d dy/dx, so sigma = (dy/dx - 1) / (n m_n + d m_d dy/dx).
    """
    qn, qd = sp.diff(quality, n_), sp.diff(quality, d_)
    slope = -n_ * qn / (d_ * qd)
    m = sp.log(qn / qd)
    turn = n_ * sp.diff(m, n_) + d_ * sp.diff(m, d_) * slope
    return sp.simplify((slope - 1) / turn)


def readable(sigma: sp.Expr, variables: tuple[sp.Symbol, ...] = (n, d)) -> sp.Expr:
    """sigma as numerator / denominator with the denominator collected by the monomials in
    ``variables`` that the numerator holds (A alpha (beta + 1) d^beta + B beta (alpha + 1)
    n^alpha)."""
    numerator, denominator = sp.fraction(sp.factor(sigma))
    monomials = sorted({term.as_independent(*variables)[1]
                        for term in sp.Add.make_args(sp.expand(numerator))} - {sp.S.One},
                       key=sp.srepr)
    if not monomials:
        return sp.simplify(sigma)
    collected = sp.collect(sp.expand(denominator), monomials, sp.factor)
    return sp.Mul(numerator, sp.Pow(collected, -1))


def in_arm_ratio(sigma: sp.Expr, law: CES) -> sp.Expr:
    """sigma written in s = n^alpha/d^beta: n = (s d^beta)^(1/alpha) substituted; for the
    CES family the result is free of d (sigma depends on (n, d) only through s)."""
    ratio = sp.powsimp(sp.expand_power_base(
        sigma.subs(n, (s * d**law.beta)**(1 / law.alpha)), force=True), force=True)
    return readable(sp.simplify(ratio), (s,))


def tokens_at_term_ratio(law: CES, ratio: sp.Expr = c) -> sp.Expr:
    """d(n) with A n^(-alpha r) = ratio B d^(-beta r): d = (ratio B n^(alpha r)/A)^(1/(beta r))
    (ratio = 1 is where the two terms of the reducible loss are equal)."""
    d_ = sp.Dummy("d", positive=True)
    terms = sp.Eq(law.A * n**(-law.alpha * law.r), ratio * law.B * d_**(-law.beta * law.r))
    return unique_positive_root(terms, d_)


@dataclass(frozen=True)
class Substitution:
    """What SymPy derives about sigma for one smooth law (every field an expression)."""

    law: SmoothLaw
    sigma: sp.Expr            # closed form in n, d, readable ratio
    by_definition: sp.Expr    # the same from the isoquant definition (second route)
    equal_exponents: sp.Expr  # sigma at beta = alpha
    frontier_tokens: sp.Expr  # d(n) on the compute-optimal path
    compute_optimal: sp.Expr  # sigma on that path
    in_ratio: sp.Expr         # sigma as a function of s = n^alpha/d^beta
    low: sp.Expr              # limit s -> 0 (tokens abundant relative to parameters)
    high: sp.Expr             # limit s -> infinity
    slope: sp.Expr            # d sigma / d s


@lru_cache(maxsize=8)
def derive_substitution(law: CES) -> Substitution:
    """sigma of a CES-family law (r = 1: additive) and everything derived from it: its
    value at alpha = beta, on the compute-optimal path, as a function of s and its limits
    and slope in s."""
    quality = law.quality(n, d)
    sigma = elasticity_of_substitution(quality)
    frontier = law.frontier_tokens(n)
    ratio = in_arm_ratio(sigma, law)
    return Substitution(
        law=law,
        sigma=readable(sigma),
        by_definition=isoquant_elasticity(quality),
        equal_exponents=sp.simplify(sigma.subs(law.beta, law.alpha)),
        frontier_tokens=frontier,
        compute_optimal=sp.simplify(sp.powsimp(sp.expand_power_base(
            sigma.subs(d, frontier), force=True), force=True)),
        in_ratio=ratio,
        low=sp.simplify(sp.limit(ratio, s, 0)),
        high=sp.simplify(sp.limit(ratio, s, sp.oo)),
        slope=sp.factor(sp.simplify(sp.diff(ratio, s))),
    )


def between_bounds(sigma_in_ratio: sp.Expr, low: sp.Expr, high: sp.Expr) -> sp.Expr:
    """(sigma - low)(sigma - high), simplified: <= 0 for all s means sigma lies between its
    two limits (for the CES family, -(product) is a square times positive factors)."""
    return sp.factor(sp.simplify((sigma_in_ratio - low) * (sigma_in_ratio - high)))


def leontief_limit(law: CES) -> sp.Expr:
    """lim_{r -> infinity} of both bounds 1/(1 + alpha r), 1/(1 + beta r) of sigma: as
    sigma lies between them at every (n, d) (uniformly in A, B, so also with A = a^-r,
    B = b^-r), sigma -> 0 at every point: the Leontief law has sigma = 0."""
    if not isinstance(law.r, sp.Symbol):
        raise ValueError(f"the Leontief limit takes a CES law with a symbolic r, not r = {law.r}")
    sub = derive_substitution(law)
    limits = {sp.limit(bound, law.r, sp.oo) for bound in (sub.low, sub.high)}
    if len(limits) != 1:
        raise ValueError(f"the bounds of sigma tend to different limits: {limits}")
    return limits.pop()


def input_limits(law: CES) -> tuple[sp.Expr, sp.Expr]:
    """(lim_{d -> oo} sigma at fixed n, lim_{n -> oo} sigma at fixed d): s = n^alpha/d^beta
    -> 0 and -> infinity reached through the inputs themselves (a second route to the
    limits in s)."""
    sigma = derive_substitution(law).sigma
    return (sp.simplify(sp.limit(sigma, d, sp.oo)), sp.simplify(sp.limit(sigma, n, sp.oo)))


def path_arm_ratio(law: CES) -> sp.Expr:
    """s = n^alpha / d^beta on the compute-optimal path, where d = d(n) (for the CES family
    a constant, (A alpha / (B beta))^(1/r))."""
    frontier = derive_substitution(law).frontier_tokens
    return sp.simplify(sp.powsimp(sp.expand_power_base(
        n**law.alpha / frontier**law.beta, force=True), force=True))
