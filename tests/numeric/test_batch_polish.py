"""The extended-precision step corrects far-out roots by a few ulps and nothing more."""

from __future__ import annotations

import numpy as np
import pytest

from profitopt.numeric.batch_polish import POLISH_STEP, polish_extended, polish_roots
from profitopt.numeric.optimum import solve
from profitopt.numeric.parameters import Parameters
from profitopt.numeric.vectorized import solve_many
from tests.numeric.chunks import chunk_errstate, chunk_of  # noqa: F401 (autouse fixture)

#: tests/numeric/test_vectorized.py: log n* ~ 307, float64 rounding of S alone moves the
#: root by 2e-13 in n.
LARGE_LOG_N = dict(alpha=0.5201733378108342, beta=0.5489384109034877,
                   gamma=-1.5578388122171358, a=0.19999714904744043, b=1696.858356350638,
                   omega=65.26237340971619, delta=3.904308202539189e-12,
                   E=4.367924460104407e25)


class TestPolishExtended:
    """From a float64 root the step moves x by at most POLISH_STEP relative and lands on the
    50-digit root (n to 1e-13); a larger correction, or one past x_peak, is refused."""

    def test_corrects_a_far_root(self):
        k, columns, _, peak, _, _ = chunk_of(**LARGE_LOG_N)
        x = solve_many(**LARGE_LOG_N).x
        polished = polish_extended(k, columns, x, peak, np.array([0]))
        assert abs(polished[0] - x[0]) <= POLISH_STEP * abs(x[0])
        assert np.exp(polished[0]) == pytest.approx(solve(Parameters(**LARGE_LOG_N)).n,
                                                    rel=1e-13)

    def test_refuses_a_large_correction(self):
        k, columns, _, peak, _, _ = chunk_of(**LARGE_LOG_N)
        far = solve_many(**LARGE_LOG_N).x - 1e-6
        assert polish_extended(k, columns, far, peak, np.array([0]))[0] == far[0]


class TestPolishRoots:
    """Only interior roots beyond |x| = POLISH_ABOVE, or from the scalar solver, are touched."""

    def test_selection(self):
        k, columns, _, peak, _, _ = chunk_of(**{**LARGE_LOG_N, "E": np.full(3, LARGE_LOG_N["E"])})
        root = solve_many(**LARGE_LOG_N).x[0]
        shifted = root + 1e-14 * abs(root)
        x = np.full(3, shifted)
        polish_roots(k, columns, x, peak, np.array([True, False, True]),
                     np.zeros(3, dtype=bool))
        assert x[1] == shifted and x[0] == x[2] != shifted
