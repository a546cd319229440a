"""Scaling laws: quality q(n, d) and the efficient frontier of inputs.

A law exposes its quality function and the frontier d(n) on which neither
input is wasted, so callers never depend on its functional form.  The
Leontief law ``q = min(a n^alpha, b d^beta)`` is the paper's; an additive
law can be added beside it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import sympy as sp

from .algebra import unique_positive_root
from .symbols import a, alpha, b, beta


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
