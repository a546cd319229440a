"""The vectorized bracketed Newton iteration on the balance S(x), x = log n.

From the starts of :mod:`profitopt.numeric.batch_start`, each pass evaluates (S, S')
for the running points in one numpy kernel call and updates them in one compiled loop
(:func:`profitopt.numeric.newton.newton_pass`): near x_peak, where S behaves like
log(x_peak - x), Newton in log(x_peak - x); elsewhere Newton in x, x <- x - S/S', until
the step is below STEP_TOLERANCE relative (or quadratically small); bisection of the
bracket (lo, hi) where S' overflows.  S is concave and decreasing right of its maximum,
so plain x-steps from the right of the root move monotonically onto it: an undefined S
or S' >= 0 reached by one means S has no root (shutdown).  A point the iteration cannot
carry in a double is left unresolved, for the scalar solver.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import newton
from .batch_columns import LogParameters, gather
from .batch_start import below_exact_peak, first_guesses, start_right_of_root
from .kernels import ModelKernels

MAX_NEWTON = 100


class Iterates(NamedTuple):
    """Where the iteration left each point of a chunk."""

    x: np.ndarray            # the last Newton point (the root where found)
    converged: np.ndarray    # the step fell below tolerance (or the root is at x_peak)
    found: np.ndarray        # converged to a root, S defined and in range on the way
    first_value: np.ndarray  # S at the start (nan: undefined, inf: overflow)
    unresolved: np.ndarray   # refused by an update, or still running after MAX_NEWTON
    evaluated: tuple[np.ndarray, np.ndarray]  # last x with S > 0, and with S < 0 (nan: none)


def bracketed_newton(k: ModelKernels, lp: LogParameters, peak: np.ndarray,
                     active: np.ndarray, columns: dict[str, np.ndarray], *,
                     guesses=None) -> Iterates:
    """Bracketed Newton on S (updates by :func:`newton.step`) from an asymptotic start.

    The first guess is the training-dominated law where it lies below x_peak, else the
    inference-dominated estimate x_peak - u_0 (S ~ log(kappa u) + R(x_peak) near x_peak).
    Where S or S' there is unusable, the start is x_peak - h from start_right_of_root
    instead.  Plain x-steps from the right move monotonically onto the root (S is
    concave), so an undefined S or S' >= 0 reached by one means S has no root
    (shutdown); reached by a log step, which may overshoot, or once a point with S > 0
    is known, it only moves lo, and the iteration retreats halfway back to hi.  Each
    pass evaluates (S, S') for the running points in one kernel call and updates them
    in one compiled loop.  ``guesses(k, lp, peak, active)`` replaces the paper's first
    guesses (another model's starts: the training-dominated law is derived for the paper
    only).
    """
    guesses = guesses or first_guesses
    size = peak.size
    x = np.full(size, np.nan)
    # bracket: the last points where S was evaluated negative (hi, x_peak if none; a
    # certified right end) and positive or undefined after a log step (lo)
    hi = peak.copy()
    lo = np.full(size, np.nan)
    # the last point where S > 0 was evaluated (a certified left end)
    positive = np.full(size, np.nan)
    # S at each point's start (nan: undefined, inf: overflow)
    first_value = np.full(size, np.nan)
    converged = np.zeros(size, dtype=bool)
    jumped = np.zeros(size, dtype=bool)
    started = np.zeros(size, dtype=bool)
    guess = guesses(k, lp, peak, active)
    points = np.flatnonzero(guess < peak)
    if points.size:
        # the evaluation at the guess gives the first step from it
        s, ds = k.balance_and_slope(guess[points], *gather(lp, points, size))
        newton.run(newton.first_step, points, *np.broadcast_arrays(s, ds), guess, x, lo, hi,
                   positive, peak, first_value, jumped, converged, started)
    rest = active & ~started
    if rest.any():
        x_rest, first_rest, left, at_peak = start_right_of_root(k, lp, peak, rest)
        converged |= at_peak
        x[rest] = x_rest[rest]
        if at_peak.any():
            x[at_peak] = below_exact_peak(k, columns, np.flatnonzero(at_peak))
        first_value[rest] = first_rest[rest]
        lo[rest] = np.fmax(lo[rest], left[rest])
        positive[rest] = np.fmax(positive[rest], left[rest])
    # S undefined (nan) at the first offset: the margin is not positive even near its peak
    failed = ~active | np.isnan(first_value)
    overflowed = np.zeros(size, dtype=bool)
    points = np.flatnonzero(active & ~failed & ~converged)
    for _ in range(MAX_NEWTON):
        if points.size == 0:
            break
        s, ds = k.balance_and_slope(x[points], *gather(lp, points, size))
        points = newton.run(newton.newton_pass, points, *np.broadcast_arrays(s, ds), x, lo,
                            hi, positive, peak, jumped, converged, failed, overflowed)
    # unresolved: refused by an update, or still running after MAX_NEWTON passes
    unresolved = overflowed | (active & ~failed & ~converged)
    return Iterates(x, converged, converged & ~failed & ~overflowed, first_value, unresolved,
                    (positive, np.where(hi < peak, hi, np.nan)))
