"""Theorem 1's E -> infinity law is stated per branch of gamma, each branch its own balance."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.derivations import theorem1
from profitopt.symbolic.symbols import E, alpha, beta, gamma

R = sp.Rational


@pytest.fixture(scope="module")
def record():
    return theorem1.derive()


def _rate(record, claim_id: str) -> sp.Expr:
    claim = next(c for c in record.claims if c.id == claim_id)
    law = claim.derived.rhs
    return sp.simplify(E * sp.diff(sp.log(law), E))


class TestBranches:
    """gamma < 0: k = 1/(1 + alpha/beta + 2 alpha gamma); gamma > 0: 1/(1 + alpha/beta + alpha gamma)."""

    @pytest.mark.parametrize("claim_id,gamma_value,expected", [
        pytest.param("rate-negative", R(-1), R(5, 7), id="negative"),
        pytest.param("rate-positive", R(1, 2), R(20, 43), id="positive-0.465"),
        pytest.param("rate-positive", R(1), R(10, 23), id="positive-1"),
    ])
    def test_exponent(self, record, claim_id, gamma_value, expected):
        at = {alpha: R(3, 10), beta: R(3, 10), gamma: gamma_value}
        assert sp.nsimplify(_rate(record, claim_id).subs(at)) == expected

    def test_positive_branch_is_not_the_negative_law(self, record):
        at = {alpha: R(3, 10), beta: R(3, 10), gamma: R(1, 2)}
        assert _rate(record, "rate-negative").subs(at) != _rate(record, "rate-positive").subs(at)

    def test_each_branch_checked_numerically_at_two_gammas(self, record):
        for claim_id in ("rate-negative", "rate-positive"):
            claim = next(c for c in record.claims if c.id == claim_id)
            gammas = {dict(k.at)[gamma] for k in claim.checks if hasattr(k, "log10_values")}
            assert len(gammas) == 2

    def test_statement_shows_both_branches(self, record):
        piecewise = record.statement_math[1].rhs
        assert isinstance(piecewise, sp.Piecewise) and len(piecewise.args) == 2
