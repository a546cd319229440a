"""Safe reader for model-file expressions: text -> SymPy, and nothing in the text is run.

Model files are TOML that researchers download and share, so their formulas
(``cost = "6*n*d/E"``) are data, never code.  :func:`read_expression` parses the text
with ``ast.parse`` (parsing runs nothing) and builds the SymPy expression itself from
a whitelist; no ``eval``, ``exec``, ``compile`` to code, ``sympify`` or SymPy parser:

- numbers: integer literals, and decimal literals read exactly from their source text
  (``0.3`` -> 3/10, ``1e-12`` -> 10^-12), so no Python float reaches SymPy;
- names declared in ``symbols``;
- unary ``+ -``, binary ``+ - * /`` and ``**``, parentheses;
- calls by plain name with positional arguments: ``log exp sqrt`` (one argument),
  ``min max`` (``Min``/``Max``, 2 to ``MAX_MINMAX_ARGS``), and the caller's ``functions``.

Anything else is refused with :class:`ExpressionError`, which names the offending
token, its line and column (1-based) in the text, and the field.  The first offence
in reading order is named, except that a dunder (``__import__``, ``.__class__``) is
named before any other.

Hostile text may not exhaust time or memory either.  Besides ``MAX_CHARS`` (checked
before parsing) and ``MAX_DEPTH`` (sums and products are flat chains, not nesting):
literals have at most ``MAX_DIGITS`` digits; every number built, intermediate ones
included, has numerator and denominator at most ``MAX_MAGNITUDE``; every numeric
exponent ``|e| <= MAX_EXPONENT`` (``n**10**10`` is refused without building
``10**(10**10)``: sizes are estimated from bit lengths before SymPy computes a power);
numbers under a root (``sqrt(2)``, ``2**0.5``, ``exp(log(2)/2)``) have at most
``MAX_ROOT_DIGITS`` digits, summed over one product (SymPy merges ``sqrt(2)*sqrt(3)``);
``min``/``max`` compare at most ``MAX_COMPARISONS`` pairs of arguments in all.
A caller's ``functions`` run with built SymPy arguments and are trusted.
"""

from __future__ import annotations

import ast
import inspect
import re
import warnings
from collections.abc import Callable, Mapping
from typing import NoReturn
from unicodedata import normalize

import sympy as sp

from ..errors import InputError

#: Longest expression text, checked before parsing (a deeper text could exhaust the parser).
MAX_CHARS = 10_000
#: Deepest nesting of operations and calls (a chain ``a + b - c`` or ``a*b/c`` is one level).
MAX_DEPTH = 64
#: Most digits in one numeric literal as written.
MAX_DIGITS = 400
#: Largest |e| of a numeric exponent, and of any number inside a symbolic exponent.
MAX_EXPONENT = 1000
#: Largest numerator and denominator of any number the reader builds.
MAX_MAGNITUDE = 10**1000
#: Most digits of the numbers under non-integer powers within one product.
MAX_ROOT_DIGITS = 40
#: Most arguments of one min or max (nested min(min(...)) flattened).
MAX_MINMAX_ARGS = 8
#: Most pairs of arguments that all the min and max of one expression compare.
MAX_COMPARISONS = 64
#: Highest degree of a sum that is a polynomial in one symbol (SymPy finds its sign from
#: the real roots of its derivative).
MAX_POLY_DEGREE = 16

_MAGNITUDE_BITS = MAX_MAGNITUDE.bit_length()
#: Most bits of an integer SymPy may compute on the way to a power of a number.
_WORK_BITS = 1 << 17

#: Built-in functions: name -> (fewest, most) positional arguments.
ARITY: dict[str, tuple[int, int]] = {
    "log": (1, 1), "exp": (1, 1), "sqrt": (1, 1),
    "min": (2, MAX_MINMAX_ARGS), "max": (2, MAX_MINMAX_ARGS),
}
_ADDITIVE = (ast.Add, ast.Sub)
_MULTIPLICATIVE = (ast.Mult, ast.Div)
_ALLOWED = (ast.Constant, ast.Name, ast.UnaryOp, ast.BinOp, ast.Call)
#: Refused binary operators: spelling and reason.
_OPERATORS: dict[type, tuple[str, str]] = {
    ast.BitXor: ("^", "'^' is bitwise xor in Python; write powers with '**'"),
    ast.FloorDiv: ("//", "floor division is not allowed; write '/' for exact division"),
    ast.Mod: ("%", "the remainder operator is not allowed"),
    ast.MatMult: ("@", "the matrix product is not allowed"),
    ast.BitAnd: ("&", "bit operations are not allowed"),
    ast.BitOr: ("|", "bit operations are not allowed"),
    ast.LShift: ("<<", "bit operations are not allowed"),
    ast.RShift: (">>", "bit operations are not allowed"),
}
#: Refused syntax, by node type: what it is called in messages.
_KINDS: dict[type, str] = {
    ast.Attribute: "attribute access", ast.Subscript: "subscript", ast.Lambda: "lambda",
    ast.ListComp: "comprehension", ast.SetComp: "comprehension",
    ast.DictComp: "comprehension", ast.GeneratorExp: "comprehension",
    ast.List: "list", ast.Tuple: "tuple", ast.Set: "set", ast.Dict: "dict",
    ast.Compare: "comparison", ast.BoolOp: "boolean operator",
    ast.IfExp: "conditional expression", ast.NamedExpr: "assignment expression",
    ast.JoinedStr: "f-string", ast.FormattedValue: "f-string", ast.Starred: "starred argument",
    ast.Slice: "slice", ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield",
}
#: Refused syntax whose token sits between two children: (first child, second child).
_BETWEEN: dict[type, Callable[[ast.AST], tuple[ast.AST, ast.AST]]] = {
    ast.BinOp: lambda node: (node.left, node.right),
    ast.Compare: lambda node: (node.left, node.comparators[0]),
    ast.BoolOp: lambda node: (node.values[0], node.values[1]),
    ast.IfExp: lambda node: (node.body, node.test),
    ast.NamedExpr: lambda node: (node.target, node.value),
    ast.Attribute: lambda node: (node.value, node),
}
_CONSTANTS: dict[type, str] = {
    bool: "True/False is not a number", complex: "complex numbers are not allowed",
    str: "strings are not allowed", bytes: "bytes are not allowed",
    type(None): "None is not a number", type(...): "'...' is not a number",
}
_UNBOUNDED = (sp.core.numbers.ComplexInfinity, sp.core.numbers.Infinity,
              sp.core.numbers.NegativeInfinity, sp.core.numbers.NaN)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TOKEN = re.compile(rb"is not|not in|[A-Za-z_]\w*|[<>=!:]=|\*\*|//|<<|>>|\S")


class ExpressionError(InputError, ValueError):
    """A model-file expression the reader refuses: message names the offending token, its
    line and column (1-based) within the expression text, and the field if given."""

    def __init__(self, reason: str, *, token: str | None = None, line: int | None = None,
                 column: int | None = None, field: str = "") -> None:
        where = f"{field}: " if field else ""
        if token is None:
            message = f"{where}{reason}"
        else:
            message = f"{where}refused {token!r} at line {line}, column {column}: {reason}"
        super().__init__(message)
        self.reason, self.token, self.line, self.column, self.field = \
            reason, token, line, column, field


def read_expression(text: str, symbols: Mapping[str, sp.Symbol], *, field: str = "",
                    functions: Mapping[str, Callable] | None = None) -> sp.Expr:
    """The SymPy expression ``text`` writes over ``symbols``, built without running it."""
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be text, not {type(text).__name__}",
                              field=field)
    names = _names(symbols, functions or {}, field)
    source = _Source(text, field)
    if len(text) > MAX_CHARS:
        source.refuse_at(MAX_CHARS, f"the text is longer than {MAX_CHARS} characters")
    tree = source.parse()
    _Survey(source, *names).run(tree)
    return _Builder(source, *names).build(tree)


def _names(symbols: Mapping[str, sp.Symbol], functions: Mapping[str, Callable],
           field: str) -> tuple[dict[str, sp.Symbol], dict[str, Callable | None]]:
    """Symbol and function tables keyed as Python spells identifiers (NFKC), checked apart."""
    table: dict[str, sp.Symbol] = {}
    calls: dict[str, Callable | None] = dict.fromkeys(ARITY)
    for name, function in functions.items():
        if not callable(function):
            raise TypeError(f"function {name!r} is not callable")
        if name in calls:
            raise ExpressionError(f"function name {name!r} is declared twice", field=field)
        calls[name] = function
    for name, symbol in symbols.items():
        if not isinstance(symbol, sp.Symbol):
            raise TypeError(f"symbol {name!r} is a {type(symbol).__name__}, not a sp.Symbol")
        key = normalize("NFKC", name)
        if key.startswith("__"):
            raise ExpressionError(f"symbol name {name!r} starts with '__'", field=field)
        if key in calls or key in table:
            raise ExpressionError(f"name {name!r} is declared twice (symbols and functions "
                                  "share one namespace)", field=field)
        table[key] = symbol
    return table, calls


class _Source:
    """The text, its lines as UTF-8 bytes (ast columns count bytes), and refusals."""

    def __init__(self, text: str, field: str) -> None:
        self.text, self.field = text, field
        self.body = text.lstrip()  # ast.parse refuses leading blanks; positions stay the text's
        self.skipped = len(text) - len(self.body)
        breaks = list(_LINE_BREAK.finditer(text[:self.skipped]))
        self.lines_skipped = len(breaks)
        self.shift = self.skipped - (breaks[-1].end() if breaks else 0)

    def parse(self) -> ast.Expression:
        if "\0" in self.text:
            self.refuse_at(self.text.index("\0"), "null characters are not allowed")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(self.body, mode="eval")
        except SyntaxError as error:
            self._refuse_syntax(error)
        except UnicodeError as error:
            self.refuse_at(self.skipped + getattr(error, "start", 0), "not valid text")
        except (RecursionError, MemoryError, ValueError):
            self.refuse_at(self.skipped, "nested too deeply, or a chain too long, for the parser")
        self.lines = [line.encode() for line in _LINE_BREAK.split(self.body)]
        return tree

    def _refuse_syntax(self, error: SyntaxError) -> NoReturn:
        starts = [0] + [match.end() for match in _LINE_BREAK.finditer(self.body)]
        line = min(max(error.lineno or len(starts), 1), len(starts))
        text = _LINE_BREAK.split(self.body)[line - 1]
        offset = error.offset or 0
        column = offset - 1 if 1 <= offset <= len(text) else len(text)
        self.refuse_at(self.skipped + starts[line - 1] + column,
                       f"not an expression ({error.msg})")

    def refuse_at(self, index: int, reason: str) -> NoReturn:
        """Refuse the token at character ``index`` of the text."""
        before = self.text[:index]
        breaks = list(_LINE_BREAK.finditer(before))
        column = index - (breaks[-1].end() if breaks else 0) + 1
        match = re.match(r"\w+|\S", self.text[index:index + 40])
        token = match.group() if match else \
            "end of line" if self.text[index:].strip() else "end of text"
        raise ExpressionError(reason, token=token, line=len(breaks) + 1, column=column,
                              field=self.field)

    def refuse(self, node: ast.AST, reason: str, token: str | None = None,
               at: tuple[int, int] | None = None) -> NoReturn:
        """Refuse ``node``: its own token unless ``token`` is given, at ``at`` (ast line and
        byte column) or at the node's start."""
        line, offset = at or (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
        if token is None:
            token = self.segment(node)
        column = len(self.lines[line - 1][:offset].decode(errors="ignore")) + 1 \
            + (self.shift if line == 1 else 0)
        line += self.lines_skipped
        raise ExpressionError(reason, token=_short(token), line=line, column=column,
                              field=self.field)

    def segment(self, node: ast.AST) -> str:
        """The node's source text."""
        first, last = node.lineno - 1, node.end_lineno - 1
        if first == last:
            return self.lines[first][node.col_offset:node.end_col_offset].decode(errors="replace")
        parts = [self.lines[first][node.col_offset:], *self.lines[first + 1:last],
                 self.lines[last][:node.end_col_offset]]
        return b"\n".join(parts).decode(errors="replace")

    def after(self, node: ast.AST) -> tuple[int, int]:
        """Line and byte column of the first token after ``node`` (blanks, parentheses,
        comments and line continuations skipped)."""
        line, column = node.end_lineno, node.end_col_offset
        while line <= len(self.lines):
            text = self.lines[line - 1]
            while column < len(text) and text[column:column + 1] != b"#":
                if text[column:column + 1] not in b" \t\f\\()":
                    return line, column
                column += 1
            line, column = line + 1, 0
        return node.end_lineno, node.end_col_offset

    def token_after(self, node: ast.AST) -> tuple[str, tuple[int, int]]:
        line, column = self.after(node)
        match = _TOKEN.match(self.lines[line - 1], column)
        return (match.group().decode() if match else ""), (line, column)


def _short(token: str) -> str:
    return token if len(token) <= 40 else token[:37] + "..."


def _is_dunder(name: str) -> bool:
    return name.startswith("__")


class _Survey:
    """Walks the whole tree once, without recursion, and refuses the first offence in
    reading order (a dunder first): syntax, names, arities, literal digits, depth."""

    def __init__(self, source: _Source, symbols: Mapping[str, sp.Symbol],
                 functions: Mapping[str, Callable | None]) -> None:
        self.source, self.symbols, self.functions = source, symbols, functions
        self.offences: list[tuple] = []

    def run(self, tree: ast.Expression) -> None:
        stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                self._offend(node, False, f"nested deeper than {MAX_DEPTH} levels")
                continue
            children = self._visit(node)
            for child in reversed(children):
                chained = isinstance(node, ast.BinOp) and child is node.left and \
                    isinstance(child, ast.BinOp) and any(
                        isinstance(node.op, group) and isinstance(child.op, group)
                        for group in (_ADDITIVE, _MULTIPLICATIVE))
                stack.append((child, depth if chained else depth + 1))
        if self.offences:
            _, node, reason, token, position = min(self.offences, key=lambda o: o[0])
            self.source.refuse(node, reason, token, position)

    def _offend(self, node: ast.AST, dunder: bool, reason: str, token: str | None = None,
                at: Callable[[], tuple[str, tuple[int, int]]] | None = None) -> None:
        """Record an offence, ordered by dunder first, then its token's position."""
        spelled, position = at() if at else (token, None)
        line, column = position or (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
        self.offences.append(((not dunder, line, column, len(self.offences)), node, reason,
                              spelled if token is None else token, position))

    def _visit(self, node: ast.AST) -> list[ast.AST]:
        """Record ``node``'s offences; the children to walk."""
        children = [child for child in ast.iter_child_nodes(node)
                    if not isinstance(child, (ast.expr_context, ast.operator, ast.unaryop,
                                              ast.cmpop, ast.boolop))]
        if isinstance(node, ast.Constant):
            self._constant(node)
        elif isinstance(node, ast.Name):
            self._name(node)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.UAdd, ast.USub)):
                self._offend(node, False, "only unary + and - are allowed",
                             "not" if isinstance(node.op, ast.Not) else "~")
        elif isinstance(node, ast.BinOp):
            if type(node.op) in _OPERATORS:
                token, reason = _OPERATORS[type(node.op)]
                self._offend(node, False, reason, token,
                             lambda: self.source.token_after(node.left))
        elif isinstance(node, ast.Call):
            children = self._call(node, children)
        elif isinstance(node, ast.keyword):
            token = "**" if node.arg is None else f"{node.arg}="
            self._offend(node, False, "keyword arguments are not allowed", token)
        elif isinstance(node, ast.expr):
            self._refused_syntax(node)
        return children

    def _refused_syntax(self, node: ast.expr) -> None:
        kind = _KINDS.get(type(node), type(node).__name__)
        reason = f"{kind} is not allowed"
        if isinstance(node, ast.Attribute):
            def dot() -> tuple[str, tuple[int, int]]:
                return f".{node.attr}", self.source.after(node.value)
            self._offend(node, _is_dunder(node.attr), reason, f".{node.attr}", dot)
        elif type(node) in _BETWEEN:
            first = _BETWEEN[type(node)](node)[0]
            self._offend(node, False, reason, at=lambda: self.source.token_after(first))
        elif isinstance(node, ast.Lambda):
            self._offend(node, False, reason, "lambda")
        elif isinstance(node, ast.Starred):
            self._offend(node, False, reason, "*")
        else:
            self._offend(node, False, reason)

    def _constant(self, node: ast.Constant) -> None:
        value = node.value
        if type(value) in _CONSTANTS:
            self._offend(node, False, _CONSTANTS[type(value)])
            return
        written = self.source.segment(node).replace("_", "")
        digits = written[2:] if written[1:2] in ("x", "X", "o", "O", "b", "B") else \
            re.sub(r"[eE].*$|\.", "", written)
        if len(digits) > MAX_DIGITS:
            self._offend(node, False, f"a literal has more than {MAX_DIGITS} digits")

    def _name(self, node: ast.Name) -> None:
        if _is_dunder(node.id):
            self._offend(node, True, "dunder names are not allowed", node.id)
        elif not isinstance(node.ctx, ast.Load):
            pass  # a target inside := or a comprehension, refused there
        elif node.id in self.functions:
            self._offend(node, False, f"function {node.id!r} must be called", node.id)
        elif node.id not in self.symbols:
            self._offend(node, False, f"name {node.id!r} is not declared", node.id)

    def _call(self, node: ast.Call, children: list[ast.AST]) -> list[ast.AST]:
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, _ALLOWED):
                self._offend(node, False, "only functions called by name are allowed",
                             self.source.segment(func))
            return children
        name, count = func.id, len(node.args)
        if _is_dunder(name):
            self._offend(func, True, "dunder names are not allowed", name)
        elif name in self.symbols:
            self._offend(func, False, f"{name!r} is a symbol, not a function", name)
        elif name not in self.functions:
            self._offend(func, False, f"function {name!r} is not known", name)
        elif not node.keywords and not any(isinstance(arg, ast.Starred) for arg in node.args) \
                and not _accepts(name, self.functions[name], count):
            self._offend(func, False, f"{name} cannot take {count} argument(s)", name)
        return [child for child in children if child is not func]


def _accepts(name: str, function: Callable | None, count: int) -> bool:
    if function is None:
        fewest, most = ARITY[name]
        return fewest <= count <= most
    try:
        inspect.signature(function).bind(*range(count))
    except TypeError:
        return False
    except ValueError:  # no signature to inspect: the call itself decides
        pass
    return True


def _bits(number: sp.Rational) -> int:
    """A lower bound on log2 of the larger of |numerator| and denominator."""
    return max(abs(int(number.p)).bit_length(), int(number.q).bit_length()) - 1


def _digits(number: sp.Rational) -> int:
    return len(str(abs(int(number.p)))) + (len(str(int(number.q))) if number.q != 1 else 0)


def _work(number: sp.Rational, power: sp.Rational) -> int:
    """Bits of the largest integer SymPy may compute for number**power: (p/q)**(a/b) is
    p**(a/b) * q**((b - a)/b) / q, whose integer parts take up to a and b times the bits."""
    p, q, a, b = abs(int(number.p)), int(number.q), int(power.p), int(power.q)
    if a < 0:
        p, q, a = q, p, -a
    return (p.bit_length() + q.bit_length()) * a + (q.bit_length() * b if b > 1 < q else 0)


def _spread(power: sp.Expr) -> sp.Rational:
    """How far a symbolic exponent can scale a number once its symbols cancel: the sum of
    the magnitudes of its numbers (at least 1)."""
    return max(sp.S.One, sum((abs(r) for r in power.atoms(sp.Rational)), sp.S.Zero))


def _numeric_parts(base: sp.Expr) -> list[tuple[sp.Rational, sp.Expr]]:
    """(r, m) for each factor r**m of ``base`` with a number r (a power distributes over)."""
    parts = []
    for factor in sp.Mul.make_args(base):
        if factor.is_Rational:
            parts.append((factor, sp.S.One))
        elif factor.is_Pow and factor.base.is_Rational:
            parts.append((factor.base, factor.exp))
    return parts


class _Builder:
    """Builds the surveyed tree bottom-up with SymPy's constructors, bounding every
    number before SymPy computes it and checking every result."""

    def __init__(self, source: _Source, symbols: Mapping[str, sp.Symbol],
                 functions: Mapping[str, Callable | None]) -> None:
        self.source, self.symbols, self.functions = source, symbols, functions
        self.comparisons = 0
        self.checked: set[sp.Basic] = set()
        self.degrees: dict[sp.Expr, int] = {}

    def build(self, tree: ast.Expression) -> sp.Expr:
        return self._build(tree.body)

    def _build(self, node: ast.expr) -> sp.Expr:
        if isinstance(node, ast.Constant):
            return self._check(node, lambda: self._number(node))
        if isinstance(node, ast.Name):
            return self.symbols[node.id]
        if isinstance(node, ast.UnaryOp):
            operand = self._build(node.operand)
            return operand if isinstance(node.op, ast.UAdd) else \
                self._check(node, lambda: -operand)
        if isinstance(node, ast.BinOp) and isinstance(node.op, _ADDITIVE):
            return self._sum(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, _MULTIPLICATIVE):
            return self._product(node)
        if isinstance(node, ast.BinOp):
            return self._power(node, self._build(node.left), self._build(node.right))
        return self._call(node)

    def _number(self, node: ast.Constant) -> sp.Rational:
        if isinstance(node.value, int):
            return sp.Integer(node.value)
        mantissa, _, exponent = self.source.segment(node).replace("_", "").lower() \
            .partition("e")
        whole, _, fraction = mantissa.partition(".")
        if len(exponent.lstrip("+-0")) > len(str(MAX_EXPONENT)) \
                or abs(int(exponent or 0)) > MAX_EXPONENT:
            self.source.refuse(node, f"a decimal exponent beyond {MAX_EXPONENT}")
        scale = int(exponent or 0) - len(fraction)
        numerator = int(whole + fraction or "0")
        if scale >= 0:
            return sp.Integer(numerator * 10**scale)
        return sp.Rational(numerator, 10**-scale)

    @staticmethod
    def _chain(node: ast.BinOp, group: tuple[type, ...]) -> list[tuple[ast.BinOp | None,
                                                                       ast.expr]]:
        """``a - b + c`` as [(None, a), (op node, b), (op node, c)], without recursion."""
        items: list[tuple[ast.BinOp | None, ast.expr]] = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, group):
            items.append((node, node.right))
            node = node.left
        items.append((None, node))
        return items[::-1]

    def _sum(self, node: ast.BinOp) -> sp.Expr:
        """Terms grouped by their non-numeric part, coefficients summed exactly here."""
        coefficients: dict[sp.Expr, sp.Rational] = {}
        for operation, operand in self._chain(node, _ADDITIVE):
            term = self._build(operand)
            if operation is not None and isinstance(operation.op, ast.Sub):
                term = self._check(operation, lambda term=term: -term)
            for part in sp.Add.make_args(term):
                coefficient, rest = part.as_coeff_Mul()
                total = coefficients.get(rest, sp.S.Zero) + coefficient
                self._bound(operation or node, total, "a sum")
                coefficients[rest] = total
        return self._check(node, lambda: sp.Add(*(c * rest for rest, c in
                                                   coefficients.items())))

    def _product(self, node: ast.BinOp) -> sp.Expr:
        """The numeric coefficient multiplied exactly here; the powers SymPy will merge
        (same base: exponents added; same exponent: bases multiplied) admitted first."""
        coefficient, rests = sp.S.One, []
        for operation, operand in self._chain(node, _MULTIPLICATIVE):
            factor = self._build(operand)
            if operation is not None and isinstance(operation.op, ast.Div):
                if factor.is_zero:
                    self._refuse_operator(operation, "division by zero")
                factor = self._power(operation, factor, sp.S.NegativeOne)
            for part in sp.Mul.make_args(factor):
                if part.is_Rational:
                    coefficient *= part
                    self._bound(operation or node, coefficient, "a product")
                else:
                    rests.append(part)
        by_base: dict[sp.Expr, list[sp.Expr]] = {}
        by_exponent: dict[sp.Expr, list[sp.Rational]] = {}
        for part in rests:
            if isinstance(part, sp.exp):
                by_base.setdefault(sp.E, []).append(part.args[0])
            elif part.is_Pow and part.base.is_Rational:
                by_base.setdefault(part.base, []).append(part.exp)
                by_exponent.setdefault(part.exp, []).append(part.base)
        for base, exponents in by_base.items():
            if base is sp.E:
                self._admit_exp(node, sp.Add(*exponents))
            elif len(exponents) > 1:
                self._admit_numbers(node, [(base, sp.Add(*exponents))])
        roots = [(r, power) for power, bases in by_exponent.items() for r in bases]
        self._admit_numbers(node, roots)
        for power, bases in by_exponent.items():
            if len(bases) > 1 and power.is_Rational:
                self._admit_numbers(node, [(sp.Mul(*bases), power)])
        return self._check(node, lambda: sp.Mul(coefficient, *rests))

    def _power(self, node: ast.AST, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        """base**exponent, refused when the numbers SymPy would compute are too large."""
        if exponent.is_Number and abs(exponent) > MAX_EXPONENT:
            self._refuse_operator(node, f"exponent {_short(str(exponent))} is beyond "
                                  f"{MAX_EXPONENT} in magnitude")
        if any(abs(r) > MAX_EXPONENT for r in exponent.atoms(sp.Rational)):
            self._refuse_operator(node, f"a number in the exponent is beyond {MAX_EXPONENT} "
                                  "in magnitude")
        self._admit_constant(node, exponent)
        self._admit_numbers(node, [(r, m * exponent) for r, m in _numeric_parts(base)])
        if not exponent.is_Integer and not base.free_symbols and base.is_Add \
                and sum(_digits(r) for r in base.atoms(sp.Rational)) > MAX_ROOT_DIGITS:
            self._refuse_operator(node, f"a root of a constant with more than "
                                  f"{MAX_ROOT_DIGITS} digits")  # sqrt(a + b*I) factors a, b
        for factor in sp.Mul.make_args(base):
            if isinstance(factor, sp.exp):  # exp(x)**y is exp(x*y)
                self._admit_exp(node, factor.args[0] * exponent)
        return self._check(node, lambda: sp.Pow(base, exponent))

    def _admit_numbers(self, node: ast.AST, powers: list[tuple[sp.Rational, sp.Expr]]) -> None:
        """Refuse unless SymPy can evaluate the product of r**w over ``powers`` cheaply:
        its size within MAX_MAGNITUDE, its intermediate integers within _WORK_BITS, and
        the numbers it takes roots of within MAX_ROOT_DIGITS digits."""
        size = work = roots = 0
        for number, power in powers:
            if power.is_Rational:
                size += _bits(number) * abs(power)
                work += _work(number, power)
                roots += 0 if power.is_Integer else _digits(number)
            else:
                size += _bits(number) * _spread(power)
                roots += _digits(number)
        if size > _MAGNITUDE_BITS:
            self._refuse_operator(node, f"the power exceeds {_magnitude()} in magnitude")
        if work > _WORK_BITS:
            self._refuse_operator(node, "a root SymPy would compute at length")
        if roots > MAX_ROOT_DIGITS:
            self._refuse_operator(node, f"roots of numbers of more than {MAX_ROOT_DIGITS} "
                                  "digits in all")

    def _admit_exp(self, node: ast.AST, argument: sp.Expr) -> None:
        """exp(c log x) is x**c in SymPy: admit those powers first."""
        powers = []
        for term in sp.Add.make_args(argument):
            coefficient, rest = term.as_coeff_Mul()
            if rest.has(sp.log):
                if abs(coefficient) > MAX_EXPONENT:
                    self.source.refuse(node, f"exp of a logarithm times more than "
                                       f"{MAX_EXPONENT}")
                powers += [(r, m * coefficient) for log in rest.atoms(sp.log)
                           for r, m in _numeric_parts(log.args[0])]
        self._admit_numbers(node, powers)

    def _admit_constant(self, node: ast.AST, exponent: sp.Expr) -> None:
        """A constant exponent that is no number (2**sqrt(2), exp(pi)) has |value| at most
        MAX_EXPONENT, so that no tower of constants reaches SymPy's numeric evaluation."""
        if exponent.is_Number or exponent.free_symbols:
            return
        value = exponent.evalf(15)
        if not value.is_Number or abs(value) > MAX_EXPONENT:
            self._refuse_operator(node, f"a constant exponent beyond {MAX_EXPONENT} in "
                                  "magnitude")

    def _exp(self, node: ast.Call, argument: sp.Expr) -> sp.Expr:
        if not argument.free_symbols and \
                (not argument.is_Number or abs(argument) > MAX_EXPONENT):
            self._admit_constant(node, argument)
            if argument.is_Number:
                self.source.refuse(node, f"exp of a number beyond {MAX_EXPONENT}")
        self._admit_exp(node, argument)
        return self._check(node, lambda: sp.exp(argument))

    def _extremum(self, node: ast.Call, kind: type, args: list[sp.Expr]) -> sp.Expr:
        count = sum(len(a.args) if isinstance(a, kind) else 1 for a in args)
        self.comparisons += count * (count - 1) // 2
        if count > MAX_MINMAX_ARGS:
            self.source.refuse(node, f"more than {MAX_MINMAX_ARGS} arguments to compare")
        if self.comparisons > MAX_COMPARISONS:
            self.source.refuse(node, f"min and max compare more than {MAX_COMPARISONS} "
                               "pairs of arguments")
        return self._check(node, lambda: kind(*args))

    def _call(self, node: ast.Call) -> sp.Expr:
        name = node.func.id
        args = [self._build(arg) for arg in node.args]
        if name != "sqrt" and any(not arg.free_symbols
                                  and arg.atoms(sp.Function, sp.Min, sp.Max) for arg in args):
            self.source.refuse(node, "a function of a constant that itself calls a function "
                               "is not allowed (SymPy may evaluate it at length)")
        function = self.functions[name]
        if function is not None:
            return self._check(node, lambda: function(*args), trusted=name)
        if name == "log":
            return self._check(node, lambda: sp.log(args[0]))
        if name == "exp":
            return self._exp(node, args[0])
        if name == "sqrt":
            return self._power(node, args[0], sp.S.Half)
        return self._extremum(node, sp.Min if name == "min" else sp.Max, args)

    def _bound(self, node: ast.AST, number: sp.Rational, what: str) -> None:
        if abs(number.p) > MAX_MAGNITUDE or number.q > MAX_MAGNITUDE:
            self._refuse_operator(node, f"{what} builds a number beyond {_magnitude()}")

    def _refuse_operator(self, node: ast.AST, reason: str) -> NoReturn:
        if isinstance(node, ast.BinOp):
            token, position = self.source.token_after(node.left)
            self.source.refuse(node, reason, token, position)
        self.source.refuse(node, reason)

    def _check(self, node: ast.AST, construct: Callable[[], object],
               trusted: str = "") -> sp.Expr:
        """The constructed expression, refused unless every number in it is finite and
        bounded and every numeric exponent is at most MAX_EXPONENT."""
        try:
            expr = construct()
        except ExpressionError:
            raise
        except Exception as error:  # noqa: BLE001 - SymPy's refusal becomes the reader's
            self.source.refuse(node, f"it cannot be built ({type(error).__name__}: "
                               f"{_short(str(error))})")
        if not isinstance(expr, sp.Expr):
            if trusted:
                raise TypeError(f"function {trusted!r} returned a {type(expr).__name__}, "
                                "not a SymPy expression")
            self.source.refuse(node, "does not build a scalar expression")
        stack = [expr]
        while stack:
            part = stack.pop()
            if part in self.checked:
                continue
            if isinstance(part, _UNBOUNDED):
                self.source.refuse(node, "divides by zero or builds an infinite or "
                                   "undefined value")
            if part.is_Rational:
                self._bound(node, part, "it")
            if part.is_Pow and part.exp.is_Number and abs(part.exp) > MAX_EXPONENT:
                self.source.refuse(node, f"builds a power with an exponent beyond "
                                   f"{MAX_EXPONENT} in magnitude")
            if part.is_Add and len(part.free_symbols) == 1 \
                    and self._degree(part) > MAX_POLY_DEGREE:
                self.source.refuse(node, f"builds a polynomial of degree beyond "
                                   f"{MAX_POLY_DEGREE} in one symbol")
            self.checked.add(part)
            stack.extend(part.args)
        return expr


    def _degree(self, expr: sp.Expr) -> int:
        """An upper bound on the degree of ``expr`` as a polynomial in its symbols (a
        function of them counts as degree 1)."""
        if expr not in self.degrees:
            if not expr.free_symbols:
                degree = 0
            elif expr.is_Symbol:
                degree = 1
            elif expr.is_Add:
                degree = max(self._degree(a) for a in expr.args)
            elif expr.is_Mul:
                degree = sum(self._degree(a) for a in expr.args)
            elif expr.is_Pow and expr.exp.is_Rational:
                degree = self._degree(expr.base) * int(sp.ceiling(abs(expr.exp)))
            else:
                degree = 1
            self.degrees[expr] = degree
        return self.degrees[expr]


def _magnitude() -> str:
    return f"10**{len(str(MAX_MAGNITUDE)) - 1}"
