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




def _numeric_flags():
    """(command, flag, dest) for every number-valued flag of every command, from the parser."""
    import argparse

    from profitopt.cli import _count, _number, build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if action.type in (_number, _count):
                yield name, action.option_strings[0], action.dest, action.type is _count


#: A complete command line per command, to which one flag is set or added.
COMMAND_BASE = {"solve": BASE, "exponents": ["--of", "n", "--wrt", "E", *BASE],
                "sweep": ["--grid", "E=1:2:2", "--out", "sweep.csv", *BASE[:-2]],
                "sigma": ["--alpha", "0.3", "--beta", "0.3"]}


def _with(cmd, flag, text):
    """COMMAND_BASE[cmd] with ``flag`` set to ``text`` (``text`` '=...' joins the flag)."""
    argv = list(COMMAND_BASE[cmd])
    if flag in argv:
        del argv[argv.index(flag):argv.index(flag) + 2]
    return [cmd, *argv, *([flag + text] if text.startswith("=") else [flag, text])]


NUMBER_FLAGS = [pytest.param(cmd, flag, dest, id=f"{cmd}{flag}")
                for cmd, flag, dest, whole in _numeric_flags() if not whole]
COUNT_FLAGS = [pytest.param(cmd, flag, dest, id=f"{cmd}{flag}")
               for cmd, flag, dest, whole in _numeric_flags() if whole]


class TestNumberSyntax:
    """Every number flag of every command reads a negative number in exponent or bare-point
    notation, as a separate word or after '=': ASCII decimals only, finite only."""

    def test_every_command_has_number_flags(self):
        assert {p.values[0] for p in NUMBER_FLAGS} == {"solve", "exponents", "sweep", "sigma"}

    @pytest.mark.parametrize("cmd,flag,dest", NUMBER_FLAGS)
    @pytest.mark.parametrize("text,value", [
        pytest.param("-1e-3", -1e-3, id="space-exponent"),
        pytest.param("=-1e-3", -1e-3, id="equals-exponent"),
        pytest.param("-.5", -0.5, id="bare-point"),
        pytest.param("=-.5", -0.5, id="equals-bare-point"),
        pytest.param("-1E+2", -100.0, id="upper-exponent"),
        pytest.param("-1e-14", -1e-14, id="tiny"),
        pytest.param("+2.5", 2.5, id="plus-sign"),
        pytest.param("7", 7.0, id="integer"),
    ])
    def test_reads_numbers(self, cmd, flag, dest, text, value):
        from profitopt.cli import build_parser

        args = build_parser().parse_args(_with(cmd, flag, text))
        assert getattr(args, dest) == value

    @pytest.mark.parametrize("cmd,flag,dest", NUMBER_FLAGS + COUNT_FLAGS)
    @pytest.mark.parametrize("text,reason", [
        pytest.param("١٠٠٠", "not a number", id="arabic-indic-digits"),
        pytest.param("１０", "not a number", id="fullwidth-digits"),
        pytest.param("1_000", "not a number", id="underscore"),
        pytest.param("0x10", "not a number", id="hex"),
        pytest.param("", "not a number", id="empty"),
        pytest.param("inf", "not a finite number", id="inf"),
        pytest.param("-Infinity", "not a finite number", id="minus-infinity"),
        pytest.param("nan", "not a finite number", id="nan"),
        pytest.param("1e999", "not a finite number", id="overflows"),
    ])
    def test_refuses_other_text(self, capsys, cmd, flag, dest, text, reason):
        code, out, err = _run(capsys, _with(cmd, flag, "=" + text))
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith(f"profitopt: error: argument {flag}:")
        assert ("not a whole number" if flag in ("--points", "--check", "--chunk") else reason) \
            in err

    @pytest.mark.parametrize("cmd,flag,dest", COUNT_FLAGS)
    @pytest.mark.parametrize("text", [pytest.param("-1", id="negative"),
                                      pytest.param("2.5", id="fraction"),
                                      pytest.param("1e3", id="exponent")])
    def test_counts_are_whole_numbers(self, capsys, cmd, flag, dest, text):
        code, _, err = _run(capsys, _with(cmd, flag, "=" + text))
        assert code == 2 and "not a whole number" in err and err.count("\n") == 1

    def test_solves_with_negative_exponent_notation(self, capsys):
        code, out, err = _run(capsys, ["solve", *_replace("--gamma", "-1e-3"), "--json"])
        assert code == 0 and err == ""
        assert json.loads(out)["regime"] == "compute-bound"


ISSUE = ["--alpha", "0.3", "--beta", "0.3", "--a", "10", "--b", "10", "--omega", "1",
         "--delta", "1e-12", "--gamma=-3.3", "--E", "1e18"]


class TestOnlyTheAnswerMustFitADouble:
    """A point is refused as beyond double range only when its own answer is: a data cap
    that decides the answer (corner or shutdown) is solved even where the uncapped x*
    (here log n* ~ 4700) is not a double."""

    @pytest.mark.parametrize("cap,regime,n", [
        pytest.param("1e12", "data-bound", 1e12, id="corner"),
        pytest.param("1e3", "data-bound", 1e3, id="small-corner"),
        pytest.param("1e-5", "shutdown", 0.0, id="cap-below-quality-1"),
    ])
    def test_capped(self, capsys, cap, regime, n):
        code, out, err = _run(capsys, ["solve", *ISSUE, "--D", cap, "--json"])
        assert code == 0 and err == ""
        payload = json.loads(out)
        assert payload["regime"] == regime
        assert payload["n"] == pytest.approx(n, rel=1e-14)
        assert payload["d"] == pytest.approx(n, rel=1e-14)  # a = b, alpha = beta: d = n

    def test_uncapped_is_refused(self, capsys):
        code, _, err = _run(capsys, ["solve", *ISSUE])
        assert code == 2 and "double range" in err and err.count("\n") == 1


class TestSupportedDomain:
    """alpha and beta in [1e-3, 10] and gamma <= 10 are solved and pass the cross-check at
    the edges; beyond them solve refuses with one line naming the range (exit 2)."""

    @pytest.mark.parametrize("flag,value", [
        pytest.param("--alpha", "1e-300", id="alpha-tiny"),
        pytest.param("--alpha", "9.9e-4", id="alpha-below"),
        pytest.param("--alpha", "1e300", id="alpha-huge"),
        pytest.param("--alpha", "10.01", id="alpha-above"),
        pytest.param("--beta", "1e-6", id="beta-below"),
        pytest.param("--beta", "1e3", id="beta-above"),
        pytest.param("--gamma", "10.5", id="gamma-above"),
    ])
    def test_refused(self, capsys, flag, value):
        code, out, err = _run(capsys, ["solve", *_replace(flag, value)])
        assert code == 2 and out == "" and err.count("\n") == 1
        assert "supported range" in err

    @pytest.mark.parametrize("alpha,beta,gamma,energy", [
        pytest.param("1e-3", "1e-3", "-1", "1e18", id="smallest-exponents"),
        pytest.param("10", "10", "1", "1e42", id="largest-exponents-large-E"),
        pytest.param("1e-3", "10", "10", "1e8", id="mixed-largest-gamma"),
        pytest.param("10", "1e-3", "0", "1e18", id="mixed-log-demand"),
    ])
    def test_edges_solved(self, capsys, alpha, beta, gamma, energy):
        argv = _replace("--alpha", alpha)
        argv[argv.index("--beta") + 1] = beta
        argv[argv.index("--gamma") + 1] = gamma
        argv[argv.index("--E") + 1] = energy
        code, out, err = _run(capsys, ["solve", *argv, "--json"])
        assert code == 0, err
        assert json.loads(out)["crosscheck"]["rel_error_n"] <= 1e-11
