"""profitopt trends: the JSON contract, numbers recomputed by hand, the response of the
table to a changed input, the text table, and the input-error contract."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from pathlib import Path

import pytest

from profitopt.cli import main
from profitopt.models.scenarios import parse_scenarios, scenarios_file, shipped

NAMES = ("baseline", "epoch-compute", "hardware-stagnation", "data-stalled", "data-slow")
GAMMAS = (-1.0, -0.77, -0.5, 0.0)
KINDS = ("bound", "tight", "reported")
QUANTITIES = ("train_cost", "train_flops")
HEADINGS = ("gamma", "bound $", "bound FLOP", "tight $", "tight FLOP", "paper $", "paper FLOP",
            "verdict")
EXCEEDS, ABOVE_TIGHT, WITHIN_TIGHT = ("observed exceeds the bound",
                                      "within the bound, above the tight rate",
                                      "within the tight rate")
CANARY = "profitopt_trends_canary"
ALPHA = 0.3          # the shipped scenarios' alpha = beta
E_GROWTH = 1.37      # the shipped E factor (all but hardware-stagnation)
REL = 1e-12


def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _run_quietly(argv):
    """The CLI in-process, its output captured without capsys (for module fixtures)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def shipped_run():
    """``profitopt trends --json`` on the shipped scenarios, run once: (stdout, report)."""
    code, out, err = _run_quietly(["trends", "--json"])
    assert code == 0 and err == "", err
    return out, json.loads(out)


@pytest.fixture(scope="module")
def report(shipped_run):
    return shipped_run[1]


@pytest.fixture(scope="module")
def template():
    """The text ``profitopt trends --template`` prints."""
    code, out, err = _run_quietly(["trends", "--template"])
    assert code == 0 and err == ""
    return out


def _rows(report, name):
    return [row for row in report["scenarios"] if row["name"] == name]


def _row(report, name, shape):
    (row,) = [r for r in _rows(report, name) if r["gamma"] == shape]
    return row


def _crossing(report, name):
    (entry,) = [e for e in report["break_even"] if e["name"] == name]
    return entry


def _block(template, name):
    """The text of scenario ``name`` in the template: from its header [name] to the next
    scenario's header (a header without a dot)."""
    headers = [(m.start(), m.group(1)) for m in re.finditer(r"^\[([a-z0-9-]+)\]$", template,
                                                            re.MULTILINE)]
    starts = [at for at, found in headers]
    (start,) = [at for at, found in headers if found == name]
    following = [at for at in starts if at > start]
    return template[start:min(following, default=len(template))]


def _edit(text, *pairs):
    """``text`` with every occurrence of each ``old`` (at least one) replaced by ``new``."""
    for old, new in pairs:
        assert text.count(old) >= 1, old
        text = text.replace(old, new)
    return text


def _report_of(text, tmp_path, name="mine.toml"):
    """The JSON report of ``profitopt trends --file`` on ``text`` (which must succeed)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, err = _run_quietly(["trends", "--json", "--file", str(path)])
    assert code == 0 and err == "", err
    return json.loads(out)


class TestJsonContract:
    """--json prints one object: a row per scenario and gamma with observed and permitted
    growth in both units, and a break-even entry per scenario."""

    def test_one_object_twenty_rows(self, shipped_run, report):
        out, _ = shipped_run
        assert out.endswith("\n") and out.count("\n") == 1
        assert isinstance(report, dict) and isinstance(report["scenarios"], list)
        assert [(r["name"], r["gamma"]) for r in report["scenarios"]] == [
            (name, shape) for name in NAMES for shape in GAMMAS]

    def test_row_fields(self, report):
        for row in report["scenarios"]:
            assert isinstance(row["name"], str) and isinstance(row["gamma"], float)
            assert isinstance(row["observed"], dict)
            for quantity in QUANTITIES:
                assert isinstance(row["observed"][quantity], float)
            for kind in ("bound", "tight"):
                for quantity in QUANTITIES:
                    value = row["permitted"][kind][quantity]
                    assert isinstance(value, float) and math.isfinite(value) and value > 0
            assert row["verdict"] in (EXCEEDS, ABOVE_TIGHT, WITHIN_TIGHT)

    def test_break_even_per_scenario(self, report):
        assert [e["name"] for e in report["break_even"]] == list(NAMES)
        for entry in report["break_even"]:
            assert entry["compared"] == "train_flops"
            for kind in KINDS:
                assert all(isinstance(g, float) for g in entry[kind]["gamma"])
                assert entry[kind]["method"] in ("closed form", "numeric")


class TestHandComputed:
    """The table's numbers, recomputed by hand from the scenario's inputs (alpha = beta =
    0.3, E grows 1.37x, a and b grow sqrt(3)x, FLOPs observed to grow 5x)."""

    def test_reported_at_zero_is_the_papers_4_11(self, report):
        # Theorem 2 as reported: spend grows as a's factor times b's times E's,
        # sqrt(3) * sqrt(3) * 1.37 = 3 * 1.37 = 4.11; FLOPs = spend * E = 4.11 * 1.37
        reported = _row(report, "baseline", 0.0)["permitted"]["reported"]
        assert reported["train_cost"] == pytest.approx(3 * 1.37, rel=REL)
        assert reported["train_flops"] == pytest.approx(3 * 1.37 ** 2, rel=REL)

    def test_bound_at_zero(self, report):
        # at gamma = 0 the bound's spend grows as E's factor to the power alpha/beta = 1
        bound = _row(report, "baseline", 0.0)["permitted"]["bound"]
        assert bound["train_cost"] == pytest.approx(1.37 ** (ALPHA / ALPHA), rel=REL)
        assert bound["train_flops"] == pytest.approx(1.37 ** 2, rel=REL)

    def test_bound_at_minus_one(self, report):
        # at gamma = -1 (alpha = beta, a and b growing alike by g, E by e) FLOPs grow as
        # (e g)^(2/(1 - alpha)) and spend as that over e: (1.37 sqrt(3))^(2/0.7)/1.37 = 8.62
        bound = _row(report, "baseline", -1.0)["permitted"]["bound"]
        cost = (1.37 * math.sqrt(3)) ** (2 / (1 - ALPHA)) / 1.37
        assert cost == pytest.approx(8.62, abs=0.005)
        assert bound["train_cost"] == pytest.approx(cost, rel=REL)
        assert bound["train_flops"] == pytest.approx(cost * 1.37, rel=REL)

    def test_observed_in_both_units(self, report):
        # FLOPs observed to grow 5x; spend = FLOPs / E, so 5/1.37
        observed = _row(report, "baseline", -0.5)["observed"]
        assert observed["train_flops"] == 5.0
        assert observed["train_cost"] == pytest.approx(5 / 1.37, rel=REL)
        assert _crossing(report, "epoch-compute")["observed"] == pytest.approx(4.6, rel=REL)

    def test_data_bound_flops(self, report):
        # d* = D: FLOPs = n d with n ~ D^(beta/alpha) (a, b growing alike), so FLOPs grow
        # as D's factor to 1 + beta/alpha = 2, at every gamma: 1 when D stalls, 1.1^2 = 1.21
        for shape in GAMMAS:
            for kind in KINDS:
                assert _row(report, "data-stalled", shape)["permitted"][kind][
                    "train_flops"] == pytest.approx(1.0, rel=REL)
                assert _row(report, "data-slow", shape)["permitted"][kind][
                    "train_flops"] == pytest.approx(1.1 ** 2, rel=REL)

    def test_flops_are_spend_times_e(self, report):
        for row in report["scenarios"]:
            e_factor = row["inputs"]["growth"]["E"]["factor"]
            for part in [row["permitted"][kind] for kind in KINDS] + [row["observed"]]:
                assert part["train_flops"] == pytest.approx(part["train_cost"] * e_factor,
                                                            rel=REL), (row["name"], row["gamma"])


class TestVerdicts:
    """The verdict places observed FLOPs growth against the bound and the tight rate."""

    def test_baseline(self, report):
        assert _row(report, "baseline", 0.0)["verdict"] == EXCEEDS
        assert _row(report, "baseline", -0.77)["verdict"] == ABOVE_TIGHT
        assert _row(report, "baseline", -1.0)["verdict"] == WITHIN_TIGHT

    def test_data_stalled_always_exceeds(self, report):
        assert {row["verdict"] for row in _rows(report, "data-stalled")} == {EXCEEDS}

    def test_verdict_follows_the_numbers(self, report):
        for row in report["scenarios"]:
            seen = row["observed"]["train_flops"]
            bound = row["permitted"]["bound"]["train_flops"]
            tight = row["permitted"]["tight"]["train_flops"]
            expected = EXCEEDS if seen > bound else ABOVE_TIGHT if seen > tight else WITHIN_TIGHT
            assert row["verdict"] == expected


class TestChangedInput:
    """A changed number in a user file changes the table as the algebra says, and only
    where it should."""

    def test_hardware_stagnation_with_faster_algorithms(self, template, tmp_path):
        # E's factor 1 and a = b = 2: bound FLOPs (= spend, E flat) at gamma = -1 grow as
        # 2^(2/(1 - alpha))
        text = _edit(_block(template, "hardware-stagnation"),
                     ('factor = "sqrt(3)"', 'factor = "2"'))
        found = _report_of(text, tmp_path)
        bound = _row(found, "hardware-stagnation", -1.0)["permitted"]["bound"]
        assert bound["train_cost"] == pytest.approx(2 ** (2 / (1 - ALPHA)), rel=REL)
        assert bound["train_flops"] == pytest.approx(bound["train_cost"], rel=REL)

    def test_hardware_alone(self, template, tmp_path):
        # E grows 2x, a and b flat: (e g)^(2/(1 - alpha)) / e = 2^(2/0.7) / 2
        text = _edit(_block(template, "hardware-stagnation"),
                     ('factor = "sqrt(3)"', 'factor = "1"'),
                     ('factor = "1"\nsource = "hypothetical: FLOPs',
                      'factor = "2"\nsource = "hypothetical: FLOPs'))
        bound = _row(_report_of(text, tmp_path), "hardware-stagnation", -1.0)["permitted"][
            "bound"]
        assert bound["train_cost"] == pytest.approx(2 ** (2 / (1 - ALPHA)) / 2, rel=REL)
        assert bound["train_flops"] == pytest.approx(2 ** (2 / (1 - ALPHA)), rel=REL)

    def test_doubling_data_growth(self, template, report, tmp_path):
        # FLOPs grow as D's factor to 1 + beta/alpha: D from 1 to 2 multiplies them by 4
        text = _edit(_block(template, "data-stalled"),
                     ('factor = "1"\nsource = "hypothetical: the stock',
                      'factor = "2"\nsource = "hypothetical: the stock'))
        found = _report_of(text, tmp_path)
        for shape in GAMMAS:
            before = _row(report, "data-stalled", shape)["permitted"]
            after = _row(found, "data-stalled", shape)["permitted"]
            for kind in KINDS:
                assert after[kind]["train_flops"] == pytest.approx(
                    before[kind]["train_flops"] * 2 ** (1 + ALPHA / ALPHA), rel=REL)
                assert after[kind]["train_cost"] == pytest.approx(
                    before[kind]["train_cost"] * 4, rel=REL)

    def test_observed_changes_only_observed_and_verdict(self, template, report, tmp_path):
        text = _edit(_block(template, "baseline"), ('factor = "5"', 'factor = "2"'))
        found = _report_of(text, tmp_path)
        for before, after in zip(_rows(report, "baseline"), _rows(found, "baseline")):
            assert after["permitted"] == before["permitted"]
            assert after["inputs"] == before["inputs"]
            assert after["observed"]["train_flops"] == 2.0
            assert after["observed"]["train_cost"] == pytest.approx(2 / 1.37, rel=REL)
        # at gamma = -0.5 the bound permits 4.0x and the tight rate 2.76x: 5x exceeds the
        # bound, 2x lies within the tight rate
        assert _row(report, "baseline", -0.5)["verdict"] == EXCEEDS
        assert _row(found, "baseline", -0.5)["verdict"] == WITHIN_TIGHT

    def test_break_even_moves_with_observed(self, template, report, tmp_path):
        # permitted FLOPs growth falls as gamma rises toward 0, so a larger observed growth
        # is matched at a more negative gamma: 4.6x (epoch-compute), 5x (baseline), 6x
        text = _edit(_block(template, "baseline"), ('factor = "5"', 'factor = "6"'))
        faster = _crossing(_report_of(text, tmp_path), "baseline")
        for kind in ("bound", "tight"):
            roots = [_crossing(report, "epoch-compute")[kind]["gamma"],
                     _crossing(report, "baseline")[kind]["gamma"], faster[kind]["gamma"]]
            assert all(len(r) == 1 and -1 < r[0] < 0 for r in roots), roots
            assert roots[0][0] > roots[1][0] > roots[2][0]

    def test_at_the_break_even_gamma_permitted_equals_observed(self, template, report,
                                                               tmp_path):
        # evaluated at its own break-even gamma, each law permits exactly the observed 5x
        crossing = _crossing(report, "baseline")
        (bound_root,), (tight_root,) = crossing["bound"]["gamma"], crossing["tight"]["gamma"]
        text = _edit(_block(template, "baseline"),
                     ('gamma = ["-1", "-0.77", "-0.5", "0"]',
                      f"gamma = [{bound_root!r}, {tight_root!r}]"))
        found = _report_of(text, tmp_path)
        assert _row(found, "baseline", bound_root)["permitted"]["bound"][
            "train_flops"] == pytest.approx(5.0, rel=1e-10)
        assert _row(found, "baseline", tight_root)["permitted"]["tight"][
            "train_flops"] == pytest.approx(5.0, rel=1e-10)

    def test_no_break_even_where_observed_always_exceeds(self, report):
        for name in ("hardware-stagnation", "data-stalled", "data-slow"):
            assert all(_crossing(report, name)[kind]["gamma"] == [] for kind in KINDS)

    def test_observed_as_spend(self, template, report, tmp_path):
        # spend observed to grow 5/1.37x is FLOPs growing 5x: the same table
        text = _edit(_block(template, "baseline"),
                     ('quantity = "train_flops"\nfactor = "5"',
                      'quantity = "train_cost"\nfactor = "5/(137/100)"'))
        found = _report_of(text, tmp_path)
        for before, after in zip(_rows(report, "baseline"), _rows(found, "baseline")):
            assert after["permitted"] == before["permitted"]
            assert after["verdict"] == before["verdict"]
            assert after["observed"]["train_flops"] == pytest.approx(5.0, rel=REL)
        assert _crossing(found, "baseline")["bound"]["gamma"] == pytest.approx(
            _crossing(report, "baseline")["bound"]["gamma"], rel=1e-12)


class TestSelection:
    """--scenario picks one scenario; an unknown name is refused listing the known ones."""

    def test_one_scenario(self, capsys, report):
        code, out, err = _run(capsys, ["trends", "--json", "--scenario", "baseline"])
        assert code == 0 and err == ""
        alone = json.loads(out)
        assert {row["name"] for row in alone["scenarios"]} == {"baseline"}
        assert alone["scenarios"] == _rows(report, "baseline")
        assert [e["name"] for e in alone["break_even"]] == ["baseline"]

    def test_unknown_scenario(self, capsys):
        code, out, err = _run(capsys, ["trends", "--scenario", "nope"])
        assert code == 2 and out == ""
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("profitopt: error: ")
        assert "'nope'" in lines[0] and all(name in lines[0] for name in NAMES)

    def test_unknown_scenario_in_a_user_file(self, capsys, template, tmp_path):
        path = tmp_path / "mine.toml"
        path.write_text(_block(template, "data-slow"), encoding="utf-8")
        code, out, err = _run(capsys, ["trends", "--file", str(path), "--scenario", "baseline"])
        assert code == 2 and out == ""
        assert len(err.splitlines()) == 1 and "scenarios: data-slow" in err


class TestTemplate:
    """--template prints the shipped file: text that parses to the shipped scenarios."""

    def test_template_is_the_shipped_file(self, template):
        assert template == scenarios_file().read_text(encoding="utf-8")
        assert parse_scenarios(template, "template") == shipped()

    def test_template_round_trips_through_file(self, template, report, tmp_path):
        assert _report_of(template, tmp_path) == report


class TestText:
    """Without --json: per scenario its name, the column headings, and the break-even
    gamma."""

    def test_table(self, capsys):
        code, out, err = _run(capsys, ["trends"])
        assert code == 0 and err == ""
        for name in NAMES:
            assert f"scenario {name} (" in out
        heading_lines = [line for line in out.splitlines() if line.split()[:1] == ["gamma"]]
        assert len(heading_lines) == len(NAMES)
        for line in heading_lines:
            assert all(heading in line for heading in HEADINGS)
        assert out.count("break-even gamma") == len(NAMES)
        assert "bound -0.6196" in out  # the baseline's bound break-even, to 4 digits
        assert "E grows 137/100 = 1.37x a year" in out


class TestDeterminism:
    """The same command gives byte-identical output."""

    def test_json_twice(self, capsys, shipped_run):
        first_out, _ = shipped_run
        code, out, _ = _run(capsys, ["trends", "--json"])
        assert code == 0 and out == first_out
        code, again, _ = _run(capsys, ["trends", "--json"])
        assert code == 0 and again == first_out


def _baseline_file(template, *pairs):
    return _edit(_block(template, "baseline"), *pairs)


#: (id, how to build the --file argument from (template, tmp_path), text of the one line).
BAD_FILES = [
    ("missing-field", lambda t, d: _baseline_file(t, ('quantity = "train_flops"\n', "")),
     "baseline.observed: missing field 'quantity'"),
    ("negative-factor", lambda t, d: _baseline_file(t, ('factor = "1.37"', 'factor = "-1.37"')),
     "baseline.growth.E.factor: a yearly growth factor must be positive"),
    ("factor-too-large", lambda t, d: _baseline_file(t, ('factor = "5"', "factor = 5000")),
     "baseline.observed.factor: a yearly growth factor outside [1/1000, 1000]"),
    ("nan", lambda t, d: _baseline_file(t, ('factor = "1.37"', "factor = nan")),
     "baseline.growth.E.factor: must be a finite number"),
    ("unknown-key", lambda t, d: _baseline_file(t, ('regime = "compute-bound"',
                                                    'regime = "compute-bound"\nseed = 1')),
     "baseline: unknown key 'seed'"),
    ("unknown-input", lambda t, d: _baseline_file(t, ("[baseline.observed]",
                                                      '[baseline.growth.F]\nfactor = "2"\n'
                                                      'source = "x"\n\n[baseline.observed]')),
     "baseline.growth: unknown input 'F'"),
    ("gamma-below-bound", lambda t, d: _baseline_file(t, ('"-1", "-0.77"', '"-1.5", "-0.77"')),
     "baseline.gamma[0]: gamma must be at least -1"),
    ("alpha-one", lambda t, d: _baseline_file(t, ('alpha = "0.3"', 'alpha = "1"')),
     "baseline.exponents.alpha: a scaling exponent lies in (0, 1)"),
    ("source-latex", lambda t, d: _baseline_file(t, ('source = "as for a:', 'source = "$x$ as')),
     "baseline.growth.b.source: plain text may not contain '$'"),
    ("not-toml", lambda t, d: "[baseline\n", "not TOML"),
    ("empty", lambda t, d: "", "no scenario"),
    ("canary", lambda t, d: _baseline_file(
        t, ('factor = "1.37"', "factor = \"__import__('pathlib').Path("
            f"'{d / CANARY}').touch()\"")),
     "baseline.growth.E.factor: refused '__import__'"),
    ("too-large", lambda t, d: t + "#" + "x" * (300 * 1024) + "\n", "larger than 262144 bytes"),
    ("tiny-factor", lambda t, d: _baseline_file(t, ('factor = "1.37"', 'factor = "1e-400"')),
     "baseline.growth.E.factor: a yearly growth factor outside [1/1000, 1000]"),
]


def test_growth_beyond_a_double_is_refused(capsys, tmp_path):
    """Inputs the loader accepts but whose permitted growth no double carries (alpha tiny,
    data growing a thousandfold): one line, exit 2, never 'Infinity' in the JSON."""
    path = tmp_path / "huge.toml"
    path.write_text(
        '[x]\nsummary = "tiny alpha"\nregime = "data-bound"\ngamma = "0"\n'
        '[x.exponents]\nalpha = "0.001"\nbeta = "0.9"\nsource = "test"\n'
        + "".join(f'[x.growth.{v}]\nfactor = "{f}"\nsource = "test"\n'
                  for v, f in (("E", 1), ("a", 1), ("b", 1), ("D", 1000)))
        + '[x.observed]\nquantity = "train_flops"\nfactor = "5"\nsource = "test"\n',
        encoding="utf-8")
    code, out, err = _run(capsys, ["trends", "--json", "--file", str(path)])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "beyond what a double carries" in err


class TestInputErrors:
    """A bad file or path: exit 2, exactly one line on stderr naming the field, nothing on
    stdout, no traceback; nothing in the file runs."""

    def _one_line(self, code, out, err, expected):
        assert code == 2 and out == "", (code, out)
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("profitopt: error: "), err
        assert "Traceback" not in err
        assert expected in lines[0], lines[0]

    @pytest.mark.parametrize("build, expected",
                             [pytest.param(b, e, id=label) for label, b, e in BAD_FILES])
    def test_bad_file(self, build, expected, template, tmp_path, capsys):
        path = tmp_path / "bad.toml"
        path.write_text(build(template, tmp_path), encoding="utf-8")
        code, out, err = _run(capsys, ["trends", "--json", "--file", str(path)])
        self._one_line(code, out, err, expected)
        assert str(path) in err
        assert not (tmp_path / CANARY).exists()

    @pytest.mark.parametrize("where", ["missing", "directory", "/dev/null"])
    def test_bad_path(self, where, tmp_path, capsys):
        path = {"missing": tmp_path / "absent.toml", "directory": tmp_path,
                "/dev/null": Path("/dev/null")}[where]
        code, out, err = _run(capsys, ["trends", "--file", str(path)])
        self._one_line(code, out, err, f"{path}: ")
        assert "no such regular file" in err

    @pytest.mark.parametrize("argv, expected", [
        pytest.param(["--file"], "argument --file: expected one argument", id="file-no-value"),
        pytest.param(["--scenario"], "argument --scenario: expected one argument",
                     id="scenario-no-value"),
        pytest.param(["--bogus"], "unrecognized arguments: --bogus", id="unknown-flag"),
    ])
    def test_usage_error(self, argv, expected, capsys):
        code, out, err = _run(capsys, ["trends", *argv])
        self._one_line(code, out, err, expected)
