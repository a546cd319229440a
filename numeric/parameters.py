"""A validated parameter set of the profit model, in natural and log coordinates.

The domain is checked in one place, :func:`reason_codes`, for a single point
(:class:`Parameters`) and for arrays of points (the vectorized solver, which
either refuses them or marks them ``invalid`` with the reason).
"""

from __future__ import annotations

import math
import re
from dataclasses import field, fields, make_dataclass
from typing import Mapping

import numpy as np

from ..errors import InputError
from ..paramspec import NAMES as PARAM_NAMES, PAPER

#: Every parameter, in kernel order (declared once, in :mod:`profitopt.paramspec`).
NAMES = PARAM_NAMES
#: Parameters that must be strictly positive, with what they mean.
POSITIVE = {spec.name: spec.meaning for spec in PAPER if spec.positive}
#: Parameters that may be absent (+inf in the kernels: the data cap D).
OPTIONAL = {spec.name: spec.optional for spec in PAPER}
#: The exponents, whose supported range is EXPONENT_RANGE.
EXPONENTS = tuple(spec.name for spec in PAPER if spec.domain == "exponent")

#: The supported range of the exponents alpha and beta (inclusive).  Outside it float64
#: cannot carry the optimum to the cross-check's tolerance: log n* = (... )/alpha
#: amplifies the rounding of its numerator by 1/alpha (alpha = 1e-6 moves n* by 3e-10),
#: and the 50-digit re-solve stalls on the flat objective of alpha ~ 1e300 or 1e-300.
EXPONENT_RANGE = (1e-3, 10.0)
#: The largest supported gamma: beyond it f(q) = (1 - q^-gamma)/gamma is flat to 50
#: digits over the optimum's neighbourhood and the 50-digit re-solve does not converge.
GAMMA_MAX = 10.0

#: Why a point is outside the domain, by reason code (0: valid).  Codes are assigned in
#: the order of the checks; a point gets the first that fails.
REASONS: tuple[str, ...] = (
    "",
    *(f"{name} is not a finite number" for name in NAMES),
    *(f"{name} ({meaning}) must be > 0" for name, meaning in POSITIVE.items()),
    *(f"{name} outside the supported range {EXPONENT_RANGE[0]:g} <= {name} <= "
      f"{EXPONENT_RANGE[1]:g}" for name in EXPONENTS),
    f"gamma > {GAMMA_MAX:g}, above the supported range",
    "gamma outside the bounded range gamma > min(-1/alpha, -(alpha+beta)/(2 alpha beta)): "
    "profit is unbounded there",
)
_FIRST_NOT_FINITE = 1
_FIRST_NOT_POSITIVE = _FIRST_NOT_FINITE + len(NAMES)
_FIRST_EXPONENT = _FIRST_NOT_POSITIVE + len(POSITIVE)
GAMMA_ABOVE_CODE = _FIRST_EXPONENT + 2
GAMMA_UNBOUNDED_CODE = GAMMA_ABOVE_CODE + 1

#: A finite decimal number written in ASCII: [sign] digits [. digits] [exponent].
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_COUNT = re.compile(r"\+?\d+", re.ASCII)


def parse_number(text: str) -> float:
    """A finite float from ASCII decimal text (``-1e-3``, ``.5``); ValueError otherwise.

    Python's ``float`` also reads non-ASCII digits (``'١٠٠٠'``), ``inf``, ``nan`` and
    underscores: none of them is a parameter value.
    """
    try:
        value = float(text) if text.isascii() else None
    except ValueError:
        value = None
    if value is not None and not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    if value is None or not _DECIMAL.fullmatch(text):
        raise ValueError(f"not a number: {text!r} (ASCII decimal, e.g. -1e-3)")
    return value


def parse_count(text: str) -> int:
    """A non-negative integer from ASCII digits; ValueError otherwise."""
    if not _COUNT.fullmatch(text):
        raise ValueError(f"not a whole number: {text!r}")
    return int(text)


def reason_codes(values: Mapping[str, object]) -> np.ndarray:
    """Per point, the code of the first domain check it fails (0: valid); see REASONS.

    ``values`` maps each name of NAMES to a float or an array (broadcast together);
    D = +inf means uncapped.  Valid: every parameter finite (D may be +inf), every
    POSITIVE one > 0, alpha and beta in EXPONENT_RANGE, gamma <= GAMMA_MAX and gamma >
    min(-1/alpha, -(alpha+beta)/(2 alpha beta)), the range in which profit is bounded
    above (derived in :mod:`profitopt.symbolic.domain`).
    """
    arrays = {name: np.asarray(values[name], dtype=float) for name in NAMES}
    codes = np.zeros(np.broadcast_shapes(*(a.shape for a in arrays.values())), dtype=np.int8)

    def mark(failed, code: int) -> None:
        np.copyto(codes, np.int8(code), where=(codes == 0) & failed)

    for offset, name in enumerate(NAMES):
        value = arrays[name]
        finite = np.isfinite(value) | (OPTIONAL.get(name, False) & np.isposinf(value))
        mark(~finite, _FIRST_NOT_FINITE + offset)
    for offset, name in enumerate(POSITIVE):
        mark(~(arrays[name] > 0), _FIRST_NOT_POSITIVE + offset)
    low, high = EXPONENT_RANGE
    for offset, name in enumerate(EXPONENTS):
        mark(~((arrays[name] >= low) & (arrays[name] <= high)), _FIRST_EXPONENT + offset)
    mark(~(arrays["gamma"] <= GAMMA_MAX), GAMMA_ABOVE_CODE)
    if not codes.all():
        with np.errstate(all="ignore"):
            lower = _gamma_lower_kernel()(arrays["alpha"], arrays["beta"])
        mark(~(arrays["gamma"] > lower), GAMMA_UNBOUNDED_CODE)
    return codes


def reason_code(values: Mapping[str, float]) -> int:
    """:func:`reason_codes` for one point, in plain Python (about 10x faster than arrays)."""
    for offset, name in enumerate(NAMES):
        value = values[name]
        if not (math.isfinite(value) or (OPTIONAL[name] and value == math.inf)):
            return _FIRST_NOT_FINITE + offset
    for offset, name in enumerate(POSITIVE):
        if not values[name] > 0:
            return _FIRST_NOT_POSITIVE + offset
    low, high = EXPONENT_RANGE
    for offset, name in enumerate(EXPONENTS):
        if not low <= values[name] <= high:
            return _FIRST_EXPONENT + offset
    if not values["gamma"] <= GAMMA_MAX:
        return GAMMA_ABOVE_CODE
    if not values["gamma"] > gamma_lower(values["alpha"], values["beta"]):
        return GAMMA_UNBOUNDED_CODE
    return 0


def _gamma_lower_kernel():
    # imported on use: the command line reads numbers and the domain's bounds from this
    # module without building the SymPy kernels
    from .kernels import model_kernels

    return model_kernels().gamma_lower.numpy


def gamma_lower(alpha: float, beta: float) -> float:
    """min(-1/alpha, -(alpha+beta)/(2 alpha beta)): gamma must lie above it."""
    return float(_gamma_lower_kernel()(alpha, beta))


class _ParameterMethods:
    """What a parameter set does; its fields are generated from the declared parameters."""

    __slots__ = ()

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and OPTIONAL[f.name]:
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise InputError(f"{f.name} must be a number, got {value!r}")
        code = reason_code(dict(zip(NAMES, self.natural())))
        for name in NAMES:
            value = getattr(self, name)
            if OPTIONAL[name] and value is not None and not math.isfinite(value):
                code = code or _FIRST_NOT_FINITE + NAMES.index(name)
        if code == GAMMA_UNBOUNDED_CODE:
            lower = gamma_lower(self.alpha, self.beta)
            raise InputError(
                f"gamma = {self.gamma!r} is outside the bounded range gamma > {lower!r} "
                f"= min(-1/alpha, -(alpha+beta)/(2 alpha beta)) at alpha = {self.alpha!r}, "
                f"beta = {self.beta!r}: profit is unbounded there")
        if code:
            name = REASONS[code].split(" ", 1)[0]  # every reason starts with the parameter
            raise InputError(f"{REASONS[code]}, got {name} = {getattr(self, name)!r}")

    @property
    def capped(self) -> bool:
        """True in the data-bound regime (a cap D is given)."""
        return self.D is not None

    def natural(self) -> tuple[float, ...]:
        """Every parameter in kernel order; an absent optional one (uncapped D) is inf."""
        return tuple(math.inf if getattr(self, name) is None else float(getattr(self, name))
                     for name in NAMES)

    def log(self) -> tuple[float, ...]:
        """The kernels' log coordinates: logarithms of the scales, exponents as they are
        (alpha, beta, gamma, log a, log b, log omega, log delta, log E, log D)."""
        return tuple(math.log(value) if spec.logarithmic else value
                     for spec, value in zip(PAPER, self.natural()))


#: A validated parameter set: one field per declared parameter, in kernel order (optional
#: ones default to None).  Valid iff :func:`reason_codes` finds no fault: every positive
#: parameter finite and > 0, alpha and beta in EXPONENT_RANGE, and
#: min(-1/alpha, -(alpha+beta)/(2 alpha beta)) < gamma <= GAMMA_MAX.
Parameters = make_dataclass(
    "Parameters",
    [(spec.name, float | None, field(default=None)) if spec.optional else (spec.name, float)
     for spec in PAPER],
    bases=(_ParameterMethods,), frozen=True)
Parameters.__module__ = __name__  # pickle finds the class here
Parameters.__doc__ = ("A parameter set of the profit model: "
                      + ", ".join(spec.name for spec in PAPER)
                      + " (D absent: compute-bound), validated on construction.")
