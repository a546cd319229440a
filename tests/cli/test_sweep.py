"""profitopt sweep: grid parsing, the CSV it writes, and its error contract."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from profitopt.cli import main
from profitopt.errors import InputError
from profitopt.sweep import parse_grid

FIXED = ["--alpha", "0.3", "--beta", "0.3", "--a", "10", "--b", "10", "--omega", "1",
         "--delta", "1e-12"]


class TestGridSpec:
    """NAME=lo:hi[:log]:count gives count values, linear or log-spaced."""

    def test_log(self):
        axis = parse_grid("E=1e10:1e40:log:4")
        assert axis.name == "E" and np.allclose(np.log10(axis.values), [10, 20, 30, 40])

    def test_linear(self):
        assert np.allclose(parse_grid("gamma=-1:1:5").values, [-1, -0.5, 0, 0.5, 1])

    @pytest.mark.parametrize("spec", ["E=1:2", "zeta=1:2:3", "E=-1:1:log:3", "E=1:2:cubic:3",
                                      "E=a:b:3", "gamma=0:1:0"])
    def test_rejects(self, spec):
        with pytest.raises(InputError):
            parse_grid(spec)


class TestCsv:
    """One row per point with parameters, outputs, regime and certificate flags."""

    def test_rows(self, tmp_path, capsys):
        out = tmp_path / "sweep.csv"
        code = main(["sweep", "--grid", "E=1e10:1e30:log:3", "--grid", "gamma=-1:1:3", *FIXED,
                     "--out", str(out), "--check", "2"])
        assert code == 0
        summary = capsys.readouterr().out
        assert summary.startswith("9 points") and "sampled max rel. error" in summary
        rows = list(csv.DictReader(out.read_text().splitlines()))
        assert len(rows) == 9
        assert {row["regime"] for row in rows} == {"compute-bound"}
        assert all(row["certified"] == "1" for row in rows)
        assert [float(r["E"]) for r in rows[:3]] == [1e10, 1e10, 1e10]  # first axis slowest

    def test_deterministic_file(self, tmp_path, capsys):
        paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
        for path in paths:
            main(["sweep", "--grid", "gamma=-1:1:4", *FIXED, "--E", "1e18", "--out", str(path),
                  "--check", "0"])
        capsys.readouterr()
        assert paths[0].read_bytes() == paths[1].read_bytes()


class TestErrors:
    """Bad sweeps: exit 2, one stderr line, no CSV left behind."""

    @pytest.mark.parametrize("argv", [
        pytest.param(["--grid", "E=1e10:1e20:log:2", *FIXED], id="missing-gamma"),
        pytest.param(["--grid", "gamma=-9:1:3", *FIXED, "--E", "1e18"], id="gamma-range"),
        pytest.param(["--grid", "E=1:2:log:2", "--grid", "E=1:2:2", *FIXED, "--gamma", "0"],
                     id="duplicate-axis"),
    ])
    def test_input_errors(self, tmp_path, capsys, argv):
        out = tmp_path / "sweep.csv"
        assert main(["sweep", *argv, "--out", str(out)]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
        assert not out.exists()
