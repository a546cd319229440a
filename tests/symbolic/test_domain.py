"""The bounded range: profit is bounded above iff gamma > min(-1/alpha, -(alpha+beta)/(2 alpha beta))."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.symbolic.domain import derive_bounded_range, growth_exponent
from profitopt.symbolic.profit import ProfitModel
from profitopt.symbolic.symbols import alpha, beta, gamma, n


@pytest.fixture(scope="module")
def bounded():
    return derive_bounded_range(ProfitModel())


class TestBoundedRange:
    """The lower bound on gamma is the smaller of the serving and training thresholds."""

    def test_lower_bound(self, bounded):
        """Reference value typed from the model note: Min(-1/alpha, -(alpha+beta)/(2 alpha beta))."""
        expected = sp.Min(-1 / alpha, -(alpha + beta) / (2 * alpha * beta))
        assert sp.simplify(bounded.lower - expected) == 0

    @pytest.mark.parametrize("field, expected", [
        pytest.param("revenue_exponent", -alpha * gamma, id="revenue-n^(-alpha gamma)"),
        pytest.param("serving_exponent", sp.S.One, id="serving-n^1"),
        pytest.param("training_exponent", 1 + alpha / beta, id="training-n^(1+alpha/beta)"),
        pytest.param("serving_threshold", -1 / alpha, id="serving-threshold"),
        pytest.param("training_threshold", -(alpha + beta) / (2 * alpha * beta),
                     id="training-threshold"),
        pytest.param("concavity_bound", sp.S.NegativeOne, id="concave-iff-gamma>=-1"),
    ])
    def test_exponents_and_thresholds(self, bounded, field, expected):
        assert sp.simplify(getattr(bounded, field) - expected) == 0

    def test_thresholds_balance_growth(self, bounded):
        """At each threshold the competing terms grow at the same rate in n."""
        at_serving = bounded.revenue_exponent.subs(gamma, bounded.serving_threshold)
        at_training = bounded.revenue_exponent.subs(gamma, bounded.training_threshold)
        assert sp.simplify(at_serving - bounded.serving_exponent) == 0
        assert sp.simplify(2 * at_training - bounded.training_exponent) == 0

    @pytest.mark.parametrize("values, expected", [
        pytest.param({alpha: sp.Rational(1, 2), beta: sp.Rational(1, 4)}, -3, id="training-binds"),
        pytest.param({alpha: sp.Rational(1, 2), beta: sp.Rational(1, 2)}, -2, id="equal"),
        pytest.param({alpha: sp.Rational(3, 10), beta: sp.Rational(9, 10)}, -sp.Rational(10, 3),
                     id="serving-binds"),
    ])
    def test_lower_bound_at_points(self, bounded, values, expected):
        assert bounded.lower.subs(values) == expected


class TestGrowthExponent:
    """growth_exponent reads k off c n^k and refuses a non-monomial."""

    @pytest.mark.parametrize("term, expected", [
        pytest.param(3 * n**2, 2, id="power"),
        pytest.param(sp.Symbol("c", positive=True) * n ** (-alpha * gamma), -alpha * gamma,
                     id="symbolic-exponent"),
        pytest.param((n**alpha) ** (1 / beta), alpha / beta, id="nested-power"),
        pytest.param(sp.Integer(7), 0, id="constant"),
    ])
    def test_monomials(self, term, expected):
        assert sp.simplify(growth_exponent(term) - expected) == 0

    def test_rejects_sum(self):
        with pytest.raises(ValueError, match="not a monomial"):
            growth_exponent(n + n**2)
