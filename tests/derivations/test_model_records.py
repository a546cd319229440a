"""A model's generic records: derived from its parts, checked against its own problem, and
able to fail -- a wrong record, a lemma that does not hold, a result SymPy cannot derive and
a check written for the paper's closed forms are never shown as verified."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
import sympy as sp

from profitopt.derivations import model_sampling
from profitopt.derivations.record import DerivableCheck, PrecisionCheck, SolverCheck, Status
from profitopt.derivations.registry import MODEL_MODULES, model_derivations
from profitopt.derivations.verification import verify
from profitopt.models.loader import load
from profitopt.paramspec import DATA_PRICE
from profitopt.symbolic.costs import CostTerm
from profitopt.symbolic.symbols import d, n, parameter_symbol, t
from profitopt.symbolic.variants import data_price, model_named, register

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data_price_records():
    name = load(ROOT / "examples" / "data-price.toml")
    return name, {r.id: r for r in model_derivations(name)}


def _variant(name: str, extra: CostTerm) -> str:
    """The data-price model with one more cost term, registered under ``name``."""
    base = data_price()
    return register(dataclasses.replace(base, name=name, costs=(*base.costs, extra)),
                    f"test variant {name}")


def _status(record, claim_id: str) -> Status:
    (claim,) = [c for c in verify(record).claims if c.claim.id == claim_id]
    return claim.status


class TestRecordsAreTheModels:
    """Ids equal module names; each record names its model and is a plain value."""

    def test_ids_and_model(self, data_price_records):
        name, records = data_price_records
        assert list(records) == [m.__name__.rsplit(".", 1)[-1] for m in MODEL_MODULES]
        assert {r.model for r in records.values()} == {name}

    def test_values(self, data_price_records):
        for record in data_price_records[1].values():
            assert pickle.loads(pickle.dumps(record)) == record

    def test_statements_typeset_the_models_expressions(self, data_price_records):
        """The kink claim prints SymPy's LaTeX of the model's own excess-token slope."""
        _, records = data_price_records
        (claim,) = records["model_kink"].claims
        price = sp.latex(parameter_symbol(DATA_PRICE))
        assert price in claim.statement and r"\frac{6 n}{E}" in claim.statement

    def test_paper_model_has_the_paper_records_shape(self):
        records = model_derivations("paper")
        assert all(r.model == "paper" for r in records)
        assert [c.id for c in records[2].claims] == ["reduced-profit", "reduced-foc", "cap-0",
                                                    "bounded-range"]


class TestFailuresAreReported:
    """A check that cannot fail is a defect: each kind of failure yields a non-verified status."""

    def test_wrong_identity_is_not_reproduced(self, data_price_records):
        _, records = data_price_records
        record = records["model_served_tokens"]
        claim = record.claims[0]
        wrong = dataclasses.replace(claim.checks[0], rhs=sp.Integer(1))
        broken = dataclasses.replace(record, claims=(
            dataclasses.replace(claim, checks=(wrong, *claim.checks[1:])), *record.claims[1:]))
        assert _status(record, "t-star") is Status.VERIFIED
        assert _status(broken, "t-star") is Status.NOT_REPRODUCED

    def test_tolerance_below_float64_resolution_fails(self, data_price_records):
        """The 50-digit comparison is real: at 1e-30 the float64 optimum cannot pass."""
        _, records = data_price_records
        record = records["model_optimum"]
        claim = record.claims[0]
        (check,) = claim.checks
        assert isinstance(check, PrecisionCheck)
        strict = dataclasses.replace(check, rtol=1e-30)
        broken = dataclasses.replace(record, claims=(
            dataclasses.replace(claim, checks=(strict,)), *record.claims[1:]))
        assert _status(broken, "precision") is Status.NOT_REPRODUCED

    def test_kink_lemma_that_does_not_hold(self):
        """A data *rebate* makes excess tokens profitable for some parameters: the lemma's
        sign check and its numeric check both fail."""
        price = parameter_symbol(DATA_PRICE)
        name = _variant("test-data-rebate", CostTerm("rebate", "data rebate", -2 * price * d))
        record = next(r for r in model_derivations(name) if r.id == "model_kink")
        (report,) = verify(record).claims
        assert report.status is Status.NOT_REPRODUCED
        failed = {r.id for r in report.results if not r.passed}
        assert {"tokens-slope", "off-kink-numeric"} <= failed

    def test_bounded_range_not_established(self):
        """A data cost growing as d^2 has no fixed cost that outgrows the others for every
        parameter value: SymPy cannot derive the range, and the claim says so."""
        price = parameter_symbol(DATA_PRICE)
        name = _variant("test-quadratic-data", CostTerm("data2", "data cost", price * d**2))
        record = next(r for r in model_derivations(name) if r.id == "model_reduced")
        (claim,) = [c for c in verify(record).claims if c.claim.id == "bounded-range"]
        assert claim.status is Status.NOT_REPRODUCED
        (result,) = claim.results
        assert result.kind == "DerivableCheck" and "not established" in result.evidence_latex

    def test_underivable_record_is_kept_as_not_established(self):
        """A model whose served tokens have no closed form still gets its records, each a
        failing claim, never dropped."""
        name = _variant("test-cubic-serving", CostTerm(
            "serve3", "serving", n * t**3 * parameter_symbol(DATA_PRICE)))
        records = model_derivations(name)
        served = next(r for r in records if r.id == "model_served_tokens")
        (claim,) = verify(served).claims
        assert claim.status is Status.NOT_REPRODUCED
        assert isinstance(claim.claim.checks[0], DerivableCheck)

    def test_paper_check_refused_on_another_model(self, data_price_records):
        name, records = data_price_records
        record = records["model_optimum"]
        box = record.claims[0].checks[0].box
        check = SolverCheck("solver", "paper-only", "n", sp.Integer(1), "compute-bound", box,
                            1e-9)
        broken = dataclasses.replace(record, claims=(
            dataclasses.replace(record.claims[0], checks=(check,)),))
        (claim,) = verify(broken).claims
        assert claim.status is Status.NOT_REPRODUCED
        assert "paper's model" in claim.results[0].evidence


class TestSampling:
    """Defaults hold a parameter fixed; the rest follow the documented calibration."""

    def test_default_fixes_a_parameter(self):
        base = model_named("data-price")
        specs = tuple(dataclasses.replace(s, default=2e-9) if s.name == "c_D" else s
                      for s in base.parameters)
        model = dataclasses.replace(base, parameters=specs)
        (price,) = [r for r in model_sampling.ranges(model) if r.symbol.name == "c_D"]
        assert price.lo == price.hi == sp.Rational(2, 10**9) and not price.log

    def test_caps_are_not_drawn(self):
        model = model_named("size-cap")
        names = {r.symbol.name for r in model_sampling.ranges(model)}
        assert not names & {"D", "N"}
        box = model_sampling.model_box(model, 5, 1, caps=True)
        assert [c.bound.name for c in box.caps] == ["D", "N"]
