"""profitopt reproduce: complete, deterministic, SymPy-derived output; clean failures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy as sp

from profitopt.cli import main
from profitopt.symbolic.demand import demand_exp, exprel


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    codes = (main(["reproduce", "--out", str(first)]), main(["reproduce", "--out", str(second)]))
    return codes, first, second


class TestOutputs:
    """Exit 0; claims.json and derivations.tex are written and byte-identical across runs."""

    def test_exit_zero(self, outputs):
        assert outputs[0] == (0, 0)

    @pytest.mark.parametrize("name", ["claims.json", "derivations.tex"])
    def test_byte_identical(self, outputs, name):
        _, first, second = outputs
        assert (first / name).read_bytes() == (second / name).read_bytes()

    def test_no_temporary_files(self, outputs):
        assert sorted(p.name for p in outputs[1].iterdir()) == ["claims.json", "derivations.tex"]

    def test_every_claim_has_status_and_evidence(self, outputs):
        doc = json.loads((outputs[1] / "claims.json").read_text())
        claims = [c for d in doc["derivations"] for c in d["claims"]]
        assert claims
        for claim in claims:
            assert claim["status"] in {"verified", "bound only", "refuted", "not reproduced"}
            assert claim["evidence"] and all("passed" in e for e in claim["evidence"])
        assert sum(doc["summary"].values()) == len(claims)

    def test_srepr_round_trips_to_the_latex(self, outputs):
        doc = json.loads((outputs[1] / "claims.json").read_text())
        namespace = {**vars(sp), "exprel": exprel, "demand_exp": demand_exp}
        for derivation in doc["derivations"]:
            for step in derivation["steps"]:
                expr = eval(step["srepr"], namespace)  # noqa: S307 - our own srepr output
                assert sp.srepr(expr) == step["srepr"]

    def test_tex_labels_every_derivation(self, outputs):
        doc = json.loads((outputs[1] / "claims.json").read_text())
        tex = (outputs[1] / "derivations.tex").read_text()
        for derivation in doc["derivations"]:
            assert f"\\label{{{derivation['id']}}}" in tex


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
