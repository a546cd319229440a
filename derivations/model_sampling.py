"""Where a model's numeric checks sample: its declared parameters, around the paper's calibration.

A parameter with a ``default`` (a model file's) is held at it.  Otherwise it is drawn
from :data:`CALIBRATION` by name (the paper's box, as in :mod:`.boxes`): alpha, beta
uniform in [0.2, 0.5], gamma in [-1, 1], a, b log-uniform in [1, 1e3], omega = 1,
delta in [1e-12, 1e-6], E in [1e14, 1e22]; a parameter the paper does not have is drawn
by its domain (:data:`BY_DOMAIN`: an exponent as alpha, a real as gamma, a scale
log-uniform in [1e-12, 1e-6], a price per token on the scale of delta).  A cap's bound is
not drawn: a box with caps sets it relative to the uncapped optimum
(:class:`~.record.CapRange`, 10^(-+u) times it with u in [0.05, 0.5]), so that both its
binding and its slack case appear; a bound left out is absent (no cap), or, if the model
requires it, 10^300.
"""

from __future__ import annotations

import sympy as sp

from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import parameter_symbol
from .record import Box, CapRange, Range
from .text import number_latex

R = sp.Rational

#: (lo, hi, log10) by parameter name, the paper's calibration (see :mod:`.boxes`).
CALIBRATION: dict[str, tuple[sp.Rational, sp.Rational, bool]] = {
    "alpha": (R(1, 5), R(1, 2), False),
    "beta": (R(1, 5), R(1, 2), False),
    "gamma": (R(-1), R(1), False),
    "a": (R(0), R(3), True),
    "b": (R(0), R(3), True),
    "omega": (R(0), R(0), True),
    "delta": (R(-12), R(-6), True),
    "E": (R(14), R(22), True),
}
#: (lo, hi, log10) of a parameter the paper does not have, by its domain.
BY_DOMAIN: dict[str, tuple[sp.Rational, sp.Rational, bool]] = {
    "exponent": (R(1, 5), R(1, 2), False),
    "real": (R(-1), R(1), False),
    "positive": (R(-12), R(-6), True),
}
#: log10 of the factor between a cap's bound and its variable at the uncapped optimum.
CAP_FACTOR = (R(1, 20), R(1, 2))
#: log10 of a bound the model requires, where its cap is to stay slack.
FAR_BOUND_LOG10 = R(300)


def cap_bounds(model: ProfitModel) -> tuple[sp.Symbol, ...]:
    """The symbols of the model's caps' bounds."""
    return tuple(cap.bound for cap in model.caps)


def ranges(model: ProfitModel) -> tuple[Range, ...]:
    """One range per declared parameter that is not a cap's bound (or a required bound,
    held at 10^300); a default holds its parameter fixed."""
    bounds = set(cap_bounds(model))
    result = []
    for spec in model.parameters:
        symbol = parameter_symbol(spec)
        if symbol in bounds:
            if not spec.optional:
                result.append(Range(symbol, FAR_BOUND_LOG10, FAR_BOUND_LOG10, log=True))
            continue
        if spec.default is not None:
            value = R(repr(float(spec.default)))
            result.append(Range(symbol, value, value))
            continue
        lo, hi, log = CALIBRATION.get(spec.name, BY_DOMAIN[spec.domain])
        result.append(Range(symbol, lo, hi, log))
    return tuple(result)


def model_box(model: ProfitModel, samples: int, seed: int, *, caps: bool = False,
              condition: str = "interior") -> Box:
    """Draws of the model's parameters; with ``caps``, one KKT case per draw in turn (the
    condition is then "producing": the uncapped optimum is not shutdown)."""
    if caps:
        capped = tuple(CapRange(cap.bound, cap.variable, *CAP_FACTOR) for cap in model.caps)
        return Box(ranges(model), samples, seed, "producing", capped)
    return Box(ranges(model), samples, seed, condition)


def figure_point(model: ProfitModel) -> dict[str, sp.Rational | None]:
    """One parameter set per model for its figure: each range's midpoint (in log10 for
    scales), every optional cap absent (None); values in natural units."""
    point: dict[str, sp.Rational | None] = {}
    optional = {parameter_symbol(s): s.optional for s in model.parameters}
    for cap in model.caps:
        if optional[cap.bound]:
            point[cap.bound.name] = None
    for r in ranges(model):
        middle = (r.lo + r.hi) / 2
        point[r.symbol.name] = 10**middle if r.log else middle
    return point


def box_latex(box: Box) -> str:
    """The box in words (LaTeX text mode): each range, the caps, the sample and seed."""
    parts = []
    for r in box.ranges:
        symbol = sp.latex(r.symbol)
        if r.lo == r.hi:
            value = 10**r.lo if r.log else r.lo
            parts.append(f"${symbol} = {number_latex(value)}$")
        elif r.log:
            parts.append(f"$\\log_{{10}} {symbol}$ uniform in "
                         f"$[{number_latex(r.lo)}, {number_latex(r.hi)}]$")
        else:
            parts.append(f"${symbol}$ uniform in $[{number_latex(r.lo)}, {number_latex(r.hi)}]$")
    text = "; ".join(parts)
    for cap in box.caps:
        variable, bound = sp.latex(cap.variable), sp.latex(cap.bound)
        text += (f"; the cap ${variable} \\leq {bound}$ absent, binding "
                 f"(${bound} = {variable}_0 \\cdot 10^{{-u}}$) or slack "
                 f"(${bound} = {variable}_0 \\cdot 10^{{u}}$) in turn, with ${variable}_0$ "
                 f"at the uncapped optimum and $u$ uniform in "
                 f"$[{number_latex(cap.lo)}, {number_latex(cap.hi)}]$")
    return text


def point_latex(model: ProfitModel, point: dict[str, sp.Rational | None]) -> str:
    """A parameter set in words (LaTeX text mode): ``$\\alpha = 0.35$, ...``; absent caps
    named as such."""
    parts, absent = [], []
    for spec in model.parameters:
        if spec.name not in point:
            continue
        value = point[spec.name]
        symbol = sp.latex(parameter_symbol(spec))
        if value is None:
            absent.append(f"${symbol}$")
        else:
            parts.append(f"${symbol} = {number_latex(value)}$")
    text = ", ".join(parts)
    if absent:
        text += "; " + ", ".join(absent) + " absent (no cap)"
    return text
