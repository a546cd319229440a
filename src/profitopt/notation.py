"""How SymPy expressions and plain text enter LaTeX: the one map of overrides."""

from __future__ import annotations

import re

import sympy as sp

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


def to_latex(expr: sp.Basic) -> str:
    """LaTeX of a SymPy expression in the paper's notation."""
    expr = _as_paper_function(expr)
    names = {s: LATEX_NAMES[s.name] for s in expr.free_symbols if s.name in LATEX_NAMES}
    return sp.latex(expr, symbol_names=names, ln_notation=False)


def escape_text(text: str) -> str:
    """Plain text made safe for LaTeX text mode."""
    return _TEXT_PATTERN.sub(lambda m: _TEXT_ESCAPES[m.group(0)], str(text))


#: An equation longer than this (in LaTeX source characters) is broken at top-level + and -.
LINE_CHARS = 110
#: A single term longer than this cannot be broken sensibly: it is scaled to the line width.
SCALE_CHARS = 2 * LINE_CHARS


def _terms(expr: sp.Expr) -> list[str]:
    """Top-level terms of a sum as signed LaTeX pieces, in SymPy's printing order."""
    ordered = expr.as_ordered_terms() if isinstance(expr, sp.Add) else [expr]
    pieces = []
    for index, term in enumerate(ordered):
        if term.could_extract_minus_sign():
            pieces.append("- " + to_latex(-term))
        else:
            pieces.append(("+ " if index else "") + to_latex(term))
    return pieces


def format_equation(expr: sp.Basic) -> dict[str, object]:
    """LaTeX lines for a display: one line, several (broken at + and -), or scaled down."""
    whole = to_latex(expr)
    if len(whole) <= LINE_CHARS:
        return {"kind": "line", "lines": [whole]}
    if isinstance(expr, sp.Equality) and isinstance(expr.rhs, sp.Add):
        head, pieces = to_latex(expr.lhs) + " = ", _terms(expr.rhs)
    elif isinstance(expr, sp.Add):
        head, pieces = "", _terms(expr)
    else:
        return {"kind": "scaled" if len(whole) > SCALE_CHARS else "line", "lines": [whole]}
    if any(len(piece) > SCALE_CHARS for piece in pieces):
        return {"kind": "scaled", "lines": [whole]}
    lines, current = [], head
    for piece in pieces:
        if len(current) + len(piece) > LINE_CHARS and current.strip() not in ("", head.strip()):
            lines.append(current)
            current = ""
        current += piece + " "
    lines.append(current.rstrip())
    return {"kind": "lines", "lines": lines}
