"""Starts of the vectorized Newton iteration on the balance S(x), x = log n.

S is strictly concave on (x_0, x_peak) and falls to -inf at the margin peak x_peak, so
Newton from a point right of the root moves monotonically onto it.  The starts:

- the training-dominated law (A U = R in the reduced condition (A - Q)(U - Q) = R):
  the gamma = 0 law (f(q) = log q) where |gamma| log q < LAW_CROSSOVER, else the law of
  gamma's sign (f(q) = L exprel(-gamma L) at |gamma| L >> 1, L = log q), where it lies
  below x_peak;
- else the inference-dominated estimate x_peak - u_0, the root of S's leading term
  S ~ log(kappa u) + R(x_peak) near x_peak (u = x_peak - x);
- where S or S' is unusable there, x_peak - h for the largest h in START_OFFSETS
  (relative) with S(x_peak - h) < 0, and the float below the closed-form x_peak (at
  PEAK_DPS digits) where S > 0 at every offset: the root is x_peak to double precision.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from .batch_columns import LogParameters, subset
from .kernels import ModelKernels, start_kernels

#: |gamma| log q below which the gamma = 0 training law is the better start.
LAW_CROSSOVER = 1.0
#: Relative offsets below x_peak tried as Newton starts (largest first).
START_OFFSETS = (1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12, 1e-14)
#: Digits of the closed-form x_peak for roots at x_peak to double precision.
PEAK_DPS = 40


def law_start(k: ModelKernels, lp: LogParameters, peak: np.ndarray, active: np.ndarray
              ) -> np.ndarray:
    """log n_T from the training-dominated law (nan where it is not below x_peak).

    The laws for gamma > 0 and gamma < 0 take f(q) = L exprel(-gamma L), L = log q, at
    its limit for |gamma| L >> 1; the gamma = 0 law takes f = L, the limit for
    |gamma| L << 1.  Each point gets the gamma = 0 law where |gamma| L < LAW_CROSSOVER
    at that law's own point, else the law of its sign of gamma.
    """
    laws = start_kernels()
    gamma = np.broadcast_to(lp[2], peak.shape)
    guess = np.broadcast_to(laws["zero"](*lp), peak.shape).copy()
    signed = np.abs(gamma) * k.log_quality.numpy(guess, *lp) >= LAW_CROSSOVER
    for name, mask in (("positive", gamma > 0), ("negative", gamma < 0)):
        chosen = np.flatnonzero(mask & signed & active)
        if chosen.size:
            guess[chosen] = np.broadcast_to(laws[name](*subset(lp, chosen)), chosen.shape)
    return np.where(active & (guess < peak), guess, np.nan)


def first_guesses(k: ModelKernels, lp: LogParameters, peak: np.ndarray, active: np.ndarray
                  ) -> np.ndarray:
    """The first Newton point of each active point: the training-dominated law where it
    lies below x_peak, else x_peak - u_0 with log u_0 = -R(x_peak) - log kappa (nan for
    inactive points)."""
    guess = law_start(k, lp, peak, active)
    near_peak = np.flatnonzero(np.isnan(guess) & active)
    if near_peak.size:
        log_room = k.peak_log_room.numpy(*subset(lp, near_peak))
        guess[near_peak] = peak[near_peak] - np.exp(log_room)
    return guess


def start_right_of_root(k: ModelKernels, lp: LogParameters, peak: np.ndarray,
                        active: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x_peak - h for the largest h in START_OFFSETS (relative) with S < 0 there.

    S falls towards -inf at x_peak, so S(x_peak - h) < 0 exactly when x_peak - h lies right
    of the root; trying h = 1e-2, 1e-4, ... keeps the start within a factor 100 (in
    x_peak - x) of the root.  A root closer to x_peak than the last offset is x_peak to
    double precision: its start is the float below x_peak, already converged.  Returns
    (start, S at the first offset, the last offset with S > 0 (a left end of the
    bracket; nan if none), whether the root is at x_peak).
    """
    scale = np.maximum(1.0, np.abs(peak))
    x = np.where(active, peak, np.nan)
    left = np.full(peak.size, np.nan)
    pending = np.flatnonzero(active)
    first_value = np.full(peak.size, np.nan)
    for position, offset in enumerate(START_OFFSETS):
        if pending.size == 0:
            break
        candidate = peak[pending] - offset * scale[pending]
        values = k.balance.numpy(candidate, *subset(lp, pending))
        if position == 0:
            first_value[pending] = values
        right = ~(values > 0.0)
        x[pending[right]] = candidate[right]
        left[pending[~right]] = candidate[~right]
        pending = pending[~right]
    # roots within the last offset of the peak: the float just below x_peak
    x[pending] = np.nextafter(peak[pending], -np.inf)
    at_peak = np.zeros(peak.size, dtype=bool)
    at_peak[pending] = True
    return x, first_value, left, at_peak


def below_exact_peak(k: ModelKernels, columns: dict[str, np.ndarray], points: np.ndarray
                     ) -> np.ndarray:
    """The largest double below x_peak, from its closed form at PEAK_DPS digits.

    For roots closer to x_peak than double precision resolves: x_peak evaluated in float64
    is off by a few ulps of |x_peak| / (1 + alpha gamma), which would be the error of x*.
    The model's own parameters (``k.specs``) are read from ``columns``.
    """
    result = np.empty(points.size)
    with mpmath.workdps(PEAK_DPS):
        for j, i in enumerate(points):
            values = (mpmath.mpf(float(columns[spec.name][i])) for spec in k.specs)
            exact = k.peak.mpmath(*(mpmath.log(v) if spec.logarithmic else v
                                    for spec, v in zip(k.specs, values)))
            below = float(exact)
            result[j] = below if below < exact else math.nextafter(below, -math.inf)
    return result


def overflows_at_start(k: ModelKernels, lp: LogParameters, peak: np.ndarray,
                       active: np.ndarray, first_value: np.ndarray) -> np.ndarray:
    """Active points whose revenue per token is beyond double range at the first offset
    start x_peak - START_OFFSETS[0] max(1, |x_peak|): the margin's sign evaluates to inf
    there, so S is inf or nan at the start.  Such points are refused (out-of-range), not
    reported as shutdown."""
    overflow = active & ~np.isfinite(first_value)
    suspect = np.flatnonzero(overflow)
    if suspect.size:
        start = peak[suspect] - START_OFFSETS[0] * np.maximum(1.0, np.abs(peak[suspect]))
        overflow[suspect] = k.margin_sign.numpy(start, *subset(lp, suspect)) == np.inf
    return overflow
