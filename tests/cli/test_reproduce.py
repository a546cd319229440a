"""profitopt reproduce: complete, deterministic, SymPy-derived output; a PDF that builds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import sympy as sp

from profitopt.cli import main
from profitopt.pdf import compile_pdf, engine_available
from profitopt.symbolic.demand import demand_exp, exprel

TEX_AND_DATA = ["claims.json", "appendix.tex", "appendix-body.tex", "figures/growth.pdf",
                "figures/exponents.pdf", "figures/data-bound.pdf", "figures/claims.pdf"]
NEEDS_LATEX = pytest.mark.skipif(not engine_available(),
                                 reason="latexmk/pdflatex not installed (CI installs them)")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    codes = (main(["reproduce", "--out", str(first), "--no-pdf"]),
             main(["reproduce", "--out", str(second), "--no-pdf"]))
    return codes, first, second


class TestOutputs:
    """Exit 0; every file written, byte-identical across runs, nothing half-written."""

    def test_exit_zero(self, outputs):
        assert outputs[0] == (0, 0)

    @pytest.mark.parametrize("name", TEX_AND_DATA)
    def test_byte_identical(self, outputs, name):
        _, first, second = outputs
        assert (first / name).read_bytes() == (second / name).read_bytes()

    def test_no_temporary_files(self, outputs):
        names = sorted(str(p.relative_to(outputs[1])) for p in outputs[1].rglob("*")
                       if p.is_file())
        assert names == sorted(TEX_AND_DATA)

    def test_every_claim_has_status_and_evidence(self, outputs):
        doc = json.loads((outputs[1] / "claims.json").read_text())
        claims = [c for d in doc["derivations"] for c in d["claims"]]
        assert claims
        for claim in claims:
            assert claim["status"] in {"verified", "bound only", "refuted", "not reproduced"}
            assert claim["evidence"] and all("passed" in e for e in claim["evidence"])
        assert sum(doc["summary"].values()) == len(claims)

    def test_srepr_round_trips(self, outputs):
        doc = json.loads((outputs[1] / "claims.json").read_text())
        namespace = {**vars(sp), "exprel": exprel, "demand_exp": demand_exp}
        for derivation in doc["derivations"]:
            for step in derivation["steps"]:
                expr = eval(step["srepr"], namespace)  # noqa: S307 - our own srepr output
                assert sp.srepr(expr) == step["srepr"]

    def test_body_labels_every_derivation_and_figure(self, outputs):
        doc = json.loads((outputs[1] / "claims.json").read_text())
        body = (outputs[1] / "appendix-body.tex").read_text()
        for derivation in doc["derivations"]:
            assert f"\\label{{{derivation['id']}}}" in body
        for figure in ("growth", "exponents", "data-bound", "claims"):
            assert f"\\label{{fig:{figure}}}" in body

    def test_standalone_inputs_the_body(self, outputs):
        assert "\\input{appendix-body}" in (outputs[1] / "appendix.tex").read_text()


@NEEDS_LATEX
class TestPdf:
    """The appendix compiles cleanly, alone and inside a host document."""

    def test_standalone_builds(self, outputs, tmp_path):
        folder = tmp_path / "standalone"
        shutil.copytree(outputs[1], folder)
        pdf = compile_pdf(folder)
        assert pdf.read_bytes().startswith(b"%PDF")

    def test_body_drops_into_a_host(self, outputs, tmp_path):
        folder = tmp_path / "host"
        shutil.copytree(outputs[1], folder)
        (folder / "host.tex").write_text(
            "\\documentclass{article}\n"
            "\\usepackage{amsmath,amssymb,amsthm,graphicx,booktabs}\n"
            "\\newtheorem{theorem}{Theorem}[section]\n"  # the host's own environment
            "\\begin{document}\n\\section{Host}\nSee Appendix~\\ref{profitopt}.\n"
            "\\appendix\n\\input{appendix-body}\n\\end{document}\n")
        assert compile_pdf(folder, "host").exists()


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
