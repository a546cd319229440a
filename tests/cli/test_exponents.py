"""profitopt exponents: the JSON contract, the numbers, and the error contract."""

from __future__ import annotations

import json

import pytest

from profitopt.cli import main

BASE = ["--alpha", "0.3", "--beta", "0.3", "--a", "10", "--b", "10", "--omega", "1",
        "--delta", "1e-12"]


@pytest.fixture(scope="module")
def report():
    import io
    import contextlib
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["exponents", "--of", "n", "--wrt", "E", *BASE, "--gamma", "-1",
                     "--points", "5", "--json"])
    assert code == 0
    return json.loads(out.getvalue())


class TestJsonContract:
    """regimes: name, kind, exponent_latex, exponent, log_power, window; local: x, exponent."""

    def test_regime_fields(self, report):
        assert {r["kind"] for r in report["regimes"]} == {"bound", "rate"}
        for regime in report["regimes"]:
            assert set(regime) >= {"name", "kind", "exponent_latex", "exponent", "log_power",
                                   "window"}
            assert isinstance(regime["exponent"], float)
            assert "text" in regime["window"]

    def test_values(self, report):
        by_name = {r["name"]: r for r in report["regimes"]}
        assert by_name["inference-dominated"]["exponent"] == pytest.approx(1 / 0.7, rel=1e-12)
        assert by_name["training-dominated"]["exponent"] == pytest.approx(1 / 1.4, rel=1e-12)

    def test_residuals_name_the_governing_rate(self, report):
        first, last = report["local"][0], report["local"][-1]
        assert first["rate"] == "inference-dominated" and abs(first["residual"]) < 1e-3
        assert last["rate"] == "training-dominated" and abs(last["residual"]) < 1e-9

    def test_local_rows_cross_over(self, report):
        rows = report["local"]
        assert [r["x"] for r in rows] == sorted(r["x"] for r in rows) and len(rows) == 5
        assert rows[0]["exponent"] == pytest.approx(1 / 0.7, abs=1e-3)
        assert rows[-1]["exponent"] == pytest.approx(1 / 1.4, abs=1e-9)


class TestErrors:
    """Bad requests: one line on stderr, exit 2."""

    @pytest.mark.parametrize("argv", [
        pytest.param(["--of", "q", "--wrt", "E", *BASE, "--gamma", "0"], id="bad-quantity"),
        pytest.param(["--of", "n", "--wrt", "D", *BASE, "--gamma", "0", "--E", "1e18"],
                     id="no-cap"),
        pytest.param(["--of", "n", "--wrt", "E", *BASE, "--gamma", "0", "--from", "1e10",
                      "--to", "1e5"], id="reversed-range"),
        pytest.param(["--of", "n", "--wrt", "E", *BASE, "--gamma", "0", "--points", "1"],
                     id="one-point"),
        pytest.param(["--of", "t", "--wrt", "D", *BASE, "--gamma", "0", "--E", "1e18", "--D",
                      "1e9"], id="t-in-D"),
        pytest.param(["--of", "n", "--wrt", "E", *BASE, "--gamma", "-9"], id="gamma"),
    ])
    def test_input_errors(self, capsys, argv):
        assert main(["exponents", *argv]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
