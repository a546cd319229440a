"""Computed numbers and expressions inside the records' LaTeX text fields.

A record's text is LaTeX text mode with its mathematics in ``$...$``
(see :mod:`profitopt.derivations.record`); a number computed while the record is
built enters it through :func:`number_latex`, inside ``$...$``; an expression
through ``sympy.latex``.
"""

from __future__ import annotations

from decimal import Decimal

import sympy as sp

#: Powers of ten written out in full (0.0123 to 9990); outside them, m \times 10^{k}.
_PLAIN_EXPONENTS = range(-2, 4)


def number_latex(value: sp.Expr | float, digits: int = 3) -> str:
    r"""A real number to ``digits`` significant digits: ``5.56 \times 10^{11}``, ``0.714``."""
    rounded = Decimal(f"{float(sp.N(value, digits + 10)):.{digits - 1}e}")
    if rounded == 0:
        return "0"
    power = rounded.adjusted()
    if power in _PLAIN_EXPONENTS:
        return _strip(format(rounded, "f"))
    mantissa = _strip(format(rounded.scaleb(-power), "f"))
    if mantissa in ("1", "-1"):
        return f"{mantissa[:-1]}10^{{{power}}}"
    return rf"{mantissa} \times 10^{{{power}}}"


def _strip(decimal: str) -> str:
    """Drop trailing zeros after the decimal point (and the point itself)."""
    return decimal.rstrip("0").rstrip(".") if "." in decimal else decimal


#: An expression whose LaTeX is longer than this is displayed, not set inline.
INLINE_CHARS = 60


def expression_latex(expr: sp.Basic) -> str:
    """LaTeX of a derived expression (``\\log``, not ``\\ln``), for inside ``$...$``."""
    return sp.latex(expr, ln_notation=False)


def inline(expr: sp.Basic, otherwise: str) -> str:
    """``$latex$`` of ``expr`` when it is short enough to sit in a line of text, else
    ``otherwise`` (LaTeX text naming the display where it is shown)."""
    text = expression_latex(expr)
    return f"${text}$" if len(text) <= INLINE_CHARS else otherwise
