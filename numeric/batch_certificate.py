"""Certificates of the vectorized solver's interior roots: S changes sign across x*.

S(x), x = log n, is strictly concave on (x_0, x_peak), so S > 0 at a point left of x*
and S < 0 at one right of it bracket the root.  Each end is either the last Newton
point where S was evaluated with that sign, if it lies within reach of x* (the largest
update accepted without an evaluation, max(CERTIFICATE_WIDTH, QUADRATIC_STEP) max(1, |x*|)),
or S evaluated at x* -+ e, e = CERTIFICATE_WIDTH max(1, |x*|).  A root closer to x_peak
than e (x* is then x_peak to double precision) has x_peak itself as its right end: S falls
to -inf there.  The other certificate, t* > 0, is the sign of the margin at x*.
"""

from __future__ import annotations

import numpy as np

from .batch_columns import LogParameters, subset
from .kernels import ModelKernels
from .newton import QUADRATIC_STEP

CERTIFICATE_WIDTH = 1e-9


def sign_change(k: ModelKernels, lp: LogParameters, x: np.ndarray, peak: np.ndarray,
                left: np.ndarray, right: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Whether S > 0 left of x* and S < 0 right of it, per point (False where not ``live``).

    ``left`` and ``right`` are the last Newton points where S > 0 and S < 0 were
    evaluated (nan: none); S is evaluated at x* -+ e only for live points that lack one.
    """
    scale = np.maximum(1.0, np.abs(x))
    width = CERTIFICATE_WIDTH * scale
    # ends: the last Newton points where S > 0 and S < 0 were evaluated, if within
    # reach of x* (the largest step accepted without evaluation), else S at x* -+ w
    reach = max(CERTIFICATE_WIDTH, QUADRATIC_STEP) * scale
    left_positive = (left <= x) & (left >= x - reach)
    right_negative = ((right >= x) & (right <= x + reach)) | (peak - x <= width)
    for known, side, sign in ((left_positive, -1.0, 1.0), (right_negative, 1.0, -1.0)):
        probe = np.flatnonzero(live & ~known)
        if probe.size:
            known[probe] = sign * k.balance.numpy(x[probe] + side * width[probe],
                                                  *subset(lp, probe)) > 0.0
    return live & left_positive & right_negative
