"""profitopt reproduce: complete, deterministic, SymPy-derived output; a PDF that builds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp
from sympy.functions.elementary.piecewise import ExprCondPair

from profitopt.cli import main
from profitopt.pdf import LatexFailed, compile_pdf, engine_available, overfull_boxes
from profitopt.reproduce import reproduce
from profitopt.symbolic.demand import demand_exp, exprel

TEX_AND_DATA = ["claims.json", "appendix.tex", "appendix-body.tex", "figures/growth.pdf",
                "figures/exponents.pdf", "figures/data-bound.pdf", "figures/overtraining.pdf",
                "figures/trends.pdf", "figures/claims.pdf"]
NEEDS_LATEX = pytest.mark.skipif(not engine_available(),
                                 reason="latexmk/pdflatex not installed (CI installs them)")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Two runs: the command line without the PDF, then reproduce() with it (when LaTeX is
    installed); (exit code of the first, outcome of the second, first folder, second folder)."""
    first, second = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    code = main(["reproduce", "--out", str(first), "--no-pdf"])
    outcome = reproduce(second, pdf=engine_available())
    return code, outcome, first, second


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


class TestOutputs:
    """Exit 0; every file written, byte-identical across runs, nothing but the products."""

    def test_exit_zero(self, outputs):
        code, outcome, _, _ = outputs
        assert code == 0 and all(r.consistent for r in outcome.reports)

    @pytest.mark.parametrize("name", TEX_AND_DATA)
    def test_byte_identical(self, outputs, name):
        _, _, first, second = outputs
        assert (first / name).read_bytes() == (second / name).read_bytes()

    def test_only_products_without_pdf(self, outputs):
        assert _files(outputs[2]) == sorted(TEX_AND_DATA)

    def test_only_products_with_pdf(self, outputs):
        """No .aux, .log, .fls or .fdb_latexmk beside the products; the PDF when built."""
        expected = TEX_AND_DATA + (["appendix.pdf"] if engine_available() else [])
        assert _files(outputs[3]) == sorted(expected)

    def test_outcome_names_every_file_written(self, outputs):
        _, outcome, _, second = outputs
        assert sorted(str(p.relative_to(second)) for p in outcome.files) == _files(second)
        assert (outcome.pdf in outcome.files) if outcome.pdf else True

    def test_every_claim_has_status_and_evidence(self, outputs):
        doc = json.loads((outputs[3] / "claims.json").read_text())
        claims = [c for d in doc["derivations"] for c in d["claims"]]
        assert claims
        for claim in claims:
            assert claim["status"] in {"verified", "bound only", "refuted", "not reproduced"}
            assert claim["evidence"] and all("passed" in e for e in claim["evidence"])
        assert sum(doc["summary"].values()) == len(claims)

    def test_srepr_round_trips(self, outputs):
        doc = json.loads((outputs[3] / "claims.json").read_text())
        namespace = {**vars(sp), "exprel": exprel, "demand_exp": demand_exp,
                     "ExprCondPair": ExprCondPair}  # Piecewise's pieces, not in sympy's namespace
        for derivation in doc["derivations"]:
            for step in derivation["steps"]:
                expr = eval(step["srepr"], namespace)  # noqa: S307 - our own srepr output
                assert sp.srepr(expr) == step["srepr"]

    def test_body_labels_every_derivation_and_figure(self, outputs):
        doc = json.loads((outputs[3] / "claims.json").read_text())
        body = (outputs[3] / "appendix-body.tex").read_text()
        for derivation in doc["derivations"]:
            assert f"\\label{{{derivation['id']}}}" in body
        for figure in ("growth", "exponents", "data-bound", "claims"):
            assert f"\\label{{fig:{figure}}}" in body

    def test_standalone_inputs_the_body(self, outputs):
        assert "\\input{appendix-body}" in (outputs[3] / "appendix.tex").read_text()


@NEEDS_LATEX
class TestPdf:
    """The appendix compiles cleanly, alone and inside a narrower host, with no overfull box."""

    def test_standalone_builds_without_overfull_boxes(self, outputs, appendix_builds):
        pdf, log = appendix_builds.standalone(outputs[3])
        assert pdf.read_bytes().startswith(b"%PDF")
        assert overfull_boxes(log) == []

    def test_body_drops_into_a_host(self, outputs, appendix_builds):
        """A default article (345 pt line) with its own theorem counter."""
        folder, log = appendix_builds.in_host(outputs[3], "See Appendix~\\ref{profitopt}.\n")
        assert overfull_boxes(log) == []
        assert not any(p.suffix in {".aux", ".log", ".fls"} for p in folder.iterdir())

    def test_results_numbered_by_the_appendix(self, outputs):
        text = _pdf_text(outputs[3] / "appendix.pdf")
        assert re.search(r"Theorem A\.\d+ \(paper: Theorem 1\)", text)
        assert "Summary of claims" in text and "Verified derivations" not in text


#: ASCII mathematics that must not reach the PDF: every formula is typeset.
ASCII_MATH = ("^", "**", "!=", "<~", ">=", "<=")
ASCII_PRODUCT = re.compile(r"\w\s*\*\s*\w")


def _pdf_text(pdf):
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@NEEDS_LATEX
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
class TestTypesetMathematics:
    """No ASCII mathematics anywhere in the PDF: captions, titles, tables, figures."""

    def test_no_ascii_mathematics(self, outputs):
        text = _pdf_text(outputs[3] / "appendix.pdf")
        found = [(token, text[max(i - 40, 0):i + 40].replace("\n", " "))
                 for token in ASCII_MATH for i in _positions(text, token)]
        found += [("*", text[max(m.start() - 40, 0):m.end() + 40].replace("\n", " "))
                  for m in ASCII_PRODUCT.finditer(text)]
        assert found == [], "ASCII mathematics in appendix.pdf:\n" + "\n".join(
            f"{token!r}: ...{context}..." for token, context in found)


def _positions(text, token):
    start = text.find(token)
    while start != -1:
        yield start
        start = text.find(token, start + 1)


class TestFailures:
    """An unusable --out is an input error that leaves nothing behind."""

    def test_out_is_a_file(self, tmp_path, capsys):
        target = tmp_path / "file"
        target.write_text("x")
        assert main(["reproduce", "--out", str(target)]) == 2
        assert target.read_text() == "x"
        assert len(capsys.readouterr().err.strip().splitlines()) == 1


class TestConsoleScript:
    """python -m profitopt behaves as the console script (no traceback on bad input)."""

    def test_module_entry_point(self):
        run = subprocess.run([sys.executable, "-m", "profitopt", "solve", "--alpha", "0"],
                             capture_output=True, text=True, check=False)
        assert run.returncode == 2
        assert "Traceback" not in run.stderr and run.stdout == ""


@NEEDS_LATEX
class TestLatexFailure:
    """A failed build names the folder where its log and auxiliary files were kept."""

    def test_errors_and_kept_log(self, tmp_path):
        (tmp_path / "bad.tex").write_text(
            "\\documentclass{article}\n\\begin{document}\n$x^$\n\\end{document}\n")
        with pytest.raises(LatexFailed) as failure:
            compile_pdf(tmp_path, "bad")
        kept = re.search(r"kept in (\S+)\)", str(failure.value)).group(1)
        assert (Path(kept) / "bad.log").exists() and "bad.tex:3:" in str(failure.value)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tex"]
        shutil.rmtree(kept)
