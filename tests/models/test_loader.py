"""Model files map one-to-one onto model values: the paper's file is the paper's model, the
examples are the built-in variants, and every fault is one InputError naming its field."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from profitopt.errors import InputError
from profitopt.models.loader import MAX_FILE_BYTES, paper_text, parse_model, read_model_file
from profitopt.numeric.kernels import derive_model_expressions
from profitopt.numeric.optimum import solve
from profitopt.numeric.parameters import parameters_class
from profitopt.symbolic.variants import data_price, model_named, paper, size_cap

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MARKET = dict(alpha=0.3, beta=0.3, gamma=-0.5, a=10.0, b=10.0, omega=1.0, delta=1e-12,
              E=1e18)


def _without_name(model):
    return replace(model, name="x")


class TestRoundTrip:
    """paper.toml is the paper's model, part for part; the examples are the variants."""

    def test_paper_file_is_the_paper_model(self):
        assert parse_model(paper_text()) == paper()

    @pytest.mark.parametrize("file, built_in", [("data-price.toml", data_price),
                                                ("size-cap.toml", size_cap)])
    def test_examples_are_the_variants(self, file, built_in):
        loaded = read_model_file(EXAMPLES / file)
        assert _without_name(loaded) == _without_name(built_in())
        assert loaded.name.startswith(built_in().name + "-")

    def test_paper_file_derives_identical_kernels(self):
        assert derive_model_expressions(parse_model(paper_text())) == \
            derive_model_expressions(paper())

    def test_loaded_variant_solves_like_the_built_in(self):
        from profitopt.models.loader import load

        name = load(EXAMPLES / "data-price.toml")
        loaded = solve(parameters_class(name)(**MARKET, c_D=10.0))
        built = solve(parameters_class("data-price")(**MARKET, c_D=10.0))
        assert loaded.as_dict() == built.as_dict()
        assert model_named(name).name == name


def _edit(old: str, new: str) -> str:
    text = paper_text()
    assert old in text
    return text.replace(old, new, 1)


FAULTS = [
    pytest.param(_edit('name = "paper"', 'name = "paper"\nbogus = 1'), "unknown key 'bogus'",
                 id="unknown-key"),
    pytest.param(_edit('[law]\npreset = "leontief"', '[law]\npreset = "leontief"\nx = "n"'),
                 "law: unknown key 'x'", id="unknown-law-key"),
    pytest.param(_edit('latex = "a"\n', ''), "parameters.a: missing field 'latex'",
                 id="missing-field"),
    pytest.param(_edit('optional = true', 'optional = "yes"'), "optional must be a boolean",
                 id="wrong-type"),
    pytest.param(_edit('domain = "positive"\nlatex = "D"', 'domain = "real"\nlatex = "D"'),
                 "domain", id="cap-bound-real"),
    pytest.param(_edit('bound = "D"', 'bound = "Q"'), "'Q' is not a declared parameter",
                 id="cap-bound-undeclared"),
    pytest.param(_edit('expr = "6*n*d/E"', 'expr = "__import__(\'os\').system(\'true\')"'),
                 "costs[0].expr", id="code-in-cost"),
    pytest.param(_edit('expr = "6*n*d/E"', 'expr = "6*n*d/F"'), "costs[0].expr",
                 id="undeclared-symbol"),
    pytest.param(_edit('expr = "6*n*d/E"', 'expr = "n**10**10"'), "costs[0].expr",
                 id="huge-exponent"),
    pytest.param(_edit('family = "paper"', 'family = "logit"'), "demand: family",
                 id="unknown-family"),
    pytest.param(_edit('name = "paper"', 'name = "Paper Model"'), "name", id="bad-name"),
    pytest.param("name = [", "not TOML", id="not-toml"),
    pytest.param(_edit('variable = "d"', 'variable = "t"'), "caps[0].variable",
                 id="cap-on-t"),
]


class TestFaults:
    """Each malformed file is one InputError whose message names the field."""

    @pytest.mark.parametrize("text, message", FAULTS)
    def test_refused(self, text, message):
        with pytest.raises(InputError, match=None) as caught:
            parse_model(text, "m.toml")
        assert message in str(caught.value), str(caught.value)

    def test_oversized_file(self, tmp_path):
        big = tmp_path / "big.toml"
        big.write_text(paper_text() + "#" * MAX_FILE_BYTES)
        with pytest.raises(InputError, match="larger than"):
            read_model_file(big)

    def test_subsidy_breaks_the_kink_lemma(self, tmp_path):
        """A cost that falls in d: the reduction is refused with the step named."""
        path = tmp_path / "subsidy.toml"
        path.write_text(_edit('expr = "6*n*d/E"', 'expr = "6*n*d/E - d"'))
        done = subprocess.run([sys.executable, "-m", "profitopt", "model", "show", str(path)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 2 and "kink lemma" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


class TestCli:
    """--model FILE on solve, model show and model init, with one-line errors (exit 2)."""

    def _run(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "profitopt", *argv],
                              capture_output=True, text=True, timeout=300)

    def test_solve_with_model_file(self):
        flags = [f"--{k}={v}" for k, v in MARKET.items()]
        done = self._run("solve", "--model", str(EXAMPLES / "size-cap.toml"), *flags,
                         "--N", "1e16", "--json")
        assert done.returncode == 0, done.stderr
        assert '"regime": "size-bound"' in done.stdout

    def test_help_lists_the_file_parameters(self):
        done = self._run("solve", "--model", str(EXAMPLES / "data-price.toml"), "--help")
        assert done.returncode == 0 and "--c_D" in done.stdout

    def test_bad_file_is_one_line(self, tmp_path):
        path = tmp_path / "bad.toml"
        path.write_text(_edit('name = "paper"', 'name = "paper"\nbogus = 1'))
        done = self._run("solve", "--model", str(path), "--alpha", "0.3")
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1 and "bogus" in done.stderr

    def test_init_then_show(self, tmp_path):
        out = tmp_path / "mine.toml"
        assert self._run("model", "init", "--out", str(out)).returncode == 0
        assert out.read_text() == paper_text()
        again = self._run("model", "init", "--out", str(out))
        assert again.returncode == 2
        shown = self._run("model", "show", str(out))
        assert shown.returncode == 0, shown.stderr
        assert "reduced condition" in shown.stdout and "KKT case data-bound" in shown.stdout
