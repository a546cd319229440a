"""The binding candidate among a model's caps: the smallest image log n_V on the kink.

Each cap v <= V of a model is, on the kink, a cap n <= n_V (its KKT case,
derived in :mod:`profitopt.symbolic.kkt`).  Together they cap x = log n at the
smallest log n_V; an absent cap (V = +inf) has log n_V = +inf and never binds.
"""

from __future__ import annotations

import math

import numpy as np

from .kernels import ModelKernels


def nearest_cap(k: ModelKernels, log_parameters) -> tuple[float, str]:
    """(min over caps of log n_V, the regime of that cap); (inf, "") without a finite cap.
    Ties go to the cap declared first."""
    best, regime = math.inf, ""
    with np.errstate(invalid="ignore", over="ignore"):
        for kernel, name in zip(k.cap_logs, k.cap_regimes):
            value = float(kernel.numpy(*log_parameters))
            if value < best:
                best, regime = value, name
    return best, regime


def nearest_caps(k: ModelKernels, log_parameters, size: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`nearest_cap` for columns: (log n_V per point, index of its cap; -1 where no
    cap is finite)."""
    best = np.full(size, np.inf)
    which = np.full(size, -1, dtype=np.int8)
    with np.errstate(invalid="ignore", over="ignore"):
        for i, kernel in enumerate(k.cap_logs):
            value = np.broadcast_to(kernel.numpy(*log_parameters), (size,))
            lower = value < best
            best = np.where(lower, value, best)
            which[lower] = i
    return best, which
