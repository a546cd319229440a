"""The float64 log-space solver: where it puts x* = log n*, and which regime it reports."""

from __future__ import annotations

import math

import mpmath
import pytest
from mpmath import mp, mpf

from profitopt.numeric.kernels import model_kernels
from profitopt.numeric.parameters import Parameters
from tests.numeric.cases import GAMMA_CONTINUITY, INTERIOR
from profitopt.numeric.solver import COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, solve_log

#: Digits of the mpmath checks.
DPS = 50
#: |dPi/dx| at the float64 x*, relative to m^2/(4 delta) (the scale of profit's terms).
#: x* is a float: |x* - x_true| is a few ulps (~1e-14 at x ~ 40), and |Pi''|/scale
#: is O(10) here; observed residuals are <= 2e-14, so 1e-10 leaves ample margin.
RTOL_FOC = 1e-10
#: |x*(gamma = +-1e-14) - x*(gamma = 0)|: the true change is |dx*/dgamma| 1e-14 with
#: |dx*/dgamma| < 100 here (~1e-12), plus float64 rounding of the solver (~1e-13).
ATOL_GAMMA_CONTINUITY = 1e-10
#: Relative offset of E from E_bind used to probe the regime switch (from the brief).
SWITCH_OFFSET = 1e-6


#: Parameter sets (without E) at which the data cap D is probed around E_bind.
CAPPED = [
    pytest.param(dict(alpha=0.3, beta=0.3, gamma=-0.5, a=10.0, b=10.0, omega=1.0, delta=1e-10,
                      D=1e12), id="alpha=beta,gamma=-1/2"),
    pytest.param(dict(alpha=0.3, beta=0.3, gamma=0.0, a=10.0, b=10.0, omega=1.0, delta=1e-10,
                      D=1e12), id="gamma=0"),
    pytest.param(dict(alpha=0.3, beta=0.3, gamma=1e-14, a=10.0, b=10.0, omega=1.0, delta=1e-10,
                      D=1e12), id="gamma=1e-14"),
    pytest.param(dict(alpha=0.25, beta=0.2, gamma=1.0 / 3.0, a=40.0, b=7.0, omega=2.0,
                      delta=1e-12, D=1e13), id="alpha>beta,gamma=1/3"),
    pytest.param(dict(alpha=0.2, beta=0.5, gamma=-1.0, a=3.0, b=100.0, omega=1.0, delta=1e-8,
                      D=1e10), id="alpha<beta,gamma=-1"),
    pytest.param(dict(alpha=0.34, beta=0.28, gamma=0.5, a=406.4, b=410.7, omega=1.0,
                      delta=1e-12, D=1e11), id="chinchilla-exponents"),
]

#: Clearly unprofitable: cheap compute is absent (E = 1e3 FLOPs/$) and demand is steep.
UNPROFITABLE = dict(alpha=0.3, beta=0.3, gamma=0.5, a=1.0, b=1.0, omega=1.0, delta=1.0, E=1e3)


def _binding_threshold(p: dict) -> float:
    """E_bind from the compiled kernel (its E argument is unused)."""
    natural = Parameters(**{**p, "E": 1.0}).natural()
    return float(model_kernels().binding_threshold.numpy(*natural))


class TestInteriorOptimum:
    """An interior x* lies in (x_0, x_peak), is a strict local maximum of Pi, and zeroes Pi'."""

    @pytest.mark.parametrize("p", INTERIOR)
    def test_regime_and_bracket(self, p):
        located = solve_log(Parameters(**p))
        assert located.regime == COMPUTE_BOUND
        assert located.margin_start < located.balance_peak < located.x
        assert located.balance_slope < 0
        assert located.x < located.cap

    @pytest.mark.parametrize("p", INTERIOR)
    def test_foc_residual_on_plain_objective(self, p, mp_model):
        """d/dx pi(e^x, d(e^x), t*(e^x)) at 50 digits, by mpmath.diff of the 3-variable objective."""
        located = solve_log(Parameters(**p))
        with mp.workdps(DPS):
            model = mp_model(**p)

            def along_kink(y):
                return model.objective(mpmath.exp(y), model.tokens(y), model.served(y))

            at_x = mpf(located.x)
            residual = mpmath.diff(along_kink, at_x)
            scale = model.margin(at_x) ** 2 / (4 * model.param("delta"))
            assert abs(residual) <= RTOL_FOC * scale
            assert mpmath.diff(along_kink, at_x, 2) < 0
            assert model.margin(at_x) > 0

    @pytest.mark.parametrize("p", INTERIOR)
    def test_margin_start_is_where_t_star_turns_positive(self, p, mp_model):
        located = solve_log(Parameters(**p))
        with mp.workdps(DPS):
            model = mp_model(**p)
            assert model.margin(mpf(located.margin_start)) >= 0
            assert model.margin(mpf(located.margin_start) - 1e-6) < 0


class TestDataCapSwitch:
    """The cap binds exactly when E crosses the binding_threshold kernel E_bind."""

    @pytest.mark.parametrize("p", CAPPED)
    @pytest.mark.parametrize("offset, regime", [
        pytest.param(-SWITCH_OFFSET, COMPUTE_BOUND, id="E_bind*(1-1e-6)-interior"),
        pytest.param(SWITCH_OFFSET, DATA_BOUND, id="E_bind*(1+1e-6)-corner"),
    ])
    def test_switch(self, p, offset, regime):
        efficiency = _binding_threshold(p) * (1 + offset)
        located = solve_log(Parameters(**p, E=efficiency))
        assert located.regime == regime
        assert (located.x == located.cap) == (regime == DATA_BOUND)

    @pytest.mark.parametrize("p", CAPPED)
    def test_interior_just_below_threshold_is_just_inside_cap(self, p):
        """Just below E_bind, x* sits just left of x_D (their gap is O(1e-6))."""
        located = solve_log(Parameters(**p, E=_binding_threshold(p) * (1 - SWITCH_OFFSET)))
        assert 0 < located.cap - located.x < 1e-3


class TestShutdown:
    """When no n gives positive profit the solver reports shutdown with x = nan."""

    def test_unprofitable(self):
        located = solve_log(Parameters(**UNPROFITABLE))
        assert located.regime == SHUTDOWN
        assert math.isnan(located.x)

    def test_cap_below_margin_start(self):
        """A cap so small that quality stays below 1 (f <= 0): nothing can be sold."""
        p = dict(alpha=0.3, beta=0.3, gamma=-0.5, a=10.0, b=0.5, omega=1.0, delta=1e-10, E=1e18,
                 D=2.0)
        located = solve_log(Parameters(**p))
        assert located.regime == SHUTDOWN


class TestGammaContinuity:
    """x* is continuous through gamma = 0: gamma = +-1e-14 land within ATOL of gamma = 0."""

    @pytest.mark.parametrize("p", GAMMA_CONTINUITY)
    @pytest.mark.parametrize("shape", [pytest.param(1e-14, id="+1e-14"),
                                       pytest.param(-1e-14, id="-1e-14")])
    def test_x_star(self, p, shape):
        at_zero = solve_log(Parameters(**p, gamma=0.0))
        nearby = solve_log(Parameters(**p, gamma=shape))
        assert at_zero.regime == nearby.regime == COMPUTE_BOUND
        assert abs(nearby.x - at_zero.x) <= ATOL_GAMMA_CONTINUITY


class TestOptimumAtMarginPeak:
    """An optimum within float64 resolution of x_peak (negligible training cost) is still found.

    Here d* ~ 3e-15 tokens, so x* lies 4e-21 below x_peak = log n_peak ~ 35.627. The float
    peak kernel rounds above the true x_peak; between the two the balance S must count as
    -inf (Pi' < 0 beyond the peak) rather than as a float64 overflow.
    """

    PARAMETERS = dict(alpha=0.1, beta=0.1, gamma=-0.5, a=1.0, b=1000.0, omega=1.0, delta=1e-6,
                      E=1e16)

    def test_located_at_peak(self, mp_model):
        located = solve_log(Parameters(**self.PARAMETERS))
        assert located.regime == COMPUTE_BOUND
        with mp.workdps(DPS):
            assert abs(mpf(located.x) - mp_model(**self.PARAMETERS).x_peak()) <= 1e-13
