"""The exponent report's analysis: self-checks against the local exponents, exact exponents."""

from __future__ import annotations

import sympy as sp

from profitopt.analysis.exponents import _reference, failed_checks, self_checks
from profitopt.numeric.parameters import Parameters
from profitopt.symbolic import symbols as S


class TestSelfCheck:
    """A rate is checked at the sample deepest inside its window, only if that lies
    FAR_DECADES inside; a checked disagreement is one line of failed_checks."""

    def test_near_edge_is_not_checked(self):
        regimes = [{"name": "inference-dominated", "kind": "rate", "log_power": 0.0,
                    "exponent": 2.0,
                    "window": {"from": None, "to": 1e12, "everywhere": False}}]
        local = [{"x": 1e11, "rate": "inference-dominated", "exponent": 1.0,
                  "expected": 2.0, "residual": -1.0}]
        (check,) = self_checks(local, regimes)
        assert check["checked"] is False and check["passed"] is None

    def test_edge_at_zero_bounds_nothing(self):
        regimes = [{"name": "training-dominated", "kind": "rate", "log_power": 0.0,
                    "exponent": 0.5, "window": {"from": 0.0, "to": None, "everywhere": False}}]
        local = [{"x": 1e4, "rate": "training-dominated", "exponent": 0.5, "expected": 0.5,
                  "residual": 0.0}]
        (check,) = self_checks(local, regimes)
        assert check["decades_inside"] == float("inf") and check["passed"] is True

    def test_far_row_disagreeing_fails(self):
        regimes = [{"name": "training-dominated", "kind": "rate", "log_power": 0.0,
                    "exponent": 0.75,
                    "window": {"from": 1e12, "to": None, "everywhere": False}}]
        local = [{"x": x, "rate": "training-dominated", "exponent": 0.7, "expected": 0.75,
                  "residual": -0.05} for x in (1e13, 1e20)]  # 0.05 > 0.02 max(1, 0.75)
        report = {"wrt": "E", "checks": self_checks(local, regimes)}
        (check,) = report["checks"]
        assert check["x"] == 1e20 and check["checked"] and check["passed"] is False
        assert len(failed_checks(report)) == 1


class TestReferencePoint:
    """Exponents stay exact rationals; scale parameters enter laws as floats.

    With a = 417.50370725703795 as an exact 17-digit rational, SymPy factorized the
    integers of its rational powers and `exponents` did not finish (the CLI test of
    that point is tests/cli/test_exponents.py::TestReferencePoint).
    """

    def test_kinds(self):
        reference = _reference(Parameters(
            alpha=0.41, beta=0.55, gamma=0.55, a=417.50370725703795, b=1.0370409686981135,
            omega=4.389922333427537, delta=2.3798820314604354e-08, E=1e8))
        assert all(isinstance(reference[s], sp.Rational) for s in (S.alpha, S.beta, S.gamma))
        assert reference[S.alpha] == sp.Rational(41, 100)
        assert all(isinstance(reference[s], sp.Float) for s in (S.a, S.b, S.omega, S.delta))
        assert float(reference[S.a]) == 417.50370725703795
