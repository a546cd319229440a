"""A validated parameter set of the profit model, in natural and log coordinates.

The domain is checked in one place, :func:`reason_codes`, for a single point
(:class:`Parameters`) and for arrays of points (the vectorized solver, which
either refuses them or marks them ``invalid`` with the reason).
"""

from __future__ import annotations

import math
import re
from dataclasses import field, fields, make_dataclass
from functools import lru_cache
from typing import ClassVar, Mapping

import numpy as np

from ..errors import InputError
from ..paramspec import MODELS, PAPER, ParamSpec

#: The supported range of the exponents alpha and beta (inclusive).  Outside it float64
#: cannot carry the optimum to the cross-check's tolerance: log n* = (... )/alpha
#: amplifies the rounding of its numerator by 1/alpha (alpha = 1e-6 moves n* by 3e-10),
#: and the 50-digit re-solve stalls on the flat objective of alpha ~ 1e300 or 1e-300.
EXPONENT_RANGE = (1e-3, 10.0)
#: The largest supported gamma: beyond it f(q) = (1 - q^-gamma)/gamma is flat to 50
#: digits over the optimum's neighbourhood and the 50-digit re-solve does not converge.
GAMMA_MAX = 10.0


class Domain:
    """The supported domain of one model's parameters, with a reason code per fault.

    Valid: every parameter finite (an optional one may be +inf: absent), every positive one
    > 0, the exponents in EXPONENT_RANGE, gamma <= GAMMA_MAX and gamma above the lower end
    of the range in which the model's profit is bounded (its ``gamma_lower`` kernel, derived
    in :mod:`profitopt.symbolic.domain`).  Codes follow the order of the checks; a point
    gets the first that fails; 0 is valid.
    """

    def __init__(self, model: str, specs: tuple[ParamSpec, ...]) -> None:
        self.model, self.specs = model, specs
        self.names = tuple(spec.name for spec in specs)
        self.positive = {spec.name: spec.meaning for spec in specs if spec.positive}
        self.optional = {spec.name: spec.optional for spec in specs}
        self.exponents = tuple(spec.name for spec in specs if spec.domain == "exponent")
        #: the demand link's shape: the one real-valued parameter (the paper: gamma)
        (self.shape,) = [spec.name for spec in specs if spec.domain == "real"]
        self.reasons: tuple[str, ...] = (
            "",
            *(f"{name} is not a finite number" for name in self.names),
            *(f"{name} ({meaning}) must be > 0" for name, meaning in self.positive.items()),
            *(f"{name} outside the supported range {EXPONENT_RANGE[0]:g} <= {name} <= "
              f"{EXPONENT_RANGE[1]:g}" for name in self.exponents),
            f"{self.shape} > {GAMMA_MAX:g}, above the supported range",
            f"{self.shape} outside the bounded range, below its derived lower end: profit "
            "is unbounded there",
        )
        self.first_not_finite = 1
        self.first_not_positive = self.first_not_finite + len(self.names)
        self.first_exponent = self.first_not_positive + len(self.positive)
        self.gamma_above_code = self.first_exponent + len(self.exponents)
        self.gamma_unbounded_code = self.gamma_above_code + 1

    def gamma_lower_kernel(self):
        """float64 min(-1/alpha, -(alpha+beta)/(2 alpha beta)) of the model, compiled."""
        # imported on use: the command line reads numbers and the domain's bounds from
        # this module without building the SymPy kernels
        from .kernels import problem

        return problem(self.model).gamma_lower.numpy

    def reason_codes(self, values: Mapping[str, object]) -> np.ndarray:
        """Per point, the code of the first check it fails (0: valid); ``values`` maps
        each name to a float or an array (broadcast together)."""
        arrays = {name: np.asarray(values[name], dtype=float) for name in self.names}
        codes = np.zeros(np.broadcast_shapes(*(a.shape for a in arrays.values())),
                         dtype=np.int8)

        def mark(failed, code: int) -> None:
            np.copyto(codes, np.int8(code), where=(codes == 0) & failed)

        for offset, name in enumerate(self.names):
            value = arrays[name]
            finite = np.isfinite(value) | (self.optional[name] & np.isposinf(value))
            mark(~finite, self.first_not_finite + offset)
        for offset, name in enumerate(self.positive):
            mark(~(arrays[name] > 0), self.first_not_positive + offset)
        low, high = EXPONENT_RANGE
        for offset, name in enumerate(self.exponents):
            mark(~((arrays[name] >= low) & (arrays[name] <= high)), self.first_exponent + offset)
        mark(~(arrays[self.shape] <= GAMMA_MAX), self.gamma_above_code)
        if not codes.all():
            with np.errstate(all="ignore"):
                lower = self.gamma_lower_kernel()(*(arrays[name] for name in self.exponents))
            mark(~(arrays[self.shape] > lower), self.gamma_unbounded_code)
        return codes

    def reason_code(self, values: Mapping[str, float]) -> int:
        """:meth:`reason_codes` for one point, in plain Python (about 10x faster)."""
        for offset, name in enumerate(self.names):
            value = values[name]
            if not (math.isfinite(value) or (self.optional[name] and value == math.inf)):
                return self.first_not_finite + offset
        for offset, name in enumerate(self.positive):
            if not values[name] > 0:
                return self.first_not_positive + offset
        low, high = EXPONENT_RANGE
        for offset, name in enumerate(self.exponents):
            if not low <= values[name] <= high:
                return self.first_exponent + offset
        if not values[self.shape] <= GAMMA_MAX:
            return self.gamma_above_code
        if not values[self.shape] > float(self.gamma_lower_kernel()(
                *(values[name] for name in self.exponents))):
            return self.gamma_unbounded_code
        return 0


#: The paper's domain; the names below are its parts, for the vectorized solver.
PAPER_DOMAIN = Domain("paper", PAPER)
#: Every parameter, in kernel order (declared once, in :mod:`profitopt.paramspec`).
NAMES = PAPER_DOMAIN.names
#: Parameters that must be strictly positive, with what they mean.
POSITIVE = PAPER_DOMAIN.positive
#: Parameters that may be absent (+inf in the kernels: the data cap D).
OPTIONAL = PAPER_DOMAIN.optional
#: The exponents, whose supported range is EXPONENT_RANGE.
EXPONENTS = PAPER_DOMAIN.exponents
#: Why a point is outside the domain, by reason code (0: valid).
REASONS = PAPER_DOMAIN.reasons
GAMMA_ABOVE_CODE = PAPER_DOMAIN.gamma_above_code
GAMMA_UNBOUNDED_CODE = PAPER_DOMAIN.gamma_unbounded_code
reason_codes = PAPER_DOMAIN.reason_codes
reason_code = PAPER_DOMAIN.reason_code

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


def gamma_lower(alpha: float, beta: float) -> float:
    """min(-1/alpha, -(alpha+beta)/(2 alpha beta)): gamma must lie above it."""
    return float(PAPER_DOMAIN.gamma_lower_kernel()(alpha, beta))


class _ParameterMethods:
    """What a parameter set does; its fields are generated from the declared parameters."""

    __slots__ = ()
    #: The model the class is generated for, and its domain (set by parameters_class).
    model: ClassVar[str]
    domain: ClassVar[Domain]

    def __post_init__(self) -> None:
        domain = self.domain
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and domain.optional[f.name]:
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise InputError(f"{f.name} must be a number, got {value!r}")
        code = domain.reason_code(dict(zip(domain.names, self.natural())))
        for name in domain.names:
            value = getattr(self, name)
            if domain.optional[name] and value is not None and not math.isfinite(value):
                code = code or domain.first_not_finite + domain.names.index(name)
        if code == domain.gamma_unbounded_code:
            exponents = {name: getattr(self, name) for name in domain.exponents}
            lower = float(domain.gamma_lower_kernel()(*exponents.values()))
            shape = domain.shape
            at = ", ".join(f"{name} = {value!r}" for name, value in exponents.items())
            derived = ("the paper's model: min(-1/alpha, -(alpha+beta)/(2 alpha beta))"
                       if domain.model == "paper" else f"derived for the model {domain.model}")
            raise InputError(
                f"{shape} = {getattr(self, shape)!r} is outside the bounded range {shape} > "
                f"{lower!r} ({derived}) at {at}: profit is unbounded there")
        if code:
            name = domain.reasons[code].split(" ", 1)[0]  # every reason starts with the name
            raise InputError(f"{domain.reasons[code]}, got {name} = {getattr(self, name)!r}")

    @property
    def capped(self) -> bool:
        """True when a data cap D is given (the paper's data-bound regime is possible)."""
        return getattr(self, "D", None) is not None

    def natural(self) -> tuple[float, ...]:
        """Every parameter in kernel order; an absent optional one (an uncapped bound) is
        inf."""
        return tuple(math.inf if getattr(self, name) is None else float(getattr(self, name))
                     for name in self.domain.names)

    def log(self) -> tuple[float, ...]:
        """The kernels' log coordinates: logarithms of the scales, exponents as they are
        (the paper: alpha, beta, gamma, log a, log b, log omega, log delta, log E, log D)."""
        return tuple(math.log(value) if spec.logarithmic else value
                     for spec, value in zip(self.domain.specs, self.natural()))


@lru_cache(maxsize=None)
def parameters_class(model: str = "paper") -> type:
    """A validated parameter set of the built-in model ``model``: one field per declared
    parameter (:data:`profitopt.paramspec.MODELS`), the required ones first, optional ones
    defaulting to None (:meth:`natural` and :meth:`log` give kernel order); valid iff its :class:`Domain` finds no fault.  KeyError for an
    unknown model."""
    specs = MODELS[model]
    cls = make_dataclass(
        "Parameters" if model == "paper" else f"Parameters_{model.replace('-', '_')}",
        [*((spec.name, float) for spec in specs if not spec.optional),
         *((spec.name, float | None, field(default=None)) for spec in specs if spec.optional)],
        bases=(_ParameterMethods,), frozen=True)
    cls.model, cls.domain = model, Domain(model, specs) if model != "paper" else PAPER_DOMAIN
    cls.__module__ = __name__  # pickle finds the class here, under its name:
    globals()[cls.__name__] = cls
    cls.__doc__ = (f"A parameter set of the {model!r} model: "
                   + ", ".join(spec.name for spec in specs)
                   + ", validated on construction.")
    return cls


#: A validated parameter set of the paper's model (D absent: compute-bound); valid iff
#: :func:`reason_codes` finds no fault: every positive parameter finite and > 0, alpha and
#: beta in EXPONENT_RANGE, and min(-1/alpha, -(alpha+beta)/(2 alpha beta)) < gamma <=
#: GAMMA_MAX.
Parameters = parameters_class("paper")
