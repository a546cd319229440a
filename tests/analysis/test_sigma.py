"""sigma_report: the value is the derived closed form at 50 digits, equal to an independent
numeric isoquant derivative (mpmath, no SymPy); the case follows the inputs; every
missing or malformed input is one InputError naming it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from profitopt.analysis.sigma import DEFINITION, LEONTIEF_REASON, sigma_report
from profitopt.errors import InputError
from profitopt.models.presets import preset
from tests.symbolic.isoquant_reference import (additive_law, compute_optimal_tokens,
                                               numeric_sigma)

#: The report's float vs the numeric reference (good to ~1e-25): float rounding, 1e-15
#: relative, dominates; 1e-14 absolute on sigma in (0, 1].
TOLERANCE = 1e-14


def _points(count: int, seed: int = 5):
    """Random additive laws and points: A, B in [10, 1000], exponents in [0.1, 0.5],
    n in [1e6, 1e12], d with the loss terms within a factor 1e3."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        a_, b_ = 10 ** rng.uniform(1, 3), 10 ** rng.uniform(1, 3)
        al, be = rng.uniform(0.1, 0.5), rng.uniform(0.1, 0.5)
        nn = 10 ** rng.uniform(6, 12)
        dd = (10 ** rng.uniform(-3, 3) * b_ * nn**al / a_) ** (1 / be)
        yield {"A": a_, "B": b_, "alpha": al, "beta": be}, nn, dd


class TestValue:
    """The report's sigma equals the numeric isoquant derivative of the same law."""

    @pytest.mark.parametrize("index", range(4))
    def test_additive_point(self, index):
        values, nn, dd = list(_points(4))[index]
        report = sigma_report("additive", values, n=nn, d=dd)
        reference = numeric_sigma(additive_law(values["A"], values["B"], values["alpha"],
                                               values["beta"]), nn, dd)
        assert report["case"] == "point"
        assert abs(report["sigma"] - float(reference)) <= TOLERANCE

    def test_ces_point(self):
        values, nn, dd = next(_points(1, seed=9))
        report = sigma_report("ces", {**values, "r": 2.5}, n=nn, d=dd)
        reference = numeric_sigma(additive_law(values["A"], values["B"], values["alpha"],
                                               values["beta"], 2.5), nn, dd)
        assert abs(report["sigma"] - float(reference)) <= TOLERANCE

    def test_compute_optimal_path(self):
        """The report places n on the path (d = d(n)); there the numeric sigma, at the
        test's own path point, equals the report's."""
        values, nn, dd = next(_points(1, seed=11))
        report = sigma_report("additive", values, n=nn, path="compute-optimal")
        law = additive_law(values["A"], values["B"], values["alpha"], values["beta"])
        tokens = compute_optimal_tokens(law, nn, dd)
        assert abs(report["inputs"]["d"] / float(tokens) - 1) <= 1e-14
        assert abs(report["sigma"] - float(numeric_sigma(law, nn, float(tokens)))) \
            <= TOLERANCE
        assert report["case"] == "compute-optimal path"

    def test_path_needs_no_coefficients(self):
        report = sigma_report("additive", {"alpha": 0.3392, "beta": 0.2849},
                              path="compute-optimal")
        assert "n" not in report["inputs"] and "d" not in report["inputs"]
        assert report["closed_form"]["text"] == "2/(alpha + beta + 2)"

    def test_averaged_chinchilla(self):
        """0.7622 (Appendix B, 4 digits) at alpha = beta = 0.31205, within half a unit."""
        report = sigma_report("additive", {"alpha": 0.31205, "beta": 0.31205})
        assert report["case"] == "equal exponents"
        assert abs(report["sigma"] - 0.7622) <= 5e-5
        reference = numeric_sigma(additive_law(406.4, 410.7, 0.31205, 0.31205), 1e9, 1e10)
        assert abs(report["sigma"] - float(reference)) <= TOLERANCE

    def test_preset_is_exact(self):
        """hoffmann2022-tex's exponents are read exactly; the path value equals the
        averaged-exponent value."""
        report = sigma_report("additive", {}, preset="hoffmann2022-tex",
                              path="compute-optimal")
        fit = preset("hoffmann2022-tex")
        assert report["inputs"]["alpha"] == float(fit.alpha)
        same = sigma_report("additive", {"alpha": 0.31205, "beta": 0.31205})
        assert report["sigma"] == pytest.approx(same["sigma"], abs=1e-15)

    def test_range(self):
        report = sigma_report("additive", {"alpha": 0.34, "beta": 0.28},
                              path="compute-optimal")
        assert report["range"] == {"low": pytest.approx(1 / 1.34, abs=1e-15),
                                   "high": pytest.approx(1 / 1.28, abs=1e-15)}
        assert report["range"]["low"] < report["sigma"] < report["range"]["high"]


class TestLeontief:
    """sigma = 0 with the reason, whatever the inputs."""

    def test_zero(self):
        report = sigma_report("leontief", {"alpha": 0.3, "beta": 0.3})
        assert report["sigma"] == 0.0 and report["reason"] == LEONTIEF_REASON
        assert report["range"] == {"low": 0.0, "high": 0.0}


class TestDocument:
    """The report is JSON with the promised fields."""

    def test_fields(self):
        report = sigma_report("ces", {"alpha": 0.3, "beta": 0.3, "r": 2.0})
        assert {"sigma", "closed_form", "law", "definition", "inputs", "case", "range",
                "dps"} <= set(report)
        assert report["definition"] == DEFINITION and report["dps"] == 50
        assert set(report["closed_form"]) == {"text", "latex"}
        assert report["sigma"] == pytest.approx(1 / 1.6, abs=1e-15)
        json.dumps(report)


class TestInputErrors:
    """One InputError, naming what is wrong."""

    @pytest.mark.parametrize("law, values, kwargs, message", [
        pytest.param("cobb", {}, {}, "unknown law", id="law"),
        pytest.param("additive", {"alpha": 0.3, "beta": 0.3}, {"path": "kink"},
                     "unknown path", id="path"),
        pytest.param("additive", {"alpha": 0.3, "beta": 0.2}, {},
                     "depends on A, B, n, d", id="missing-point"),
        pytest.param("additive", {"alpha": 0.3}, {"path": "compute-optimal"},
                     "depends on beta", id="missing-exponent"),
        pytest.param("ces", {"alpha": 0.3, "beta": 0.3}, {}, "depends on r", id="missing-r"),
        pytest.param("additive", {"alpha": 0.3, "beta": 0.2, "r": 2.0}, {}, "not r",
                     id="foreign"),
        pytest.param("additive", {"alpha": -0.3, "beta": 0.2}, {}, "positive finite",
                     id="negative"),
        pytest.param("additive", {"alpha": float("nan"), "beta": 0.2}, {}, "positive finite",
                     id="nan"),
        pytest.param("additive", {"alpha": 0.3, "beta": 0.2}, {"n": float("inf")},
                     "positive finite", id="inf"),
        pytest.param("additive", {"alpha": 0.3}, {"preset": "hoffmann2022"},
                     "do not also give alpha", id="preset-clash"),
        pytest.param("additive", {}, {"preset": "nope"}, "unknown preset", id="preset"),
        pytest.param("leontief", {}, {"preset": "hoffmann2022"}, "takes none",
                     id="leontief-preset"),
        pytest.param("additive", {"alpha": 0.3, "beta": 0.2},
                     {"path": "compute-optimal", "n": 1e9, "d": 1e10}, "not both",
                     id="path-overdetermined"),
    ])
    def test_refused(self, law, values, kwargs, message):
        with pytest.raises(InputError, match=message):
            sigma_report(law, values, **kwargs)
