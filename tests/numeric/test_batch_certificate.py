"""The sign-change certificate holds at a root and fails beside it; evaluated Newton
points within reach stand in for evaluations."""

from __future__ import annotations

import numpy as np
import pytest

from profitopt.numeric.batch_certificate import CERTIFICATE_WIDTH, sign_change
from profitopt.numeric.vectorized import solve_many
from tests.numeric.chunks import chunk_errstate, chunk_of  # noqa: F401 (autouse fixture)

BASE = dict(alpha=0.3, beta=0.3, a=10.0, b=10.0, omega=1.0, delta=1e-12)
GAMMAS = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
NONE = np.full(GAMMAS.size, np.nan)


class NoBalance:
    """Kernels whose S may not be evaluated."""

    @property
    def balance(self):
        raise AssertionError("S evaluated although both ends were known")


@pytest.fixture(params=[1e10, 1e20, 1e37], ids=lambda e: f"E={e:g}")
def roots(request):
    k, columns, lp, peak, _, _ = chunk_of(**BASE, gamma=GAMMAS, E=request.param)
    return k, lp, peak, solve_many(**columns).x


class TestSignChange:
    """S > 0 at x* - e and S < 0 at x* + e (e = CERTIFICATE_WIDTH max(1, |x*|)) at every
    root; not beside it; never for a point that is not live."""

    def test_holds_at_the_roots(self, roots):
        k, lp, peak, x = roots
        live = np.ones(x.size, dtype=bool)
        assert sign_change(k, lp, x, peak, NONE, NONE, live).all()
        assert not sign_change(k, lp, x, peak, NONE, NONE, ~live).any()

    @pytest.mark.parametrize("shift", [-1e-6, 1e-6])
    def test_fails_beside_the_roots(self, roots, shift):
        k, lp, peak, x = roots
        moved = x + shift * np.maximum(1.0, np.abs(x))
        assert not sign_change(k, lp, moved, peak, NONE, NONE, np.ones(x.size, bool)).any()

    def test_known_ends_need_no_evaluation(self, roots):
        _, lp, peak, x = roots
        width = CERTIFICATE_WIDTH * np.maximum(1.0, np.abs(x))
        assert sign_change(NoBalance(), lp, x, peak, x - width, x + width,
                           np.ones(x.size, bool)).all()
