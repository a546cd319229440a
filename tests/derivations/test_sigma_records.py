"""The Appendix B records (substitution_elasticity, compute_optimal_sigma): plain values
whose claims verify, whose reported comparisons fail on a wrong reported value, and whose
isoquant checks fail on a wrong closed form -- no check here can only pass."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
import sympy as sp

from profitopt.derivations import compute_optimal_sigma, substitution_elasticity
from profitopt.derivations.record import (IdentityCheck, IsoquantCheck, Range, Role,
                                          Status)
from profitopt.derivations.verification import _HANDLERS, verify
from profitopt.record_store import TYPES
from profitopt.symbolic.scaling import additive
from profitopt.symbolic.serialize import from_data, to_data
from profitopt.symbolic.substitution import derive_substitution
from profitopt.symbolic.symbols import A, B, alpha, beta, d, n

MODULES = (substitution_elasticity, compute_optimal_sigma)


@pytest.fixture(scope="module")
def records():
    return {module.ID: module.derive() for module in MODULES}


@pytest.fixture(scope="module")
def reports(records):
    return {name: verify(record) for name, record in records.items()}


def _status(report, claim_id: str) -> Status:
    (claim,) = [c for c in report.claims if c.claim.id == claim_id]
    return claim.status


class TestRecordsAreValues:
    """Ids equal module names; records pickle and survive the record store's data form
    (every check type is a dataclass of the record module)."""

    @pytest.mark.parametrize("module", MODULES, ids=lambda m: m.ID)
    def test_id(self, records, module):
        assert records[module.ID].id == module.__name__.rsplit(".", 1)[-1]

    def test_pickle_and_store(self, records):
        for record in records.values():
            assert pickle.loads(pickle.dumps(record)) == record
            assert from_data(to_data(record), TYPES) == record

    def test_isoquant_check_is_stored_and_handled(self):
        assert TYPES["IsoquantCheck"] is IsoquantCheck
        assert IsoquantCheck in _HANDLERS


class TestRecordsVerify:
    """Every claim is verified; every claim has a symbolic check and, where it is about a
    formula in (n, d), a 50-digit isoquant check; reported values are compared by
    REPORTED checks."""

    def test_all_verified(self, reports):
        for report in reports.values():
            for claim in report.claims:
                failed = [r.evidence for r in claim.results if not r.passed]
                assert claim.status is Status.VERIFIED, (claim.claim.id, failed)

    def test_checks_present(self, records):
        for record in records.values():
            for claim in record.claims:
                kinds = {type(c).__name__ for c in claim.checks}
                assert kinds & {"IdentityCheck", "SignCheck"}, claim.id
                assert "IsoquantCheck" in kinds, claim.id
                if claim.reported is not None:
                    assert any(c.role is Role.REPORTED for c in claim.checks), claim.id

    def test_isoquant_precision(self, records):
        for record in records.values():
            for check in (c for claim in record.claims for c in claim.checks
                          if isinstance(c, IsoquantCheck)):
                assert check.dps >= 50 and check.tolerance > 0 and check.samples > 0

    def test_numbers(self, records):
        """The derived values: 1/1.31205 at the averaged exponent, the same on the
        compute-optimal path of the unaveraged law."""
        average, = [c for c in records["substitution_elasticity"].claims
                    if c.id == "chinchilla"]
        path, = [c for c in records["compute_optimal_sigma"].claims
                 if c.id == "chinchilla-path"]
        assert average.derived.rhs == path.derived.rhs == sp.Rational(100000, 131205)


#: Wrong reported values, each of which must refute its claim.
WRONG = [
    pytest.param(substitution_elasticity, "REPORTED_SIGMA", "closed-form",
                 (A * alpha * d**beta + B * beta * n**alpha)
                 / (A * alpha * (alpha + 1) * d**beta + (beta + 1) * B * beta * n**alpha),
                 id="formula-exponents-swapped"),
    pytest.param(substitution_elasticity, "REPORTED_EQUAL_EXPONENTS", "equal-exponents",
                 1 / (1 + 2 * alpha), id="equal-exponents"),
    pytest.param(substitution_elasticity, "REPORTED_AVERAGE_EXPONENT", "chinchilla",
                 sp.Rational("0.3121"), id="average"),
    pytest.param(substitution_elasticity, "REPORTED_SIGMA_VALUE", "chinchilla",
                 sp.Rational("0.7623"), id="value-one-digit-off"),
    pytest.param(substitution_elasticity, "REPORTED_LEONTIEF", "leontief-limit",
                 sp.Rational(1, 10), id="leontief"),
    pytest.param(compute_optimal_sigma, "REPORTED_PATH_SIGMA", "path-sigma",
                 1 / (1 + alpha + beta), id="path"),
    pytest.param(compute_optimal_sigma, "REPORTED_SIGMA_VALUE", "chinchilla-path",
                 sp.Rational("0.7621"), id="path-value"),
]


class TestWrongReportedRefutes:
    """A deliberately wrong reported value makes the REPORTED check fail and the claim
    refuted (its internal checks still pass)."""

    @pytest.mark.parametrize("module, name, claim_id, wrong", WRONG)
    def test_refuted(self, monkeypatch, module, name, claim_id, wrong):
        monkeypatch.setattr(module, name, wrong)
        report = verify(module.derive())
        assert _status(report, claim_id) is Status.REFUTED
        (claim,) = [c for c in report.claims if c.claim.id == claim_id]
        assert all(r.passed for r in claim.results if r.role is Role.INTERNAL)


def _check(**changes) -> IsoquantCheck:
    sub = derive_substitution(additive())
    R = sp.Rational
    base = IsoquantCheck(
        "iso", "test", additive().quality(n, d), sub.sigma,
        (Range(n, R(6), R(12), True), Range(d, R(8), R(14), True),
         Range(A, R(1), R(3), True), Range(B, R(1), R(3), True),
         Range(alpha, R(1, 10), R(1, 2)), Range(beta, R(1, 10), R(1, 2))),
        4, 7, R(1, 10**15), 50, R(1, 10**20))
    return dataclasses.replace(base, **changes)


class TestIsoquantCheckCanFail:
    """The isoquant check passes on the derived closed form and fails on a form wrong by
    one part in 10^15, on the swapped-exponent formula, and when a symbol has no range."""

    def test_passes(self):
        result = _HANDLERS[IsoquantCheck](_check())
        assert result.passed and result.max_error <= 1e-20 and result.dps == 50

    def test_reproducible(self):
        assert _HANDLERS[IsoquantCheck](_check()) == _HANDLERS[IsoquantCheck](_check())

    def test_slightly_wrong(self):
        wrong = derive_substitution(additive()).sigma * (1 + sp.Rational(1, 10**15))
        assert not _HANDLERS[IsoquantCheck](_check(sigma=wrong)).passed

    def test_swapped(self):
        swapped = derive_substitution(additive()).sigma.subs({alpha: beta, beta: alpha},
                                                             simultaneous=True)
        assert not _HANDLERS[IsoquantCheck](_check(sigma=swapped)).passed

    def test_missing_range(self):
        from profitopt.derivations.verification import _run
        check = _check()
        result = _run(dataclasses.replace(check, ranges=check.ranges[:-1]))
        assert not result.passed and "no sampling range" in result.evidence

    def test_identity_check_of_records_can_fail(self):
        """The symbolic route comparison fails for a different law's sigma."""
        sub = derive_substitution(additive())
        check = IdentityCheck("x", "x", sub.sigma, sub.sigma.subs(alpha, 2 * alpha))
        assert not _HANDLERS[IdentityCheck](check).passed
