"""Starts of the vectorized Newton iteration: below x_peak, near the root, bracketing it."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from profitopt.numeric.batch_start import (START_OFFSETS, below_exact_peak, first_guesses,
                                           law_start, overflows_at_start, start_right_of_root)
from profitopt.numeric.vectorized import solve_many
from tests.numeric.chunks import chunk_errstate, chunk_of  # noqa: F401 (autouse fixture)

BASE = dict(alpha=0.3, beta=0.3, a=10.0, b=10.0, omega=1.0, delta=1e-12)
GAMMAS = np.array([-1.0, -0.5, -1e-8, 0.0, 1e-8, 0.5, 1.0])


class TestFirstGuesses:
    """Every guess lies below x_peak; where training dominates (high E) the law is within
    a few per cent (in x = log n) of the root; near x_peak, x_peak - u_0 is closer to the
    root than the first offset start."""

    def test_training_dominated_law_is_close(self):
        k, columns, lp, peak, _, finite = chunk_of(**BASE, gamma=GAMMAS, E=1e37)
        guess = law_start(k, lp, peak, finite)
        root = solve_many(**columns).x
        assert (guess < peak).all()
        assert (np.abs(guess - root) <= 0.05 * np.abs(root)).all()

    def test_inference_dominated_start_is_near_the_peak(self):
        k, columns, lp, peak, _, finite = chunk_of(**BASE, gamma=GAMMAS, E=1e10)
        guess = first_guesses(k, lp, peak, finite)
        root = solve_many(**columns).x
        assert (guess < peak).all()
        assert (np.abs(guess - root) < START_OFFSETS[0] * np.maximum(1.0, np.abs(peak))).all()

    def test_inactive_points_get_none(self):
        k, _, lp, peak, _, finite = chunk_of(**BASE, gamma=GAMMAS, E=1e20)
        assert np.isnan(first_guesses(k, lp, peak, np.zeros_like(finite))).all()


class TestStartRightOfRoot:
    """S < 0 at the start and S > 0 at the left end (where there is one): the two bracket
    the root; S at the first offset is reported as it was evaluated."""

    @pytest.mark.parametrize("energy", [1e10, 1e20, 1e37])
    def test_brackets_the_root(self, energy):
        k, _, lp, peak, _, finite = chunk_of(**BASE, gamma=GAMMAS, E=energy)
        start, first_value, left, at_peak = start_right_of_root(k, lp, peak, finite)
        assert not at_peak.any()
        assert (k.balance.numpy(start, *lp) < 0.0).all()
        known = ~np.isnan(left)
        assert (k.balance.numpy(left, *lp)[known] > 0.0).all()
        first = peak - START_OFFSETS[0] * np.maximum(1.0, np.abs(peak))
        assert np.array_equal(first_value, k.balance.numpy(first, *lp))

    def test_no_overflow_at_ordinary_points(self):
        k, _, lp, peak, _, finite = chunk_of(**BASE, gamma=GAMMAS, E=1e20)
        _, first_value, _, _ = start_right_of_root(k, lp, peak, finite)
        assert not overflows_at_start(k, lp, peak, finite, first_value).any()


class TestBelowExactPeak:
    """A root at x_peak to double precision is the largest double below the closed-form
    x_peak, evaluated at 40 digits (the independent mpmath model's x_peak)."""

    #: tests/numeric/test_vectorized.py: the root lies closer to x_peak than a double resolves.
    AT_PEAK = dict(alpha=0.07407172047364352, beta=0.5298, gamma=-4.631, a=72.3, b=1.27,
                   omega=0.0683, delta=1.64e-09, E=2.75e26)

    def test_largest_double_below(self, mp_model):
        k, columns, _, _, _, _ = chunk_of(**self.AT_PEAK)
        below = below_exact_peak(k, columns, np.array([0]))[0]
        with mpmath.workdps(40):
            exact = mp_model(**self.AT_PEAK).x_peak()
            assert below < exact <= np.nextafter(below, np.inf)
