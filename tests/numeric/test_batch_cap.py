"""Data-cap decisions: the corner d = D where S(x_D) > 0, shutdown below the floor, and a
slack cap left to the iteration."""

from __future__ import annotations

import numpy as np
import pytest

from profitopt.numeric.batch_cap import decide_by_cap, settle_capped
from profitopt.numeric.batch_solutions import CODE
from profitopt.numeric.optimum import solve
from profitopt.numeric.parameters import Parameters
from tests.numeric.cases import CORNER
from tests.numeric.chunks import chunk_errstate, chunk_of  # noqa: F401 (autouse fixture)

BASE = dict(alpha=0.3, beta=0.3, gamma=-0.5, a=10.0, b=10.0, omega=1.0, delta=1e-10, E=1e18)


class TestDecideByCap:
    """The cap alone decides the corner (S(x_D) > 0, margin positive) and shutdown (x_D at
    or below the floor q = 1); a cap right of x* decides nothing."""

    @pytest.mark.parametrize("params", CORNER)
    def test_corner_agrees_with_the_scalar_solve(self, params):
        k, _, lp, peak, cap, finite = chunk_of(**params)
        corner, closed = decide_by_cap(k, lp, peak, cap, finite)
        assert corner.tolist() == [True] and closed.tolist() == [False]
        assert solve(Parameters(**params)).regime == "data-bound"

    @pytest.mark.parametrize("cap, corner, closed", [
        pytest.param(1e-4, False, True, id="below-the-floor"),
        pytest.param(1e12, True, False, id="left-of-x*"),
        pytest.param(1e30, False, False, id="slack"),
    ])
    def test_decisions(self, cap, corner, closed):
        k, _, lp, peak, x_cap, finite = chunk_of(**BASE, D=cap)
        decided = decide_by_cap(k, lp, peak, x_cap, finite)
        assert [decided[0][0], decided[1][0]] == [corner, closed]

    def test_uncapped_points_are_undecided(self):
        k, _, lp, peak, cap, finite = chunk_of(**BASE)
        corner, closed = decide_by_cap(k, lp, peak, cap, finite)
        assert not corner.any() and not closed.any()


class TestSettleCapped:
    """A found root right of the cap becomes the corner x_D where S(x_D) > 0; a root left of
    the cap, or a point without a root, is left alone."""

    def test_root_right_of_the_cap(self):
        k, _, lp, _, cap, _ = chunk_of(**{**BASE, "D": np.array([1e12, 1e30])})
        x = np.array([cap[0] + 1.0, cap[1] - 1.0])
        regime = np.full(2, CODE["compute-bound"])
        settle_capped(k, lp, cap, np.array([True, True]), x, regime)
        assert regime.tolist() == [CODE["data-bound"], CODE["compute-bound"]]
        assert x[0] == cap[0] and x[1] == cap[1] - 1.0

    def test_points_without_a_root(self):
        k, _, lp, _, cap, _ = chunk_of(**BASE, D=1e12)
        x, regime = np.array([cap[0] + 1.0]), np.array([CODE["shutdown"]])
        settle_capped(k, lp, cap, np.array([False]), x, regime)
        assert regime.tolist() == [CODE["shutdown"]] and x[0] == cap[0] + 1.0
