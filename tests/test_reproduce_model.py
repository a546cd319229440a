"""reproduce(model=...) for a model file: its own records, computed statuses, deterministic
files, and an appendix that builds with no overfull box and names the model."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from profitopt.models.loader import load
from profitopt.pdf import engine_available, overfull_boxes
from profitopt.reproduce import reproduce
from profitopt.symbolic.variants import model_named

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("data-price.toml", "size-cap.toml")
STATUSES = {"verified", "bound only", "refuted", "not reproduced"}
PRODUCTS = ["appendix-body.tex", "appendix.tex", "claims.json", "figures/model-optimum.pdf"]
RECORDS = ["model_served_tokens", "model_kink", "model_reduced", "model_optimum"]
NEEDS_LATEX = pytest.mark.skipif(not engine_available(),
                                 reason="latexmk/pdflatex not installed (CI installs them)")


@pytest.fixture(scope="module", params=EXAMPLES)
def outputs(request, tmp_path_factory):
    """Two runs for one example file: with the PDF (when LaTeX is installed), then without;
    (model name, outcome of the first, first folder, second folder)."""
    name = load(ROOT / "examples" / request.param)
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    outcome = reproduce(first, pdf=engine_available(), model=name)
    reproduce(second, pdf=False, model=name)
    return name, outcome, first, second


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _claims(folder: Path) -> tuple[dict, list[dict]]:
    doc = json.loads((folder / "claims.json").read_text())
    return doc, [c for d in doc["derivations"] for c in d["claims"]]


class TestRecords:
    """Every record is the model's, every claim has a computed status: all verified here."""

    def test_records_in_order(self, outputs):
        name, outcome, _, _ = outputs
        assert [r.derivation.id for r in outcome.reports] == RECORDS
        assert {r.derivation.model for r in outcome.reports} == {name}

    def test_every_status_computed_and_verified(self, outputs):
        doc, claims = _claims(outputs[2])
        assert claims and all(c["status"] in STATUSES for c in claims)
        assert all(c["evidence"] and all("passed" in e for e in c["evidence"])
                   for c in claims)
        assert [c["id"] for c in claims if c["status"] != "verified"] == []
        assert doc["summary"]["verified"] == len(claims) and doc["consistent"]

    def test_claims_name_the_model(self, outputs):
        name, _, first, _ = outputs
        doc, _ = _claims(first)
        assert doc["model"]["name"] == name

    def test_one_kkt_case_per_cap(self, outputs):
        name, _, first, _ = outputs
        model = model_named(name)
        _, claims = _claims(first)
        caps = [c for c in claims if c["id"].startswith("model_reduced/cap-")]
        assert len(caps) == len(model.caps)
        (kkt,) = [c for c in claims if c["id"] == "model_optimum/kkt-cases"]
        for cap in model.caps:  # every cap was seen binding: its regime is in the evidence
            assert f"{cap.regime}: 3 binding, 3 slack" in kkt["evidence"][0]["evidence"]

    def test_precision_sample_holds_binding_and_interior_draws(self, outputs):
        _, claims = _claims(outputs[2])
        (precision,) = [c for c in claims if c["id"] == "model_optimum/precision"]
        evidence = precision["evidence"][0]
        assert "compute-bound" in evidence["evidence"] and "data-bound" in evidence["evidence"]
        assert evidence["tolerance"] == 1e-11 and evidence["dps"] == 50
        assert evidence["max_error"] <= evidence["tolerance"]


class TestFiles:
    """The products alone, byte-identical across runs."""

    @pytest.mark.parametrize("product", PRODUCTS)
    def test_byte_identical(self, outputs, product):
        _, _, first, second = outputs
        assert (first / product).read_bytes() == (second / product).read_bytes()

    def test_only_products(self, outputs):
        _, outcome, first, second = outputs
        assert _files(second) == PRODUCTS
        assert _files(first) == sorted(PRODUCTS + (["appendix.pdf"] if outcome.pdf else []))
        assert sorted(str(p.relative_to(first)) for p in outcome.files) == _files(first)

    def test_body_labels_every_record_and_the_figure(self, outputs):
        body = (outputs[2] / "appendix-body.tex").read_text()
        assert all(f"\\label{{{record}}}" in body for record in RECORDS)
        assert "\\label{fig:model-optimum}" in body

    def test_title_names_the_model(self, outputs):
        name, _, first, _ = outputs
        assert f"\\texttt{{{name}}}" in (first / "appendix.tex").read_text()
        assert "A Theory of Training" not in (first / "appendix.tex").read_text()


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@NEEDS_LATEX
class TestPdf:
    """The model's appendix compiles alone and inside a narrower host with no overfull box."""

    def test_standalone_builds_without_overfull_boxes(self, outputs, appendix_builds):
        pdf, log = appendix_builds.standalone(outputs[2])
        assert pdf.read_bytes().startswith(b"%PDF")
        assert overfull_boxes(log) == []

    def test_body_drops_into_a_host(self, outputs, appendix_builds):
        """A default article (345 pt line) with its own theorem counter."""
        _, log = appendix_builds.in_host(outputs[2])
        assert overfull_boxes(log) == []

    @pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing")
    def test_pdf_names_the_model(self, outputs):
        name, outcome, _, _ = outputs
        text = _pdf_text(outcome.pdf)
        assert name in text
        assert "Optimal inputs lie on the kink" in text and "not reproduced" in text


class TestUnknownModel:
    """A model name nobody registered is refused before anything is written."""

    def test_key_error_and_nothing_written(self, tmp_path):
        with pytest.raises(KeyError):
            reproduce(tmp_path / "out", pdf=False, model="no-such-model")
        assert not (tmp_path / "out").exists()
