"""Assembly of a chunk's outputs: the dense pass and the gathered one give the same arrays."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from profitopt.numeric import batch_assembly
from profitopt.numeric.batch_assembly import working_indices
from profitopt.numeric.vectorized import solve_many

BASE = dict(alpha=0.3, beta=0.3, a=10.0, b=10.0, omega=1.0, delta=1e-12)
#: Found by a random search (seed 1): the root of S has profit < 0, so the firm shuts down
#: (the scalar solve says so).
NEGATIVE_PROFIT = dict(alpha=0.15383084788119264, beta=0.15475989451929675,
                       gamma=0.8997734100165855, a=1.2545441905007213, b=0.4294156093116142,
                       omega=0.023264962043590513, delta=6.2357726566043195e-06,
                       E=5909.535600430856, D=8.702865742555222e+16)


def _both_paths(monkeypatch, **parameters):
    """solve_many with every chunk assembled densely, and with every chunk gathered."""
    solved = []
    for share in (0.0, 2.0):
        monkeypatch.setattr(batch_assembly, "DENSE_SHARE", share)
        solved.append(solve_many(**parameters))
    return solved


class TestWorkingIndices:
    """The whole chunk while at least DENSE_SHARE of it produces, else the producing indices."""

    @pytest.mark.parametrize("mask, dense", [
        pytest.param([True, True, False, False], True, id="half"),
        pytest.param([True, False, False, False], False, id="quarter"),
    ])
    def test_choice(self, mask, dense):
        idx = working_indices(np.array(mask))
        assert isinstance(idx, slice) if dense else idx.tolist() == [0]


class TestDenseMatchesGathered:
    """Assembling on the whole chunk or on the producing points only is an optimisation:
    every output array is the same."""

    def test_grid_with_shutdowns_and_caps(self, monkeypatch):
        e, g = np.meshgrid(np.geomspace(1e-8, 1e40, 60), np.linspace(-1, 1, 21), indexing="ij")
        dense, gathered = _both_paths(monkeypatch, **BASE, gamma=g, E=e,
                                      D=np.where(e > 1e30, 1e15, np.inf))
        assert {"compute-bound", "data-bound", "shutdown"} <= set(dense.regime)
        for f in fields(dense):
            assert np.array_equal(getattr(dense, f.name), getattr(gathered, f.name),
                                  equal_nan=True), f.name

    def test_a_candidate_with_negative_profit_shuts_down(self, monkeypatch):
        dense, gathered = _both_paths(monkeypatch, **NEGATIVE_PROFIT)
        assert list(gathered.regime) == ["shutdown"]
        assert list(dense.regime) == ["shutdown"]
