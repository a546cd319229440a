"""Yearly growth of a law: the log rate is the elasticities weighted by the inputs' rates,
one year of exact growth of the law gives exactly that factor, and the break-even roots
solve their equation."""

from __future__ import annotations

import random

import pytest
import sympy as sp

from profitopt.derivations.calibration import growth
from profitopt.symbolic.asymptotics import PowerLaw
from profitopt.symbolic.symbols import D, E, a, alpha, b, beta, gamma, omega
from profitopt.symbolic.trends import (OBSERVED_RATE, RATES, RHO_FIXED, break_even,
                                       law_log_growth, log_growth, permitted)

R = sp.Rational


class TestLogGrowth:
    """For a product of powers, the log rate is the sum of exponent times rate."""

    def test_monomial(self):
        p, k, m = sp.symbols("p k m", real=True)
        expr = 7 * a**p * E**k * D**m * omega
        assert sp.simplify(log_growth(expr, RATES) - (p * RATES[a] + k * RATES[E]
                                                     + m * RATES[D])) == 0

    def test_rho_is_fixed_when_a_and_b_grow_alike(self):
        rho = (a / b) ** (1 / alpha)
        assert log_growth(rho, RATES).subs(RHO_FIXED) == 0

    def test_log_factor_is_left_out(self):
        law = PowerLaw(a**2, R(1, 2), sp.Integer(1))
        assert sp.simplify(law_log_growth(law, E, RATES)
                           - (2 * RATES[a] + RATES[E] / 2)) == 0

    @pytest.mark.parametrize("seed", range(3))
    def test_one_year_of_exact_growth(self, seed):
        """law(inputs x factors) / law(inputs) = e^L, exactly, for the bound's spend law."""
        rng = random.Random(seed)
        law = growth("negative").bound.quantities["train_cost"].law
        expr = law.coefficient * E**law.exponent
        point = {alpha: R(rng.randint(2, 4), 10), beta: R(rng.randint(2, 4), 10),
                 gamma: R(-rng.randint(1, 9), 10), omega: 1, a: 10, b: 7, E: 10**6}
        factors = {E: R(137, 100), a: sp.sqrt(3), b: sp.sqrt(2)}
        moved = {**point, **{v: point[v] * f for v, f in factors.items()}}
        ratio = expr.subs(moved) / expr.subs(point)
        rate = log_growth(expr, RATES).subs(point).subs(
            {RATES[v]: sp.log(f) for v, f in factors.items()})
        assert abs(sp.N(sp.log(ratio) - rate, 50)) < 1e-45


class TestPermitted:
    """FLOPs' law grows as spend's times E's factor; the margin bound's exponents."""

    @pytest.mark.parametrize("kind", ["bound", "training", "inference"])
    def test_flops_is_spend_times_e(self, kind):
        found = permitted(getattr(growth("negative"), kind), E)
        assert sp.simplify(found.train_flops - found.train_cost - RATES[E]) == 0

    def test_bound_at_zero_has_no_parameter_efficiency_when_rho_is_fixed(self):
        """n_peak = omega alpha E/2 at gamma = 0: spend 6 rho n^2/E grows like E^(alpha/beta)."""
        found = permitted(growth("zero").bound, E).train_cost.subs(RHO_FIXED)
        assert sp.simplify(found - alpha / beta * RATES[E]) == 0


class TestBreakEven:
    """Each closed-form root solves L(gamma) = l_obs."""

    @pytest.mark.parametrize("kind", ["bound", "training"])
    def test_roots_solve(self, kind):
        rate = permitted(getattr(growth("negative"), kind), E).train_flops.subs(RHO_FIXED)
        roots = break_even(rate)
        assert roots
        for root in roots:
            assert sp.simplify(rate.subs(gamma, root) - OBSERVED_RATE) == 0

    def test_no_closed_form_raises(self):
        with pytest.raises(NotImplementedError):
            break_even(sp.exp(gamma) + gamma**gamma, sp.Integer(3))
