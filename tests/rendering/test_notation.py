"""Text is escaped for LaTeX; long equations are broken or scaled, short ones kept whole."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.notation import (LINE_EM, estimate_width, escape_text, format_equation,
                                identifier, number_latex, text_math, to_latex)
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


class TestRecordText:
    """A record's text is LaTeX already: it passes through untouched."""

    def test_verbatim(self):
        text = r"For $\gamma = 0$, $n^* = \mathcal{O}(aE/\rho)$ \& more."
        assert text_math(text) == text


class TestIdentifiers:
    """An id in \\texttt is escaped and may break after - / _ (no overfull table cells)."""

    def test_breaks(self):
        assert identifier("data_bound/falls-with") == (
            r"data\_\allowbreak{}bound/\allowbreak{}falls-\allowbreak{}with")


class TestNumbers:
    """Numbers enter math mode with 3 significant digits, powers of ten as 10^{k}."""

    @pytest.mark.parametrize("value,expected", [
        pytest.param(5.5555e11, r"5.56 \times 10^{11}", id="large"),
        pytest.param(1e-6, "10^{-6}", id="power"),
        pytest.param(0.714286, "0.714", id="plain"),
        pytest.param(2.0, "2", id="integer"),
        pytest.param(-1.0, "-1", id="negative"),
        pytest.param(0.005, r"5 \times 10^{-3}", id="small"),
        pytest.param(0.0, "0", id="zero"),
    ])
    def test_format(self, value, expected):
        assert number_latex(value) == expected


class TestNotation:
    """The paper's symbols, f_gamma(q) for the stable demand form, upright words in scripts."""

    def test_greek(self):
        assert to_latex(alpha * gamma) == r"\alpha \gamma"

    def test_demand_link(self):
        assert to_latex(demand_exp(sp.log(q), gamma)) == r"f_{\gamma}{\left(q \right)}"

    def test_script_words_upright(self):
        assert to_latex(sp.Symbol("n_{peak}")) == r"n_{\mathrm{peak}}"
        assert to_latex(sp.Symbol("W_{-1}")) == "W_{-1}"


class TestWidth:
    """The printed-width estimate counts what is printed, not LaTeX source characters."""

    def test_commands_count_as_symbols(self):
        assert estimate_width(r"\alpha") == pytest.approx(estimate_width("a"))

    def test_fraction_counts_its_wider_part(self):
        assert estimate_width(r"\frac{a b c d}{e}") < estimate_width("a b c d e")

    def test_scripts_are_smaller(self):
        assert estimate_width("x^{abcd}") < estimate_width("x abcd")


class TestBreaking:
    """A short display is one line; a long sum is offered broken at its signs into lines of
    about LINE_EM, each continued line opening with its sign; TeX picks which to set."""

    def test_short_is_one_line(self):
        assert format_equation(sp.Eq(n, alpha + 1))["kind"] == "line"

    def test_long_sum_is_broken(self):
        terms = sp.Add(*[sp.Symbol(f"x_{{{i}}}") * n**i for i in range(40)])
        result = format_equation(sp.Eq(sp.Symbol("y"), terms))
        assert result["kind"] == "lines" and len(result["lines"]) > 1
        assert result["whole"] == to_latex(sp.Eq(sp.Symbol("y"), terms))
        assert all(estimate_width(line) <= LINE_EM + 3 for line in result["lines"])
        assert all(line.startswith(("{} + ", "{} - ")) for line in result["lines"][1:])

    def test_long_product_breaks_between_factors(self):
        factors = [sp.Symbol(f"x_{{{i}}}") ** (alpha / (i + gamma)) for i in range(1, 12)]
        result = format_equation(sp.Eq(sp.Symbol("y"), sp.Mul(*factors)))
        assert result["kind"] == "lines"
        assert all(line.startswith(r"{} \times ") for line in result["lines"][1:])

    def test_unbreakable_term_stays_whole(self):
        fraction = sp.Add(*[sp.Symbol(f"x_{{{i}}}") for i in range(60)]) / (n + 1)
        assert format_equation(sp.Eq(sp.Symbol("y"), fraction))["kind"] == "line"
