"""Data-cap decisions of the vectorized solver: the corner d = D or shutdown.

With a cap D the feasible x = log n end at x_D, where b d^beta = b D^beta on the kink
(the kernels' cap_parameters_log).  S is strictly concave on (x_0, x_peak) and its
interior root x* is the right one, so the cap decides by the sign of S(x_D):

- S(x_D) > 0 with a positive margin: x_D lies between S's roots, left of x*; the
  optimum is the corner x_D (if its profit is positive, checked with the outputs);
- x_D <= x_0 (margin not positive), or S(x_D) <= 0 with S rising there (x_D left of
  S's left root): no profitable choice, shut down;
- x_D right of x*: the cap is slack and x* stands.

The first two are decided before the iteration (x* may lie beyond double range); the
rest once x* is known.
"""

from __future__ import annotations

import numpy as np

from .batch_columns import LogParameters, subset
from .batch_solutions import CODE
from .kernels import ModelKernels
from .solver import DATA_BOUND, SHUTDOWN


def decide_by_cap(k: ModelKernels, lp: LogParameters, peak: np.ndarray, cap: np.ndarray,
                  finite_peak: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Capped points whose answer the cap x_D alone decides: (corner, shut down).

    S is concave on (x_0, x_peak), so S(x_D) > 0 puts x_D strictly between its roots,
    left of the interior root x*: the optimum is the corner x_D (if its profit is
    positive, checked with the outputs).  x_D <= x_0 (margin not positive), or S(x_D) <= 0
    with S rising there (x_D left of S's left root), leaves no profitable choice: shut
    down.  Neither needs x*, which may lie beyond double range.  Other capped points
    (x_D right of x*, or undecidable in float64) are solved like uncapped ones.
    """
    corner = np.zeros(cap.size, dtype=bool)
    closed = np.zeros(cap.size, dtype=bool)
    points = np.flatnonzero(finite_peak & (cap < peak))
    if points.size:
        sub = subset(lp, points)
        at = cap[points]
        margin = np.broadcast_to(k.margin_sign.numpy(at, *sub), at.shape)
        s, ds = np.broadcast_arrays(*k.balance_and_slope(at, *sub), at)[:2]
        # below the floor (q <= 1) f(q) <= 0 and the margin's log is nan
        floor = np.broadcast_to(k.margin_floor.numpy(*sub), at.shape)
        corner[points] = (margin > 0.0) & (s > 0.0)
        closed[points] = ((at <= floor) | (margin <= 0.0)
                          | ((margin > 0.0) & (s <= 0.0) & (ds > 0.0)))
    return corner, closed


def settle_capped(k: ModelKernels, lp: LogParameters, cap: np.ndarray, found: np.ndarray,
                  x: np.ndarray, regime: np.ndarray) -> None:
    """The cap against an interior root x* (``found``) it lies left of: the corner x_D
    where S(x_D) > 0 with a positive margin there, else shutdown.  Updates ``x`` and
    ``regime`` (codes of REGIMES) in place at those points."""
    capped = np.flatnonzero(found & (cap < x))
    if capped.size:
        at = cap[capped]
        sub = subset(lp, capped)
        corner = (k.balance.numpy(at, *sub) > 0.0) & (k.margin_sign.numpy(at, *sub) > 0.0)
        regime[capped] = np.where(corner, CODE[DATA_BOUND], CODE[SHUTDOWN])
        x[capped] = np.where(corner, at, x[capped])
