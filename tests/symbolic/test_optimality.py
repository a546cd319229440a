"""First-order conditions: served tokens t*, the kink lemma and the reduced problem in n."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.symbolic.optimality import (
    derive_kink_slopes,
    derive_margin_peak,
    derive_reduced_problem,
    derive_served_tokens,
    derive_slope_log_concavity,
)
from profitopt.symbolic.profit import ProfitModel
from profitopt.symbolic.symbols import E, a, alpha, b, beta, d, delta, gamma, n, omega, q, t, x

MODEL = ProfitModel()


@pytest.fixture(scope="module")
def served():
    return derive_served_tokens(MODEL)


@pytest.fixture(scope="module")
def reduced():
    return derive_reduced_problem(MODEL)


class TestServedTokens:
    """t* solves d pi/dt = 0, the problem in t is strictly concave, and margin = 2 delta t*."""

    def test_optimum_solves_foc(self, served):
        assert sp.simplify(served.foc.subs(t, served.optimum)) == 0

    def test_margin_is_twice_delta_t_star(self, served):
        assert sp.simplify(served.margin - 2 * delta * served.optimum) == 0

    def test_margin_is_foc_at_zero_tokens(self, served):
        """Reference: omega f(q) - 2n/E, the first token's net value."""
        expected = omega * (1 - q ** (-gamma)) / gamma - 2 * n / E
        assert sp.simplify(served.margin - expected) == 0

    def test_curvature_is_negative(self, served):
        assert sp.simplify(served.curvature + 2 * delta) == 0
        assert served.curvature.is_negative is True

    def test_concentrated_profit_is_objective_at_t_star(self, served):
        objective = MODEL.objective_at_quality(n, d, t, q)
        assert sp.simplify(objective.subs(t, served.optimum) - served.concentrated) == 0

    def test_stable_margin_equals_family_margin(self, served):
        stable = derive_served_tokens(MODEL, stable=True)
        assert sp.simplify(stable.margin.rewrite(sp.exp) - served.margin) == 0


class TestKinkSlopes:
    """Off the kink the slack input only adds cost: both one-sided slopes are negative."""

    def test_excess_parameters_slope_is_negative(self):
        assert derive_kink_slopes(MODEL).excess_parameters.is_negative is True

    def test_excess_tokens_slope_is_negative(self):
        assert derive_kink_slopes(MODEL).excess_tokens.is_negative is True

    @pytest.mark.parametrize("field, expected", [
        pytest.param("excess_parameters", -(6 * d + 2 * t) / E, id="n-in-excess"),
        pytest.param("excess_tokens", -6 * n / E, id="d-in-excess"),
    ])
    def test_slopes_are_pure_costs(self, field, expected):
        assert sp.simplify(getattr(derive_kink_slopes(MODEL), field) - expected) == 0


class TestReducedProblem:
    """On the kink with t = t*: Pi'(n) by sp.diff equals m m'/(2 delta) - (6 n d(n)/E)'."""

    def test_foc_equals_factored_foc(self, reduced):
        assert sp.simplify(reduced.foc - reduced.foc_factored) == 0

    def test_foc_is_derivative_of_profit(self, reduced):
        assert sp.simplify(sp.diff(reduced.profit, n) - reduced.foc) == 0

    def test_soc_is_derivative_of_foc(self, reduced):
        assert sp.simplify(sp.diff(reduced.foc, n) - reduced.soc) == 0

    def test_margin_slope_is_derivative_of_margin(self, reduced):
        assert sp.simplify(sp.diff(reduced.margin, n) - reduced.margin_slope) == 0

    def test_training_slope(self, reduced):
        """Reference: d/dn[6 n d(n)/E] = (6/E)(1 + alpha/beta) d(n)."""
        expected = 6 * (1 + alpha / beta) * reduced.tokens / E
        assert sp.simplify(sp.powdenest(reduced.training_slope - expected, force=True)) == 0

    def test_profit_is_concentrated_profit_on_kink(self, reduced, served):
        on_kink = served.concentrated.subs({q: reduced.quality, d: reduced.tokens})
        assert sp.simplify(reduced.profit - on_kink) == 0

    def test_quality_on_kink(self, reduced):
        assert reduced.quality == a * n**alpha
        assert sp.simplify(b * reduced.tokens**beta - reduced.quality) == 0

    def test_stable_foc_equals_family_foc(self, reduced):
        stable = derive_reduced_problem(MODEL, stable=True)
        assert sp.simplify(stable.foc_factored.rewrite(sp.exp) - reduced.foc_factored) == 0


class TestMarginPeak:
    """n_peak zeroes m'(n): the margin rises below it and falls above it."""

    def test_peak_zeroes_margin_slope(self, reduced):
        at_peak = reduced.margin_slope.subs(n, derive_margin_peak(MODEL))
        assert sp.simplify(sp.powdenest(at_peak, force=True)) == 0

    def test_peak_is_stored_on_reduced_problem(self, reduced):
        assert sp.simplify(reduced.peak - derive_margin_peak(MODEL)) == 0

    def test_peak_has_positive_base(self):
        """n_peak = B^(1/(1 + alpha gamma)) with B > 0 (positive wherever 1 + alpha gamma != 0)."""
        base, exponent = derive_margin_peak(MODEL).as_base_exp()
        assert base.is_positive is True
        assert sp.simplify(exponent - 1 / (1 + alpha * gamma)) == 0

    @pytest.mark.parametrize("factor, sign", [
        pytest.param(sp.Rational(1, 2), 1, id="below-peak-rising"),
        pytest.param(sp.Integer(2), -1, id="above-peak-falling"),
    ])
    def test_slope_sign_around_peak(self, reduced, factor, sign):
        values = {alpha: sp.Rational(3, 10), gamma: sp.Rational(-1, 2), a: 10, omega: 1,
                  E: sp.Integer(10) ** 18}
        n_peak = derive_margin_peak(MODEL).subs(values)
        slope = reduced.margin_slope.subs(values).subs(n, factor * n_peak)
        assert sp.sign(sp.N(slope, 30)) == sign


class TestSlopeLogConcavity:
    """k(x) = n m'(n) at n = e^x has k'' k - k'^2 = -U Q (1 + alpha gamma)^2 <= 0."""

    def test_curvature_closed_form(self):
        concavity = derive_slope_log_concavity(MODEL, x)
        assert sp.simplify(sp.expand(concavity.curvature - concavity.closed)) == 0

    def test_closed_form_is_not_positive(self):
        assert derive_slope_log_concavity(MODEL, x).closed.is_nonpositive is True
