"""Parameter columns of the vectorized solver, and the kernels' log parameters from them.

The parameters broadcast together (numpy's rules; an absent cap is D = inf) and flatten
into one column per name.  The kernels take LOG_PARAMETERS
(alpha, beta, gamma, log a, log b, log omega, log delta, log E, log D): the model in
x = log n is a function of these.  A constant column enters as one float, so its
logarithm and every kernel term built only from constants are evaluated once.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import InputError
from ..paramspec import PAPER
from .parameters import NAMES, REASONS, reason_codes

#: (alpha, beta, gamma, log a, ..., log D): a column per parameter, or a float where the
#: parameter is constant.
LogParameters = tuple[np.ndarray | float, ...]


def columns_of(**parameters: object) -> dict[str, np.ndarray]:
    """Broadcast the parameters and flatten them into one column per name."""
    parameters.setdefault("D", np.inf)
    unknown = set(parameters) - set(NAMES)
    if unknown:
        raise InputError(f"unknown parameters: {', '.join(sorted(unknown))}")
    arrays = np.broadcast_arrays(*(np.asarray(parameters[k], dtype=float) for k in NAMES))
    # reshape keeps views: a scalar parameter stays a zero-stride column (no copy), which
    # the solver recognises and evaluates once
    return {k: v.reshape(-1) for k, v in zip(NAMES, arrays)}


def domain_codes(columns: dict[str, np.ndarray]) -> np.ndarray:
    """parameters.reason_codes per point, evaluated on constant columns once."""
    codes = reason_codes({name: compact(columns[name]) for name in NAMES})
    return np.broadcast_to(codes, columns["E"].shape)


def refuse(columns: dict[str, np.ndarray], codes: np.ndarray) -> None:
    """InputError naming how many points lie outside the domain, and the first of them."""
    bad = np.flatnonzero(codes)
    i = int(bad[0])
    point = ", ".join(f"{name} = {float(columns[name][i])!r}" for name in NAMES
                      if name != "D" or np.isfinite(columns[name][i]))
    raise InputError(f"{bad.size} of {codes.size} points lie outside the domain, e.g. "
                     f"{REASONS[codes[i]]} at {point}")


def compact(column: np.ndarray) -> np.ndarray | float:
    """A broadcast scalar (zero stride) or constant column as one float, else the column."""
    if column.size and (column.strides == (0,) or np.all(column == column[0])):
        # a numpy scalar: its arithmetic gives inf/nan where a Python float raises
        return np.float64(column[0])
    return column


def log_parameters(value: Callable[[str], object], log: Callable[[object], object]
                   ) -> LogParameters:
    """The kernels' LOG_PARAMETERS, (alpha, beta, gamma, log a, ..., log D), from
    ``value(name)`` of each parameter and a ``log`` of the wanted precision."""
    return tuple(log(value(spec.name)) if spec.logarithmic else value(spec.name)
                 for spec in PAPER)


def log_columns(c: dict[str, np.ndarray]) -> LogParameters:
    """(alpha, beta, gamma, log a, ..., log D); constant columns as floats, evaluated once."""
    with np.errstate(divide="ignore"):
        return log_parameters(lambda name: compact(c[name]), np.log)


def subset(lp: LogParameters, idx: np.ndarray | slice) -> LogParameters:
    """The log parameters at ``idx`` (constants stay floats)."""
    return tuple(np.asarray(p)[idx] if np.ndim(p) else p for p in lp)


def gather(lp: LogParameters, points: np.ndarray, size: int) -> LogParameters:
    """The log-parameters at ``points`` (all of them as they are when every point runs)."""
    return lp if points.size == size else subset(lp, points)
