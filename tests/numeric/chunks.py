"""A chunk's state before the iteration, for the tests of the vectorized solver's stages."""

from __future__ import annotations

import numpy as np
import pytest

from profitopt.numeric.batch_chunk import chunk_setup
from profitopt.numeric.batch_columns import columns_of


def chunk_of(**parameters):
    """(kernels, columns, log parameters, x_peak (inf where 1 + alpha gamma <= 0), cap x_D,
    1 + alpha gamma > 0) as the vectorized solver sets them up for one chunk."""
    columns = columns_of(**parameters)
    k, lp, peak, cap, finite_peak = chunk_setup(columns)
    return k, columns, lp, peak, cap, finite_peak


@pytest.fixture(autouse=True)
def chunk_errstate():
    """The stages run inside solve_chunk's np.errstate(all="ignore") (nan and inf are
    values there: undefined S, overflow), so their tests do too."""
    with np.errstate(all="ignore"):
        yield
