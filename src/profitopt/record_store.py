"""The derivation records, derived once and kept in the cache as data.

Building every record runs SymPy for about 20 s; the records are frozen values,
so they are stored (``to_data``: dataclasses, enums and ``srepr`` text, read
back by the restricted reader) under a fingerprint of the versions and of the
source of ``symbolic/`` and ``derivations/``.  Verification is not cached:
every run checks the records anew.
"""

from __future__ import annotations

import dataclasses
import enum
from functools import lru_cache
from pathlib import Path

import sympy as sp

from . import __version__
from .derivations import record
from .derivations.record import Derivation
from .derivations.registry import all_derivations
from .numeric import cache
from .symbolic.serialize import UnsafeExpression, from_data, to_data

#: The types a stored record may hold: every dataclass and enum of the record module.
TYPES = {name: value for name, value in vars(record).items()
         if isinstance(value, type) and (dataclasses.is_dataclass(value)
                                         or (issubclass(value, enum.Enum)
                                             and value is not enum.Enum))}


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Versions and the source of the symbolic model and of the records."""
    from . import symbolic

    folders = (Path(symbolic.__file__).parent, Path(record.__file__).parent)
    sources = [p for folder in folders for p in folder.glob("*.py")]
    return cache.source_fingerprint((__version__, sp.__version__), sources)


def _decode(payload: object) -> tuple[Derivation, ...]:
    try:
        records = from_data(payload, TYPES)
    except UnsafeExpression as error:
        raise ValueError(str(error)) from None
    if not isinstance(records, tuple) or not all(isinstance(r, Derivation) for r in records):
        raise ValueError("not a tuple of records")
    return records


@lru_cache(maxsize=1)
def records() -> tuple[Derivation, ...]:
    """Every record in appendix order (:func:`all_derivations`), from the cache when intact."""
    return cache.cached("records", fingerprint(), lambda: to_data(all_derivations()), _decode)
