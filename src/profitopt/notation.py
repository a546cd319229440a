"""How SymPy expressions and plain text enter LaTeX: the one map of overrides."""

from __future__ import annotations

import re

import sympy as sp

from .derivations.text import number_latex  # noqa: F401  (one formatter for records and report)
from sympy.printing.latex import LatexPrinter

#: Symbols whose LaTeX differs from SymPy's default printing of their names.
LATEX_NAMES: dict[str, str] = {
    "log_E": r"\log E",
    "log_D": r"\log D",
    "log_a": r"\log a",
    "log_b": r"\log b",
    "log_omega": r"\log \omega",
    "log_delta": r"\log \delta",
}

#: Characters that must be escaped in LaTeX text mode.
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_TEXT_PATTERN = re.compile("|".join(re.escape(k) for k in _TEXT_ESCAPES))


def _as_paper_function(expr: sp.Basic) -> sp.Basic:
    """demand_exp(L, gamma) is printed as f_gamma(e^L), i.e. f_gamma(q) when L = log q."""
    from .symbolic.demand import demand_exp

    return expr.replace(
        lambda e: isinstance(e, demand_exp),
        lambda e: sp.Function(f"f_{{{sp.latex(e.args[1])}}}")(sp.exp(e.args[0])))


#: How asymptotic statements are typeset, everywhere in the appendix.
ORDER_SYMBOLS = {"O": r"\mathcal{O}", "Theta": r"\Theta"}


def order_latex(order: str, expr: sp.Basic) -> str:
    """O(expr) or Theta(expr) in the appendix's single style; plain LaTeX without an order."""
    inner = to_latex(expr)
    if not order:
        return inner
    return rf"{ORDER_SYMBOLS[order]}\left({inner}\right)"


#: A word of two or more letters inside a symbol's sub- or superscript (n_{peak}, C_{train}).
_SCRIPT_WORD = re.compile(r"(?<=[{,])([A-Za-z]{2,})(?=[},])")


def _symbol_latex(symbol: sp.Symbol) -> str:
    """A symbol's LaTeX: the override map, else SymPy's, with words in its scripts upright."""
    if symbol.name in LATEX_NAMES:
        return LATEX_NAMES[symbol.name]
    return _SCRIPT_WORD.sub(r"\\mathrm{\1}", sp.latex(symbol))


class _PaperPrinter(LatexPrinter):
    """SymPy's LaTeX printer, with exp of a fraction as \\exp(...) rather than a tall e^{...}."""

    def _print_ExpBase(self, expr, exp=None):
        argument = self._print(expr.args[0])
        if r"\frac" not in argument:
            return super()._print_ExpBase(expr, exp)
        return self._do_exponent(rf"\exp\left({argument}\right)", exp)


def to_latex(expr: sp.Basic) -> str:
    """LaTeX of a SymPy expression in the paper's notation."""
    expr = _as_paper_function(expr)
    names = {s: _symbol_latex(s) for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    return _PaperPrinter({"symbol_names": names, "ln_notation": False}).doprint(expr)


def escape_text(text: str) -> str:
    """Plain text made safe for LaTeX text mode."""
    return _TEXT_PATTERN.sub(lambda m: _TEXT_ESCAPES[m.group(0)], str(text))


def text_math(text: str) -> str:
    """A record's human text: LaTeX text mode with its mathematics in $...$, used as it is."""
    return str(text)


def identifier(text: str) -> str:
    r"""An id for \texttt: escaped, with a permitted line break after every - / _ ."""
    return re.sub(r"(-|/|\\_)", r"\1\\allowbreak{}", escape_text(text))


# --- displays ------------------------------------------------------------------------------
#
# The appendix decides in TeX whether a display fits its line (\profitoptdisplay measures
# it), so a short equation is never split, whatever the host's line width.  Python only
# proposes where a long one may break: at its relation, then at top-level signs (or
# between the factors of a top-level product), grouped by an estimate of the printed width.

#: Relations a display may break after, as printed by SymPy.
RELATIONS: dict[type, str] = {sp.Eq: "=", sp.Lt: "<", sp.Gt: ">", sp.Le: r"\leq",
                              sp.Ge: r"\geq", sp.Ne: r"\neq"}
#: Target width of one broken line, in em of the text font (a 345 pt line is 34.5 em).
LINE_EM = 28.0
#: A display estimated narrower than this cannot need breaking on any sensible line.
SHORT_EM = 20.0

#: Printed width (em) of control words; unknown ones count as one symbol.
_WIDTHS = {r"\cdot": 0.8, r"\times": 1.0, r"\infty": 1.0, r"\to": 1.6, r"\leq": 1.6,
           r"\geq": 1.6, r"\neq": 1.6, r"\sim": 1.6, r"\approx": 1.6, r"\log": 1.6,
           r"\exp": 1.7, r"\min": 1.8, r"\max": 1.9, r"\lim": 1.4, r"\quad": 1.0,
           r"\,": 0.17, r"\;": 0.28, r"\!": -0.17, r"\left": 0.0, r"\right": 0.0,
           r"\operatorname": 0.0, r"\mathcal": 0.0, r"\mathrm": 0.0, r"\text": 0.0}
_SYMBOL_EM, _OPERATOR_EM = 0.55, 1.4
#: TeX's math styles: display, text, script, scriptscript (size relative to the text font).
_SIZE = {0: 1.0, 1: 1.0, 2: 0.7, 3: 0.5}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_]|[^\s]")


def estimate_width(latex: str) -> float:
    """Estimated printed width (em) of display math: a fraction counts its wider part, one
    style smaller; scripts in script size; operators with their spacing. Good to about 20 %;
    TeX has the last word (it measures every display before choosing its layout)."""
    width, _ = _width_of(_TOKEN.findall(latex), 0, 0)
    return width


def _width_of(tokens: list[str], i: int, style: int) -> tuple[float, int]:
    """Width of tokens[i:] in ``style`` up to the end of this group; (width, next index)."""
    size, total = _SIZE[style], 0.0
    while i < len(tokens):
        token = tokens[i]
        if token == "}":
            return total, i + 1
        if token in ("^", "_"):
            piece, i = _argument(tokens, i + 1, max(style, 1) + 1 if style < 3 else 3)
            total += piece
        elif token in (r"\frac", r"\dfrac", r"\tfrac", r"\binom"):
            inner = min(style + 1, 3)
            top, i = _argument(tokens, i + 1, inner)
            bottom, i = _argument(tokens, i, inner)
            total += max(top, bottom) + 0.3 * size
        elif token == r"\sqrt":
            inner, i = _argument(tokens, i + 1, style)
            total += inner + 0.8 * size
        elif token in (r"\left", r"\right"):
            delimiter = tokens[i + 1] if i + 1 < len(tokens) else "."
            total += 0.0 if delimiter == "." else 0.45 * size
            i += 2
        elif token == "{":
            inner, i = _width_of(tokens, i + 1, style)
            total += inner
        else:
            i += 1
            if token in _WIDTHS:
                total += _WIDTHS[token] * size
            elif token in ("+", "-", "=", "<", ">"):
                total += (_OPERATOR_EM if style < 2 else 0.8) * size
            elif token in ("(", ")", "[", "]", "|", ",", ".", ";"):
                total += 0.35 * size
            else:
                total += _SYMBOL_EM * size
    return total, i


def _argument(tokens: list[str], i: int, style: int) -> tuple[float, int]:
    """Width of one macro argument: a braced group or a single token."""
    if i >= len(tokens):
        return 0.0, i
    if tokens[i] == "{":
        return _width_of(tokens, i + 1, style)
    return _width_of([tokens[i]], 0, style)[0], i + 1


def _pieces(expr: sp.Basic) -> list[str]:
    """Where ``expr`` may break: signed terms of a sum, or the factors of a plain product."""
    if isinstance(expr, sp.Add):
        pieces = []
        for index, term in enumerate(expr.as_ordered_terms()):
            if term.could_extract_minus_sign():
                pieces.append("- " + to_latex(-term))
            else:
                pieces.append(("+ " if index else "") + to_latex(term))
        return pieces
    if isinstance(expr, sp.Mul) and sp.fraction(expr)[1] == 1 \
            and not expr.could_extract_minus_sign():
        factors = expr.as_ordered_factors()
        return [(r"\times " if index else "")
                + (rf"\left({to_latex(f)}\right)" if isinstance(f, sp.Add) else to_latex(f))
                for index, f in enumerate(factors)]
    return [to_latex(expr)]


def format_equation(expr: sp.Basic) -> dict[str, object]:
    """A display: ``whole`` (one line) and the ``lines`` TeX falls back to when it is too wide.

    kind "line": one line (scaled to the line width only if it does not fit);
    kind "lines": TeX sets ``whole`` if it fits the line, else ``lines`` (multline*),
    each line scaled down only if it alone is still too wide.  A continued sum or
    product starts its line with its sign (``{} + ...``), as displays are broken.
    """
    whole = to_latex(expr)
    single = {"kind": "line", "whole": whole, "lines": [whole]}
    if estimate_width(whole) <= SHORT_EM:
        return single
    if type(expr) in RELATIONS:
        head = f"{to_latex(expr.lhs)} {RELATIONS[type(expr)]}"
        pieces = _pieces(expr.rhs)
        if len(pieces) == 1 and estimate_width(head) < LINE_EM / 3:
            return single  # nothing to gain from "lhs =" alone on a line
        first = f"{head} {pieces[0]}"
        pieces = [first, *pieces[1:]] if estimate_width(first) <= LINE_EM \
            else [head, *pieces]
    else:
        pieces = _pieces(expr)
    lines: list[str] = []
    for piece in pieces:
        if lines and estimate_width(f"{lines[-1]} {piece}") <= LINE_EM:
            lines[-1] = f"{lines[-1]} {piece}"
        else:
            signed = piece.startswith(("+ ", "- ", "\\times "))
            lines.append(f"{{}} {piece}" if lines and signed else piece)
    if len(lines) == 1:
        return single
    return {"kind": "lines", "whole": whole, "lines": lines}
