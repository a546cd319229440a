"""Sardana et al.'s inference-aware frontier: conditions and comparative statics in T."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from profitopt.symbolic.inference_frontier import (LIFETIME_TOKENS, derive_frontier_conditions,
                                                   derive_frontier_statics)
from profitopt.symbolic.scaling import CES, additive
from profitopt.symbolic.symbols import A, B, alpha, beta, d, n

T = LIFETIME_TOKENS


class TestConditions:
    """Least 6nd + 2nT at fixed q: lambda = 6n/q_d and n q_n/(d q_d) = 1 + T/(3d)."""

    def test_tangency(self):
        frontier = derive_frontier_conditions()
        assert sp.simplify(frontier.ratio - (1 + T / (3 * d))) == 0

    def test_multiplier(self):
        frontier = derive_frontier_conditions()
        q_d = frontier.multiplier.as_numer_denom()[1]
        assert sp.simplify(frontier.multiplier * q_d - 6 * n) == 0


class TestStatics:
    """At fixed quality dn/dT < 0 < dd/dT for the additive law and every CES curvature."""

    @pytest.mark.parametrize("law", [pytest.param(additive(), id="additive"),
                                     pytest.param(CES(), id="ces")])
    def test_signs(self, law):
        statics = derive_frontier_statics(law)
        assert statics.size_slope_signed.is_negative
        assert statics.token_slope_signed.is_positive

    @pytest.mark.parametrize("law", [pytest.param(additive(), id="additive"),
                                     pytest.param(CES(), id="ces")])
    def test_signed_form_is_cramer(self, law):
        statics = derive_frontier_statics(law)
        assert sp.simplify(statics.size_slope.subs(A, statics.eliminated)
                           - statics.size_slope_signed) == 0


# scipy (a test dependency) gives the independent float64 frontier
import scipy.optimize as scipy_optimize  # noqa: E402


def _frontier(T_value, q_bar, A_, B_, al, be):
    """(n, d) minimizing 6nd + 2nT on 1/(A n^-al + B d^-be) = q_bar, by bounded scalar
    minimization in log n (float64; not the Lagrange conditions)."""
    z_min = math.log(A_ * q_bar) / al

    def tokens(z):
        return ((1 / q_bar - A_ * math.exp(-al * z)) / B_) ** (-1 / be)

    def cost(z):
        return math.log(6 * math.exp(z) * tokens(z) + 2 * math.exp(z) * T_value)

    result = scipy_optimize.minimize_scalar(cost, bounds=(z_min + 1e-9, z_min + 60),
                                            method="bounded", options={"xatol": 1e-12})
    return math.exp(result.x), tokens(result.x)


class TestNumericFrontier:
    """A float64 frontier solved by bounded minimization moves as the derived slopes say:
    central differences of log n and log d in log T match T dn/dT / n and T dd/dT / d to
    1e-3 (Hoffmann et al.'s coefficients, q_bar = 5, T = 1e12)."""

    def test_slopes(self):
        point = dict(A_=406.4, B_=410.7, al=0.34, be=0.28)
        q_bar, T0, h = 5.0, 1e12, 1e-3
        up = _frontier(T0 * math.exp(h), q_bar, **point)
        down = _frontier(T0 * math.exp(-h), q_bar, **point)
        n0, d0 = _frontier(T0, q_bar, **point)
        numeric = [(math.log(u) - math.log(v)) / (2 * h) for u, v in zip(up, down)]
        statics = derive_frontier_statics(additive())
        values = {n: n0, d: d0, T: T0, B: point["B_"], alpha: point["al"], beta: point["be"]}
        size = float((statics.size_slope_signed * T / n).subs(values))
        tokens = float((statics.token_slope_signed * T / d).subs(values))
        assert size < 0 < tokens
        assert numeric[0] == pytest.approx(size, rel=1e-3)
        assert numeric[1] == pytest.approx(tokens, rel=1e-3)
