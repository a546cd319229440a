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


def _run(argv: list[str]) -> tuple[int, dict | None, str]:
    import contextlib
    import io
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["exponents", *argv, "--json"])
    text = out.getvalue()
    return code, (json.loads(text) if text.strip() else None), err.getvalue()


@pytest.fixture(scope="module")
def profit_report():
    code, report, err = _run(["--of", "profit", "--wrt", "E", *BASE, "--gamma", "-1",
                              "--points", "5"])
    assert code == 0, err
    return report


class TestProfitExponents:
    """Where training is negligible, profit ~ delta t*^2: its rate is 2 alpha/(1 + alpha gamma)."""

    def test_bound_and_inference_rate(self, profit_report):
        by_name = {r["name"]: r for r in profit_report["regimes"]}
        # 2 alpha / (1 + alpha gamma) at alpha = 0.3, gamma = -1: 6/7 (was reported as 13/7).
        assert by_name["margin bound (Theorems 1-2)"]["exponent"] == pytest.approx(6 / 7)
        assert by_name["inference-dominated"]["exponent"] == pytest.approx(6 / 7)
        assert by_name["training-dominated"]["exponent"] == pytest.approx(3 / 7)

    def test_local_rows_agree_in_every_window(self, profit_report):
        assert all(abs(r["residual"]) < 0.02 for r in profit_report["local"]
                   if r["residual"] is not None)
        assert all(c["passed"] for c in profit_report["checks"] if c["checked"])
        assert {c["rate"] for c in profit_report["checks"] if c["checked"]} == {
            "inference-dominated", "training-dominated"}


class TestSelfCheck:
    """A rate the far end of its window disagrees with exits 3 with one line on stderr."""

    def test_wrong_rate_exits_3(self, monkeypatch):
        import importlib
        module = importlib.import_module("profitopt.analysis.exponents")
        original = module._entry

        def shifted(*args, **kwargs):
            entry = original(*args, **kwargs)
            if entry and entry["name"] == "training-dominated":
                entry = {**entry, "exponent": entry["exponent"] + 0.1}
            return entry
        monkeypatch.setattr(module, "_entry", shifted)
        code, report, err = _run(["--of", "n", "--wrt", "E", *BASE, "--gamma", "-1",
                                  "--points", "5"])
        assert code == 3
        assert report is not None and report["local"]  # the table is still printed
        assert len(err.strip().splitlines()) == 1 and "training-dominated" in err


class TestNoMarginPeak:
    """1 + alpha gamma <= 0: no margin bound and no inference window, only the training rate."""

    def test_only_training_rate(self):
        code, report, err = _run(["--of", "n", "--wrt", "E", "--alpha", "0.5", "--beta", "0.2",
                                  "--a", "3", "--b", "30", "--omega", "0.5", "--delta", "1e-8",
                                  "--gamma=-2.2", "--points", "5"])
        assert code == 0, err
        assert [r["name"] for r in report["regimes"]] == ["training-dominated"]
        assert report["regimes"][0]["exponent"] == pytest.approx(0.769230769, rel=1e-8)
        assert all(r["rate"] == "training-dominated" for r in report["local"])


class TestSamplesAtOne:
    """A sample exactly at E = 1 or D = 1 has no (log x)^m law there, and does not crash."""

    @pytest.mark.parametrize("argv", [
        pytest.param(["--of", "n", "--wrt", "E", *BASE, "--gamma", "0", "--from", "0.5",
                      "--to", "2", "--points", "3"], id="E-at-1-log-law"),
        pytest.param(["--of", "n", "--wrt", "D", *BASE, "--gamma", "-1", "--E", "1e18",
                      "--D", "1e9", "--from", "1e-5", "--to", "1e30", "--points", "8"],
                     id="D-at-1"),
    ])
    def test_runs(self, argv):
        code, report, err = _run(argv)
        assert code == 0 and report is not None, err
        at_one = [r for r in report["local"] if r["x"] == 1.0]
        assert len(at_one) == 1


class TestReferencePoint:
    """Exponents stay exact rationals; scale parameters enter laws as floats.

    With a = 417.50370725703795 as an exact 17-digit rational, SymPy factorized the
    integers of its rational powers and `exponents` did not finish.
    """

    def test_unround_scales_finish(self):
        code, report, err = _run(["--of", "n", "--wrt", "E", "--alpha", "0.41", "--beta", "0.55",
                                  "--gamma", "0.55", "--a", "417.50370725703795",
                                  "--b", "1.0370409686981135", "--omega", "4.389922333427537",
                                  "--delta", "2.3798820314604354e-08", "--points", "3"])
        assert code == 0, err
        assert report["regimes"][-1]["exponent"] == pytest.approx(0.507368, abs=1e-6)


class TestOutOfRangeRows:
    """A sample whose optimum cannot be carried in a double is a row, not the end of the report."""

    def test_far_sample_is_a_row(self):
        code, report, err = _run(["--of", "t", "--wrt", "E", "--alpha", "0.5", "--beta", "0.41",
                                  "--gamma=-1.78", "--a", "68.8", "--b", "1.35",
                                  "--omega", "0.118", "--delta", "1.3e-10", "--points", "5"])
        assert code == 0, err
        last = report["local"][-1]
        assert last["regime"] == "out-of-range" and last["exponent"] is None
        assert last["rate"] is None and last["residual"] is None
        assert all(r["regime"] == "compute-bound" for r in report["local"][:-1])



class TestSteepLaw:
    """A steep law (k = 1/(1 + alpha gamma) = 10) is judged relative to its size."""

    def test_agrees(self):
        code, report, err = _run(["--of", "n", "--wrt", "E", "--alpha", "10", "--beta", "10",
                                  "--a", "10", "--b", "10", "--omega", "1", "--delta", "1e-12",
                                  "--gamma=-0.09", "--points", "3"])
        assert code == 0, err
        (check,) = [c for c in report["checks"] if c["rate"] == "inference-dominated"]
        assert check["checked"] and check["passed"] and check["tolerance"] == pytest.approx(0.2)


class TestTrainingBalanceWithoutRoot:
    """1 + alpha/beta + 2 alpha gamma < 0 (gamma < 0): A U / R rises with n, so the
    training-dominated balance holds in no window; inference dominates at every E."""

    def test_only_the_inference_rate(self):
        code, report, err = _run(["--of", "d", "--wrt", "E", "--alpha", "1.496", "--beta",
                                  "4.38", "--gamma=-0.456", "--a", "0.43", "--b", "2.8",
                                  "--omega", "1.1", "--delta", "7.2e-15", "--from", "1e4",
                                  "--to", "1e60", "--points", "4"])
        assert code == 0, err
        assert "training-dominated" not in [r["name"] for r in report["regimes"]]
        rows = [r for r in report["local"] if r["exponent"] is not None]
        assert rows and all(r["rate"] == "inference-dominated" for r in rows)
        assert all(abs(r["residual"]) < 1e-6 for r in rows)
