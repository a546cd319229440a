"""Decisions taken at a reference point, recorded so that a derivation can be reused.

Dominant balance decides which term leads by comparing exponents; where SymPy
cannot decide a comparison from the symbols' assumptions, it is decided at a
reference point of the parameters (:func:`decide`).  Inside :func:`recording`
every such decision is logged as (relation, outcome).  A derivation is a
function of its decisions alone: at another point where every logged relation
has the same outcome, the same derivation follows, so its result may be reused.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

import sympy as sp

_LOG: ContextVar[list[tuple[sp.Basic, bool]] | None] = ContextVar("decisions", default=None)


def decide(relation: sp.Basic, reference: dict) -> bool:
    """The truth of ``relation`` at ``reference``, logged when recording."""
    outcome = bool(relation.subs(reference))
    log = _LOG.get()
    if log is not None:
        log.append((relation, outcome))
    return outcome


@contextmanager
def recording() -> Iterator[list[tuple[sp.Basic, bool]]]:
    """Log every :func:`decide` made inside the block: the list of (relation, outcome)."""
    log: list[tuple[sp.Basic, bool]] = []
    token = _LOG.set(log)
    try:
        yield log
    finally:
        _LOG.reset(token)


def same_decisions(log: list[tuple[sp.Basic, bool]], reference: dict) -> bool:
    """Whether every logged relation has its logged outcome at ``reference``."""
    return all(bool(relation.subs(reference)) == outcome for relation, outcome in log)
