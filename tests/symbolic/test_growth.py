"""Dominant-balance rates of the compute-bound optimum, from the reduced condition."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.symbolic.asymptotics import PowerLaw, balance, leading_in
from profitopt.symbolic.growth import derive_compute_bound_growth, derive_data_bound_growth
from profitopt.symbolic.profit import ProfitModel
from profitopt.symbolic.symbols import D, E, a, alpha, b, beta, delta, gamma, n, omega

R = sp.Rational
MARKET = {a: R(10), b: R(10), omega: R(1), delta: R(1, 10**12)}


def _reference(g, al=R(3, 10), be=R(3, 10)):
    return {alpha: al, beta: be, gamma: g, **MARKET}


@pytest.fixture(scope="module")
def negative():
    return derive_compute_bound_growth(ProfitModel(), _reference(R(-1)))


@pytest.fixture(scope="module")
def zero():
    return derive_compute_bound_growth(ProfitModel(), _reference(R(0)), sp.S.Zero)


class TestBalance:
    """balance() solves c1 n^p1 E^e1 (log n)^l1 = c2 n^p2 E^e2 (log n)^l2 for n ~ C E^k (log E)^m."""

    def test_pure_powers(self):
        c = sp.Symbol("c", positive=True)
        law = balance(c * n**2, E * n, n, E)
        assert law == PowerLaw(1 / c, sp.S.One, sp.S.Zero)

    def test_log_factor(self):
        law = balance(sp.log(n), n**2 / E, n, E)
        assert (law.exponent, law.log_power) == (R(1, 2), R(1, 2))
        # n = C (E log E)^(1/2): log n ~ (1/2) log E, so C^2 = 1/2
        assert sp.simplify(law.coefficient**2 - R(1, 2)) == 0

    def test_leading_in_keeps_the_fastest_term(self):
        law = PowerLaw(sp.S.One, R(1, 2), R(1, 2))
        lead = leading_in(sp.log(n) + n / E, law, n, E, {})
        assert (lead.law.exponent, lead.law.log_power) == (0, 1)


class TestComputeBoundRates:
    """Theorem 1's bound is 1/(1+alpha gamma); the E -> oo rate is the training balance."""

    def test_bound_is_margin_peak_exponent(self, negative):
        assert sp.simplify(negative.bound.law.exponent - 1 / (1 + alpha * gamma)) == 0

    def test_training_rate_for_negative_gamma(self, negative):
        expected = 1 / (1 + alpha / beta + 2 * alpha * gamma)
        assert sp.simplify(negative.training.law.exponent - expected) == 0

    def test_limit_is_training_when_gamma_above_minus_one_over_beta(self, negative):
        assert negative.limit is negative.training

    def test_limit_is_inference_when_gamma_below_minus_one_over_beta(self):
        # alpha < beta leaves room for gamma < -1/beta inside the bounded range:
        # alpha = 1/5, beta = 2/5 give -1/beta = -5/2 and a lower limit of -5.
        reference = _reference(R(-3), R(1, 5), R(2, 5))
        growth = derive_compute_bound_growth(ProfitModel(), reference)
        assert growth.limit is growth.inference

    def test_log_rate_at_gamma_zero(self, zero):
        law = zero.training.law
        assert sp.simplify(law.exponent - beta / (alpha + beta)) == 0
        assert sp.simplify(law.log_power - beta / (alpha + beta)) == 0

    def test_crossover_is_where_laws_meet(self, negative):
        ref = _reference(R(-1))
        e_c = sp.N(negative.crossover.subs(ref), 30)
        lhs = negative.training.law.expr(E).subs(ref).subs(E, e_c)
        rhs = negative.inference.law.expr(E).subs(ref).subs(E, e_c)
        assert abs(sp.N(lhs / rhs, 30) - 1) < 1e-20

    def test_ratio_identity(self, negative):
        r = sp.Symbol("r", positive=True)
        assert sp.simplify(negative.ratio_identity.rhs - (1 + alpha / beta) / r) == 0


class TestDataBoundLaws:
    """At the corner n* = n(D): exponent beta/alpha in D and 0 in E; spend -1 in E."""

    @pytest.mark.parametrize("variable,quantity,expected", [
        pytest.param(D, "n", beta / alpha, id="n-in-D"),
        pytest.param(D, "train_cost", 1 + beta / alpha, id="spend-in-D"),
        pytest.param(E, "n", sp.S.Zero, id="n-in-E"),
        pytest.param(E, "train_cost", sp.S.NegativeOne, id="spend-in-E"),
    ])
    def test_exponents(self, variable, quantity, expected):
        reference = {**_reference(R(-1)), E: R(10**18), D: R(10**9)}
        regime = derive_data_bound_growth(ProfitModel(), variable, reference)
        assert sp.simplify(regime.quantities[quantity].law.exponent - expected) == 0
