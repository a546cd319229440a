"""Stored figure data reads back equal to the data computed, bit for bit; anything else
in the cache is recomputed."""

from __future__ import annotations

import json

import numpy as np
import pytest

from profitopt.analysis import figure_store
from profitopt.analysis.figure_data import (ExponentData, GrowthData, LawCurve,
                                           LocalExponentSeries)
from profitopt.numeric import cache


def _growth() -> GrowthData:
    energy = np.geomspace(1e6, 1e40, 7)
    law = LawCurve("training-dominated", 0.7142857142857143, energy**0.7 * 3.3)
    return GrowthData(alpha=0.3, E=energy, n=np.array([1e7, np.nan, np.inf, -np.inf, 0.1,
                                                        2.0 / 3, 5e300]),
                      train_cost=energy / 7, inference=law, training=law, crossover=1.5e21)


def _exponents() -> ExponentData:
    series = LocalExponentSeries(gamma=-1.0, E=np.array([1e6, 1e8]),
                                 exponent=np.array([np.nan, 0.71]), inference=1.43,
                                 training=0.71, training_log=False, crossover=2e20)
    return ExponentData((series, series))


def _same(a, b) -> bool:
    """Equal values, arrays bitwise (nan where nan)."""
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if hasattr(a, "__dataclass_fields__"):
        return type(a) is type(b) and all(_same(getattr(a, f), getattr(b, f))
                                          for f in a.__dataclass_fields__)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b and type(a) is type(b)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_enabled", True)
    return tmp_path / "cache"


@pytest.mark.parametrize("make", [_growth, _exponents], ids=["growth", "exponents"])
def test_round_trip_is_exact(make):
    data = make()
    text = json.dumps(figure_store._encode(data))
    assert _same(figure_store._decode(json.loads(text)), data)


def test_stored_once_then_read(folder):
    calls = []

    def compute():
        calls.append(1)
        return _growth()

    first = figure_store.stored("test", compute, GrowthData)
    second = figure_store.stored("test", compute, GrowthData)
    assert len(calls) == 1 and _same(first, second)


@pytest.mark.parametrize("damage", [
    lambda p: p.write_text(p.read_text()[:200]),
    lambda p: p.write_text("garbage"),
    lambda p: p.write_text(p.read_text().replace('"GrowthData"', '"ExponentData"')),
], ids=["truncated", "garbage", "wrong-type"])
def test_damaged_entry_is_recomputed(folder, damage):
    calls = []

    def compute():
        calls.append(1)
        return _growth()

    figure_store.stored("test", compute, GrowthData)
    (entry,) = folder.glob("figure-test-*.json")
    damage(entry)
    again = figure_store.stored("test", compute, GrowthData)
    assert len(calls) == 2 and _same(again, _growth())


def test_foreign_value_is_refused():
    with pytest.raises(ValueError):
        figure_store._decode({"dataclass": "Popen", "fields": {}})
    with pytest.raises(ValueError):
        figure_store._decode({"array": ["1", 2], "shape": [2]})
