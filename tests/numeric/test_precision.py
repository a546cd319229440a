"""The 50-digit re-solve: a root of dPi/dx to ~40 digits, evaluated at the working precision."""

from __future__ import annotations

import mpmath
import pytest
from mpmath import mp, mpf

from profitopt.numeric.parameters import Parameters
from tests.numeric.cases import INTERIOR as SHARED_INTERIOR
from profitopt.numeric.precision import DEFAULT_DPS, refine
from profitopt.numeric.solver import COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, solve_log

#: The refinement's own stopping rule is a step below 10^-(dps - 10) relative in x, so at
#: 50 digits x is good to ~40 digits; n = e^x and profit then carry ~38 digits. 1e-30 is
#: the bound used against the independent evaluations below.
RTOL_PRECISE = mpf("1e-30")
#: float64 x* vs the 50-digit x*: the float solve is good to a few ulps (~1e-15 relative).
RTOL_FLOAT_VS_PRECISE = 1e-13

#: The shared interior cases whose margin peaks (the reference transcription needs x_peak).
INTERIOR = [p for p in SHARED_INTERIOR if "grows-forever" not in p.id]
#: E is 7x above E_bind ~ 1.4e11 here, so the cap binds.
CORNER = dict(alpha=0.3, beta=0.3, gamma=-0.5, a=10.0, b=10.0, omega=1.0, delta=1e-10, E=1e12,
              D=1e12)
UNPROFITABLE = dict(alpha=0.3, beta=0.3, gamma=0.5, a=1.0, b=1.0, omega=1.0, delta=1.0, E=1e3)


class TestInteriorRefinement:
    """At an interior optimum the 50-digit x* zeroes dPi/dx and the outputs are the model's, to RTOL_PRECISE."""

    @pytest.mark.parametrize("p", INTERIOR)
    def test_root_of_profit_slope(self, p, mp_model):
        params = Parameters(**p)
        precise = refine(params, solve_log(params))
        assert precise.regime == COMPUTE_BOUND and precise.dps == DEFAULT_DPS
        with mp.workdps(DEFAULT_DPS):
            model = mp_model(**p)
            scale = model.margin(precise.x) ** 2 / (4 * model.param("delta"))
            assert abs(model.profit_slope(precise.x)) <= RTOL_PRECISE * scale
            assert abs(precise.marginal_profit) <= RTOL_PRECISE * scale

    @pytest.mark.parametrize("p", INTERIOR)
    def test_outputs_match_model(self, p, mp_model):
        params = Parameters(**p)
        precise = refine(params, solve_log(params))
        with mp.workdps(DEFAULT_DPS):
            model = mp_model(**p)
            expected = {
                "n": mpmath.exp(precise.x),
                "d": model.tokens(precise.x),
                "t": model.served(precise.x),
                "q": mpmath.exp(model.log_quality(precise.x)),
                "profit": model.profit(precise.x),
                "train_cost": 6 * precise.n * precise.d / model.param("E"),
                "infer_cost": 2 * precise.n * precise.t / model.param("E"),
            }
            for name, value in expected.items():
                assert abs(getattr(precise, name) / value - 1) <= RTOL_PRECISE, name

    @pytest.mark.parametrize("p", INTERIOR)
    def test_float_solve_agrees(self, p):
        params = Parameters(**p)
        located = solve_log(params)
        precise = refine(params, located)
        assert precise.rel_error_n <= RTOL_FLOAT_VS_PRECISE
        with mp.workdps(DEFAULT_DPS):
            expected = abs(mpmath.expm1(mpf(located.x) - precise.x))
        # rel_error_n is that 50-digit value rounded to a float (so rel=1e-15)
        assert precise.rel_error_n == pytest.approx(float(expected), rel=1e-15)

    def test_lower_precision_agrees(self):
        """dps = 30 reproduces the 50-digit x* to 1e-18 (30 digits less the 10-digit stop rule)."""
        params = Parameters(**INTERIOR[0].values[0])
        located = solve_log(params)
        coarse, fine = refine(params, located, dps=30), refine(params, located)
        assert coarse.dps == 30
        with mp.workdps(DEFAULT_DPS):
            assert abs(coarse.x - fine.x) <= mpf("1e-18") * abs(fine.x)


class TestCornerAndShutdown:
    """At the data-bound corner x = log n(D), d = D and Pi' > 0; shutdown reports zeros."""

    def test_corner(self, mp_model):
        params = Parameters(**CORNER)
        located = solve_log(params)
        assert located.regime == DATA_BOUND
        precise = refine(params, located)
        with mp.workdps(DEFAULT_DPS):
            model = mp_model(**CORNER)
            assert abs(precise.x / model.x_cap() - 1) <= RTOL_PRECISE
            assert precise.d == mpf(CORNER["D"])
            assert precise.marginal_profit > 0
            assert model.profit_slope(precise.x) > 0

    def test_shutdown(self):
        params = Parameters(**UNPROFITABLE)
        precise = refine(params, solve_log(params))
        assert precise.regime == SHUTDOWN
        assert precise.x == mpmath.ninf
        assert all(getattr(precise, name) == 0 for name in
                   ("n", "d", "t", "q", "profit", "train_flops", "train_cost", "infer_cost"))


class TestPrecisionIsScoped:
    """refine works inside mpmath.workdps: the caller's precision is untouched."""

    @pytest.mark.parametrize("outer_dps", [15, 30])
    def test_precision_restored(self, outer_dps):
        params = Parameters(**INTERIOR[0].values[0])
        located = solve_log(params)
        mp.dps = outer_dps  # the autouse fixture restores the default after the test
        refine(params, located)
        assert mp.dps == outer_dps


class TestSecantNoiseFloor:
    """A flat optimum (profit 1.4e10, curvature 3e-12, E = 4.8e40): the numerical
    derivative keeps about 32 of 50 digits, above the secant's 40-digit tolerance.  The
    best point at the noise floor is accepted, and it agrees with float64 to 1e-14."""

    FLAT = Parameters(alpha=0.6853593705543338, beta=0.8128810098963652,
                      gamma=1.754452924617368, a=1296.2461337720194, b=66.19183934531907,
                      omega=0.23174256821228936, delta=3.1245207514904865e-13,
                      E=4.836048301591964e+40)

    def test_flat_optimum_is_refined(self):
        located = solve_log(self.FLAT)
        precise = refine(self.FLAT, located)
        assert precise.regime == COMPUTE_BOUND
        assert precise.rel_error_n < 1e-14
        # d profit / d log n vanishes there to the derivative's own accuracy
        assert abs(precise.marginal_profit) < mpf(10) ** -20 * abs(precise.profit)
