"""Expressions survive text and back; text that is not a plain SymPy tree is refused."""

from __future__ import annotations

import pytest
import sympy as sp
from sympy.codegen.cfunctions import log1p

from profitopt.symbolic import symbols as S
from profitopt.symbolic.demand import demand_exp, exprel
from profitopt.symbolic.serialize import UnsafeExpression, from_text, to_text


class TestRoundTrip:
    """from_text(to_text(e)) == e, assumptions of symbols included."""

    @pytest.mark.parametrize("expr", [
        pytest.param(S.alpha * S.n ** (-S.gamma) + sp.Rational(3, 7), id="powers"),
        pytest.param(log1p(-sp.exp(S.x - S.log_E)) + sp.log(S.x**2 + 1), id="log1p"),
        pytest.param(demand_exp(S.log_a + S.alpha * S.x, S.gamma) * exprel(S.gamma), id="demand"),
        pytest.param(sp.Min(S.a * S.n**S.alpha, S.b * S.d**S.beta), id="leontief"),
        pytest.param(sp.Piecewise((S.alpha, S.gamma < 0), (S.beta, True)), id="piecewise"),
        pytest.param(sp.Float("0.3", 30) * S.E + S.alpha, id="float"),
        pytest.param(-sp.oo, id="minus-infinity"),
        pytest.param(sp.LambertW(-S.alpha / sp.E, -1), id="lambert"),
    ])
    def test_identical(self, expr):
        back = from_text(to_text(expr))
        assert back == expr
        assert {s: s.assumptions0 for s in back.free_symbols} == \
            {s: s.assumptions0 for s in expr.free_symbols}


class TestRefusals:
    """Anything but constructor calls from the table with literal arguments is refused."""

    @pytest.mark.parametrize("text", [
        pytest.param("__import__('os').system('true')", id="import"),
        pytest.param("Symbol('x').__class__", id="attribute"),
        pytest.param("eval('1')", id="unknown-function"),
        pytest.param("Integer(1)[0]", id="subscript"),
        pytest.param("(lambda: 1)()", id="lambda"),
        pytest.param("[Integer(i) for i in range(3)]", id="comprehension"),
        pytest.param("Symbol(name)", id="bare-name"),
        pytest.param("Symbol('x', **{'real': True})", id="keyword-unpacking"),
        pytest.param("Symbol('x', real=Integer(1))", id="non-literal-keyword"),
        pytest.param("Add(Integer(1),", id="syntax"),
        pytest.param("Integer(1.5)", id="float-literal"),
        pytest.param("Pow(" * 500 + "Integer(1)" + ", Integer(1))" * 500, id="too-deep"),
    ])
    def test_refused(self, text):
        with pytest.raises(UnsafeExpression):
            from_text(text)


class TestData:
    """Trees of the analysis dataclasses survive to_data/from_data; other types are refused."""

    def test_power_law_round_trip(self):
        from profitopt.symbolic.asymptotics import Leading, PowerLaw
        from profitopt.symbolic.serialize import from_data, to_data
        law = PowerLaw(S.a ** (-S.gamma), 1 / (1 + S.alpha * S.gamma), sp.Rational(1, 2))
        value = {"n": Leading(law, (sp.Gt(S.gamma, -1),), (S.n,), ())}
        types = {"PowerLaw": PowerLaw, "Leading": Leading}
        assert from_data(to_data(value), types) == value

    def test_unknown_dataclass_refused(self):
        from profitopt.symbolic.asymptotics import PowerLaw
        from profitopt.symbolic.serialize import from_data, to_data
        data = to_data(PowerLaw(S.a, S.alpha))
        with pytest.raises(UnsafeExpression):
            from_data(data, {})
