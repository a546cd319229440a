"""Bracketed Newton finds the root of S (the 50-digit solve's n* to 1e-13) and marks what
it could not resolve."""

from __future__ import annotations

import numpy as np
import pytest

from profitopt.numeric.batch_iteration import bracketed_newton
from profitopt.numeric.optimum import solve
from profitopt.numeric.parameters import Parameters
from tests.numeric.chunks import chunk_errstate, chunk_of  # noqa: F401 (autouse fixture)

BASE = dict(alpha=0.3, beta=0.3, a=10.0, b=10.0, omega=1.0, delta=1e-12)
GAMMAS = np.array([-1.0, -0.5, -1e-14, 0.0, 1e-14, 0.5, 1.0])


class TestBracketedNewton:
    """Every active point converges onto its root; its last evaluated ends bracket it;
    inactive points are left alone."""

    @pytest.mark.parametrize("energy", [1e10, 1e20, 1e37])
    def test_finds_the_roots(self, energy):
        k, columns, lp, peak, _, finite = chunk_of(**BASE, gamma=GAMMAS, E=energy)
        result = bracketed_newton(k, lp, peak, finite, columns)
        assert result.found.all() and result.converged.all() and not result.unresolved.any()
        for i, gamma in enumerate(GAMMAS):
            reference = solve(Parameters(**BASE, gamma=float(gamma), E=energy)).n
            assert np.exp(result.x[i]) == pytest.approx(reference, rel=1e-13)
        left, right = result.evaluated
        assert not (left > result.x).any() and not (right < result.x).any()

    def test_inactive_points(self):
        k, columns, lp, peak, _, finite = chunk_of(**BASE, gamma=GAMMAS, E=1e20)
        result = bracketed_newton(k, lp, peak, np.zeros_like(finite), columns)
        assert not result.found.any() and not result.unresolved.any()
        assert np.isnan(result.x).all()
