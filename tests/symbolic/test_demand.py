"""The demand link f_gamma(q) = (1 - q^-gamma)/gamma, its log limit and its stable form."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.symbolic.demand import (
    demand_exp,
    demand_link,
    derive_demand_curvature,
    derive_demand_link,
    derive_demand_slope,
    derive_log_limit,
    exprel,
    stable_demand_link,
    threshold_density,
)
from profitopt.symbolic.symbols import gamma, q

#: Working precision (decimal digits) of the 50-digit spot checks below.
DPS = 50
#: Relative tolerance of those spot checks: 10^-40 leaves 10 digits for the
#: cancellation in (1 - q^-gamma)/gamma at |gamma| = 1e-14 (~14 digits lost of 50).
SPOT_RTOL = sp.Float("1e-30", DPS)

L = sp.Symbol("L", real=True)


def _relative_gap(value: sp.Expr, reference: sp.Expr) -> sp.Float:
    value, reference = sp.N(value, DPS), sp.N(reference, DPS)
    return abs(value - reference) / abs(reference)


class TestLogLimit:
    """lim_{gamma -> 0} (1 - q^-gamma)/gamma = log q, computed by SymPy."""

    def test_limit_is_log(self):
        assert sp.simplify(derive_log_limit() - sp.log(q)) == 0

    def test_limit_of_a_named_quality(self):
        z = sp.Symbol("z", positive=True)
        assert sp.simplify(derive_log_limit(z) - sp.log(z)) == 0

    def test_stable_form_at_zero_is_log(self):
        """demand_exp(log q, 0) = log q exprel(0) = log q: no 0/0 at gamma = 0."""
        assert stable_demand_link(q, sp.S.Zero).rewrite(exprel) == sp.log(q)


class TestDerivedIntegral:
    """integral_1^q s^-(1+gamma) ds equals the family (1 - q^-gamma)/gamma."""

    def test_integral_equals_family(self):
        assert sp.simplify(derive_demand_link() - demand_link()) == 0

    def test_density_is_the_derivative_of_the_family(self):
        assert sp.simplify(sp.diff(demand_link(), q) - threshold_density(q)) == 0

    def test_family_vanishes_at_the_threshold_floor(self):
        assert sp.simplify(demand_link(sp.S.One)) == 0

    @pytest.mark.parametrize("shape, expected", [
        pytest.param(sp.S.NegativeOne, q - 1, id="gamma=-1-linear"),
        pytest.param(sp.S.One, 1 - 1 / q, id="gamma=1-bounded"),
        pytest.param(sp.Rational(1, 2), 2 - 2 / sp.sqrt(q), id="gamma=1/2"),
    ])
    def test_family_at_fixed_shapes(self, shape, expected):
        assert sp.simplify(derive_demand_link(q, shape) - expected) == 0


class TestSlope:
    """f'_gamma(q) = q^-(1+gamma) for every gamma, and f'' = -(1+gamma) q^-(2+gamma)."""

    def test_slope(self):
        assert sp.simplify(derive_demand_slope() - q ** (-(1 + gamma))) == 0

    def test_slope_of_log_limit_is_the_slope_at_zero(self):
        assert sp.simplify(sp.diff(derive_log_limit(), q) - derive_demand_slope().subs(gamma, 0)) == 0

    def test_curvature(self):
        assert sp.simplify(derive_demand_curvature() + (1 + gamma) * q ** (-(2 + gamma))) == 0

    def test_slope_is_positive(self):
        assert derive_demand_slope().is_positive is True


class TestStableForm:
    """demand_exp(log q, gamma) = (1 - q^-gamma)/gamma, symbolically and at 50 digits."""

    def test_rewrite_to_exp_equals_family(self):
        stable = stable_demand_link().rewrite(sp.exp)
        assert sp.simplify(stable - demand_link()) == 0

    def test_rewrite_through_exprel_equals_family(self):
        stable = stable_demand_link().rewrite(exprel).rewrite(sp.exp)
        assert sp.simplify(stable - demand_link()) == 0

    def test_l_derivative_is_exact(self):
        """fdiff gives d/dL demand_exp(L, gamma) = e^(-gamma L), as the exp form does."""
        by_fdiff = sp.diff(demand_exp(L, gamma), L)
        by_rewrite = sp.diff(demand_exp(L, gamma).rewrite(sp.exp), L)
        assert sp.simplify(by_fdiff - by_rewrite) == 0
        assert by_fdiff == sp.exp(-gamma * L)

    def test_exprel_derivative(self):
        z = sp.Symbol("z", nonzero=True)
        by_fdiff = sp.diff(exprel(z), z).rewrite(sp.exp)
        assert sp.simplify(by_fdiff - sp.diff(exprel(z).rewrite(sp.exp), z)) == 0

    def test_exprel_at_zero(self):
        assert exprel(sp.S.Zero) == 1

    @pytest.mark.parametrize("shape", [
        pytest.param(sp.Rational(1, 10**14), id="gamma=1e-14"),
        pytest.param(-sp.Rational(1, 10**14), id="gamma=-1e-14"),
        pytest.param(sp.Rational(1, 10**6), id="gamma=1e-6"),
        pytest.param(sp.Rational(1, 2), id="gamma=1/2"),
        pytest.param(sp.S.NegativeOne, id="gamma=-1"),
        pytest.param(sp.S.One, id="gamma=1"),
    ])
    @pytest.mark.parametrize("quality", [
        pytest.param(sp.Rational(3, 2), id="q=1.5"),
        pytest.param(sp.Integer(1000), id="q=1e3"),
        pytest.param(sp.Integer(10) ** 8, id="q=1e8"),
    ])
    def test_numeric_agreement(self, shape, quality):
        """demand_exp(L, gamma) = integral_0^L e^(-gamma s) ds (its exact L-derivative),
        evaluated as an integral at 50 digits, matches the family within SPOT_RTOL."""
        s = sp.Symbol("s", real=True)
        log_q = sp.log(quality)
        integral = sp.Integral(sp.exp(-shape * s), (s, 0, log_q))
        family = demand_link(quality, shape)
        assert _relative_gap(integral, family) < SPOT_RTOL
        stable = stable_demand_link(quality, shape).rewrite(sp.exp)
        assert _relative_gap(stable, family) < SPOT_RTOL
