"""The trends analysis: at a break-even shape the permitted growth of training FLOPs equals
the observed growth; the numeric fallback finds the closed form's roots; the curves and
verdicts follow the laws."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from profitopt.analysis import trends
from profitopt.models.scenarios import select, shipped


def _scenario(name: str):
    (found,) = select(shipped(), name)
    return found


@pytest.fixture(scope="module")
def baseline():
    return _scenario("baseline")


class TestBreakEven:
    """permitted(gamma*) = observed, in FLOPs, for every kind with a root."""

    def test_permitted_equals_observed_at_the_root(self, baseline):
        observed = trends.observed(baseline)["train_flops"]
        for crossing in trends.break_evens(baseline):
            assert crossing.method == "closed form"
            assert len(crossing.roots) == 1, crossing
            (root,) = crossing.roots
            assert -1 < root < 0
            curve = trends.permitted_curves(baseline, [root])[crossing.kind]
            assert curve[0] == pytest.approx(observed, rel=1e-12)

    def test_tight_needs_a_more_negative_shape(self, baseline):
        found = {b.kind: b.roots[0] for b in trends.break_evens(baseline)}
        assert found["tight"] < found["bound"]

    def test_numeric_fallback_agrees(self, baseline, monkeypatch):
        closed = {b.kind: b.roots for b in trends.break_evens(baseline)}

        def no_closed_form(*args, **kwargs):
            raise NotImplementedError

        monkeypatch.setattr(trends, "break_even", no_closed_form)
        numeric = trends.break_evens(baseline)
        for crossing in numeric:
            assert crossing.method == "numeric"
            assert crossing.roots == pytest.approx(closed[crossing.kind], abs=1e-12)

    def test_stalled_hardware_has_no_root_in_range(self):
        """With E stalled even gamma = -1 permits less than the observed 5x."""
        for crossing in trends.break_evens(_scenario("hardware-stagnation")):
            assert crossing.roots == ()


class TestCurves:
    """NaN outside the range of gamma; the reported bound jumps at 0 (a point there)."""

    def test_range_and_jump(self, baseline):
        curves = trends.permitted_curves(baseline, [-1.5, -1.0, -0.5, 0.0, 0.5])
        assert all(math.isnan(curves[k][0]) for k in trends.KINDS)
        assert math.isnan(curves["reported"][3])
        assert curves["reported_at_zero"][0] == pytest.approx(3 * 1.37 * 1.37, rel=1e-12)
        # Theorem 1 as reported equals the derived bound for gamma != 0 with rho fixed
        for index in (1, 2, 4):
            assert curves["reported"][index] == pytest.approx(curves["bound"][index],
                                                              rel=1e-12)
            assert curves["tight"][index] <= curves["bound"][index]


class TestVerdict:
    """The observed growth against the bound and the tight rate."""

    @pytest.mark.parametrize("observed, expected", [
        (9.0, trends.EXCEEDS_BOUND), (6.0, trends.ABOVE_TIGHT), (2.0, trends.WITHIN_TIGHT),
        (5.0, trends.WITHIN_TIGHT)])
    def test_order(self, observed, expected):
        assert trends.verdict(observed, bound_flops=8.0, tight_flops=5.0) == expected


class TestLaws:
    """The tight rate at gamma = 0 carries log E (spend ~ log E): its factor is 1 at
    leading order, and the report says the log factor was left out."""

    def test_zero_tight(self, baseline):
        (row,) = [r for r in trends.scenario_rows(baseline) if r["gamma"] == 0]
        tight = row["permitted"]["tight"]
        assert tight["train_cost"] == pytest.approx(1.0, rel=1e-15)
        assert tight["log_power"] == 1.0
        assert sp.Rational(row["gamma_exact"]) == 0
