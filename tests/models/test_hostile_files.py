"""A hostile or meaningless model file gets one line on stderr naming its field and exit 2;
nothing in it runs, nothing is written, and a derivation that outlasts its budget stops."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from profitopt.cli import main
from profitopt.models.loader import MAX_FILE_BYTES, paper_text
from profitopt.models.resolve import BUDGET_VARIABLE

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FLAGS = ["--alpha", "0.3", "--beta", "0.3", "--gamma", "-0.5", "--a", "10", "--b", "10",
         "--omega", "1", "--delta", "1e-12", "--E", "1e18"]
CANARY = "profitopt_hostile_canary"


def _edit(old: str, new: str) -> str:
    text = paper_text()
    assert old in text, old
    return text.replace(old, new, 1)


def _payload(tmp: Path) -> str:
    """An expression that, if it were evaluated, would create a file in ``tmp``."""
    return f"__import__('pathlib').Path({str(tmp / CANARY)!r}).touch()"


#: (label, edit of paper.toml as (old, new), text expected in the one error line).
#: ``{payload}`` is replaced by :func:`_payload`.
HOSTILE = [
    ("cost-injection", ('expr = "6*n*d/E"', 'expr = "{payload}"'), "costs[0].expr"),
    ("flops-injection", ('flops = "6*n*d"', 'flops = "{payload}"'), "costs[0].flops"),
    ("dunder-import", ('expr = "2*n*t/E"', 'expr = "__import__"'), "'__import__'"),
    ("attribute-chain", ('expr = "2*n*t/E"', 'expr = "E.__class__.__mro__[1]"'),
     "attribute access"),
    ("huge-exponent", ('expr = "2*n*t/E"', 'expr = "n**10**10"'), "beyond 1000"),
    ("lambda", ('expr = "2*n*t/E"', 'expr = "(lambda: 0)()"'), "lambda"),
    ("string", ('expr = "2*n*t/E"', 'expr = "\'x\'"'), "strings are not allowed"),
    ("law-preset", ('preset = "leontief"', 'preset = "{payload}"'), "law: preset"),
    ("law-arm", ('preset = "leontief"', 'parameter_arm = "{payload}"\ndata_arm = "b*d**beta"'),
     "law.parameter_arm"),
    ("demand-family", ('family = "paper"', 'family = "{payload}"'), "demand: family"),
    ("demand-link", ('family = "paper"', 'family = "exp(q)"'), "demand: family"),
    ("demand-link-expression", ('family = "paper"', 'link = "q**3"'),
     "demand.link: a demand link written as an expression (q**3) is not supported"),
    ("demand-link-injection", ('family = "paper"', 'link = "{payload}"'), "demand.link: refused"),
    ("demand-scale", ('scale = "omega"', 'scale = "{payload}"'), "demand.scale"),
    ("cap-bound", ('bound = "D"', 'bound = "{payload}"'), "caps[0].bound"),
    ("cap-variable", ('variable = "d"', 'variable = "{payload}"'), "caps[0].variable"),
    ("cap-regime", ('regime = "data-bound"', 'regime = "{payload}"'), "caps[0].regime"),
    ("chosen", ('chosen = ["n", "d", "t"]', 'chosen = ["{payload}"]'), "chosen"),
    ("name", ('name = "paper"', 'name = "{payload}"'), "name"),
    ("latex-input", ("latex = '\\alpha'", "latex = '\\input{/etc/passwd}'"),
     "parameters.alpha.latex"),
    ("latex-write", ("latex = '\\alpha'", "latex = '\\immediate\\write18{ls}'"),
     "parameters.alpha.latex"),
    ("prose-specials", ('meaning = "parameter exponent"', 'meaning = "\\\\input{x} $x$"'),
     "parameters.alpha.meaning"),
    ("wrong-type-latex", ("latex = '\\alpha'", "latex = 5"), "latex must be a string"),
    ("wrong-type-costs", ("[[costs]]", "costs = 3\n[[other]]"), "unknown key 'other'"),
    ("wrong-type-optional", ("optional = true", 'optional = "yes"'), "optional must be a boolean"),
    ("unknown-key", ('name = "paper"', 'name = "paper"\nbackdoor = 1'), "unknown key 'backdoor'"),
    ("unknown-parameter-key", ("[parameters.alpha]", "[parameters.alpha]\nexec = 1"),
     "parameters.alpha: unknown key 'exec'"),
    ("missing-field", ('[demand]\nfamily = "paper"', '[demand]'), "missing field 'family'"),
    ("cap-bound-exponent", ('bound = "D"', 'bound = "alpha"'), "must have domain 'positive'"),
    ("cap-twice", ('regime = "data-bound"', 'regime = "data-bound"\n\n[[caps]]\n'
                   'variable = "d"\nbound = "E"\nregime = "other-bound"'), "caps on d"),
    ("negative-default", ('meaning = "parameter efficiency"',
                          'meaning = "parameter efficiency"\ndefault = -1'), "outside the domain"),
    ("undeclared-symbol", ('expr = "2*n*t/E"', 'expr = "2*n*t/E + zeta*n"'), "'zeta'"),
    ("keyword-parameter", ("[parameters.alpha]", '[parameters.lambda]\ndomain = "exponent"\n'
                           'latex = "l"\nmeaning = "x"\n\n[parameters.alpha]'), "'lambda' is reserved"),
    ("kernel-name-parameter", ("[parameters.alpha]", '[parameters.exprel]\ndomain = "exponent"\n'
                               'latex = "e"\nmeaning = "x"\n\n[parameters.alpha]'),
     "'exprel' is reserved"),
    ("not-toml", ('name = "paper"', 'name = '), "not TOML"),
]


@pytest.fixture
def write(tmp_path):
    def write(text: str | bytes, name: str = "model.toml") -> Path:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return path
    return write


@pytest.mark.parametrize("old_new, expected", [pytest.param(c[1], c[2], id=c[0])
                                               for c in HOSTILE])
def test_hostile_file_is_one_line_and_runs_nothing(old_new, expected, write, tmp_path,
                                                   capsys):
    """Every field refuses what it does not hold, by name; the payload never runs."""
    old, new = old_new
    path = write(_edit(old, new.replace("{payload}", _payload(tmp_path).replace('"', "'"))))
    assert main(["solve", "--model", str(path), *FLAGS]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("profitopt: error: "), captured.err
    assert expected in lines[0]
    assert not (tmp_path / CANARY).exists()


def test_hundred_megabyte_file_is_refused_unread(write, capsys):
    """A 100 MB file is refused by its size (it is not parsed)."""
    path = write(paper_text().encode() + b"#" + b"x" * (100 * 2**20) + b"\n")
    assert path.stat().st_size > MAX_FILE_BYTES
    assert main(["solve", "--model", str(path), *FLAGS]) == 2
    assert f"larger than {MAX_FILE_BYTES} bytes" in capsys.readouterr().err


def test_deep_nesting_is_refused(write, capsys):
    """10^5 nested parentheses: refused with a position, no RecursionError."""
    deep = "(" * 10**5 + "n" + ")" * 10**5
    path = write(_edit('expr = "2*n*t/E"', f'expr = "{deep}"'))
    assert main(["solve", "--model", str(path), *FLAGS]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "costs[1].expr" in err


@pytest.mark.parametrize("path", ["/dev/null", "/dev/zero", "."])
def test_non_regular_file_is_refused(path, capsys):
    assert main(["solve", "--model", path if path != "." else "./", *FLAGS]) == 2
    assert "not a model file" in capsys.readouterr().err


def test_not_utf8(write, capsys):
    path = write(b"name = \"\xff\"\n")
    assert main(["solve", "--model", str(path), *FLAGS]) == 2
    assert "not UTF-8" in capsys.readouterr().err


class TestDomain:
    """Checks before any command runs: the derived bounded range, the kink lemma, and
    SymPy's ability to derive the model at all."""

    def test_default_shape_with_unbounded_profit_is_refused(self, write, capsys):
        """gamma = -7 at alpha = beta = 0.3 with serving cost 2n^2 t/E: revenue n^(-alpha
        gamma) = n^2.1 outgrows serving (n^2) and its square outgrows training (n^2), so
        profit is unbounded; the bound quoted, min(-2/alpha, -(alpha+beta)/(2 alpha beta))
        = -6.67, is the one derived for this file's model (the paper's would be -3.33)."""
        text = _edit('meaning = "demand-link shape"', 'meaning = "demand-link shape"\n'
                     'default = -7')
        text = text.replace('meaning = "parameter exponent"',
                            'meaning = "parameter exponent"\ndefault = 0.3')
        text = text.replace('meaning = "data exponent"', 'meaning = "data exponent"\n'
                            'default = 0.3')
        text = text.replace("expr = \"2*n*t/E\"", "expr = \"2*n**2*t/E\"")  # not the paper's
        assert main(["solve", "--model", str(write(text))]) == 2
        err = capsys.readouterr().err
        assert "parameters.gamma: default -7" in err and "unbounded" in err
        assert "gamma > -6.66667" in err

    def test_negative_cost_breaks_the_kink_lemma(self, write, capsys):
        text = _edit('expr = "6*n*d/E"', 'expr = "6*n*d/E - E*d"')
        assert main(["solve", "--model", str(write(text)), *FLAGS]) == 2
        assert "kink lemma is not established" in capsys.readouterr().err

    def test_unestablished_bound_is_said(self, write, capsys):
        text = _edit('expr = "6*n*d/E"', 'expr = "6*n*d/E + exp(d/E)"')
        assert main(["solve", "--model", str(write(text)), *FLAGS]) == 2
        err = capsys.readouterr().err
        assert "where profit is bounded could not be established" in err
        assert len(err.splitlines()) == 1

    def test_time_budget_stops_the_derivation(self, write, capsys, monkeypatch):
        """A derivation longer than PROFITOPT_DERIVE_SECONDS is stopped with a message (the
        cache is off, so the derivation really runs)."""
        text = _edit('expr = "2*n*t/E"', 'expr = "2*n*t/E + 3*n*t/E**2"')
        monkeypatch.setenv(BUDGET_VARIABLE, "0.01")
        assert main(["solve", "--no-cache", "--model", str(write(text)), *FLAGS]) == 2
        err = capsys.readouterr().err
        assert "did not finish within 0.01 s" in err and BUDGET_VARIABLE in err

    @pytest.mark.parametrize("value", ["-1", "soon", "nan"])
    def test_budget_variable_is_checked(self, value, write, monkeypatch, capsys):
        monkeypatch.setenv(BUDGET_VARIABLE, value)
        path = write(_edit('expr = "2*n*t/E"', 'expr = "2*n*t/E + n*t/E"'))
        assert main(["solve", "--model", str(path), *FLAGS]) == 2
        assert BUDGET_VARIABLE in capsys.readouterr().err


def test_paper_copy_is_the_paper(write, capsys):
    """A copy of paper.toml with other comments and name is the paper's model (same
    results, same name), not a new one."""
    text = "# my copy\n" + paper_text().replace('name = "paper"', 'name = "mine"')
    assert main(["solve", "--json", "--model", str(write(text)), *FLAGS]) == 0
    copied = capsys.readouterr().out
    assert main(["solve", "--json", *FLAGS]) == 0
    assert capsys.readouterr().out == copied
