"""The elasticity-of-substitution report: sigma of a scaling law at a point or on a path.

It computes the JSON document of ``profitopt sigma``.  The closed forms are derived by
SymPy (:mod:`profitopt.symbolic.substitution`) and evaluated at 50 digits with mpmath, then
rounded to float.
"""

from __future__ import annotations

import math
from typing import Callable

import mpmath
import sympy as sp

from ..errors import InputError
from ..models.presets import preset as named_preset
from ..notation import to_latex
from ..numeric.kernels import compile_kernel
from ..paramspec import LAW_PARAMETERS
from ..symbolic.scaling import CES, additive
from ..symbolic.substitution import derive_substitution, leontief_limit
from ..symbolic import symbols as S

#: The laws the report knows, and the paths.
LAWS = ("additive", "ces", "leontief")
PATHS = ("compute-optimal",)
#: Digits at which the closed form is evaluated before rounding to float.
DIGITS = 50
#: The inputs each law takes (besides n and d), by name.
LAW_INPUTS = LAW_PARAMETERS
#: The definition of sigma the report uses, in words.
DEFINITION = ("sigma = d log(d/n) / d log(q_n/q_d) along an isoquant q(n, d) = const: the "
              "direct elasticity of substitution, equal to Allen's and Hicks's for two inputs; "
              "from derivatives, sigma = q_n q_d (n q_n + d q_d) / (n d (2 q_n q_d q_nd - "
              "q_n^2 q_dd - q_d^2 q_nn))")
#: Why the Leontief law has sigma = 0.
LEONTIEF_REASON = ("q = min(a n^alpha, b d^beta) has L-shaped isoquants: at the kink the "
                   "ratio d/n is fixed while the slope q_n/q_d takes every value in [0, inf], "
                   "so d log(d/n) = 0 as log(q_n/q_d) moves (perfect complements); it is also "
                   "the limit r -> infinity of the CES law's sigma, which SymPy derives as 0")
_SYMBOLS = {"alpha": S.alpha, "beta": S.beta, "A": S.A, "B": S.B, "r": S.r, "n": S.n,
            "d": S.d}


def sigma_report(law: str, values: dict[str, float | None], *, preset: str | None = None,
                 n: float | None = None, d: float | None = None, path: str | None = None
                 ) -> dict:
    """sigma of ``law`` ("additive", "ces" or "leontief") with its closed form.

    ``values`` holds the law's coefficients by name (alpha, beta, A, B; r for "ces"), None
    when not given; ``preset`` (laws.toml) gives alpha, beta, A, B exactly instead.  The
    closed form used: on ``path="compute-optimal"`` (6nd least at fixed q) sigma* =
    2/(2 + r (alpha + beta)), free of n, d, A, B (n or d, if given, places the point on the
    path); at alpha = beta, 1/(1 + alpha r) everywhere; otherwise the general ratio, which
    needs A, B, n and d.  The Leontief law has sigma = 0 (see :data:`LEONTIEF_REASON`).

    Returns "law", "definition", "sigma" (float: the closed form at 50 digits, rounded),
    "closed_form" and "closed_form_general" ({"text", "latex"}), "case", "inputs" (the
    values used, n and d included), "preset", "path", "range" (sigma's bounds over all
    (n, d) at these exponents, when known) and "dps".  InputError names what is missing or
    malformed.
    """
    if law not in LAWS:
        raise InputError(f"unknown law {law!r}; laws: {', '.join(LAWS)}")
    if path is not None and path not in PATHS:
        raise InputError(f"unknown path {path!r}; paths: {', '.join(PATHS)}")
    given = _given(law, values, n, d)
    exact = _with_preset(law, given, preset)
    if law == "leontief":
        return _leontief(exact, preset, path)
    if path is not None and n is not None and d is not None:
        raise InputError("on the compute-optimal path d is set by n: give --n or --d, "
                         "not both")
    symbolic = CES() if law == "ces" else additive()
    derived = derive_substitution(symbolic)
    case, closed = _case(derived, exact, path)
    point = {_SYMBOLS[k]: v for k, v in exact.items()}
    missing = sorted((closed.free_symbols - set(point)), key=lambda s: _order(s.name))
    if missing:
        names = " ".join(f"--{s.name}" for s in missing)
        hint = "" if path else " (or --path compute-optimal)"
        raise InputError(f"sigma of the {law} law here depends on "
                         f"{', '.join(s.name for s in missing)}: give {names}{hint}")
    with mpmath.workdps(DIGITS):
        if path is not None:
            point.update(_on_path(symbolic, derived, point))
        sigma = _evaluate(closed, point)
        bounds = _bounds(derived, point)
    inputs = {k: float(v) for k, v in ((s.name, point[s]) for s in _SYMBOLS.values()
                                        if s in point)}
    return {"law": law, "definition": DEFINITION, "sigma": sigma,
            "closed_form": _form(closed), "closed_form_general": _form(derived.sigma),
            "case": case, "inputs": inputs, "preset": preset, "path": path,
            "range": bounds, "dps": DIGITS}


def _order(name: str) -> int:
    return list(_SYMBOLS).index(name)


def _given(law: str, values: dict[str, float | None], n: float | None, d: float | None
           ) -> dict[str, float]:
    """The given inputs, each a finite positive number, none foreign to the law."""
    given = {k: v for k, v in values.items() if v is not None}
    foreign = sorted(set(given) - set(LAW_INPUTS[law]))
    if foreign:
        raise InputError(f"the {law} law takes {', '.join(LAW_INPUTS[law])}; not "
                         f"{', '.join(foreign)}")
    given.update({k: v for k, v in (("n", n), ("d", d)) if v is not None})
    for name, value in given.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value) or value <= 0:
            raise InputError(f"{name} must be a positive finite number, got {value!r}")
    return given


def _with_preset(law: str, given: dict[str, float], preset: str | None
                 ) -> dict[str, mpmath.mpf | sp.Rational]:
    """The inputs with a preset's exact coefficients, which no given value may repeat."""
    if preset is None:
        return dict(given)
    if law == "leontief":
        raise InputError("a preset is a fit of the additive law; --law leontief takes none")
    fit = named_preset(preset)
    clash = sorted(set(given) & set(LAW_PARAMETERS["additive"]))
    if clash:
        raise InputError(f"--preset {preset} gives alpha, beta, A and B; do not also give "
                         f"{', '.join(clash)}")
    return {**given, "alpha": fit.alpha, "beta": fit.beta, "A": fit.A, "B": fit.B}


def _case(derived, exact: dict, path: str | None) -> tuple[str, sp.Expr]:
    """Which closed form applies: on the path, at equal exponents, or the general one."""
    if path is not None:
        return "compute-optimal path", derived.compute_optimal
    if "alpha" in exact and "beta" in exact and exact["alpha"] == exact["beta"]:
        return "equal exponents", derived.equal_exponents
    return "point", derived.sigma


def _mp(value) -> mpmath.mpf:
    if isinstance(value, sp.Rational):
        return mpmath.mpf(value.p) / value.q
    return mpmath.mpf(value)


def _kernel(expr: sp.Expr, point: dict) -> tuple[Callable, list]:
    args = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    return compile_kernel(expr, args).mpmath, [_mp(point[s]) for s in args]


def _evaluate(expr: sp.Expr, point: dict) -> float:
    kernel, args = _kernel(expr, point)
    return float(kernel(*args))


def _on_path(law: CES, derived, point: dict) -> dict:
    """n and d on the compute-optimal path: d = d(n) from a given n or n = n(d) from d,
    when A and B are known (else the point stays unplaced)."""
    if S.n in point and derived.frontier_tokens.free_symbols - {S.n} <= set(point):
        kernel, args = _kernel(derived.frontier_tokens, point)
        return {S.d: kernel(*args)}
    if S.d in point:
        parameters = law.frontier_parameters(S.d)
        if parameters.free_symbols <= set(point):
            kernel, args = _kernel(parameters, point)
            return {S.n: kernel(*args)}
    return {}


def _bounds(derived, point: dict) -> dict[str, float] | None:
    """sigma's limits over all (n, d) (s -> 0 and s -> infinity), when the exponents are
    given: the range is the open interval between them (one point at alpha = beta)."""
    ends = []
    for limit in (derived.low, derived.high):
        if not limit.free_symbols <= set(point):
            return None
        ends.append(_evaluate(limit, point) if limit.free_symbols else float(limit))
    return {"low": min(ends), "high": max(ends)}


def _form(expr: sp.Expr) -> dict[str, str]:
    return {"text": sp.sstr(expr), "latex": to_latex(expr)}


def _leontief(exact: dict, preset: str | None, path: str | None) -> dict:
    sigma = leontief_limit(CES())
    return {"law": "leontief", "definition": DEFINITION, "sigma": float(sigma),
            "closed_form": _form(sigma), "closed_form_general": _form(sigma),
            "case": "perfect complements", "reason": LEONTIEF_REASON,
            "inputs": {k: float(v) for k, v in exact.items()}, "preset": preset,
            "path": path, "range": {"low": float(sigma), "high": float(sigma)},
            "dps": DIGITS}
