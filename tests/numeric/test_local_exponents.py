"""Local exponents from 50-digit optima match the regime laws where those hold."""

from __future__ import annotations

import math

import pytest

from profitopt.errors import InputError
from profitopt.numeric.local_exponents import local_exponents
from profitopt.numeric.parameters import Parameters

BASE = dict(alpha=0.3, beta=0.3, a=10.0, b=10.0, omega=1.0, delta=1e-12, E=1e18)
#: Residual allowed against a pure power law far inside its regime (50-digit optima,
#: central difference with h = 1e-8: truncation ~1e-16).
RATE_TOL = 1e-6


class TestRates:
    """Far from the crossover the local exponent is the regime's exponent."""

    # tolerances: the inference window at E = 1e2 sits 10 decades below the crossover
    # (corrections ~ E/E_c); for gamma > 0 revenue 1 - q^-gamma converges like
    # E^(-alpha gamma k) ~ 1e-3 at E = 1e40, leaving a few 1e-6 in the exponent.
    @pytest.mark.parametrize("gamma,log10_e,expected,tolerance", [
        pytest.param(-1.0, 2, 1 / 0.7, 1e-3, id="gamma=-1-inference"),
        pytest.param(-1.0, 36, 1 / 1.4, RATE_TOL, id="gamma=-1-training"),
        pytest.param(0.5, 40, 1 / 2.15, 1e-5, id="gamma=0.5-training"),
    ])
    def test_power_laws(self, gamma, log10_e, expected, tolerance):
        (row,) = local_exponents(Parameters(**BASE, gamma=gamma), "n", "E", [10.0**log10_e])
        assert abs(row.exponent - expected) <= tolerance

    def test_log_rate_converges_slowly(self):
        rows = local_exponents(Parameters(**BASE, gamma=0.0), "n", "E", [1e40, 1e80])
        residuals = [abs(r.exponent - (0.5 + 0.5 / math.log(r.x))) for r in rows]
        assert residuals[1] < residuals[0] < 5e-3

    def test_data_bound_spend(self):
        (row,) = local_exponents(Parameters(**BASE, gamma=-1.0, D=1e9), "train_cost", "D",
                                 [1e9])
        assert row.regime == "data-bound" and abs(row.exponent - 2.0) <= 1e-12


class TestErrors:
    """Unknown quantities, variables and a missing cap are input errors."""

    @pytest.mark.parametrize("quantity,wrt", [("q", "E"), ("n", "alpha"), ("n", "D")])
    def test_rejects(self, quantity, wrt):
        with pytest.raises(InputError):
            local_exponents(Parameters(**BASE, gamma=0.0), quantity, wrt, [1e10])
