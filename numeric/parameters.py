"""A validated parameter set of the profit model, in natural and log coordinates."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from ..errors import InputError
from .kernels import model_kernels

#: Parameters that must be strictly positive, with what they mean.
POSITIVE = {
    "alpha": "parameter exponent",
    "beta": "data exponent",
    "a": "parameter efficiency",
    "b": "data efficiency",
    "omega": "willingness-to-pay scale",
    "delta": "inverse-demand slope",
    "E": "hardware efficiency (FLOPs per dollar)",
    "D": "available training tokens",
}


@dataclass(frozen=True)
class Parameters:
    """alpha, beta, gamma, a, b, omega, delta, E and the data cap D (None: compute-bound).

    Valid iff every positive parameter is finite and > 0 and
    gamma > min(-1/alpha, -(alpha+beta)/(2 alpha beta)), the range in which
    profit is bounded above (derived in :mod:`profitopt.symbolic.domain`).
    """

    alpha: float
    beta: float
    gamma: float
    a: float
    b: float
    omega: float
    delta: float
    E: float
    D: float | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and f.name == "D":
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise InputError(f"{f.name} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise InputError(f"{f.name} must be finite, got {value!r}")
            if f.name in POSITIVE and value <= 0:
                raise InputError(f"{f.name} ({POSITIVE[f.name]}) must be > 0, got {value!r}")
        lower = float(model_kernels().gamma_lower.numpy(self.alpha, self.beta))
        if not self.gamma > lower:
            raise InputError(
                f"gamma = {self.gamma!r} is outside the bounded range gamma > {lower!r} "
                f"= min(-1/alpha, -(alpha+beta)/(2 alpha beta)) at alpha = {self.alpha!r}, "
                f"beta = {self.beta!r}: profit is unbounded there")

    @property
    def capped(self) -> bool:
        """True in the data-bound regime (a cap D is given)."""
        return self.D is not None

    def natural(self) -> tuple[float, ...]:
        """(alpha, beta, gamma, a, b, omega, delta, E, D) with D = inf when uncapped."""
        cap = math.inf if self.D is None else float(self.D)
        return (self.alpha, self.beta, self.gamma, self.a, self.b, self.omega, self.delta,
                self.E, cap)

    def log(self) -> tuple[float, ...]:
        """(alpha, beta, gamma, log a, log b, log omega, log delta, log E, log D)."""
        cap = math.inf if self.D is None else math.log(self.D)
        return (self.alpha, self.beta, self.gamma, math.log(self.a), math.log(self.b),
                math.log(self.omega), math.log(self.delta), math.log(self.E), cap)
