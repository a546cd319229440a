"""Small algebraic tools shared by the model modules."""

from __future__ import annotations

import sympy as sp

from .symbols import LOG_COORDINATES


def unique_positive_root(equation: sp.Eq, unknown: sp.Symbol) -> sp.Expr:
    """The single positive solution of ``equation`` for ``unknown``."""
    roots = [r for r in sp.solve(equation, unknown) if r.is_positive is not False]
    if len(roots) != 1:
        raise ValueError(f"expected one positive root for {unknown}, got {roots}")
    return sp.powsimp(roots[0], force=True)


def split_signed_terms(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """(sum of terms with a positive sign, minus the sum of terms with a minus sign)."""
    positive, negative = [], []
    for term in sp.Add.make_args(sp.expand(expr)):
        (negative if term.could_extract_minus_sign() else positive).append(term)
    return sp.Add(*positive), -sp.Add(*negative)


def to_log_coordinates(expr: sp.Expr) -> sp.Expr:
    """log(expr) for a positive product of powers, in x = log n, log_E, ... coordinates.

    ``log(6 n d(n) / E)`` becomes ``log 6 + x + (log_a + alpha x - log_b)/beta - log_E``:
    a sum with no exponentials, so it cannot overflow for any magnitude of n or E.
    """
    expanded = sp.expand_log(sp.log(sp.powsimp(expr, force=True)), force=True)
    return sp.expand(expanded.subs({sp.log(s): c for s, c in LOG_COORDINATES.items()}))


def from_log_coordinates(expr: sp.Expr) -> sp.Expr:
    """Replace log-space coordinates by logs of the positive symbols."""
    return expr.subs({c: sp.log(s) for s, c in LOG_COORDINATES.items()})
