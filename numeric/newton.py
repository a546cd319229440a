"""The bracketed Newton update of the vectorized solver, compiled per point (numba).

The kernels (S and S' from ``lambdify``) run as numpy array passes: their
transcendental functions are SIMD-vectorized there.  What happens between two
passes -- the Newton step, the bracket (lo, hi), the convergence test, the
choice of the points still running -- is a handful of branches per point,
which as numpy array operations cost about twice the kernel itself (one
temporary array per comparison).  This module does that bookkeeping in one
compiled loop over the points instead.  It computes no part of the model: it
receives the kernel's values S(x_i) and S'(x_i).

Notation: x = log n, x_peak the singular end where S -> -inf, u = x_peak - x
("room").  S is concave and decreasing on (x_0, x_peak), so a plain Newton
step from the right of the root moves monotonically onto it.
"""

from __future__ import annotations

import contextlib
import math
import os

import numba
import numpy as np
from numba import njit

from . import cache

STEP_TOLERANCE = 4 * np.finfo(float).eps
#: Newton converges quadratically: after a step below QUADRATIC_STEP times min(1, u) the
#: next error is below eps relative, so that update is accepted without an evaluation.
QUADRATIC_STEP = 1e-8
#: Newton in log(x_peak - x) is used while it changes x_peak - x by more than this share.
LOG_STEP_MIN = 0.1
#: ... and wherever |S'| (x_peak - x) is below this (the log term dominates S there).
LOG_SLOPE_MAX = 2.0
#: Largest log-step increment (keeps exp finite; x_peak - x grows at most e^50-fold).
LOG_STEP_MAX = 50.0

#: Where numba keeps the compiled loops: the private subfolder "numba" of profitopt's
#: cache (numba's files are pickles and machine code, so only a folder that is ours alone
#: is used; with the cache off, or NUMBA_CACHE_DIR set by the user, numba's own choice
#: applies or the loops are compiled in every process, about 1 s).
NUMBA_FOLDER = cache.private_folder("numba")
if NUMBA_FOLDER is not None and not os.environ.get("NUMBA_CACHE_DIR"):
    numba.config.CACHE_DIR = str(NUMBA_FOLDER)
_COMPILE = dict(cache=NUMBA_FOLDER is not None or bool(os.environ.get("NUMBA_CACHE_DIR")),
                nogil=True, error_model="numpy")


def run(loop, *args):
    """``loop(*args)``; where numba cannot read its cached copy of the loop (a truncated or
    corrupt file: numba then raises while loading, before the loop runs), the cached files
    of this module are removed and the loop compiled afresh."""
    try:
        return loop(*args)
    except Exception:
        if not _remove_cached_loops():
            raise
        return loop(*args)


def _remove_cached_loops() -> bool:
    """Delete numba's cached files of this module; True if there were any."""
    folder = numba.config.CACHE_DIR
    if not folder or not os.path.isdir(folder):
        return False
    removed = False
    for root, _, names in os.walk(folder):
        for name in names:
            if name.startswith("newton.") and name.endswith((".nbi", ".nbc")):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(root, name))
                    removed = True
    return removed


@njit(inline="always", **_COMPILE)
def step(s: float, ds: float, xi: float, room: float, lo: float,
         hi: float) -> tuple[float, float, bool]:
    """One bracketed Newton update from xi, given S = s and S' = ds < 0 there.

    Near the singular end S ~ log(x_peak - x), on which Newton in x crawls (each step
    multiplies u = x_peak - x by only 1 + log(u*/u)).  Newton in v = log u is exact for
    that part: u <- u exp(z), z = S/(S' u).  It is taken from either side where the log
    term dominates (|S'| u < LOG_SLOPE_MAX), and from the right of the root wherever it
    changes u by more than LOG_STEP_MIN; otherwise the plain x-step xi - S/S'.  A
    proposal outside the bracket (lo, hi) -- lo the last point with S > 0 (nan: none
    yet), hi the last with S < 0 (x_peak: none yet) -- is replaced by the midpoint of xi
    and the violated end; one that does not move right stays below hi.

    Returns (new x, |change in x| for a Newton update (inf for a midpoint), whether the
    update is a log step).
    """
    newton = s / ds
    log_step = (s < 0.0 and newton > LOG_STEP_MIN * room) or ds * room > -LOG_SLOPE_MAX
    if log_step:
        proposal = xi - room * math.expm1(min(newton / room, LOG_STEP_MAX))
    else:
        proposal = xi - newton
    if proposal >= hi and proposal > xi:
        return 0.5 * (xi + hi), math.inf, log_step
    if proposal < lo:
        return 0.5 * (xi + lo), math.inf, False
    return proposal, abs(proposal - xi), log_step


@njit(inline="always", **_COMPILE)
def small(change: float, xi: float, room: float) -> bool:
    """Whether a Newton update of size ``change`` ends the iteration: below
    STEP_TOLERANCE relative to max(1, |x|), or below QUADRATIC_STEP min(1, u), after
    which the next error is below eps relative (the certificate re-checks the root)."""
    return change <= max(STEP_TOLERANCE * max(1.0, abs(xi)),
                         QUADRATIC_STEP * min(1.0, room))


@njit(inline="always", **_COMPILE)
def bracket(s: float, xi: float, lo: float, hi: float,
            positive: float) -> tuple[float, float, float]:
    """(lo, hi, positive) after S = s was evaluated at xi: S < 0 makes xi the bracket's
    hi; S > 0 makes it lo and the last point where S > 0 was evaluated."""
    if s < 0.0:
        return lo, xi, positive
    if s > 0.0:
        return xi, hi, xi
    return lo, hi, positive


@njit(inline="always", **_COMPILE)
def newton_update(s: float, ds: float, xi: float, lo: float, hi: float, positive: float,
                  peak: float) -> tuple[float, float, float, float, bool, bool]:
    """The bracket after S = s at xi (:func:`bracket`), then the update of :func:`step`
    (S' = ds < 0): (lo, hi, positive, new x, whether a log step, whether the update ends
    the iteration -- :func:`small`, or x did not move)."""
    lo, hi, positive = bracket(s, xi, lo, hi, positive)
    room = peak - xi
    new, change, log_step = step(s, ds, xi, room, lo, hi)
    return lo, hi, positive, new, log_step, small(change, xi, room) or new == xi


@njit(**_COMPILE)
def first_step(points, s, ds, start, x, lo, hi, positive, peak, first_value, jumped,
               converged, started):
    """The update from each point's first guess ``start[i]``; sets ``started[i]``.

    ``points`` are the indices evaluated, ``s``/``ds`` their S and S'; ``positive[i]``
    records a guess where S > 0 was evaluated.  Where S is defined and S' < 0 the guess
    starts the iteration: S < 0 makes it hi (right of the root), S > 0 makes it lo
    (left of it: S is defined up to x_peak, where it falls to -inf, so a root lies in
    between), and x takes the update of :func:`step`.  A guess with S > 0 but S' >= 0
    (left of the maximum of S) only becomes lo; other guesses are left to the caller.
    """
    for j in range(points.size):
        i = points[j]
        sj, dj, xi = s[j], ds[j], start[i]
        if math.isfinite(sj) and dj < 0.0:
            lo[i], hi[i], positive[i], x[i], jumped[i], converged[i] = newton_update(
                sj, dj, xi, lo[i], hi[i], positive[i], peak[i])
            first_value[i] = sj
            started[i] = True
        elif sj > 0.0:
            lo[i] = xi
            if math.isfinite(sj):
                positive[i] = xi


@njit(**_COMPILE)
def newton_pass(points, s, ds, x, lo, hi, positive, peak, jumped, converged, failed,
                overflowed):
    """One update of every running point; returns the points still running.

    ``points`` are the running indices (reused for the result), ``s``/``ds`` S and S'
    at x[points].  Per point:

    * S defined and S' < 0: S < 0 makes x the new hi and S > 0 the new lo (and
      ``positive``: lo may also be a point where S was undefined, see below); x takes
      the update of :func:`step`.  An update that is :func:`small` or does not move x
      (the bracket has shrunk to adjacent doubles) converges.
    * S defined but S' overflowed (inf or nan): with a bracket (lo known), bisection by
      the sign of S, converging when the bracket has shrunk to adjacent doubles; without
      one the point is ``overflowed`` (refused: a double cannot carry the iteration).
    * S undefined or S' >= 0: after a log step (which may overshoot into the region
      without a root), or once a point with S > 0 is known (a root lies between it and
      x_peak), x becomes lo and the iteration retreats halfway to hi -- a retreat that
      cannot move is ``overflowed`` (left to the caller); after plain x-steps from the
      right, S has no root (``failed``).
    """
    running = 0
    for j in range(points.size):
        i = points[j]
        sj, dj, xi = s[j], ds[j], x[i]
        if math.isfinite(sj) and dj < 0.0:
            lo[i], hi[i], positive[i], x[i], jumped[i], done = newton_update(
                sj, dj, xi, lo[i], hi[i], positive[i], peak[i])
            if done:
                converged[i] = True
                continue
        elif math.isfinite(sj) and not math.isfinite(dj):
            if math.isnan(lo[i]):
                overflowed[i] = True
                continue
            lo[i], hi[i], positive[i] = bracket(sj, xi, lo[i], hi[i], positive[i])
            middle = 0.5 * (lo[i] + hi[i])
            x[i], jumped[i] = middle, False
            if sj == 0.0 or middle <= lo[i] or middle >= hi[i]:
                converged[i] = True
                continue
        elif jumped[i] or not math.isnan(positive[i]):
            lo[i] = xi
            middle = 0.5 * (xi + hi[i])
            if middle <= xi or middle >= hi[i]:
                overflowed[i] = True
                continue
            x[i] = middle
        else:
            failed[i] = True
            continue
        points[running] = i
        running += 1
    return points[:running]
