"""profitopt solve: the JSON contract and the input-error contract."""

from __future__ import annotations

import json
import math

import pytest

from profitopt.cli import main

BASE = ["--alpha", "0.3", "--beta", "0.3", "--a", "10", "--b", "10", "--omega", "1",
        "--delta", "1e-12", "--gamma", "-1", "--E", "1e18"]
FIELDS = ("n", "d", "t", "q", "profit", "train_flops", "train_cost", "infer_cost")


def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


class TestJsonContract:
    """--json prints one object with the numeric fields and the regime."""

    @pytest.mark.parametrize("extra,regime", [
        pytest.param([], "compute-bound", id="compute-bound"),
        pytest.param(["--D", "1e9"], "data-bound", id="data-bound"),
        pytest.param(["--D", "1e40"], "compute-bound", id="slack-cap"),
    ])
    def test_fields(self, capsys, extra, regime):
        code, out, err = _run(capsys, ["solve", *BASE, *extra, "--json"])
        assert code == 0 and err == ""
        payload = json.loads(out)
        assert payload["regime"] == regime
        for name in FIELDS:
            assert isinstance(payload[name], float) and math.isfinite(payload[name]), name

    def test_costs_are_consistent(self, capsys):
        _, out, _ = _run(capsys, ["solve", *BASE, "--json"])
        p = json.loads(out)
        assert p["train_flops"] == pytest.approx(6 * p["n"] * p["d"], rel=1e-14)
        assert p["train_cost"] == pytest.approx(p["train_flops"] / 1e18, rel=1e-14)
        assert p["infer_cost"] == pytest.approx(2 * p["n"] * p["t"] / 1e18, rel=1e-14)

    def test_table(self, capsys):
        code, out, _ = _run(capsys, ["solve", *BASE])
        assert code == 0
        assert out.splitlines()[0].split() == ["regime", "compute-bound"]


def _replace(flag, value):
    argv = list(BASE)
    argv[argv.index(flag) + 1] = value
    return argv


BAD_INPUTS = [
    pytest.param(["solve", *BASE, "--bogus", "1"], id="unknown-flag"),
    pytest.param(["solve", *BASE[:-2]], id="missing-E"),
    pytest.param(["solve", *_replace("--alpha", "abc")], id="non-number"),
    pytest.param(["solve", *_replace("--alpha", "nan")], id="nan"),
    pytest.param(["solve", *_replace("--E", "inf")], id="inf"),
    pytest.param(["solve", *BASE, "--D", "-5"], id="negative-D"),
    pytest.param(["bogus"], id="unknown-command"),
    pytest.param([], id="no-command"),
    pytest.param(["solve", *_replace("--gamma", "-3.34")], id="gamma-unbounded"),
    pytest.param(["solve", *_replace("--gamma", str(-1 / 0.3))], id="gamma-at-limit"),
    *[pytest.param(["solve", *_replace(flag, value)], id=f"{flag[2:]}={value}")
      for flag in ("--alpha", "--beta", "--a", "--b", "--omega", "--delta", "--E")
      for value in ("0", "-1")],
]


class TestInputErrors:
    """Bad input: exit 2, exactly one line on stderr, no traceback, nothing on stdout."""

    @pytest.mark.parametrize("argv", BAD_INPUTS)
    def test_one_line_exit_2(self, capsys, argv):
        code, out, err = _run(capsys, argv)
        assert code == 2
        assert out == ""
        assert len(err.strip().splitlines()) == 1 and err.startswith("profitopt: error:")
        assert "Traceback" not in err
