"""An independent mpmath transcription of the model, for the numeric tests to check against.

Everything here is written from the model's definition (docs/model.md),
not from the package's SymPy expressions or kernels:

    pi(n, d, t) = omega t f(q) - delta t^2 - (6 n d + 2 n t)/E,   q = min(a n^alpha, b d^beta),
    f(q) = (1 - q^-gamma)/gamma  (log q at gamma = 0),

and, on the kink d(n) = (a n^alpha / b)^(1/beta) with t = t*(n) = m(n)/(2 delta),

    Pi(n) = m^2/(4 delta) - 6 n d(n)/E,   m(n) = omega f(a n^alpha) - 2n/E,
    n Pi'(n) = m (n m')/(2 delta) - (1 + alpha/beta) 6 n d(n)/E,
    n m'(n) = omega alpha q^-gamma - 2n/E.

Functions work at the caller's mpmath precision (use ``with mp.workdps(50):``).
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import pytest
from mpmath import mpf


@dataclass(frozen=True)
class MpModel:
    """One parameter set; float inputs convert to mpf exactly (53 bits fit in any precision)."""

    alpha: float
    beta: float
    gamma: float
    a: float
    b: float
    omega: float
    delta: float
    E: float
    D: float | None = None

    def param(self, name: str) -> mpf:
        """The parameter as an mpf."""
        return mpf(getattr(self, name))

    def link(self, log_q) -> mpf:
        """f_gamma(e^L) = -expm1(-gamma L)/gamma, and L at gamma = 0 (no cancellation)."""
        gamma = self.param("gamma")
        if gamma == 0:
            return mpf(log_q)
        return -mpmath.expm1(-gamma * log_q) / gamma

    def objective(self, n, d, t) -> mpf:
        """pi(n, d, t) with q = min(a n^alpha, b d^beta)."""
        n, d, t = mpf(n), mpf(d), mpf(t)
        log_q = min(mpmath.log(self.param("a")) + self.param("alpha") * mpmath.log(n),
                    mpmath.log(self.param("b")) + self.param("beta") * mpmath.log(d))
        return (self.param("omega") * t * self.link(log_q) - self.param("delta") * t**2
                - (6 * n * d + 2 * n * t) / self.param("E"))

    def log_quality(self, x) -> mpf:
        """log q on the kink at x = log n."""
        return mpmath.log(self.param("a")) + self.param("alpha") * x

    def tokens(self, x) -> mpf:
        """d(n) = (a n^alpha / b)^(1/beta) at x = log n."""
        return mpmath.exp((self.log_quality(x) - mpmath.log(self.param("b"))) / self.param("beta"))

    def margin(self, x) -> mpf:
        """m = omega f(q) - 2n/E = 2 delta t*."""
        return self.param("omega") * self.link(self.log_quality(x)) - 2 * mpmath.exp(x) / self.param("E")

    def served(self, x) -> mpf:
        """t*(n) = m / (2 delta)."""
        return self.margin(x) / (2 * self.param("delta"))

    def profit(self, x) -> mpf:
        """Pi on the kink with t = t*: m^2/(4 delta) - 6 n d(n)/E."""
        return (self.margin(x) ** 2 / (4 * self.param("delta"))
                - 6 * mpmath.exp(x) * self.tokens(x) / self.param("E"))

    def profit_slope(self, x) -> mpf:
        """dPi/dx = m (n m')/(2 delta) - (1 + alpha/beta) 6 n d(n)/E, by hand."""
        alpha, beta, gamma = self.param("alpha"), self.param("beta"), self.param("gamma")
        n = mpmath.exp(x)
        slope = (self.param("omega") * alpha * mpmath.exp(-gamma * self.log_quality(x))
                 - 2 * n / self.param("E"))
        return (self.margin(x) * slope / (2 * self.param("delta"))
                - (1 + alpha / beta) * 6 * n * self.tokens(x) / self.param("E"))

    def x_floor(self) -> mpf:
        """q = 1 (f = 0): below it the margin is negative."""
        return -mpmath.log(self.param("a")) / self.param("alpha")

    def x_peak(self) -> mpf:
        """n m' = 0: log(omega alpha E / 2) - gamma log a = (1 + alpha gamma) x (needs 1 + alpha gamma > 0)."""
        alpha, gamma = self.param("alpha"), self.param("gamma")
        return ((mpmath.log(self.param("omega") * alpha * self.param("E") / 2)
                 - gamma * mpmath.log(self.param("a"))) / (1 + alpha * gamma))

    def x_cap(self) -> mpf:
        """log n(D), from a n^alpha = b D^beta."""
        return ((mpmath.log(self.param("b")) + self.param("beta") * mpmath.log(self.param("D"))
                 - mpmath.log(self.param("a"))) / self.param("alpha"))

    def as_kwargs(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in
                ("alpha", "beta", "gamma", "a", "b", "omega", "delta", "E", "D")}


@pytest.fixture(scope="session")
def mp_model() -> type[MpModel]:
    """The independent mpmath model (a class: call it with a parameter set)."""
    return MpModel
