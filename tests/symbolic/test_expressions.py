"""The model-file expression reader builds whitelisted text exactly and runs none of it."""

from __future__ import annotations

import ast
import builtins
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from profitopt.errors import InputError
from profitopt.symbolic import symbols as S
from profitopt.symbolic.demand import demand_exp, demand_link
from profitopt.symbolic.expressions import (
    MAX_CHARS,
    MAX_COMPARISONS,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_EXPONENT,
    MAX_MAGNITUDE,
    MAX_MINMAX_ARGS,
    ExpressionError,
    read_expression,
)

SYMBOLS = {s.name: s for s in (S.n, S.d, S.t, S.E, S.D, S.q, S.a, S.b, S.alpha, S.beta,
                               S.gamma, S.omega, S.delta, sp.Symbol("θ", positive=True))}
n, d, t, E, q, a, b = S.n, S.d, S.t, S.E, S.q, S.a, S.b
alpha, beta, gamma = S.alpha, S.beta, S.gamma


def read(text: str, **options) -> sp.Expr:
    return read_expression(text, SYMBOLS, **options)


def refusal(text: str, **options) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        read(text, **options)
    return caught.value


@contextmanager
def nothing_can_run():
    """eval, exec and compile-to-code raise while the block runs (compile may only be asked
    for an AST, which is how ast.parse calls it)."""
    real_compile = builtins.compile

    def forbidden(*args, **kwargs):
        raise AssertionError("the reader ran code")

    def ast_only(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            raise AssertionError("the reader compiled code")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    with mock.patch.object(builtins, "eval", forbidden), \
            mock.patch.object(builtins, "exec", forbidden), \
            mock.patch.object(builtins, "compile", ast_only), \
            mock.patch.object(sp, "sympify", forbidden), \
            mock.patch.object(sp, "parse_expr", forbidden):
        yield


class TestValidText:
    """Whitelisted text builds exactly the SymPy expression it writes, numbers as exact
    Rationals (no Float anywhere), without eval, exec, compile-to-code or sympify."""

    @pytest.mark.parametrize("text, expected", [
        pytest.param("6*n*d/E", 6 * n * d / E, id="compute-cost"),
        pytest.param("0.3", sp.Rational(3, 10), id="decimal"),
        pytest.param("1e-12", sp.Rational(1, 10**12), id="exponent-literal"),
        pytest.param("2.5E3 + .5 + 5.", sp.Rational(5011, 2), id="decimal-spellings"),
        pytest.param("1_000.000_1", sp.Rational(10000001, 10000), id="underscores"),
        pytest.param("0.1 + 0.2", sp.Rational(3, 10), id="no-binary-rounding"),
        pytest.param("0x10 + 0o10 + 0b10", sp.Integer(26), id="integer-bases"),
        pytest.param("min(a*n**alpha, b*d**beta)", sp.Min(a * n**alpha, b * d**beta),
                     id="leontief"),
        pytest.param("max(0, n - d)", sp.Max(0, n - d), id="max"),
        pytest.param("log(q)", sp.log(q), id="log"),
        pytest.param("(1 - q**(-gamma))/gamma", demand_link(q, gamma), id="demand-family"),
        pytest.param("exp(-gamma*log(q))", sp.exp(-gamma * sp.log(q)), id="exp"),
        pytest.param("exp(2*log(q))", q**2, id="exp-of-log"),
        pytest.param("sqrt(n) - n**0.5", sp.S.Zero, id="sqrt"),
        pytest.param("-n + +d - (t - n)", d - t, id="signs"),
        pytest.param("n**-2 / 2**-1", 2 / n**2, id="negative-powers"),
        pytest.param("n - d - t", n - d - t, id="left-associative"),
        pytest.param("2**3**2", sp.Integer(512), id="power-right-associative"),
        pytest.param("  (n +\n   d)  # total\n", n + d, id="blanks-lines-comment"),
        pytest.param("10**1000", sp.Integer(MAX_MAGNITUDE), id="largest-number"),
        pytest.param("sqrt(2)*sqrt(3)", sp.sqrt(6), id="merged-roots"),
    ])
    def test_builds(self, text, expected):
        with nothing_can_run():
            result = read(text)
        assert isinstance(result, sp.Expr)
        assert result == expected
        assert not result.atoms(sp.Float)

    def test_min_is_sympy_min(self):
        assert isinstance(read("min(a*n**alpha, b*d**beta)"), sp.Min)

    def test_symbols_keep_their_assumptions(self):
        result = read("n*gamma")
        assert result.free_symbols == {n, gamma}
        assert n.is_positive and gamma.is_real

    def test_caller_function(self):
        result = read("f(log(q), gamma) + 1", functions={"f": demand_exp})
        assert result == demand_exp(sp.log(q), gamma) + 1

    def test_caller_function_arity(self):
        error = refusal("f(q)", functions={"f": lambda x, y: x + y})
        assert error.token == "f" and "argument" in str(error)

    def test_field_prefixes_the_message(self):
        assert str(refusal("n.real", field="demand")).startswith("demand: ")

    def test_refusal_is_an_input_error(self):
        assert isinstance(refusal("n.real"), InputError)
        assert isinstance(refusal("n.real"), ValueError)


#: A 1 MB Python string literal.
MEGABYTE = "'" + "a" * 1_000_000 + "'"


class TestHostileText:
    """Anything outside the whitelist raises ExpressionError that names the offending
    token, its line and column (1-based); a dunder is named before other offences."""

    @pytest.mark.parametrize("text, token, line, column", [
        pytest.param("__import__('os').system('x')", "__import__", 1, 1, id="import"),
        pytest.param("().__class__.__bases__[0].__subclasses__()", ".__class__", 1, 3,
                     id="subclasses"),
        pytest.param("n.real", ".real", 1, 2, id="attribute"),
        pytest.param("lambda: 1", "lambda", 1, 1, id="lambda"),
        pytest.param("[x for x in ()]", "[x for x in ()]", 1, 1, id="comprehension"),
        pytest.param("'abc'", "'abc'", 1, 1, id="string"),
        pytest.param("b'abc'", "b'abc'", 1, 1, id="bytes"),
        pytest.param("n[0]", "n[0]", 1, 1, id="subscript"),
        pytest.param("open('f','w')", "open", 1, 1, id="open"),
        pytest.param("eval('1')", "eval", 1, 1, id="eval"),
        pytest.param("exec('1')", "exec", 1, 1, id="exec"),
        pytest.param("n if d else t", "if", 1, 3, id="conditional"),
        pytest.param("n < d", "<", 1, 3, id="comparison"),
        pytest.param("n and d", "and", 1, 3, id="boolean"),
        pytest.param("not n", "not", 1, 1, id="not"),
        pytest.param("n ^ 2", "^", 1, 3, id="xor"),
        pytest.param("n**10**10", "**", 1, 2, id="huge-exponent"),
        pytest.param("10**10**10", "**", 1, 3, id="huge-power"),
        pytest.param("2**99999", "**", 1, 2, id="large-power"),
        pytest.param("(" * 100000 + "n" + ")" * 100000, "(", 1, MAX_CHARS + 1,
                     id="deep-parentheses"),
        pytest.param(MEGABYTE, "a" * 40, 1, MAX_CHARS + 1, id="megabyte"),
        pytest.param("foo + n", "foo", 1, 1, id="undeclared"),
        pytest.param("log(x=n)", "x=", 1, 5, id="keyword"),
        pytest.param("log(**{})", "**", 1, 5, id="double-star"),
        pytest.param("log(*n)", "*", 1, 5, id="starred"),
        pytest.param("1j", "1j", 1, 1, id="complex"),
        pytest.param("n // 2", "//", 1, 3, id="floor-division"),
        pytest.param("n % 2", "%", 1, 3, id="remainder"),
        pytest.param("n @ d", "@", 1, 3, id="matmul"),
        pytest.param("n << 2", "<<", 1, 3, id="shift"),
        pytest.param("~n", "~", 1, 1, id="invert"),
        pytest.param('f"{n}"', 'f"{n}"', 1, 1, id="f-string"),
        pytest.param("(n := 2)", ":=", 1, 4, id="walrus"),
        pytest.param("(n, d)", "(n, d)", 1, 1, id="tuple"),
        pytest.param("True", "True", 1, 1, id="bool"),
        pytest.param("n(2)", "n", 1, 1, id="call-symbol"),
        pytest.param("log", "log", 1, 1, id="uncalled-function"),
        pytest.param("log(n)(2)", "log(n)", 1, 1, id="call-result"),
        pytest.param("log(n, d)", "log", 1, 1, id="arity"),
        pytest.param("n @ __x", "__x", 1, 5, id="dunder-first"),
        pytest.param("n +", "end of text", 1, 4, id="syntax"),
        pytest.param("n; d", ";", 1, 2, id="statement"),
        pytest.param("n\0", "\0", 1, 2, id="null"),
        pytest.param("1/0", "/", 1, 2, id="division-by-zero"),
        pytest.param("log(0)", "log(0)", 1, 1, id="infinite"),
        pytest.param("\n  (n +\n   θ.real)", ".real", 3, 5, id="lines-and-unicode"),
        pytest.param("θ + n ^ 2", "^", 1, 7, id="column-counts-characters"),
        pytest.param("\r\n (n +\r  θ.real)", ".real", 3, 4, id="carriage-returns"),
        pytest.param("\r\n n +\r  θ", "end of line", 2, 5, id="syntax-at-end-of-line"),
    ])
    def test_refused_with_position(self, text, token, line, column):
        with nothing_can_run():
            error = refusal(text, field="cost")
        assert (error.token, error.line, error.column) == (token, line, column)
        message = str(error)
        assert repr(token) in message and f"line {line}, column {column}" in message
        assert message.startswith("cost: ")

    def test_xor_hints_at_power(self):
        assert "'**'" in str(refusal("n ^ 2"))

    def test_text_must_be_a_string(self):
        with pytest.raises(ExpressionError, match="must be text"):
            read(0.3)


class TestLimits:
    """Each limit accepts text at the bound and refuses text just past it, before SymPy
    computes anything large, and hostile text of MAX_CHARS reads within seconds."""

    @pytest.mark.parametrize("inside, outside", [
        pytest.param("-" * (MAX_DEPTH - 1) + "n", "-" * MAX_DEPTH + "n", id="depth"),
        pytest.param("9" * MAX_DIGITS, "9" * (MAX_DIGITS + 1), id="literal-digits"),
        pytest.param(f"n**{MAX_EXPONENT}", f"n**{MAX_EXPONENT + 1}", id="exponent"),
        pytest.param(f"n**(d + {MAX_EXPONENT})", f"n**(d + {MAX_EXPONENT + 1})",
                     id="number-in-exponent"),
        pytest.param("10**1000", "10**1000 + 1", id="magnitude"),
        pytest.param("1e1000", "1e1001", id="decimal-exponent"),
        pytest.param("(n**10)**100", "(n**10)**101", id="built-exponent"),
        pytest.param("sqrt(" + "9" * 40 + ")", "sqrt(" + "9" * 41 + ")", id="root-digits"),
        pytest.param("min(" + ", ".join(f"n**{k}" for k in range(MAX_MINMAX_ARGS)) + ")",
                     "min(" + ", ".join(f"n**{k}" for k in range(MAX_MINMAX_ARGS + 1)) + ")",
                     id="min-arguments"),
        pytest.param("log(2)", "log(log(2))", id="nested-constant-functions"),
    ])
    def test_bound(self, inside, outside):
        assert isinstance(read(inside), sp.Expr)
        with pytest.raises(ExpressionError):
            read(outside)

    def test_sum_is_a_chain_not_nesting(self):
        # Distinct terms in two symbols, so the one-symbol degree limit does not apply.
        text = " + ".join(f"n**{k % 8}*d**{k // 8}" for k in range(2 * MAX_DEPTH))
        assert read(text) == sp.Add(*(n**(k % 8) * d**(k // 8) for k in range(2 * MAX_DEPTH)))

    def test_one_symbol_polynomial_degree_is_bounded(self):
        """A sum in one symbol of degree above MAX_POLY_DEGREE is refused (SymPy would find
        its sign from the roots of its derivative); the same degree in two symbols is not."""
        from profitopt.symbolic.expressions import MAX_POLY_DEGREE
        assert read(f"n**{MAX_POLY_DEGREE} + n") == n**MAX_POLY_DEGREE + n
        with pytest.raises(ExpressionError, match="polynomial of degree"):
            read(f"n**{MAX_POLY_DEGREE + 1} + n")
        assert read(f"n**{MAX_POLY_DEGREE + 1} + d") == n**(MAX_POLY_DEGREE + 1) + d

    def test_comparison_budget(self):
        one = "min(" + ", ".join(f"n**{k} + d" for k in range(1, 5)) + ")"  # 6 pairs
        calls = MAX_COMPARISONS // 6
        assert isinstance(read(" + ".join([one] * calls)), sp.Expr)
        with pytest.raises(ExpressionError, match="pairs"):
            read(" + ".join([one] * (calls + 1)))

    @staticmethod
    def _fill(piece, joiner):
        parts, length, k = [], 0, 0
        while length + len(piece(k)) + len(joiner) <= MAX_CHARS:
            parts.append(piece(k))
            length += len(piece(k)) + len(joiner)
            k += 1
        return joiner.join(parts)

    @pytest.mark.parametrize("piece, joiner", [
        pytest.param(lambda k: f"n/{1009 + 2 * k}", "+", id="fractions-summed"),
        pytest.param(lambda k: "10**999", "*", id="large-factors"),
        pytest.param(lambda k: "(10**999*n)", "*", id="large-coefficients"),
        pytest.param(lambda k: f"sqrt({10**38 + 2 * k + 1})", "*", id="merged-roots"),
        pytest.param(lambda k: f"exp(log({1009 + 2 * k})/2 + d)", "*", id="exp-of-logs"),
        pytest.param(lambda k: f"(7*n)**(alpha + {k % 9})*(7*n)**(-alpha)", "*",
                     id="powers-combined"),
        pytest.param(lambda k: f"min(n**{k % 40 + 1} + d, n**{k % 40 + 2})", "+",
                     id="many-minima"),
        pytest.param(lambda k: "1." + "9" * 399, "*", id="long-decimals"),
        pytest.param(lambda k: f"log({10**399 + k})", "+", id="logs-of-large-numbers"),
    ])
    def test_hostile_text_is_fast(self, piece, joiner):
        text = self._fill(piece, joiner)
        start = time.perf_counter()
        try:
            read(text)
        except ExpressionError:
            pass
        assert time.perf_counter() - start < 5


class TestNameTables:
    """Symbols and functions share one namespace; a clash or a dunder symbol is refused
    before any text is read."""

    @pytest.mark.parametrize("symbols, functions", [
        pytest.param({"log": S.q}, None, id="symbol-shadows-builtin"),
        pytest.param({"n": S.n}, {"n": sp.log}, id="symbol-and-caller-function"),
        pytest.param({"__class__": S.n}, None, id="dunder-symbol"),
        pytest.param({}, {"exp": sp.exp}, id="caller-redefines-builtin"),
    ])
    def test_clash_refused(self, symbols, functions):
        with pytest.raises(ExpressionError):
            read_expression("1", symbols, functions=functions)

    def test_symbols_must_be_symbols(self):
        with pytest.raises(TypeError):
            read_expression("x", {"x": "import os"})


CANARY_MODULE = "profitopt_expression_canary"


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    """A folder on sys.path holding a module whose import creates ``imported``; the files
    a payload would create are ``touched`` and ``opened``."""
    folder = tmp_path_factory.mktemp("canary")
    (folder / f"{CANARY_MODULE}.py").write_text(
        f"import pathlib\npathlib.Path({str(folder / 'imported')!r}).touch()\n")
    (folder / "profitopt_expression_canary_live.py").write_text(
        f"import pathlib\npathlib.Path({str(folder / 'live')!r}).touch()\n")
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))
    sys.modules.pop("profitopt_expression_canary_live", None)


def _payloads(folder) -> list[str]:
    touched, opened = str(folder / "touched"), str(folder / "opened")
    module = CANARY_MODULE
    return [
        f"__import__('pathlib').Path({touched!r}).touch()",
        f"open({opened!r}, 'w')",
        f"__import__({module!r})",
        f"exec('import {module}')",
        f"eval(\"__import__('{module}')\")",
        f"[__import__({module!r}) for _ in 'x']",
        f"(lambda: __import__({module!r}))()",
        f"f\"{{__import__({module!r})}}\"",
        f"n if __import__({module!r}) else d",
        f"log(__import__({module!r}))",
        f"min(n, open({opened!r}, 'w'))",
        f"n + (__import__('pathlib').Path({touched!r}).touch() or 1)",
        f"().__class__.__base__.__subclasses__()[0]({touched!r})",
    ]


def _assert_nothing_ran(folder) -> None:
    assert sorted(p.name for p in folder.iterdir() if p.suffix != ".py" and
                  p.name != "__pycache__" and p.name != "live") == []
    assert CANARY_MODULE not in sys.modules


class TestCanary:
    """Text that would create a file or import a module if it were evaluated is refused,
    and afterwards no such file exists and the module was never imported."""

    def test_canary_is_live(self, canary):
        """The planted module does create its file when really imported (so a silent
        canary below means nothing ran, not a broken canary)."""
        __import__("profitopt_expression_canary_live")
        assert (canary / "live").exists()

    @pytest.mark.parametrize("index", range(13))
    def test_payload_runs_nothing(self, canary, index):
        payload = _payloads(canary)[index]
        with nothing_can_run(), pytest.raises(ExpressionError):
            read(payload)
        _assert_nothing_ran(canary)


#: Pieces of valid text and of hostile text, for composing.
FRAGMENTS = [
    "n", "d", "q", "alpha", "gamma", "0.3", "1e-12", "10", "2", "1000", "9" * 60, "+", "-",
    "*", "/", "**", "(", ")", ",", "log(", "exp(", "sqrt(", "min(", "max(", " ",
    "__import__", "__class__", ".", "'", '"', "[", "]", "{", "}", "lambda", ":", "=", ":=",
    " if ", " else ", " for ", " in ", "^", "//", "%", "@", "~", "<", "and", "not ",
    "f'", "j", "\\", "\n", "#", "10**10", "(" * 30, ")" * 30, "é", "\0", "open", "exec",
    "eval", "x=", "*", "CANARY_IMPORT", "CANARY_OPEN",
]
LEAVES = st.sampled_from(["n", "d", "q", "alpha", "gamma", "0", "1", "2", "0.3", "1e-12",
                          "1000", "1e999", "9" * 50, "-1"])


def _combine(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children)
        .map(lambda parts: f"({parts[0]}{parts[1]}{parts[2]})"),
        st.tuples(st.sampled_from(["log", "exp", "sqrt", "-"]), children)
        .map(lambda parts: f"{parts[0]}({parts[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=3))
        .map(lambda parts: f"{parts[0]}({', '.join(parts[1])})"),
    )


TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
    st.recursive(LEAVES, _combine, max_leaves=25),
)


class TestAnyText:
    """Any text reads to an sp.Expr or raises ExpressionError: no other exception leaks
    (RecursionError, MemoryError, SyntaxError, TypeError, ...), no text hangs, and the
    canary stays silent."""

    @settings(max_examples=300, deadline=timedelta(seconds=5))
    @given(text=TEXTS)
    def test_expression_or_refusal(self, canary, text):
        text = text.replace("CANARY_IMPORT", f"__import__({CANARY_MODULE!r})") \
            .replace("CANARY_OPEN", f"open({str(canary / 'opened')!r}, 'w')")
        with nothing_can_run():
            try:
                result = read(text)
            except ExpressionError:
                pass
            else:
                assert isinstance(result, sp.Expr)
        _assert_nothing_ran(canary)
