"""Parameters: a validated point of the model's domain, in natural and log coordinates."""

from __future__ import annotations

import dataclasses
import math

import pytest

from profitopt.errors import InputError, ProfitoptError
from profitopt.numeric.parameters import POSITIVE, Parameters

VALID = {"alpha": 0.3, "beta": 0.25, "gamma": -0.5, "a": 10.0, "b": 20.0, "omega": 1.0,
         "delta": 1e-10, "E": 1e18, "D": 1e12}


class TestAccepts:
    """A point with every positive parameter finite and > 0 and gamma above the lower bound is valid."""

    def test_valid_capped(self):
        params = Parameters(**VALID)
        assert params.capped is True

    def test_valid_uncapped(self):
        params = Parameters(**{**VALID, "D": None})
        assert params.capped is False

    def test_integers_are_numbers(self):
        params = Parameters(**{**VALID, "a": 10, "omega": 1})
        assert params.a == 10 and params.omega == 1

    def test_frozen(self):
        params = Parameters(**VALID)
        with pytest.raises(dataclasses.FrozenInstanceError):
            params.alpha = 0.5  # type: ignore[misc]

    @pytest.mark.parametrize("alpha, beta, gamma", [
        pytest.param(0.5, 0.25, -2.999, id="just-above-training-threshold-3"),
        pytest.param(0.5, 0.5, -1.999, id="just-above-both-thresholds-2"),
        pytest.param(0.3, 0.3, -1.0, id="linear-demand"),
        pytest.param(0.3, 0.3, 0.0, id="log-demand"),
        pytest.param(0.3, 0.3, 10.0, id="largest-supported-gamma"),
    ])
    def test_gamma_above_lower_bound(self, alpha, beta, gamma):
        params = Parameters(**{**VALID, "alpha": alpha, "beta": beta, "gamma": gamma})
        assert params.gamma == gamma


class TestRejects:
    """Non-positive or non-finite values and gamma <= min(-1/alpha, -(alpha+beta)/(2 alpha beta))
    raise InputError (a ProfitoptError) naming the parameter."""

    @pytest.mark.parametrize("name", sorted(POSITIVE))
    @pytest.mark.parametrize("value", [
        pytest.param(0.0, id="zero"),
        pytest.param(-0.0, id="negative-zero"),
        pytest.param(-1.0, id="negative"),
        pytest.param(-math.inf, id="-inf"),
        pytest.param(math.inf, id="inf"),
        pytest.param(math.nan, id="nan"),
    ])
    def test_positive_parameters(self, name, value):
        with pytest.raises(InputError, match=name):
            Parameters(**{**VALID, name: value})

    @pytest.mark.parametrize("value", [
        pytest.param(math.nan, id="nan"),
        pytest.param(math.inf, id="inf"),
        pytest.param(-math.inf, id="-inf"),
    ])
    def test_gamma_not_finite(self, value):
        with pytest.raises(InputError, match="gamma"):
            Parameters(**{**VALID, "gamma": value})

    @pytest.mark.parametrize("name, value", [
        pytest.param("alpha", "0.3", id="string"),
        pytest.param("gamma", None, id="none-gamma"),
        pytest.param("E", True, id="bool"),
        pytest.param("a", complex(1, 1), id="complex"),
    ])
    def test_not_a_number(self, name, value):
        with pytest.raises(InputError, match=name):
            Parameters(**{**VALID, name: value})

    @pytest.mark.parametrize("alpha, beta, gamma", [
        pytest.param(0.5, 0.25, -3.0, id="at-training-threshold-3"),
        pytest.param(0.5, 0.25, -3.5, id="below-training-threshold"),
        pytest.param(0.5, 0.5, -2.0, id="at-both-thresholds-2"),
        pytest.param(0.25, 1.0, -4.0, id="at-serving-threshold-4"),
        pytest.param(0.25, 1.0, -10.0, id="far-below"),
    ])
    def test_gamma_at_or_below_lower_bound(self, alpha, beta, gamma):
        with pytest.raises(InputError, match="bounded range"):
            Parameters(**{**VALID, "alpha": alpha, "beta": beta, "gamma": gamma})

    def test_input_error_is_a_profitopt_error(self):
        with pytest.raises(ProfitoptError):
            Parameters(**{**VALID, "delta": 0.0})


class TestCoordinates:
    """natural() and log() list the parameters in kernel order; D = inf when uncapped."""

    def test_natural(self):
        params = Parameters(**VALID)
        assert params.natural() == (0.3, 0.25, -0.5, 10.0, 20.0, 1.0, 1e-10, 1e18, 1e12)

    def test_natural_uncapped(self):
        assert Parameters(**{**VALID, "D": None}).natural()[-1] == math.inf

    def test_log(self):
        logs = Parameters(**VALID).log()
        expected = (0.3, 0.25, -0.5, math.log(10.0), math.log(20.0), 0.0, math.log(1e-10),
                    math.log(1e18), math.log(1e12))
        assert logs == expected  # exact: the same math.log calls on the same floats

    def test_log_uncapped(self):
        assert Parameters(**{**VALID, "D": None}).log()[-1] == math.inf
