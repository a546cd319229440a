"""Scaling laws: quality q(n, d) and the efficient frontier of inputs.

A law exposes its quality function and the frontier d(n) on which neither
input is wasted, so callers never depend on its functional form.

- :class:`Leontief`, ``q = min(a n^alpha, b d^beta)``, is the paper's: its frontier is
  the kink, and n and d are perfect complements (elasticity of substitution 0).
- :class:`CES`, ``q = (A n^(-alpha r) + B d^(-beta r))^(-1/r)`` with r > 0, is a
  constant-elasticity family *in the two arms* n^alpha and d^beta.  At r = 1 it is the
  additive (Chinchilla) law written as quality, ``q = 1/(A n^-alpha + B d^-beta)``, the
  reducible loss inverted (:func:`additive`).  With A = a^-r and B = b^-r it tends to
  the Leontief law as r -> infinity.  So one family holds both the paper's law and
  Appendix B's, and r measures how far apart they are.  Why this parametrization and
  not ``(a n^-r + b d^-r)^(-1/r)``: the latter has returns to scale 1 in (n, d), so it
  cannot match Chinchilla's exponents, which differ between n and d.
- Smooth laws take the compute-optimal path as their frontier: 6nd minimized at fixed
  q, where the output elasticities n q_n/q and d q_d/q are equal.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import sympy as sp

from .algebra import unique_positive_root
from .symbols import A, B, a, alpha, b, beta, r


class ScalingLaw(ABC):
    """Quality as a function of parameters n and training tokens d."""

    @abstractmethod
    def quality(self, n: sp.Expr, d: sp.Expr) -> sp.Expr:
        """q(n, d)."""

    @abstractmethod
    def frontier_tokens(self, n: sp.Expr) -> sp.Expr:
        """d(n): the tokens that go with n on the efficient frontier."""

    @abstractmethod
    def frontier_parameters(self, d: sp.Expr) -> sp.Expr:
        """n(d): the inverse of the frontier."""

    @abstractmethod
    def frontier_quality(self, n: sp.Expr) -> sp.Expr:
        """q(n, d(n)): quality along the frontier."""


class MinOfTwoArms(ScalingLaw):
    """q = min(A(n), B(d)) for increasing arms A and B: the frontier is the kink A(n) = B(d),
    solved by SymPy (ValueError unless it finds one positive root)."""

    @abstractmethod
    def parameter_arm(self, n: sp.Expr) -> sp.Expr:
        """A(n): the quality that n parameters allow."""

    @abstractmethod
    def data_arm(self, d: sp.Expr) -> sp.Expr:
        """B(d): the quality that d tokens allow."""

    def quality(self, n: sp.Expr, d: sp.Expr) -> sp.Expr:
        """q = min(A(n), B(d))."""
        return sp.Min(self.parameter_arm(n), self.data_arm(d))

    def frontier_tokens(self, n: sp.Expr) -> sp.Expr:
        """d(n) solving A(n) = B(d)."""
        d = sp.Dummy("d", positive=True)
        return unique_positive_root(sp.Eq(self.parameter_arm(n), self.data_arm(d)), d)

    def frontier_parameters(self, d: sp.Expr) -> sp.Expr:
        """n(d) solving A(n) = B(d)."""
        n = sp.Dummy("n", positive=True)
        return unique_positive_root(sp.Eq(self.parameter_arm(n), self.data_arm(d)), n)

    def frontier_quality(self, n: sp.Expr) -> sp.Expr:
        """q(n) = A(n) on the kink."""
        return self.parameter_arm(n)


@dataclass(frozen=True)
class Leontief(MinOfTwoArms):
    """q = min(a n^alpha, b d^beta); the frontier is the kink a n^alpha = b d^beta, where
    d(n) = (a n^alpha / b)^(1/beta) and n(d) = (b d^beta / a)^(1/alpha)."""

    a: sp.Expr = a
    b: sp.Expr = b
    alpha: sp.Expr = alpha
    beta: sp.Expr = beta

    def parameter_arm(self, n: sp.Expr) -> sp.Expr:
        """a n^alpha: the quality that n parameters allow."""
        return self.a * n**self.alpha

    def data_arm(self, d: sp.Expr) -> sp.Expr:
        """b d^beta: the quality that d tokens allow."""
        return self.b * d**self.beta

    def tokens_per_parameter(self) -> sp.Expr:
        """rho = d(n)/n at alpha = beta: (a/b)^(1/alpha), free of n."""
        n = sp.Dummy("n", positive=True)
        ratio = self.frontier_tokens(n).subs(self.beta, self.alpha) / n
        return sp.powsimp(sp.simplify(ratio), force=True)


@dataclass(frozen=True)
class MinOfArms(MinOfTwoArms):
    """q = min(A(n), B(d)) for two increasing arms given as expressions in n and in d
    (a model file's law)."""

    parameters_arm: sp.Expr  # A(n), an expression in the symbol n
    tokens_arm: sp.Expr      # B(d), an expression in the symbol d
    n: sp.Symbol = sp.Symbol("n", positive=True)
    d: sp.Symbol = sp.Symbol("d", positive=True)

    def parameter_arm(self, n: sp.Expr) -> sp.Expr:
        """A(n)."""
        return self.parameters_arm.subs(self.n, n)

    def data_arm(self, d: sp.Expr) -> sp.Expr:
        """B(d)."""
        return self.tokens_arm.subs(self.d, d)


class SmoothLaw(ScalingLaw):
    """A law differentiable in n and d.  Its frontier is the compute-optimal path, where
    6nd is least at fixed quality, i.e. where the output elasticities are equal
    (n q_n = d q_d), solved by SymPy."""

    def output_elasticities(self, n: sp.Expr, d: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
        """(n q_n / q, d q_d / q): the quality elasticities of parameters and of tokens."""
        quality = self.quality(n, d)
        return (sp.simplify(n * sp.diff(quality, n) / quality),
                sp.simplify(d * sp.diff(quality, d) / quality))

    def frontier_tokens(self, n: sp.Expr) -> sp.Expr:
        """d(n) on the compute-optimal path (equal output elasticities)."""
        n_, d_ = sp.Dummy("n", positive=True), sp.Dummy("d", positive=True)
        e_n, e_d = self.output_elasticities(n_, d_)
        return unique_positive_root(sp.Eq(e_n, e_d), d_).subs(n_, n)

    def frontier_parameters(self, d: sp.Expr) -> sp.Expr:
        """n(d) on the compute-optimal path."""
        n_, d_ = sp.Dummy("n", positive=True), sp.Dummy("d", positive=True)
        e_n, e_d = self.output_elasticities(n_, d_)
        return unique_positive_root(sp.Eq(e_n, e_d), n_).subs(d_, d)

    def frontier_quality(self, n: sp.Expr) -> sp.Expr:
        """q(n, d(n)) on the compute-optimal path."""
        return self.quality(n, self.frontier_tokens(n))


@dataclass(frozen=True)
class CES(SmoothLaw):
    """q = (A n^(-alpha r) + B d^(-beta r))^(-1/r), r > 0: constant elasticity 1/(1 + r)
    between the arms n^alpha and d^beta; r = 1 is the additive law."""

    A: sp.Expr = A
    B: sp.Expr = B
    alpha: sp.Expr = alpha
    beta: sp.Expr = beta
    r: sp.Expr = r

    def quality(self, n: sp.Expr, d: sp.Expr) -> sp.Expr:
        """q = (A n^(-alpha r) + B d^(-beta r))^(-1/r)."""
        return (self.A * n**(-self.alpha * self.r)
                + self.B * d**(-self.beta * self.r))**(-1 / self.r)

    def reducible_loss(self, n: sp.Expr, d: sp.Expr) -> sp.Expr:
        """q^-r = A n^(-alpha r) + B d^(-beta r) (at r = 1, Chinchilla's L - E0)."""
        return self.A * n**(-self.alpha * self.r) + self.B * d**(-self.beta * self.r)


def additive(A_: sp.Expr = A, B_: sp.Expr = B, alpha_: sp.Expr = alpha,
             beta_: sp.Expr = beta) -> CES:
    """The additive (Chinchilla) law as quality, q = 1/(A n^-alpha + B d^-beta): the
    member r = 1 of the CES family."""
    return CES(A_, B_, alpha_, beta_, sp.Integer(1))
