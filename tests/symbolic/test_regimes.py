"""The data-bound corner d* = D, n* = n(D), its spend, and the threshold E_bind at which d <= D binds."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.symbolic.optimality import derive_reduced_problem
from profitopt.symbolic.profit import ProfitModel, Regime
from profitopt.symbolic.regimes import N_CORNER, Q_CORNER, derive_data_bound_corner
from profitopt.symbolic.symbols import D, E, a, alpha, b, beta, d, delta, gamma, n, omega

MODEL = ProfitModel()
#: Working precision (decimal digits) of the spot checks below.
DPS = 50
#: Their relative tolerance: the expressions are evaluated at 50 digits with
#: no cancellation worse than ~10 digits at these points.
SPOT_RTOL = sp.Float("1e-35", DPS)

#: Exact sample points (gamma != 0, so the family form can be evaluated too).
POINTS = [
    pytest.param({alpha: sp.Rational(3, 10), beta: sp.Rational(3, 10), gamma: sp.Rational(-1, 2),
                  a: 10, b: 10, omega: 1, delta: sp.Rational(1, 10**10), D: 10**12},
                 id="alpha=beta,gamma=-1/2"),
    pytest.param({alpha: sp.Rational(1, 4), beta: sp.Rational(1, 5), gamma: sp.Rational(1, 3),
                  a: 40, b: 7, omega: 2, delta: sp.Rational(1, 10**12), D: 10**13},
                 id="alpha>beta,gamma=1/3"),
    pytest.param({alpha: sp.Rational(1, 5), beta: sp.Rational(1, 2), gamma: sp.Rational(1, 10**14),
                  a: 3, b: 100, omega: 1, delta: sp.Rational(1, 10**8), D: 10**10},
                 id="alpha<beta,gamma=1e-14"),
]


@pytest.fixture(scope="module")
def corner():
    return derive_data_bound_corner(MODEL, (D, E, a, b))


def _numeric(expr: sp.Expr, values: dict) -> sp.Float:
    return sp.N(expr.subs(values).rewrite(sp.exp), DPS)


class TestCorner:
    """On the corner d* = D and n* solves a n*^alpha = b D^beta; spend is 6 n* D / E."""

    def test_corner_is_on_kink(self, corner):
        assert corner.tokens == D
        assert sp.simplify(a * corner.parameters**alpha - b * D**beta) == 0

    def test_corner_quality(self, corner):
        assert sp.simplify(corner.quality - b * D**beta) == 0

    def test_spend(self, corner):
        assert sp.simplify(corner.spend - 6 * corner.parameters * D / E) == 0
        assert sp.simplify(corner.flops - 6 * corner.parameters * D) == 0

    def test_corner_symbols_name_closed_forms(self, corner):
        assert sp.simplify(corner.explicit(N_CORNER) - corner.parameters) == 0
        assert sp.simplify(corner.explicit(Q_CORNER) - corner.quality) == 0
        assert not corner.explicit(corner.binding_threshold).has(N_CORNER, Q_CORNER)

    def test_cap_is_a_constraint_only_when_data_bound(self):
        assert MODEL.constraints(d, Regime.DATA_BOUND) == (sp.Le(d, D),)
        assert MODEL.constraints(d, Regime.COMPUTE_BOUND) == ()


class TestElasticities:
    """d log(spend)/d log v: D -> (alpha+beta)/alpha, E -> -1, a -> -1/alpha, b -> +1/alpha."""

    @pytest.mark.parametrize("variable, expected", [
        pytest.param(D, (alpha + beta) / alpha, id="D"),
        pytest.param(E, sp.S.NegativeOne, id="E"),
        pytest.param(a, -1 / alpha, id="a"),
        pytest.param(b, 1 / alpha, id="b"),
    ])
    def test_elasticity(self, corner, variable, expected):
        assert sp.simplify(corner.elasticities[variable] - expected) == 0

    @pytest.mark.parametrize("variable, sign", [
        pytest.param(D, 1, id="rises-with-D"),
        pytest.param(E, -1, id="falls-with-E"),
        pytest.param(a, -1, id="falls-with-a"),
        pytest.param(b, 1, id="rises-with-b"),
    ])
    def test_elasticity_sign(self, corner, variable, sign):
        elasticity = corner.elasticities[variable]
        assert (elasticity.is_positive if sign > 0 else elasticity.is_negative) is True


class TestBindingThreshold:
    """E_bind is a root of the E-quadratic E^2 Pi'(n_D); the cap binds iff E > E_bind."""

    def test_quadratic_vanishes_at_threshold(self, corner):
        at_root = corner.binding_quadratic.subs(E, corner.binding_threshold)
        assert sp.simplify(sp.expand(at_root)) == 0

    def test_quadratic_is_e_squared_marginal_profit(self, corner):
        assert sp.simplify(sp.expand(E**2 * corner.marginal_profit - corner.binding_quadratic)) == 0

    def test_quadratic_has_degree_two(self, corner):
        assert sp.Poly(corner.binding_quadratic, E).degree() == 2

    @pytest.mark.parametrize("values", POINTS)
    def test_marginal_profit_is_reduced_foc_at_corner(self, corner, values):
        """Pi'(n_D) (in n_D, q_D) equals the reduced FOC evaluated at n = n(D), at 50 digits."""
        reduced = derive_reduced_problem(MODEL)
        values = {**values, E: sp.Integer(10) ** 15}
        direct = _numeric(reduced.foc_factored.subs(n, corner.parameters), values)
        stored = _numeric(corner.explicit(corner.marginal_profit), values)
        assert abs(stored - direct) <= SPOT_RTOL * abs(direct)

    @pytest.mark.parametrize("values", POINTS)
    def test_explicit_threshold_is_a_root(self, corner, values):
        """E^2 Pi'(n_D) at E = E_bind is zero relative to the size of its terms (50 digits)."""
        threshold = _numeric(corner.explicit(corner.binding_threshold), values)
        assert threshold > 0
        quadratic = corner.explicit(corner.binding_quadratic).subs(values).rewrite(sp.exp)
        terms = sp.Add.make_args(sp.expand(quadratic))
        scale = max(abs(sp.N(term.subs(E, threshold), DPS)) for term in terms)
        assert abs(sp.N(quadratic.subs(E, threshold), DPS)) <= SPOT_RTOL * scale

    @pytest.mark.parametrize("values", POINTS)
    @pytest.mark.parametrize("factor, sign", [
        pytest.param(sp.Rational(999, 1000), -1, id="below-E_bind-interior"),
        pytest.param(sp.Rational(1001, 1000), 1, id="above-E_bind-binds"),
    ])
    def test_marginal_profit_sign_switches(self, corner, values, factor, sign):
        threshold = _numeric(corner.explicit(corner.binding_threshold), values)
        marginal = corner.explicit(corner.marginal_profit).subs(E, factor * threshold)
        assert sp.sign(_numeric(marginal, values)) == sign
