"""The demand link f_gamma(q): share of consumers whose quality threshold q is met.

Thresholds have density proportional to ``s^-(1+gamma)`` on ``s >= 1``, so

    f_gamma(q) = integral_1^q s^-(1+gamma) ds = (1 - q^-gamma) / gamma,

and ``f_0(q) = log q`` is obtained as the limit ``gamma -> 0``.  The lower
limit 1 and the unit normalization are the toolkit's named choice
(``THRESHOLD_FLOOR``); the paper's are not known.

A form that stays finite and accurate through ``gamma = 0`` is the opaque
function ``demand_exp(L, gamma) = f_gamma(e^L) = L exprel(-gamma L)`` with
``exprel(z) = (e^z - 1)/z``; its L-derivative ``e^(-gamma L)`` is exact, so
derivatives built from it never divide by gamma.
"""

from __future__ import annotations

import sympy as sp

from .symbols import gamma, q

#: Lower end of the threshold distribution (named modelling choice).
THRESHOLD_FLOOR = sp.S.One


class exprel(sp.Function):
    """exprel(z) = (e^z - 1)/z with exprel(0) = 1; entire in z."""

    @classmethod
    def eval(cls, z):  # noqa: D102 - SymPy hook
        if z.is_zero:
            return sp.S.One
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        z = self.args[0]
        return (sp.exp(z) - exprel(z)) / z

    def _eval_rewrite_as_exp(self, z, **kwargs):  # noqa: D102 - SymPy hook
        return (sp.exp(z) - 1) / z


class demand_exp(sp.Function):
    """demand_exp(L, gamma) = f_gamma(e^L) = L exprel(-gamma L); d/dL = e^(-gamma L)."""

    nargs = 2

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise sp.ArgumentIndexError(self, argindex)
        log_q, shape = self.args
        return sp.exp(-shape * log_q)

    def _eval_rewrite_as_exprel(self, log_q, shape, **kwargs):  # noqa: D102 - SymPy hook
        return log_q * exprel(-shape * log_q)

    def _eval_rewrite_as_exp(self, log_q, shape, **kwargs):  # noqa: D102 - SymPy hook
        return (1 - sp.exp(-shape * log_q)) / shape


def threshold_density(s: sp.Expr, shape: sp.Expr = gamma) -> sp.Expr:
    """Unnormalized density of consumer quality thresholds: s^-(1+gamma)."""
    return s ** (-(1 + shape))


def derive_demand_link(quality: sp.Expr = q, shape: sp.Expr = gamma) -> sp.Expr:
    """f_gamma(q) = integral_{floor}^{q} s^-(1+gamma) ds, for gamma != 0."""
    s = sp.Symbol("s", positive=True)
    integral = sp.integrate(threshold_density(s, shape), (s, THRESHOLD_FLOOR, quality),
                            conds="none")
    return sp.simplify(sp.piecewise_fold(integral).args[0][0]
                       if isinstance(integral, sp.Piecewise) else integral)


def demand_link(quality: sp.Expr = q, shape: sp.Expr = gamma) -> sp.Expr:
    """f_gamma(q) = (1 - q^-gamma)/gamma (the family, singular at gamma = 0)."""
    return (1 - quality ** (-shape)) / shape


def derive_log_limit(quality: sp.Expr = q) -> sp.Expr:
    """f_0(q) = lim_{gamma -> 0} (1 - q^-gamma)/gamma, computed by SymPy."""
    return sp.limit(demand_link(quality, gamma), gamma, 0)


def stable_demand_link(quality: sp.Expr = q, shape: sp.Expr = gamma) -> sp.Expr:
    """f_gamma(q) = demand_exp(log q, gamma); equal to the family, finite at gamma = 0."""
    return demand_exp(sp.log(quality), shape)


def derive_demand_slope(quality: sp.Expr = q, shape: sp.Expr = gamma) -> sp.Expr:
    """f'_gamma(q) = q^-(1+gamma), valid for every gamma including 0."""
    return sp.powsimp(sp.simplify(sp.diff(demand_link(quality, shape), quality)))


def derive_demand_curvature(quality: sp.Expr = q, shape: sp.Expr = gamma) -> sp.Expr:
    """f''_gamma(q) = -(1+gamma) q^-(2+gamma): f is concave iff gamma >= -1."""
    return sp.factor(sp.simplify(sp.diff(demand_link(quality, shape), quality, 2)))
