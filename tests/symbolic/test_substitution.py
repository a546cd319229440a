"""The elasticity of substitution: SymPy's closed forms against textbook cases and against
an independent numeric isoquant derivative (mpmath, no SymPy) at random points."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from profitopt.symbolic.scaling import CES, additive
from profitopt.symbolic.substitution import (between_bounds, derive_substitution,
                                             elasticity_of_substitution, input_limits,
                                             isoquant_elasticity, leontief_limit,
                                             path_arm_ratio, readable, s,
                                             tokens_at_term_ratio)
from profitopt.symbolic.symbols import A, B, alpha, beta, d, n, r
from tests.symbolic.isoquant_reference import (additive_law, compute_optimal_tokens,
                                               numeric_sigma)

#: Closed form vs the numeric reference: the reference is good to ~1e-25 (its module
#: docstring); 1e-15 leaves ten orders of margin and still catches any wrong formula.
NUMERIC_TOLERANCE = 1e-15
SEED = 20260513


@pytest.fixture(scope="module")
def add():
    return derive_substitution(additive())


@pytest.fixture(scope="module")
def ces():
    return derive_substitution(CES())


def _draws(count: int, with_r: bool = False):
    """Random (A, B, alpha, beta, r, n, d): A, B in [10, 1000], exponents in [0.1, 0.5],
    r in [1/4, 4], n in [1e6, 1e12] and d with the two loss terms within a factor 1e3."""
    rng = np.random.default_rng(SEED)
    for _ in range(count):
        a_, b_ = 10 ** rng.uniform(1, 3), 10 ** rng.uniform(1, 3)
        al, be = rng.uniform(0.1, 0.5), rng.uniform(0.1, 0.5)
        rr = rng.uniform(0.25, 4) if with_r else 1.0
        nn, ratio = 10 ** rng.uniform(6, 12), 10 ** rng.uniform(-3, 3)
        dd = (ratio * b_ * nn ** (al * rr) / a_) ** (1 / (be * rr))
        yield a_, b_, al, be, rr, nn, dd


def _at(expr: sp.Expr, **values) -> mpmath.mpf:
    """expr at the given float values, evaluated at 50 digits."""
    with mpmath.workdps(50):
        point = {sp.Symbol(k, positive=True): sp.Float(repr(v), 50) for k, v in values.items()}
        return mpmath.mpf(str(sp.N(expr.subs(point), 50)))


class TestDefinition:
    """The closed form from second derivatives equals sigma from the isoquant definition,
    gives the textbook values (Cobb-Douglas 1, CES 1/(1 + rho)) and is unchanged by an
    increasing transform of q (sigma depends on the isoquants only)."""

    @pytest.mark.parametrize("quality, expected", [
        pytest.param(n**alpha * d**beta, sp.Integer(1), id="cobb-douglas"),
        pytest.param((n**-2 + d**-2)**sp.Rational(-1, 2), sp.Rational(1, 3), id="ces-rho-2"),
        pytest.param(sp.sqrt(n) + sp.sqrt(d), sp.Integer(2), id="ces-rho-minus-half"),
    ])
    def test_textbook(self, quality, expected):
        assert sp.simplify(elasticity_of_substitution(quality) - expected) == 0
        assert sp.simplify(isoquant_elasticity(quality) - expected) == 0

    @pytest.mark.parametrize("law", [additive(), CES()], ids=["additive", "ces"])
    def test_two_routes(self, law):
        q = law.quality(n, d)
        assert sp.simplify(elasticity_of_substitution(q) - isoquant_elasticity(q)) == 0

    @pytest.mark.parametrize("transform", [sp.log, lambda q: q**3, lambda q: -1 / q],
                             ids=["log", "cube", "minus-inverse"])
    def test_invariant_under_increasing_transform(self, add, transform):
        q = additive().quality(n, d)
        assert sp.simplify(elasticity_of_substitution(transform(q)) - add.sigma) == 0


class TestAdditive:
    """sigma of q = 1/(A n^-alpha + B d^-beta) is a ratio of A alpha d^beta and
    B beta n^alpha terms, matching the numeric isoquant derivative at random points."""

    def test_readable_shape(self, add):
        numerator, denominator = sp.fraction(add.sigma)
        assert sp.expand(numerator - (A * alpha * d**beta + B * beta * n**alpha)) == 0
        assert len(sp.Add.make_args(denominator)) == 2  # collected by d^beta and n^alpha

    def test_readable_keeps_the_value(self, add):
        raw = elasticity_of_substitution(additive().quality(n, d))
        assert sp.simplify(readable(raw) - raw) == 0

    @pytest.mark.parametrize("index", range(6))
    def test_numeric(self, add, index):
        A_, B_, al, be, _, nn, dd = list(_draws(6))[index]
        reference = numeric_sigma(additive_law(A_, B_, al, be), nn, dd)
        derived = _at(add.sigma, A=A_, B=B_, alpha=al, beta=be, n=nn, d=dd)
        assert abs(reference - derived) <= NUMERIC_TOLERANCE

    def test_equal_exponents(self, add):
        """1/(1+alpha): free of n, d, A, B."""
        assert add.equal_exponents.free_symbols == {alpha}
        assert sp.simplify(add.equal_exponents * (1 + alpha)) == 1

    def test_averaged_chinchilla_value(self, add):
        """0.7622: the paper's value (Appendix B, 4 digits) at the average 0.31205 of
        0.3392 and 0.2849; half a unit in the last digit is 5e-5."""
        value = add.equal_exponents.subs(alpha, sp.Rational("0.31205"))
        assert abs(float(value) - 0.7622) <= 5e-5
        reference = numeric_sigma(additive_law(406.4, 410.7, 0.31205, 0.31205), 1e9, 3e10)
        assert abs(reference - float(value)) <= NUMERIC_TOLERANCE


class TestComputeOptimal:
    """On the path where n q_n = d q_d, sigma is a constant 2/(2 + alpha + beta): free of
    n, d, A and B, and equal to the numeric isoquant derivative at the path's points,
    which the test finds on its own."""

    def test_free_of_inputs_and_coefficients(self, add):
        assert add.compute_optimal.free_symbols == {alpha, beta}

    def test_equal_exponent_value_at_mean_exponent(self, add):
        """sigma* is 1/(1 + m) with m the mean exponent: 0.7622 is sigma* of the unaveraged
        Chinchilla law."""
        mean = add.equal_exponents.subs(alpha, (alpha + beta) / 2)
        assert sp.simplify(add.compute_optimal - mean) == 0

    def test_path_arm_ratio_is_constant(self):
        assert path_arm_ratio(additive()).free_symbols == {A, B, alpha, beta}

    @pytest.mark.parametrize("index", range(4))
    def test_numeric(self, add, index):
        A_, B_, al, be, _, nn, dd = list(_draws(4))[index]
        law = additive_law(A_, B_, al, be)
        tokens = compute_optimal_tokens(law, nn, dd)
        with mpmath.workdps(50):
            derived = _at(add.frontier_tokens, A=A_, B=B_, alpha=al, beta=be, n=nn)
            assert abs(tokens / derived - 1) <= NUMERIC_TOLERANCE
        reference = numeric_sigma(law, nn, float(tokens))
        assert abs(reference - _at(add.compute_optimal, alpha=al, beta=be)) \
            <= NUMERIC_TOLERANCE


class TestRange:
    """Over all (n, d) sigma lies strictly between 1/(1+beta) (s = n^alpha/d^beta -> 0) and
    1/(1+alpha) (s -> infinity), monotone in s with the sign of beta - alpha."""

    def test_depends_on_s_only(self, add):
        assert add.in_ratio.free_symbols == {A, B, alpha, beta, s}

    def test_limits(self, add):
        assert sp.simplify(add.low - 1 / (1 + beta)) == 0
        assert sp.simplify(add.high - 1 / (1 + alpha)) == 0
        assert input_limits(additive()) == (add.low, add.high)

    def test_monotone(self, add):
        assert sp.simplify(add.slope / (beta - alpha)).is_positive

    def test_between(self, add):
        product = between_bounds(add.in_ratio, add.low, add.high)
        assert sp.simplify(product / (alpha - beta)**2).is_negative

    @pytest.mark.parametrize("al, be", [pytest.param(0.34, 0.28, id="alpha>beta"),
                                        pytest.param(0.2, 0.45, id="alpha<beta")])
    def test_numeric_sweep(self, al, be):
        """The numeric sigma along d at fixed n (s falls) moves monotonically towards
        1/(1+beta) and stays inside the two limits."""
        law = additive_law(100.0, 200.0, al, be)
        values = [numeric_sigma(law, 1e9, 10.0**k) for k in range(6, 22, 3)]
        steps = np.diff([float(v) for v in values])
        assert np.all(np.sign(steps) == np.sign(al - be))  # s falls as d grows
        low, high = sorted((1 / (1 + al), 1 / (1 + be)))
        assert all(low < v < high for v in values)
        assert abs(values[-1] - 1 / (1 + be)) < abs(values[0] - 1 / (1 + be))


class TestCES:
    """The CES family has the additive law's sigma with exponents alpha r, beta r:
    1/(1 + alpha r) at alpha = beta, 2/(2 + r(alpha + beta)) on its path, and sigma -> 0
    (Leontief) as r -> infinity."""

    def test_scaled_exponents(self, add, ces):
        scaled = {alpha: alpha * r, beta: beta * r}
        assert sp.simplify(ces.sigma - add.sigma.subs(scaled, simultaneous=True)) == 0
        assert sp.simplify(ces.compute_optimal
                           - add.compute_optimal.subs(scaled, simultaneous=True)) == 0

    def test_equal_exponents(self, ces):
        assert sp.simplify(ces.equal_exponents * (1 + alpha * r)) == 1

    def test_additive_member(self, add, ces):
        assert sp.simplify(ces.sigma.subs(r, 1) - add.sigma) == 0

    def test_leontief_limit(self):
        assert leontief_limit(CES()) == 0

    def test_leontief_limit_needs_symbolic_r(self):
        with pytest.raises(ValueError, match="symbolic r"):
            leontief_limit(additive())

    @pytest.mark.parametrize("index", range(4))
    def test_numeric(self, ces, index):
        A_, B_, al, be, rr, nn, dd = list(_draws(4, with_r=True))[index]
        reference = numeric_sigma(additive_law(A_, B_, al, be, rr), nn, dd)
        derived = _at(ces.sigma, A=A_, B=B_, alpha=al, beta=be, r=rr, n=nn, d=dd)
        assert abs(reference - derived) <= NUMERIC_TOLERANCE

    def test_numeric_falls_towards_zero(self):
        """At a fixed point with A = a^-r, B = b^-r, sigma falls with r below
        1/(1 + r min(alpha, beta))."""
        values = []
        for rr in (1, 4, 16, 64):
            law = additive_law(2.0**-rr, 3.0**-rr, 0.3, 0.25, rr)
            tokens = (1e9**0.3 * 2 / 3) ** (1 / 0.25)   # on the kink 2 n^0.3 = 3 d^0.25
            values.append(float(numeric_sigma(law, 1e9, tokens)))
            assert values[-1] < 1 / (1 + rr * 0.25)
        assert values == sorted(values, reverse=True) and values[-1] < 0.07

    def test_term_ratio_tokens(self):
        """d from the term ratio c puts the loss terms in that ratio."""
        law = CES()
        c_ = sp.Symbol("c", positive=True)
        tokens = tokens_at_term_ratio(law)
        lhs = law.A * n**(-law.alpha * law.r)
        rhs = c_ * law.B * tokens**(-law.beta * law.r)
        assert sp.simplify(sp.powsimp(sp.expand_power_base(lhs / rhs, force=True),
                                      force=True)) == 1
