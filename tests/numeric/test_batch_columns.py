"""Parameter columns and the kernels' log parameters of the vectorized solver."""

from __future__ import annotations

import numpy as np
import pytest

from profitopt.errors import InputError
from profitopt.numeric.batch_columns import (columns_of, compact, domain_codes, gather,
                                             log_columns, refuse, subset)

BASE = dict(alpha=0.3, beta=0.3, gamma=0.0, a=10.0, b=10.0, omega=1.0, delta=1e-12)


class TestColumns:
    """Parameters broadcast into flat columns; a scalar stays a zero-stride view; an absent
    cap is D = inf; an unknown name is refused."""

    def test_broadcast_and_flatten(self):
        columns = columns_of(**{**BASE, "gamma": np.array([0.0, 0.5])}, E=np.array([[1e10], [1e20]]))
        assert all(column.shape == (4,) for column in columns.values())
        assert columns["E"].tolist() == [1e10, 1e10, 1e20, 1e20]
        assert columns["alpha"].strides == (0,)
        assert np.isinf(columns["D"]).all()

    def test_unknown_parameter(self):
        with pytest.raises(InputError, match="unknown parameters: zeta"):
            columns_of(**BASE, E=1e18, zeta=1.0)

    def test_refusal_names_the_first_point_outside(self):
        columns = columns_of(**{**BASE, "gamma": np.array([0.0, -4.0, -5.0])}, E=1e18)
        codes = domain_codes(columns)
        assert codes.tolist()[0] == 0 and codes[1] and codes[2]
        with pytest.raises(InputError, match=r"2 of 3 points .* gamma = -4\.0"):
            refuse(columns, codes)


class TestLogParameters:
    """Constant columns enter the kernels as one float (evaluated once), the others as
    columns; the order is (alpha, beta, gamma, log a, ..., log D)."""

    @pytest.mark.parametrize("column", [
        pytest.param(np.broadcast_to(2.0, (5,)), id="zero-stride"),
        pytest.param(np.full(5, 2.0), id="constant"),
    ])
    def test_constant_is_one_float(self, column):
        value = compact(column)
        assert isinstance(value, np.float64) and value == 2.0

    def test_varying_column_stays(self):
        column = np.array([1.0, 2.0])
        assert compact(column) is column

    def test_order_and_logs(self):
        columns = columns_of(**BASE, E=np.array([1e10, 1e20]), D=1e12)
        lp = log_columns(columns)
        assert lp[:3] == (0.3, 0.3, 0.0)
        assert lp[3] == np.log(10.0) and lp[6] == np.log(1e-12) and lp[8] == np.log(1e12)
        assert np.array_equal(lp[7], np.log([1e10, 1e20]))

    def test_no_cap_is_log_inf(self):
        assert log_columns(columns_of(**BASE, E=1e18))[8] == np.inf

    def test_subset_and_gather(self):
        lp = log_columns(columns_of(**BASE, E=np.array([1e10, 1e20, 1e30])))
        picked = subset(lp, np.array([2]))
        assert picked[0] == 0.3 and picked[7].tolist() == [np.log(1e30)]
        assert gather(lp, np.arange(3), 3) is lp
        assert gather(lp, np.array([0, 2]), 3)[7].tolist() == [np.log(1e10), np.log(1e30)]
