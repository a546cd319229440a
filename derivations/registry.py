"""All derivation records, in the order of the appendix."""

from __future__ import annotations

from functools import lru_cache

from . import (data_bound, data_price, demand_link, efficiency, kink_lemma,
               parameter_efficiency, reduced_problem, served_tokens, theorem1, theorem2,
               tracking)
from .record import Derivation

MODULES = (demand_link, served_tokens, kink_lemma, reduced_problem, theorem1, theorem2, tracking,
           efficiency, parameter_efficiency, data_bound, data_price)


@lru_cache(maxsize=1)
def all_derivations() -> tuple[Derivation, ...]:
    """Every record, built once per process; ids equal module names."""
    records = tuple(module.derive() for module in MODULES)
    for module, record in zip(MODULES, records):
        if record.id != module.__name__.rsplit(".", 1)[-1]:
            raise ValueError(f"record id {record.id!r} differs from its module name")
    return records
