"""The figures' data, computed once and kept in the cache as data.

The growth and exponent figures solve the model along E (the exponent figure at 50
digits: a few seconds).  Their data is a deterministic function of the package's
source and of the numerical libraries, so it is stored as JSON (numbers, strings,
lists; arrays as lists of float64 values, which JSON carries exactly) under a
fingerprint of those, and read back into the same frozen dataclasses.  Figures drawn
from stored data are byte-identical to figures drawn from fresh data.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

import mpmath
import numpy as np
import sympy as sp

from .. import __version__
from ..numeric import cache
from . import figure_data

T = TypeVar("T")

#: The dataclasses a stored figure's data may hold, by name.
TYPES: dict[str, type] = {name: value for name, value in vars(figure_data).items()
                          if isinstance(value, type) and dataclasses.is_dataclass(value)
                          and value.__module__ == figure_data.__name__}


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Versions of profitopt and of the numerical libraries, and the package's source."""
    # by full name: the package binds some submodule names to its API functions
    folders = [Path(importlib.import_module(f"profitopt.{name}").__file__).parent
               for name in ("symbolic", "numeric", "derivations")]
    package = Path(__file__).parents[1]
    sources = [p for folder in folders for p in folder.glob("*.py")]
    sources += list(package.glob("*.py")) + list((package / "analysis").glob("*.py"))
    return cache.source_fingerprint(
        (__version__, sp.__version__, np.__version__, mpmath.__version__), sources)


def _encode(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"dataclass": type(value).__name__,
                "fields": {f.name: _encode(getattr(value, f.name))
                           for f in dataclasses.fields(value)}}
    if isinstance(value, np.ndarray):
        return {"array": [_number(v) for v in value.astype(float).ravel().tolist()],
                "shape": list(value.shape)}
    if isinstance(value, (tuple, list)):
        return {"tuple": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, float):
        return _number(value)
    raise TypeError(f"cannot store a {type(value).__name__} in figure data")


def _number(value: float) -> object:
    """A float as JSON: itself, or its name where JSON has no number for it."""
    return value if math.isfinite(value) else {"float": repr(value)}


def _decode(data: object) -> object:
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, dict) and set(data) == {"float"} and data["float"] in ("nan", "inf",
                                                                              "-inf"):
        return float(data["float"])
    if isinstance(data, dict) and set(data) == {"array", "shape"}:
        values = [_decode(v) for v in data["array"]]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise ValueError("an array holds something other than numbers")
        return np.array(values, dtype=float).reshape(data["shape"])
    if isinstance(data, dict) and set(data) == {"tuple"} and isinstance(data["tuple"], list):
        return tuple(_decode(v) for v in data["tuple"])
    if isinstance(data, dict) and set(data) == {"dict"} and isinstance(data["dict"], list):
        return {_decode(k): _decode(v) for k, v in data["dict"]}
    if isinstance(data, dict) and set(data) == {"dataclass", "fields"} \
            and data["dataclass"] in TYPES and isinstance(data["fields"], dict):
        cls = TYPES[data["dataclass"]]
        if set(data["fields"]) != {f.name for f in dataclasses.fields(cls)}:
            raise ValueError(f"{cls.__name__}: unexpected fields")
        return cls(**{k: _decode(v) for k, v in data["fields"].items()})
    raise ValueError("not figure data")


def stored(name: str, compute: Callable[[], T], kind: type) -> T:
    """``compute()``, from the cache when an intact entry of type ``kind`` is stored."""
    def decode(payload: object) -> T:
        value = _decode(payload)
        if not isinstance(value, kind):
            raise ValueError(f"stored figure data is not a {kind.__name__}")
        return value

    return cache.cached(f"figure-{name}", fingerprint(), lambda: _encode(compute()), decode)


def growth_data() -> figure_data.GrowthData:
    """:func:`~.figure_data.compute_growth_data`, computed once per source fingerprint."""
    return stored("growth", figure_data.compute_growth_data, figure_data.GrowthData)


def exponent_data() -> figure_data.ExponentData:
    """:func:`~.figure_data.compute_exponent_data`, computed once per source fingerprint."""
    return stored("exponents", figure_data.compute_exponent_data, figure_data.ExponentData)


def overtraining_data() -> figure_data.OvertrainingData:
    """:func:`~.figure_data.compute_overtraining_data`, computed once per source fingerprint."""
    return stored("overtraining", figure_data.compute_overtraining_data,
                  figure_data.OvertrainingData)


def trends_data() -> figure_data.TrendsData:
    """:func:`~.figure_data.compute_trends_data`, computed once per source fingerprint."""
    return stored("trends", figure_data.compute_trends_data, figure_data.TrendsData)
