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


def to_log_coordinates(expr: sp.Expr,
                       coordinates: dict[sp.Symbol, sp.Symbol] | None = None) -> sp.Expr:
    """log(expr) for a positive product of powers, in x = log n, log_E, ... coordinates.

    ``log(6 n d(n) / E)`` becomes ``log 6 + x + (log_a + alpha x - log_b)/beta - log_E``:
    a sum with no exponentials, so it cannot overflow for any magnitude of n or E.
    ``coordinates`` maps each positive symbol to its log coordinate (default: the paper's).
    """
    coordinates = LOG_COORDINATES if coordinates is None else coordinates
    expanded = sp.expand_log(sp.log(sp.powsimp(expr, force=True)), force=True)
    return sp.expand(expanded.subs({sp.log(s): c for s, c in coordinates.items()}))


def from_log_coordinates(expr: sp.Expr) -> sp.Expr:
    """Replace log-space coordinates by logs of the positive symbols."""
    return expr.subs({c: sp.log(s) for s, c in LOG_COORDINATES.items()})


class logaddexp(sp.Function):
    """logaddexp(u, v) = log(e^u + e^v), finite for any real u, v (numpy's logaddexp).

    Its derivative in either argument is a share, e^(u - logaddexp(u, v)), so
    derivatives built from it never overflow either.
    """

    nargs = 2

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex not in (1, 2):
            raise sp.ArgumentIndexError(self, argindex)
        return sp.exp(self.args[argindex - 1] - self)

    def _eval_rewrite_as_log(self, u, v, **kwargs):  # noqa: D102 - SymPy hook
        return sp.log(sp.exp(u) + sp.exp(v))


def log_of_positive_sum(expr: sp.Expr,
                        coordinates: dict[sp.Symbol, sp.Symbol] | None = None) -> sp.Expr:
    """log(expr) for a sum of positive products of powers, in log coordinates.

    The terms are ``expr``'s own (it is not expanded: a factored term stays one term).
    One term is :func:`to_log_coordinates`; several are folded with
    :class:`logaddexp`, so no term is ever exponentiated on its own.  Raises
    ValueError if a term can be negative.
    """
    terms = sp.Add.make_args(expr)
    if len(terms) == 1:
        return to_log_coordinates(expr, coordinates)
    if any(term.could_extract_minus_sign() or term.is_positive is False for term in terms):
        raise ValueError(f"not a sum of positive terms: {expr}")
    logs = [to_log_coordinates(term, coordinates) for term in terms]
    result = logs[0]
    for log_term in logs[1:]:
        result = logaddexp(result, log_term)
    return result
