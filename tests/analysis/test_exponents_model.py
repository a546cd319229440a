"""exponents_of(model=...): 50-digit local exponents of a model file's outputs.

Reference: central differences of the per-point solver, (log Q(v e^h) - log Q(v e^-h))/2h
with h = STEP, each Q from :func:`profitopt.numeric.optimum.solve` (the 50-digit re-solve
rounded to a double).  Its truncation error is O(h^2) and its rounding error about
1e-16/h, so the exponents must agree to TOLERANCE = 1e-8 absolute (measured: below 5e-10).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from profitopt.analysis.exponents import NO_LAWS, exponents_of, failed_checks
from profitopt.errors import InputError
from profitopt.models.loader import load
from profitopt.numeric.optimum import solve
from profitopt.numeric.parameters import parameters_class

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STEP = 1e-5
TOLERANCE = 1e-8
#: c_D = 10 dollars per token: at E near 1e30 the data cost matters (6 n/E ~ 6).
VALUES = {"alpha": 0.3, "beta": 0.3, "gamma": -1.0, "a": 10.0, "b": 10.0, "omega": 1.0,
          "delta": 1e-12, "E": None, "D": None, "c_D": 10.0}


@pytest.fixture(scope="module")
def data_price() -> str:
    return load(EXAMPLES / "data-price.toml")


def _central(model: str, values: dict, quantity: str, wrt: str, at: float) -> float:
    params = parameters_class(model)(**{**values, wrt: at})
    up = getattr(solve(dataclasses.replace(params, **{wrt: at * math.exp(STEP)})), quantity)
    down = getattr(solve(dataclasses.replace(params, **{wrt: at * math.exp(-STEP)})), quantity)
    return (math.log(up) - math.log(down)) / (2 * STEP)


class TestDataPriceExponents:
    """Each local exponent equals the central difference of the solver to TOLERANCE."""

    @pytest.mark.parametrize("quantity, wrt, start, stop, fixed", [
        pytest.param("n", "E", 1e10, 1e30, {}, id="n-E"),
        pytest.param("data_cost", "E", 1e20, 1e30, {}, id="data_cost-E"),
        pytest.param("n", "c_D", 1e-2, 1e2, {"E": 1e30}, id="n-c_D"),
    ])
    def test_against_central_differences(self, data_price, quantity, wrt, start, stop,
                                         fixed):
        values = {**VALUES, **fixed}
        report = exponents_of(values, quantity, wrt, start, stop, 4, model=data_price)
        assert [row["regime"] for row in report["local"]] == ["compute-bound"] * 4
        for row in report["local"]:
            want = _central(data_price, values, quantity, wrt, row["x"])
            assert abs(row["exponent"] - want) <= TOLERANCE, (row, want)

    def test_data_cost_moves_the_exponent(self, data_price):
        """At E = 1e30 the data cost bends n*(E) away from the paper's 5/7 law."""
        report = exponents_of(VALUES, "n", "E", 1e29, 1e30, 2, model=data_price)
        assert abs(report["local"][-1]["exponent"] - 5 / 7) > 1e-3


class TestReport:
    """The report names its model, says that no law is derived for it, checks nothing."""

    def test_fields(self, data_price):
        report = exponents_of(VALUES, "n", "E", 1e10, 1e20, 2, model=data_price)
        assert report["model"] == data_price and report["laws"] == NO_LAWS
        assert report["regimes"] == [] and report["checks"] == []
        assert "nothing to check" in report["self_check"]
        assert failed_checks(report) == []
        assert {row["rate"] for row in report["local"]} == {None}

    def test_size_cap_corner(self):
        name = load(EXAMPLES / "size-cap.toml")
        values = {**VALUES, "E": 1e18, "N": 1e12}
        del values["c_D"]
        report = exponents_of(values, "n", "N", 1e10, 1e11, 2, model=name)
        assert [row["regime"] for row in report["local"]] == ["size-bound"] * 2
        assert all(row["exponent"] == pytest.approx(1.0, abs=1e-12)
                   for row in report["local"])

    @pytest.mark.parametrize("quantity, wrt, message", [
        pytest.param("zeta", "E", "--of must be one of", id="unknown-quantity"),
        pytest.param("n", "zeta", "'zeta'", id="unknown-parameter"),
        pytest.param("n", "N", "'N'", id="other-variant-parameter"),
    ])
    def test_input_errors(self, data_price, quantity, wrt, message):
        with pytest.raises(InputError, match=message):
            exponents_of(VALUES, quantity, wrt, 1e10, 1e20, 2, model=data_price)

    def test_range_needed_without_default(self, data_price):
        with pytest.raises(InputError, match="--from and --to"):
            exponents_of({**VALUES, "E": 1e18}, "n", "c_D", model=data_price)
