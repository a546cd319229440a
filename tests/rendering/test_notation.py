"""Text is escaped for LaTeX; long equations are broken or scaled, short ones kept whole."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.notation import LINE_CHARS, escape_text, format_equation, to_latex
from profitopt.symbolic.demand import demand_exp
from profitopt.symbolic.symbols import alpha, gamma, n, q


class TestEscaping:
    """Every LaTeX special character in text is neutralised."""

    @pytest.mark.parametrize("text,expected", [
        ("a_b", r"a\_b"), ("50%", r"50\%"), ("x^2", r"x\textasciicircum{}2"),
        ("a & b", r"a \& b"), ("|d|", r"\textbar{}d\textbar{}"), ("{x}", r"\{x\}"),
        ("$5", r"\$5"), ("#1", r"\#1"), ("~", r"\textasciitilde{}"), ("\\", r"\textbackslash{}"),
    ])
    def test_specials(self, text, expected):
        assert escape_text(text) == expected


class TestNotation:
    """The paper's symbols, and f_gamma(q) for the stable demand form."""

    def test_greek(self):
        assert to_latex(alpha * gamma) == r"\alpha \gamma"

    def test_demand_link(self):
        assert to_latex(demand_exp(sp.log(q), gamma)) == r"f_{\gamma}{\left(q \right)}"


class TestBreaking:
    """A long sum is split at + and - into lines of at most LINE_CHARS (plus one term)."""

    def test_short_is_one_line(self):
        assert format_equation(sp.Eq(n, alpha + 1))["kind"] == "line"

    def test_long_sum_is_broken(self):
        terms = sp.Add(*[sp.Symbol(f"x_{{{i}}}") * n**i for i in range(40)])
        result = format_equation(sp.Eq(sp.Symbol("y"), terms))
        assert result["kind"] == "lines" and len(result["lines"]) > 1
        assert all(len(line) <= LINE_CHARS + 40 for line in result["lines"])
