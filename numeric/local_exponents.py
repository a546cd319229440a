"""Local exponents d log x* / d log v of the optimum, computed at high precision.

For each value v of E (or D) the optimum is solved at v e^(-h) and v e^(+h)
(float64 location, then the independent 50-digit re-solve), and the
exponent is the central difference of log x* at 50 digits.  The step
h ~ 1e-8 keeps the truncation error near h^2 ~ 1e-16, far below the
differences between regimes this is used to tell apart.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Callable, Sequence

import mpmath

from ..errors import InputError, OutOfRange, VerificationFailed
from .parameters import Parameters
from .precision import DEFAULT_DPS, refine
from .solver import SHUTDOWN, solve_log

#: Quantities whose local exponent can be asked for (fields of PreciseOptimum).
QUANTITY_FIELDS = ("n", "d", "t", "train_flops", "train_cost", "profit")
#: The regime of a row whose optimum cannot be carried in a double.
OUT_OF_RANGE = "out-of-range"
#: The regime of a row whose 50-digit re-solve did not converge.
UNRESOLVED = "unresolved"
#: Relative step of the central difference.
STEP = 1e-8


def law_exponent(k: float, m: float, x: float) -> float | None:
    """k + m/log x: the local exponent d log y/d log x of y = C x^k (log x)^m; None where
    m != 0 and x <= 1, below which (log x)^m is not a law."""
    if not m:
        return k
    return None if x <= 1.0 else k + m / math.log(x)


@dataclass(frozen=True)
class LocalExponent:
    """x = value of the variable; exponent = d log quantity / d log variable there."""

    x: float
    exponent: float | None   # None where the optimum is shutdown or changes regime
    regime: str
    compute_ratio: float | None  # inference / training FLOPs, 2nt / 6nd, at the optimum


def _optimum(params: Parameters, dps: int):
    located = solve_log(params)
    return located.regime, refine(params, located, dps)


def local_exponents(params: Parameters, quantity: str, wrt: str, values: Sequence[float],
                    dps: int = DEFAULT_DPS,
                    progress: Callable[[int, int, str], None] | None = None
                    ) -> list[LocalExponent]:
    """d log quantity*/d log wrt at each value, from 50-digit optima at v e^(+-h)."""
    if quantity not in QUANTITY_FIELDS:
        raise InputError(f"unknown quantity {quantity!r}; choose from {', '.join(QUANTITY_FIELDS)}")
    if wrt not in ("E", "D"):
        raise InputError(f"--wrt must be E or D, got {wrt!r}")
    if wrt == "D" and not params.capped:
        raise InputError("--wrt D needs a data cap --D")
    rows = []
    for index, value in enumerate(values):
        if progress:
            progress(index, len(values), f"{wrt}={value:.3g}")
        rows.append(_one(params, quantity, wrt, value, dps))
    if progress:
        progress(len(values), len(values), "done")
    return rows


def _one(params: Parameters, quantity: str, wrt: str, value: float, dps: int) -> LocalExponent:
    """One row; a point whose optimum does not fit a double is an ``out-of-range`` row, one
    whose 50-digit re-solve fails an ``unresolved`` row (no exponent is claimed there)."""
    try:
        return _exponent_at(params, quantity, wrt, value, dps)
    except OutOfRange:
        return LocalExponent(value, None, OUT_OF_RANGE, None)
    except VerificationFailed:
        return LocalExponent(value, None, UNRESOLVED, None)


def _exponent_at(params: Parameters, quantity: str, wrt: str, value: float, dps: int
                 ) -> LocalExponent:
    up_value, down_value = value * math.exp(STEP), value * math.exp(-STEP)
    regime, centre = _optimum(dataclasses.replace(params, **{wrt: value}), dps)
    if regime == SHUTDOWN:
        return LocalExponent(value, None, regime, None)
    up_regime, up = _optimum(dataclasses.replace(params, **{wrt: up_value}), dps)
    down_regime, down = _optimum(dataclasses.replace(params, **{wrt: down_value}), dps)
    ratio = float(centre.infer_cost / centre.train_cost)
    if not up_regime == down_regime == regime:
        return LocalExponent(value, None, regime, ratio)
    with mpmath.workdps(dps):
        span = mpmath.log(mpmath.mpf(up_value)) - mpmath.log(mpmath.mpf(down_value))
        slope = (mpmath.log(getattr(up, quantity)) - mpmath.log(getattr(down, quantity))) / span
    return LocalExponent(value, float(slope), regime, ratio)
