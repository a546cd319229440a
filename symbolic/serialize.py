"""SymPy expressions as text and back, without evaluating the text as Python.

``to_text(expr)`` is SymPy's ``srepr``: a tree of constructor calls such as
``Add(Symbol('x', real=True), Integer(1))``.  ``from_text`` reads that text
back with a restricted reader: the text is parsed (``ast.parse``, which does
not run anything) and walked, and only calls of the constructors named in
``CONSTRUCTORS`` with literal arguments are built.  Attribute access,
subscripts, names outside the table, lambdas, comprehensions and any other
syntax are refused with :class:`UnsafeExpression`.  A cache file or a shared
model can therefore hold derived expressions as data, never as code.
"""

from __future__ import annotations

import ast
import dataclasses
import enum

import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p
from sympy.functions.elementary.piecewise import ExprCondPair

from .algebra import logaddexp
from .demand import demand_exp, exprel

#: Every constructor the reader may call, by the name ``srepr`` prints.
CONSTRUCTORS: dict[str, object] = {
    "Symbol": sp.Symbol, "Dummy": sp.Dummy, "Integer": sp.Integer, "Rational": sp.Rational,
    "Float": sp.Float, "Add": sp.Add, "Mul": sp.Mul, "Pow": sp.Pow, "exp": sp.exp,
    "log": sp.log, "Min": sp.Min, "Max": sp.Max, "Abs": sp.Abs, "sign": sp.sign,
    "LambertW": sp.LambertW, "Piecewise": sp.Piecewise, "ExprCondPair": ExprCondPair,
    "Equality": sp.Eq, "Unequality": sp.Ne, "StrictGreaterThan": sp.Gt,
    "StrictLessThan": sp.Lt, "GreaterThan": sp.Ge, "LessThan": sp.Le, "And": sp.And,
    "Or": sp.Or, "Not": sp.Not, "Tuple": sp.Tuple, "log1p": log1p, "expm1": expm1,
    "exprel": exprel, "demand_exp": demand_exp, "logaddexp": logaddexp, "Interval": sp.Interval, "Union": sp.Union,
    "FiniteSet": sp.FiniteSet, "Intersection": sp.Intersection, "Complement": sp.Complement,
    "Contains": sp.Contains, "Derivative": sp.Derivative, "Integral": sp.Integral,
    "Limit": sp.Limit,
}
#: Named constants ``srepr`` prints without a call.
CONSTANTS: dict[str, object] = {
    "pi": sp.pi, "E": sp.E, "oo": sp.oo, "zoo": sp.zoo, "nan": sp.nan, "true": sp.true,
    "false": sp.false, "Half": sp.S.Half, "One": sp.S.One, "Zero": sp.S.Zero,
    "NegativeOne": sp.S.NegativeOne, "Infinity": sp.oo, "NegativeInfinity": -sp.oo,
    "Exp1": sp.E, "Pi": sp.pi, "BooleanTrue": sp.true, "BooleanFalse": sp.false,
    "EmptySet": sp.S.EmptySet, "Reals": sp.S.Reals,
}
#: Bounds on what the reader accepts: text length and nesting depth.
MAX_CHARS = 2_000_000
MAX_DEPTH = 400


class UnsafeExpression(ValueError):
    """The text is not a plain tree of allowed SymPy constructors."""


def to_text(expr: sp.Basic) -> str:
    """``srepr(expr)``: the expression as constructor calls (data for :func:`from_text`)."""
    return sp.srepr(expr)


def from_text(text: str) -> sp.Basic:
    """The expression ``text`` (from :func:`to_text`) describes, read without ``eval``."""
    return _build(_parse(text), 0)


def check_text(text: str) -> str:
    """``text`` unchanged if :func:`from_text` would read it, else UnsafeExpression; the
    same walk without building SymPy objects (a fraction of the time)."""
    _build(_parse(text), 0, build=False)
    return text


def _parse(text: str) -> ast.AST:
    if not isinstance(text, str):
        raise UnsafeExpression("expression text must be a string")
    if len(text) > MAX_CHARS:
        raise UnsafeExpression(f"expression text longer than {MAX_CHARS} characters")
    try:
        return ast.parse(text, mode="eval").body
    except SyntaxError as error:
        raise UnsafeExpression(f"not an expression: {error.msg}") from None


class _Unbuilt:
    """What the checking walk returns for an allowed SymPy node (nothing is built)."""


def _build(node: ast.AST, depth: int, build: bool = True) -> object:
    if depth > MAX_DEPTH:
        raise UnsafeExpression(f"nesting deeper than {MAX_DEPTH}")
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, str, bool)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _build(node.operand, depth + 1, build)
        if type(value) is int or isinstance(value, sp.Basic):
            return -value
        if isinstance(value, _Unbuilt):
            return value
    if isinstance(node, ast.Name) and node.id in CONSTANTS:
        return CONSTANTS[node.id] if build else _Unbuilt()
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Call) \
            and isinstance(node.func.func, ast.Name) and node.func.func.id == "Function" \
            and len(node.func.args) == 1 and not node.func.keywords \
            and isinstance(node.func.args[0], ast.Constant) \
            and isinstance(node.func.args[0].value, str) and not node.keywords:
        # an undefined function applied to arguments: Function('f')(Symbol('q'))
        args = [_build(a, depth + 1, build) for a in node.args]
        return sp.Function(node.func.args[0].value)(*args) if build else _Unbuilt()
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in CONSTRUCTORS:
        args = [_build(a, depth + 1, build) for a in node.args]
        keywords = {}
        for keyword in node.keywords:
            value = _build(keyword.value, depth + 1, build)
            if keyword.arg is None or not isinstance(value, (bool, int, str)):
                raise UnsafeExpression("only literal keyword arguments are allowed")
            keywords[keyword.arg] = value
        if not build:
            return _Unbuilt()
        try:
            return CONSTRUCTORS[node.func.id](*args, **keywords)
        except (TypeError, ValueError) as error:
            raise UnsafeExpression(f"{node.func.id}(...) rejected: {error}") from None
    where = f" at column {node.col_offset}" if hasattr(node, "col_offset") else ""
    name = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        else getattr(node, "id", type(node).__name__)
    raise UnsafeExpression(f"{name!r}{where} is not an allowed SymPy constructor or literal")


def to_data(value: object) -> object:
    """JSON data for a tree of frozen dataclasses, dicts, tuples, SymPy objects and literals."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"dataclass": type(value).__name__,
                "fields": {f.name: to_data(getattr(value, f.name))
                           for f in dataclasses.fields(value)}}
    if isinstance(value, sp.Basic):
        return {"sympy": to_text(value)}
    if isinstance(value, dict):
        return {"dict": [[to_data(k), to_data(v)] for k, v in value.items()]}
    if isinstance(value, (tuple, list)):
        return {"tuple": [to_data(v) for v in value]}
    if isinstance(value, enum.Enum):
        return {"enum": f"{type(value).__name__}.{value.name}"}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__}")


def from_data(data: object, types: dict[str, type]) -> object:
    """The value :func:`to_data` made; dataclasses and enums only of the named ``types``."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, dict) and len(data) == 1:
        (kind, content), = data.items()
        if kind == "enum" and isinstance(content, str) and content.count(".") == 1:
            owner, member = content.split(".")
            if owner in types and issubclass(types[owner], enum.Enum) \
                    and member in types[owner].__members__:
                return types[owner][member]
        if kind == "sympy" and isinstance(content, str):
            return from_text(content)
        if kind == "tuple" and isinstance(content, list):
            return tuple(from_data(v, types) for v in content)
        if kind == "dict" and isinstance(content, list):
            return {from_data(k, types): from_data(v, types) for k, v in content}
    if isinstance(data, dict) and set(data) == {"dataclass", "fields"} \
            and data["dataclass"] in types and dataclasses.is_dataclass(types[data["dataclass"]]) \
            and isinstance(data["fields"], dict):
        cls = types[data["dataclass"]]
        names = {f.name for f in dataclasses.fields(cls)}
        if set(data["fields"]) != names:
            raise UnsafeExpression(f"{cls.__name__}: unexpected fields")
        return cls(**{k: from_data(v, types) for k, v in data["fields"].items()})
    raise UnsafeExpression("not stored data of an allowed type")
