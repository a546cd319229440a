"""Trend scenario files map onto exact values: the shipped file is read exactly, every
number names its source, and every malformed or meaningless file is one InputError naming
its field (nothing in it is evaluated)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from profitopt.errors import InputError
from profitopt.models.loader import MAX_FILE_BYTES
from profitopt.models.presets import preset
from profitopt.models.scenarios import (INPUTS, MAX_FACTOR, QUANTITIES, REGIMES, Rate,
                                        parse_scenarios, read_scenario_file, scenarios_file,
                                        select, shipped)

SHIPPED_NAMES = ("baseline", "epoch-compute", "hardware-stagnation", "data-stalled",
                 "data-slow")
SHIPPED_GAMMAS = (sp.Integer(-1), sp.Rational(-77, 100), sp.Rational(-1, 2), sp.Integer(0))
CANARY = "profitopt_scenario_canary"

#: One well-formed compute-bound scenario; the cases below edit it one field at a time.
MINIMAL = """\
[s]
summary = "A test scenario"
regime = "compute-bound"
gamma = ["-1", "0"]

[s.exponents]
alpha = "0.3"
beta = "0.3"
source = "test exponents"

[s.growth.E]
factor = "1.37"
source = "test E"

[s.growth.a]
factor = "sqrt(3)"
source = "test a"

[s.growth.b]
factor = "sqrt(3)"
source = "test b"

[s.observed]
quantity = "train_flops"
factor = "5"
source = "test observed"
"""
E_FACTOR = 'factor = "1.37"'
GAMMA = 'gamma = ["-1", "0"]'
EXPONENTS = 'alpha = "0.3"\nbeta = "0.3"\n'
GROWTH = MINIMAL[MINIMAL.index("[s.growth.E]"):MINIMAL.index("[s.observed]")]
OBSERVED = MINIMAL[MINIMAL.index("[s.observed]"):]


def _edit(*pairs: tuple[str, str], text: str = MINIMAL) -> str:
    """``text`` with each ``old`` (which must occur exactly once) replaced by ``new``."""
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _parse(text: str) -> object:
    return parse_scenarios(text, "mine.toml")


def _refused(text: str) -> str:
    """The message of the InputError ``text`` raises (one line, naming the file)."""
    with pytest.raises(InputError) as caught:
        _parse(text)
    message = str(caught.value)
    assert "\n" not in message
    return message


class TestShippedFile:
    """The shipped scenarios.toml is five scenarios read exactly, every number sourced."""

    def test_five_scenarios_in_file_order(self):
        assert tuple(s.name for s in shipped()) == SHIPPED_NAMES

    def test_exact_values(self):
        baseline = select(shipped(), "baseline")[0]
        assert baseline.regime == "compute-bound"
        assert baseline.rate("E").factor == sp.Rational(137, 100)
        assert baseline.rate("a").factor == sp.sqrt(3)
        assert baseline.rate("b").factor == sp.sqrt(3)
        assert baseline.alpha == baseline.beta == sp.Rational(3, 10)
        assert baseline.gammas == SHIPPED_GAMMAS
        assert sp.Rational(-77, 100) in baseline.gammas
        assert baseline.observed_quantity == "train_flops"
        assert baseline.observed.factor == 5
        # D is not given for a compute-bound scenario: it is held fixed
        assert baseline.rate("D") == Rate(sp.S.One, "not given: held fixed")

    def test_scenario_specific_values(self):
        by_name = {s.name: s for s in shipped()}
        assert by_name["epoch-compute"].observed.factor == sp.Rational(46, 10)
        assert by_name["hardware-stagnation"].rate("E").factor == 1
        assert by_name["data-stalled"].regime == by_name["data-slow"].regime == "data-bound"
        assert by_name["data-stalled"].rate("D").factor == 1
        assert by_name["data-slow"].rate("D").factor == sp.Rational(11, 10)

    def test_every_number_has_a_source(self):
        for scenario in shipped():
            assert scenario.exponents_source.strip(), scenario.name
            assert scenario.observed.source.strip(), scenario.name
            required = ("E", "a", "b", "D") if scenario.regime == "data-bound" else ("E", "a", "b")
            given = dict(scenario.growth)
            assert tuple(given) == tuple(k for k in INPUTS if k in given)  # E, a, b, D order
            for key in required:
                assert given[key].source.strip(), (scenario.name, key)

    def test_every_scenario_is_in_the_vocabulary(self):
        for scenario in shipped():
            assert scenario.regime in REGIMES
            assert scenario.observed_quantity in QUANTITIES
            for _, rate in scenario.growth:
                assert rate.factor.is_positive and rate.factor <= MAX_FACTOR

    def test_shipped_is_the_file(self):
        assert _parse(scenarios_file().read_text(encoding="utf-8")) == shipped()
        assert read_scenario_file(scenarios_file()) == shipped()


class TestNumbers:
    """A number is text read exactly or a TOML number read as the decimal it spells; gamma
    may be one number or a list; beta defaults to alpha."""

    def test_minimal_parses(self):
        (scenario,) = _parse(MINIMAL)
        assert scenario.name == "s" and scenario.gammas == (-1, 0)
        assert scenario.rate("E") == Rate(sp.Rational(137, 100), "test E")

    @pytest.mark.parametrize("written, exact", [
        ("1.37", sp.Rational(137, 100)), ("2", sp.Integer(2)), ("1e-3", sp.Rational(1, 10**3)),
        ("0.1", sp.Rational(1, 10)), ('"2**0.5"', sp.sqrt(2)), ('"1/3"', sp.Rational(1, 3)),
        ("1000", sp.Integer(1000)),
    ])
    def test_factor_is_the_decimal_it_spells(self, written, exact):
        (scenario,) = _parse(_edit((E_FACTOR, f"factor = {written}")))
        assert scenario.rate("E").factor == exact

    def test_gamma_may_be_one_number(self):
        (scenario,) = _parse(_edit((GAMMA, 'gamma = "-0.5"')))
        assert scenario.gammas == (sp.Rational(-1, 2),)
        (scenario,) = _parse(_edit((GAMMA, "gamma = -0.77")))
        assert scenario.gammas == (sp.Rational(-77, 100),)

    def test_gamma_list_of_toml_numbers(self):
        (scenario,) = _parse(_edit((GAMMA, "gamma = [-1, -0.77, 0.5]")))
        assert scenario.gammas == (-1, sp.Rational(-77, 100), sp.Rational(1, 2))

    def test_beta_defaults_to_alpha(self):
        (scenario,) = _parse(_edit((EXPONENTS, 'alpha = "0.4"\n')))
        assert scenario.alpha == scenario.beta == sp.Rational(2, 5)

    def test_alpha_and_beta_apart(self):
        (scenario,) = _parse(_edit((EXPONENTS, 'alpha = 0.34\nbeta = "0.28"\n')))
        assert (scenario.alpha, scenario.beta) == (sp.Rational(17, 50), sp.Rational(7, 25))

    def test_preset_gives_its_exponents_and_source(self):
        law = preset("hoffmann2022-tex")
        assert law.alpha == sp.Rational(212, 625)
        (scenario,) = _parse(_edit((EXPONENTS + 'source = "test exponents"\n',
                                    'preset = "hoffmann2022-tex"\n')))
        assert (scenario.alpha, scenario.beta) == (law.alpha, law.beta)
        assert scenario.exponents_source == law.source
        (scenario,) = _parse(_edit((EXPONENTS, 'preset = "hoffmann2022-tex"\n')))
        assert scenario.exponents_source == "test exponents"

    def test_data_bound_with_D(self):
        text = _edit(('regime = "compute-bound"', 'regime = "data-bound"'),
                     ("[s.observed]", '[s.growth.D]\nfactor = "1.1"\nsource = "test D"\n\n'
                                      "[s.observed]"))
        (scenario,) = _parse(text)
        assert scenario.regime == "data-bound"
        assert [k for k, _ in scenario.growth] == ["E", "a", "b", "D"]
        assert scenario.rate("D").factor == sp.Rational(11, 10)

    def test_observed_in_spend(self):
        (scenario,) = _parse(_edit(('quantity = "train_flops"', 'quantity = "train_cost"')))
        assert scenario.observed_quantity == "train_cost"

    def test_two_scenarios_in_file_order(self):
        other = MINIMAL.replace("[s", "[t")
        assert [s.name for s in _parse(MINIMAL + "\n" + other)] == ["s", "t"]


class TestSelect:
    """select picks one scenario by name or refuses, listing the known names."""

    def test_none_is_every_scenario(self):
        assert select(shipped(), None) == shipped()

    def test_one_by_name(self):
        (chosen,) = select(shipped(), "data-slow")
        assert chosen.name == "data-slow"

    def test_unknown_name_lists_the_known(self):
        with pytest.raises(InputError) as caught:
            select(shipped(), "nope")
        message = str(caught.value)
        assert "'nope'" in message
        for name in SHIPPED_NAMES:
            assert name in message


def _without(block: str) -> str:
    return _edit((block, ""))


#: (id, the file's text, text the one error line must hold).
MALFORMED = [
    # factors that are not a positive finite trend
    ("negative-factor", _edit((E_FACTOR, 'factor = "-1.37"')),
     "s.growth.E.factor: a yearly growth factor must be positive"),
    ("negative-toml-factor", _edit((E_FACTOR, "factor = -2")),
     "s.growth.E.factor: a yearly growth factor must be positive"),
    ("zero-factor", _edit((E_FACTOR, 'factor = "0"')), "s.growth.E.factor: a yearly growth"),
    ("zero-float-factor", _edit((E_FACTOR, "factor = 0.0")), "s.growth.E.factor"),
    ("underflow-to-zero", _edit((E_FACTOR, "factor = 1e-400")), "s.growth.E.factor"),
    ("factor-above-1000", _edit((E_FACTOR, 'factor = "1001"')),
     "s.growth.E.factor: a yearly growth factor outside [1/1000, 1000] is not a trend"),
    ("factor-below-a-thousandth", _edit((E_FACTOR, "factor = 1e-4")),
     "s.growth.E.factor: a yearly growth factor outside [1/1000, 1000]"),
    ("tiny-text-factor", _edit((E_FACTOR, 'factor = "1e-400"')),
     "s.growth.E.factor: a yearly growth factor outside [1/1000, 1000]"),
    ("factor-1e400-text", _edit((E_FACTOR, 'factor = "1e400"')),
     "s.growth.E.factor: a yearly growth factor outside [1/1000, 1000]"),
    ("observed-above-1000", _edit(('factor = "5"', "factor = 1000.5")),
     "s.observed.factor: a yearly growth factor outside [1/1000, 1000]"),
    ("nan", _edit((E_FACTOR, "factor = nan")), "s.growth.E.factor: must be a finite number"),
    ("inf", _edit((E_FACTOR, "factor = inf")), "s.growth.E.factor: must be a finite number"),
    ("minus-inf", _edit((E_FACTOR, "factor = -inf")), "s.growth.E.factor: must be a finite"),
    ("nan-text", _edit((E_FACTOR, 'factor = "nan"')), "s.growth.E.factor"),
    ("oo-text", _edit((E_FACTOR, 'factor = "oo"')), "s.growth.E.factor"),
    ("complex", _edit((E_FACTOR, 'factor = "sqrt(-1)"')),
     "s.growth.E.factor: 'sqrt(-1)' is not a finite real number"),
    ("division-by-zero", _edit((E_FACTOR, 'factor = "1/0"')), "s.growth.E.factor"),
    ("boolean-factor", _edit((E_FACTOR, "factor = true")),
     "s.growth.E: factor must be a number, got bool"),
    ("list-factor", _edit((E_FACTOR, "factor = [1]")), "s.growth.E: factor must be a number"),
    ("text-factor", _edit((E_FACTOR, 'factor = "abc"')),
     "s.growth.E.factor: refused 'abc'"),
    ("symbol-factor", _edit((E_FACTOR, 'factor = "n+1"')), "s.growth.E.factor: refused 'n'"),
    ("huge-power", _edit((E_FACTOR, 'factor = "10**10**10"')), "s.growth.E.factor"),
    ("dunder", _edit((E_FACTOR, "factor = \"__import__('os')\"")),
     "s.growth.E.factor: refused '__import__'"),
    ("negative-a", _edit(('factor = "sqrt(3)"\nsource = "test a"',
                          'factor = "-sqrt(3)"\nsource = "test a"')),
     "s.growth.a.factor: a yearly growth factor must be positive"),
    ("zero-observed", _edit(('factor = "5"', 'factor = "0"')), "s.observed.factor"),
    # missing fields
    ("missing-summary", _edit(('summary = "A test scenario"\n', "")),
     "s: missing field 'summary'"),
    ("missing-regime", _edit(('regime = "compute-bound"\n', "")), "s: missing field 'regime'"),
    ("missing-gamma", _edit((GAMMA + "\n", "")), "s: missing field 'gamma'"),
    ("missing-exponents", _edit(("[s.exponents]\n" + EXPONENTS + 'source = "test exponents"\n',
                                 "")), "s: missing field 'exponents'"),
    ("missing-growth", _without(GROWTH), "s: missing field 'growth'"),
    ("missing-observed", _without(OBSERVED), "s: missing field 'observed'"),
    ("missing-observed-quantity", _edit(('quantity = "train_flops"\n', "")),
     "s.observed: missing field 'quantity'"),
    ("missing-observed-factor", _edit(('factor = "5"\n', "")),
     "s.observed: missing field 'factor'"),
    ("missing-observed-source", _edit(('source = "test observed"\n', "")),
     "s.observed: missing field 'source'"),
    ("missing-growth-E", _edit(("[s.growth.E]\n" + E_FACTOR + '\nsource = "test E"\n\n', "")),
     "s.growth: missing input 'E'"),
    ("missing-E-source", _edit(('source = "test E"\n', "")),
     "s.growth.E: missing field 'source'"),
    ("missing-E-factor", _edit((E_FACTOR + "\n", "")), "s.growth.E: missing field 'factor'"),
    ("missing-alpha", _edit((EXPONENTS, "")), "s.exponents: missing field 'alpha'"),
    ("missing-exponents-source", _edit(('source = "test exponents"\n', "")),
     "s.exponents: missing field 'source'"),
    ("data-bound-without-D", _edit(('regime = "compute-bound"', 'regime = "data-bound"')),
     "s.growth: missing input 'D'"),
    # unknown keys at every level
    ("unknown-scenario-key", _edit((GAMMA, GAMMA + "\nhorizon = 10")),
     "s: unknown key 'horizon'"),
    ("unknown-exponents-key", _edit((EXPONENTS, EXPONENTS + 'rho = "1"\n')),
     "s.exponents: unknown key 'rho'"),
    ("unknown-growth-input", _edit(("[s.observed]", '[s.growth.F]\nfactor = "2"\n'
                                                    'source = "x"\n\n[s.observed]')),
     "s.growth: unknown input 'F'"),
    ("unknown-rate-key", _edit((E_FACTOR, E_FACTOR + '\nunit = "x"')),
     "s.growth.E: unknown key 'unit'"),
    ("unknown-observed-key", _edit(('quantity = "train_flops"',
                                    'quantity = "train_flops"\nyear = 2024')),
     "s.observed: unknown key 'year'"),
    # wrong types
    ("gamma-table", _edit((GAMMA, "gamma = { value = -1 }")), "s: gamma must be a number"),
    ("gamma-boolean", _edit((GAMMA, "gamma = [true]")),
     "s.gamma[0]: must be a number, got a boolean"),
    ("gamma-nested-list", _edit((GAMMA, "gamma = [[-1]]")), "s.gamma[0]: must be a number"),
    ("growth-string", _edit((GAMMA, GAMMA + '\ngrowth = "fast"'), (GROWTH, "")),
     "s: growth must be a table"),
    ("growth-input-string", _edit(("[s.growth.E]\n" + E_FACTOR + '\nsource = "test E"\n',
                                   "[s.growth]\nE = \"1.37\"\n")),
     "s.growth.E: must be a table with factor and source"),
    ("exponents-string", _edit(("[s.exponents]\n" + EXPONENTS + 'source = "test exponents"\n',
                                ""), (GAMMA, GAMMA + '\nexponents = "0.3"')),
     "s: exponents must be a table"),
    ("observed-number", _edit((OBSERVED, ""), (GAMMA, GAMMA + "\nobserved = 5")),
     "s: observed must be a table"),
    ("summary-number", _edit(('summary = "A test scenario"', "summary = 3")),
     "s: summary must be a string"),
    ("source-number", _edit(('source = "test E"', "source = 1")),
     "s.growth.E: source must be a string"),
    ("scenario-not-a-table", "s = 1\n", "s: must be a table [s]"),
    # sources and prose
    ("empty-source", _edit(('source = "test E"', 'source = ""')),
     "s.growth.E.source: every number needs its source"),
    ("blank-observed-source", _edit(('source = "test observed"', 'source = "   "')),
     "s.observed.source: every number needs its source"),
    ("source-dollar", _edit(('source = "test a"', 'source = "costs $5"')),
     "s.growth.a.source: plain text may not contain '$'"),
    ("source-backslash", _edit(('source = "test observed"', "source = '\\input{x}'")),
     "s.observed.source: plain text may not contain '\\\\'"),
    ("exponents-source-specials", _edit(('source = "test exponents"',
                                         'source = "50% of #1"')),
     "s.exponents.source: plain text may not contain '%'"),
    ("summary-specials", _edit(('summary = "A test scenario"', 'summary = "a & b"')),
     "s.summary: plain text may not contain '&'"),
    ("long-source", _edit(('source = "test b"', f'source = "{"x" * 201}"')),
     "s.growth.b.source: longer than 200 characters"),
    # vocabulary
    ("unknown-regime", _edit(('regime = "compute-bound"', 'regime = "inference-bound"')),
     "s.regime: must be one of compute-bound, data-bound, got 'inference-bound'"),
    ("unknown-quantity", _edit(('quantity = "train_flops"', 'quantity = "profit"')),
     "s.observed.quantity: must be one of train_flops, train_cost, got 'profit'"),
    # exponents
    *[(f"alpha={value}", _edit((EXPONENTS, f'alpha = "{value}"\nbeta = "0.3"\n')),
       "s.exponents.alpha: a scaling exponent lies in (0, 1)")
      for value in ("0", "1", "1.5", "-0.3")],
    *[(f"beta={value}", _edit((EXPONENTS, f'alpha = "0.3"\nbeta = {value}\n')),
       "s.exponents.beta: a scaling exponent lies in (0, 1)") for value in ("0", "1.0", "2")],
    ("alpha-boolean", _edit((EXPONENTS, 'alpha = false\n')),
     "s.exponents: alpha must be a number, got bool"),
    ("alpha-symbol", _edit((EXPONENTS, 'alpha = "beta"\n')), "s.exponents.alpha: refused"),
    ("preset-and-alpha", _edit((EXPONENTS, 'alpha = "0.3"\npreset = "hoffmann2022"\n')),
     "s.exponents: give a preset or alpha and beta, not both"),
    ("preset-and-beta", _edit((EXPONENTS, 'beta = "0.3"\npreset = "hoffmann2022"\n')),
     "s.exponents: give a preset or alpha and beta, not both"),
    ("unknown-preset", _edit((EXPONENTS, 'preset = "chinchilla-2"\n')),
     "s.exponents.preset: unknown preset 'chinchilla-2'; presets: hoffmann2022"),
    ("empty-exponents-source", _edit(('source = "test exponents"', 'source = " "')),
     "s.exponents.source: every number needs its source (empty)"),
    ("empty-summary", _edit((MINIMAL.split("\n")[1], 'summary = ""')), "s.summary: empty"),
    # shapes
    ("gamma-below-concavity", _edit((GAMMA, 'gamma = ["-1.01"]')),
     "s.gamma[0]: gamma must be at least -1"),
    ("single-gamma-below", _edit((GAMMA, "gamma = -2")), "s.gamma: gamma must be at least -1"),
    ("gamma-twice", _edit((GAMMA, 'gamma = ["-0.5", "0", "-1/2"]')),
     "s.gamma[2]: gamma '-1/2' is listed twice"),
    ("gamma-twice-toml", _edit((GAMMA, "gamma = [-1, -1.0]")), "s.gamma[1]"),
    ("gamma-empty", _edit((GAMMA, "gamma = []")), "s.gamma: give at least one shape"),
    ("too-many-gammas", _edit((GAMMA, "gamma = [" + ", ".join(str(i) for i in range(33)) + "]")),
     "s.gamma: at most 32 shapes"),
    ("gamma-text", _edit((GAMMA, 'gamma = ["g"]')), "s.gamma[0]: refused 'g'"),
    # names and the file as a whole
    ("upper-case-name", MINIMAL.replace("[s", "[Scenario"), "Scenario: a scenario's name"),
    ("digit-first-name", MINIMAL.replace("[s", "[1s"), "1s: a scenario's name"),
    ("underscore-name", MINIMAL.replace("[s", "[my_s"), "my_s: a scenario's name"),
    ("long-name", MINIMAL.replace("[s", "[" + "s" * 41), "a scenario's name"),
    ("not-toml", "[s\nsummary = ", "mine.toml: not TOML"),
    ("not-toml-redefined", MINIMAL + "\n[s]\n", "mine.toml: not TOML"),
    ("empty-file", "", "mine.toml: no scenario"),
    ("only-comments", "# nothing here\n", "mine.toml: no scenario"),
    ("too-many-scenarios", "\n".join(MINIMAL.replace("[s", f"[s{i}") for i in range(65)),
     "more than 64 scenarios"),
]


class TestMalformed:
    """Every malformed or meaningless file is one InputError, naming the file and field."""

    @pytest.mark.parametrize("text, expected",
                             [pytest.param(text, expected, id=label)
                              for label, text, expected in MALFORMED])
    def test_refused_naming_the_field(self, text, expected):
        message = _refused(text)
        assert expected in message, message
        assert message.startswith("mine.toml: "), message

    def test_cases_differ_from_the_good_file(self):
        """Each case is an edit of a file that parses (so a refusal is the edit's)."""
        assert len(_parse(MINIMAL)) == 1
        texts = [text for _, text, _ in MALFORMED]
        assert MINIMAL not in texts and len(set(texts)) == len(texts)

    def test_size_limit_on_text(self):
        text = MINIMAL + "#" + "x" * MAX_FILE_BYTES + "\n"
        assert f"larger than {MAX_FILE_BYTES} bytes" in _refused(text)


class TestUntrustedText:
    """Text in a scenario file is read, never evaluated: a payload is refused and runs not."""

    @pytest.mark.parametrize("field", ["E-factor", "observed-factor", "gamma", "alpha",
                                       "toml-key"])
    def test_payload_is_refused_and_never_runs(self, field, tmp_path):
        canary = tmp_path / CANARY
        payload = f"__import__('pathlib').Path({str(canary)!r}).touch()"
        quoted = '"' + payload.replace('"', "'") + '"'
        text = {
            "E-factor": _edit((E_FACTOR, f"factor = {quoted}")),
            "observed-factor": _edit(('factor = "5"', f"factor = {quoted}")),
            "gamma": _edit((GAMMA, f"gamma = [{quoted}]")),
            "alpha": _edit((EXPONENTS, f"alpha = {quoted}\n")),
            "toml-key": MINIMAL.replace("[s", f"[{quoted}"),
        }[field]
        message = _refused(text)
        assert "refused" in message or "a scenario's name" in message, message
        assert not canary.exists()

    def test_payload_in_a_user_file(self, tmp_path):
        canary = tmp_path / CANARY
        payload = f"__import__('pathlib').Path({str(canary)!r}).touch()".replace('"', "'")
        path = tmp_path / "scenarios.toml"
        path.write_text(_edit((E_FACTOR, f'factor = "{payload}"')), encoding="utf-8")
        with pytest.raises(InputError, match=r"s\.growth\.E\.factor: refused '__import__'"):
            read_scenario_file(path)
        assert not canary.exists()


class TestReadScenarioFile:
    """A user file is a regular UTF-8 file of at most MAX_FILE_BYTES, named in every error."""

    def test_reads_a_file(self, tmp_path):
        path = tmp_path / "mine.toml"
        path.write_text(MINIMAL, encoding="utf-8")
        (scenario,) = read_scenario_file(path)
        assert scenario.name == "s"

    def test_error_names_the_path(self, tmp_path):
        path = tmp_path / "mine.toml"
        path.write_text(_edit((E_FACTOR, 'factor = "-1"')), encoding="utf-8")
        with pytest.raises(InputError, match="s.growth.E.factor") as caught:
            read_scenario_file(path)
        assert str(caught.value).startswith(f"{path}: s.growth.E.factor")

    def test_file_over_the_size_limit(self, tmp_path):
        path = tmp_path / "big.toml"
        path.write_bytes(MINIMAL.encode() + b"#" + b"x" * MAX_FILE_BYTES + b"\n")
        assert path.stat().st_size > MAX_FILE_BYTES
        with pytest.raises(InputError, match=f"larger than {MAX_FILE_BYTES} bytes"):
            read_scenario_file(path)

    @pytest.mark.parametrize("where", ["directory", "/dev/null", "missing"])
    def test_not_a_regular_file(self, where, tmp_path):
        path = {"directory": tmp_path, "/dev/null": Path("/dev/null"),
                "missing": tmp_path / "absent.toml"}[where]
        with pytest.raises(InputError, match="no such regular file") as caught:
            read_scenario_file(path)
        assert str(path) in str(caught.value)

    def test_not_utf8(self, tmp_path):
        path = tmp_path / "latin1.toml"
        path.write_bytes(_edit(('"A test scenario"', '"caf\xe9"')).encode("latin-1"))
        with pytest.raises(InputError, match="not UTF-8"):
            read_scenario_file(path)
