"""The Leontief law q = min(a n^alpha, b d^beta) and its kink frontier."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.symbolic.scaling import Leontief
from profitopt.symbolic.symbols import a, alpha, b, beta, d, n


@pytest.fixture(scope="module")
def law() -> Leontief:
    return Leontief()


class TestFrontier:
    """d(n) solves a n^alpha = b d^beta; n(d) is its inverse; q(n) = a n^alpha on it."""

    def test_frontier_tokens_satisfy_kink(self, law):
        tokens = law.frontier_tokens(n)
        assert sp.simplify(law.data_arm(tokens) - law.parameter_arm(n)) == 0

    def test_frontier_parameters_satisfy_kink(self, law):
        parameters = law.frontier_parameters(d)
        assert sp.simplify(law.parameter_arm(parameters) - law.data_arm(d)) == 0

    def test_frontier_maps_are_inverse(self, law):
        round_trip = sp.powdenest(law.frontier_parameters(law.frontier_tokens(n)), force=True)
        assert sp.simplify(round_trip - n) == 0

    def test_frontier_quality_is_both_arms(self, law):
        tokens = law.frontier_tokens(n)
        assert sp.simplify(law.frontier_quality(n) - law.parameter_arm(n)) == 0
        assert sp.simplify(law.frontier_quality(n) - law.data_arm(tokens)) == 0

    def test_frontier_tokens_closed_form(self, law):
        """Reference (derived by hand): d(n) = (a/b)^(1/beta) n^(alpha/beta)."""
        expected = (a / b) ** (1 / beta) * n ** (alpha / beta)
        assert sp.simplify(sp.powdenest(law.frontier_tokens(n) / expected, force=True)) == 1

    def test_frontier_tokens_are_positive(self, law):
        assert law.frontier_tokens(n).is_positive is True


class TestQuality:
    """Quality is the smaller arm: off the kink the slack input does not raise it."""

    @pytest.mark.parametrize("values, expected", [
        pytest.param({n: 8, d: 1000}, 2 * 8 ** sp.Rational(1, 3), id="parameter-arm-binds"),
        pytest.param({n: 10**9, d: 1}, 3, id="data-arm-binds"),
    ])
    def test_min_of_arms(self, law, values, expected):
        numeric = {a: 2, b: 3, alpha: sp.Rational(1, 3), beta: sp.Rational(1, 2), **values}
        assert sp.simplify(law.quality(n, d).subs(numeric) - expected) == 0

    def test_quality_is_min(self, law):
        assert law.quality(n, d) == sp.Min(a * n**alpha, b * d**beta)


class TestTokensPerParameter:
    """At alpha = beta the frontier is the ray d = rho n with rho = (a/b)^(1/alpha)."""

    def test_rho(self, law):
        assert sp.simplify(law.tokens_per_parameter() - (a / b) ** (1 / alpha)) == 0

    def test_rho_is_free_of_n(self, law):
        assert not law.tokens_per_parameter().has(n)
