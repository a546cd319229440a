"""The over-training records: they verify, their statuses come from their checks, and a
wrong relation or exponent fails."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.analysis.overtraining_curve import tokens_per_parameter_curve
from profitopt.derivations import inference_frontier, overtraining, smooth_exponents
from profitopt.derivations.record import (FrontierOptimumCheck, OptimumRelationCheck,
                                          SmoothExponentCheck, SmoothExponentRangeCheck, Status)
from profitopt.derivations.verification import _run, verify
from profitopt.symbolic.overtraining import elasticity_ratio
from profitopt.symbolic.scaling import additive
from profitopt.symbolic.symbols import E, d, t

RECORDS = (overtraining, inference_frontier, smooth_exponents)


@pytest.fixture(scope="module")
def reports():
    return {module.ID: verify(module.derive()) for module in RECORDS}


class TestRecords:
    """Each record's id is its module name, every internal check passes, and the statuses
    are those its evidence decides."""

    @pytest.mark.parametrize("module", RECORDS, ids=lambda m: m.ID)
    def test_id_is_module_name(self, module):
        assert module.ID == module.__name__.rsplit(".", 1)[-1]

    @pytest.mark.parametrize("name", [m.ID for m in RECORDS])
    def test_consistent(self, reports, name):
        assert reports[name].consistent

    @pytest.mark.parametrize("name", ["overtraining", "inference_frontier"])
    def test_all_verified(self, reports, name):
        assert {c.claim.id: c.status for c in reports[name].claims} == {
            c.claim.id: Status.VERIFIED for c in reports[name].claims}

    def test_which_conclusions_survive(self, reports):
        statuses = {c.claim.id: c.status for c in reports["smooth_exponents"].claims}
        assert statuses == {
            "limit-negative": Status.VERIFIED, "limit-zero": Status.VERIFIED,
            "limit-positive": Status.VERIFIED,
            "near-linear": Status.REFUTED, "sub-quadratic": Status.VERIFIED,
            "data-bound-spend": Status.REFUTED, "data-efficiency-size": Status.VERIFIED,
            "data-efficiency-spend": Status.REFUTED,
            "parameter-efficiency-shrinks": Status.REFUTED,
            "parameter-efficiency-gamma": Status.VERIFIED}


class TestWrongFails:
    """A relation, a frontier tolerance or an exponent that is wrong makes its check fail."""

    def test_wrong_relation(self):
        box = overtraining.market_box(3, 5)
        wrong = OptimumRelationCheck("wrong", "1 + t/(6d)", elasticity_ratio(additive()),
                                     1 + t / (6 * d), box, 50, overtraining.RTOL)
        right = OptimumRelationCheck("right", "1 + t/(3d)", elasticity_ratio(additive()),
                                     1 + t / (3 * d), box, 50, overtraining.RTOL)
        assert _run(right).passed
        result = _run(wrong)
        assert not result.passed and result.max_error > 1e-8

    def test_frontier_tolerance_below_precision(self):
        check = FrontierOptimumCheck("tight", "beyond 50 digits", overtraining.market_box(2, 5),
                                     50, 1e-80)
        assert not _run(check).passed

    def test_wrong_exponent(self):
        at = smooth_exponents.hoffmann_point("negative")
        law = smooth_exponents.smooth_limit("negative").law
        wrong = SmoothExponentCheck("wrong", "k + 1/100", "n", E, at, (40,),
                                    law.exponent + sp.Rational(1, 100), law.log_power,
                                    sp.Rational(1, 10**4))
        assert not _run(wrong).passed

    def test_range_outside(self):
        at = smooth_exponents.comparable_point("negative")
        check = SmoothExponentRangeCheck("outside", "n in [2, 3]", "n", E, at, (20,),
                                         sp.Integer(2), sp.Integer(3))
        assert not _run(check).passed


class TestCurve:
    """d*/n* = rho_c(n*) (1 + t*/(3d*))^(1/beta) on every producing row, the factor is at
    least 1, and E too small to produce gives shutdown rows."""

    def test_rows(self):
        rows = tokens_per_parameter_curve(E_values=(1e8, 1e12, 1e20))
        assert [r["regime"] for r in rows] == ["shutdown", "producing", "producing"]
        for row in rows[1:]:
            assert row["overtraining_factor"] >= 1
            assert row["tokens_per_parameter"] == pytest.approx(
                row["compute_optimal"] * row["overtraining_factor"], rel=1e-12)
        assert rows[1]["overtraining_factor"] > rows[2]["overtraining_factor"]
