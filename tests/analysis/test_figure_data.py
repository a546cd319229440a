"""What the figures plot: frozen, labelled data; claim counts by record and status."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from profitopt.analysis import figure_data
from profitopt.analysis.figure_data import STATUS_ORDER, count_claims


def _report(record: str, *statuses: str) -> SimpleNamespace:
    """A verified record as count_claims reads it: its id and each claim's status."""
    return SimpleNamespace(derivation=SimpleNamespace(id=record),
                           claims=tuple(SimpleNamespace(status=SimpleNamespace(value=s))
                                        for s in statuses))


class TestClaimCounts:
    """counts[i, j] is the number of claims of record j with status i; totals sum the rows."""

    def test_counts_by_record_and_status(self):
        counts = count_claims((_report("theorem1", "verified", "refuted", "verified"),
                               _report("data_bound", "bound only")))
        assert counts.records == ("theorem1", "data_bound")
        assert counts.statuses == STATUS_ORDER
        assert counts.counts.tolist() == [[2, 0], [0, 1], [1, 0], [0, 0]]
        assert counts.totals == {"verified": 2, "bound only": 1, "refuted": 1,
                                 "not reproduced": 0}

    def test_no_records(self):
        counts = count_claims(())
        assert counts.counts.shape == (len(STATUS_ORDER), 0)
        assert set(counts.totals.values()) == {0}


class TestDataValues:
    """Every figure's data is a frozen dataclass: a figure cannot change what it is given."""

    @pytest.mark.parametrize("cls", [figure_data.GrowthData, figure_data.LawCurve,
                                     figure_data.ExponentData, figure_data.LocalExponentSeries,
                                     figure_data.DataBoundData, figure_data.SpendCurve,
                                     figure_data.ClaimCounts], ids=lambda c: c.__name__)
    def test_frozen(self, cls):
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen

    def test_assignment_is_refused(self):
        counts = count_claims((_report("theorem1", "verified"),))
        with pytest.raises(dataclasses.FrozenInstanceError):
            counts.counts = np.zeros((4, 1))  # type: ignore[misc]
