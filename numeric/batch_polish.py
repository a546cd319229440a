"""Extended-precision polish of the vectorized solver's interior roots.

S(x) sums terms of size ~|x|, x = log n, so its float64 rounding moves a root by about
eps |x| / |S'|: beyond |x| = POLISH_ABOVE that exceeds 1e-13 in n, and so can the
scalar solver's stop at adjacent doubles of a bisection.  One Newton step
x <- x - S(x)/S'(x) in numpy's longdouble corrects it.
"""

from __future__ import annotations

import numpy as np

from .batch_columns import log_parameters
from .kernels import ModelKernels

#: |log n*| above which a root gets one extended-precision Newton step (float64 S loses
#: more than 1e-13 in n there), and the largest relative correction that step may make.
POLISH_ABOVE = 100.0
POLISH_STEP = 1e-12


def polish_extended(k: ModelKernels, columns: dict[str, np.ndarray], x: np.ndarray,
                    peak: np.ndarray, points: np.ndarray) -> np.ndarray:
    """One Newton step on S in extended precision (numpy's longdouble) from float64 roots.

    S sums terms of size ~|x|, so its float64 rounding moves a root by about
    eps |x| / |S'|: beyond POLISH_ABOVE that exceeds 1e-13 in n.  The step is taken
    only where it is a correction of a few ulps and stays below x_peak (a root at x_peak
    to double precision keeps its float below x_peak).  Where longdouble is no wider
    than a double the step changes nothing.
    """
    wide = np.longdouble
    with np.errstate(all="ignore"):
        logs = log_parameters(lambda name: columns[name][points].astype(wide), np.log)
        s, ds = k.balance_and_slope(x.astype(wide), *logs)
        polished = (x - s / ds).astype(float)
    keep = ~(np.abs(polished - x) <= POLISH_STEP * np.abs(x)) | ~(polished < peak)
    return np.where(keep, x, polished)


def polish_roots(k: ModelKernels, columns: dict[str, np.ndarray], x: np.ndarray,
                 peak: np.ndarray, interior: np.ndarray, scalar: np.ndarray) -> None:
    """polish_extended, in place, at the interior roots (mask ``interior``) beyond
    |x| = POLISH_ABOVE and at every interior root from the scalar solver (``scalar``)."""
    points = np.flatnonzero(interior & ((np.abs(x) > POLISH_ABOVE) | scalar))
    if points.size:
        x[points] = polish_extended(k, columns, x[points], peak[points], points)
