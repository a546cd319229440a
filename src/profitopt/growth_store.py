"""The growth analyses, derived once per decision region and kept in the cache.

Dominant balance at a parameter point takes a few decisions there (which term
leads, which regime holds as E grows), each logged with
:func:`profitopt.symbolic.decisions.recording`; the laws it returns are
symbolic in every parameter.  The cache keeps, per branch of gamma, every
derivation made so far with its decisions (as data: ``srepr`` text read back by
the restricted reader).  At a new point, an entry whose decisions all come out
the same is the derivation SymPy would make there, and is used; otherwise the
analysis is derived and added.
"""

from __future__ import annotations

from typing import Callable

import sympy as sp

from .numeric import cache
from .numeric.kernels import model_fingerprint
from .symbolic.asymptotics import Leading, PowerLaw
from .symbolic.decisions import recording, same_decisions
from .symbolic.growth import (ComputeBoundGrowth, RateRegime, derive_compute_bound_growth,
                              derive_data_bound_growth)
from .symbolic.profit import ProfitModel
from .symbolic.serialize import UnsafeExpression, from_data, from_text, to_data, to_text

#: The dataclasses a stored analysis may hold.
TYPES = {cls.__name__: cls for cls in (ComputeBoundGrowth, RateRegime, PowerLaw, Leading)}
#: At most this many derivations are kept per analysis (the oldest go first).
MAX_ENTRIES = 32


def _lookup(name: str, reference: dict, derive: Callable[[], object]) -> object:
    key = model_fingerprint()
    entries = cache.load(name, key)
    entries = entries if isinstance(entries, list) else []
    for entry in entries:
        try:
            decisions = [(from_text(text), outcome) for text, outcome in entry["decisions"]]
            if same_decisions(decisions, reference):
                return from_data(entry["result"], TYPES)
        except (UnsafeExpression, KeyError, TypeError, ValueError):
            continue
    with recording() as log:
        result = derive()
    entry = {"decisions": [[to_text(relation), outcome] for relation, outcome in log],
             "result": to_data(result)}
    cache.store(name, key, ([entry] + entries)[:MAX_ENTRIES])
    return result


def compute_bound_growth(reference: dict, shape: sp.Expr) -> ComputeBoundGrowth:
    """:func:`derive_compute_bound_growth` for the paper's model at ``reference``, cached."""
    branch = "zero" if shape == 0 else "nonzero"
    return _lookup(f"growth-{branch}", reference,
                   lambda: derive_compute_bound_growth(ProfitModel(), reference, shape))


def data_bound_growth(variable: sp.Symbol, reference: dict) -> RateRegime:
    """:func:`derive_data_bound_growth` in ``variable`` (E or D) at ``reference``, cached."""
    return _lookup(f"data-bound-{variable}", reference,
                   lambda: derive_data_bound_growth(ProfitModel(), variable, reference))
