"""Rigorous mode: interval arithmetic proves that each root lies in its enclosure.

S is continuous on (x_0, x_peak); if an interval evaluation of S at the
point x* - e is entirely positive and at x* + e entirely negative, S has a
root in [x* - e, x* + e] -- whatever the rounding of the float64 solve.  For
a root closer to x_peak than e the right end is x_peak itself (S falls to
-inf there): an enclosure of x_peak below x* + e completes the proof.
The enclosures use python-flint's ``arb`` balls when python-flint is
installed (``pip install 'profitopt[rigorous]'``), else mpmath's ``iv``
intervals; both are rigorous, arb is about fifty times faster.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
from mpmath import iv
from mpmath.libmp import ComplexResult

from ..paramspec import PAPER
from .kernels import model_kernels
from .vectorized import CERTIFICATE_WIDTH, REGIMES, Solutions


def backend() -> str:
    """"arb" when python-flint is importable, else "iv"."""
    try:
        import flint  # noqa: F401
    except ImportError:
        return "iv"
    return "arb"


@lru_cache(maxsize=2)
def _interval_kernels(name: str):
    """(S(left), S(right)) for the two ends of an enclosure, S alone, and x_peak."""
    k = model_kernels()
    return k.balance.interval_pair(name), k.balance.interval(name), k.peak.interval(name)


def prove_root(log_parameters: tuple[float, ...], x: float, width: float,
               name: str | None = None) -> bool:
    """True iff S(x - w) > 0 over the whole enclosure and, over the whole enclosure,
    either S(x + w) < 0 or x_peak <= x + w (S falls to -inf at x_peak; a root closer to
    x_peak than a double resolves has no point right of it where S is defined)."""
    name = name or backend()
    pair, single, peak = _interval_kernels(name)
    if name == "arb":
        from flint import arb

        center, radius = arb(x), arb(width)
        args = [arb(v) for v in log_parameters]
        left, right = pair(center - radius, center + radius, *args)
        return bool(left > 0) and (bool(right < 0) or bool(peak(*args) <= center + radius))
    center = iv.mpf(x)
    args = [iv.mpf(v) for v in log_parameters]
    try:
        left, right = pair(center - width, center + width, *args)
    except ComplexResult:  # S undefined right of x: only the left end and x_peak remain
        left, right = single(center - width, *args), None
    return bool(left.a > 0) and ((right is not None and bool(right.b < 0))
                                 or bool(peak(*args).b <= (center + width).a))


#: Below this many proofs a worker pool costs more than it saves.
PARALLEL_MINIMUM = 4000


def _prove_rows(task: tuple[list, list, str]) -> list[bool]:
    rows, roots, name = task
    return [prove_root(tuple(row), x, CERTIFICATE_WIDTH * max(1.0, abs(x)), name)
            for row, x in zip(rows, roots)]


@contextmanager
def _forked_pool(processes: int):
    """A fork pool whose workers share the parent's heap without copying it.

    Objects that exist at the fork are moved to the collector's permanent generation
    first (gc.freeze): otherwise the first collection in a worker walks, and so
    copies on write, every page of the parent's heap -- longer than the proofs take
    when the parent holds a large grid.
    """
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(processes)
    finally:
        gc.unfreeze()
    with pool:
        yield pool


def prove_interior(columns: dict[str, np.ndarray], solutions: Solutions,
                   indices: np.ndarray, name: str | None = None,
                   processes: int | None = None) -> np.ndarray:
    """Proof flags for the interior (compute-bound) points among ``indices``.

    Large batches are split over ``processes`` worker processes (default: every core);
    each proof is independent, so the flags do not depend on the split.
    """
    indices = np.asarray(indices)
    name = name or backend()
    with np.errstate(divide="ignore"):
        logs = np.stack([np.log(columns[spec.name][indices]) if spec.logarithmic
                         else columns[spec.name][indices] for spec in PAPER], axis=1)
    interior = np.flatnonzero(solutions.regime_code[indices] == REGIMES.index("compute-bound"))
    rows, roots = logs[interior].tolist(), solutions.x[indices][interior].tolist()
    workers = processes or os.cpu_count() or 1
    if workers > 1 and len(rows) >= PARALLEL_MINIMUM:
        _interval_kernels(name)  # compile once, before the workers fork
        step = -(-len(rows) // workers)
        tasks = [(rows[i:i + step], roots[i:i + step], name) for i in range(0, len(rows), step)]
        # the parent proves the first share while the workers prove the others
        with _forked_pool(len(tasks) - 1) as pool:
            others = pool.map_async(_prove_rows, tasks[1:])
            flags = _prove_rows(tasks[0])
            flags += [flag for part in others.get() for flag in part]
    else:
        flags = _prove_rows((rows, roots, name))
    proofs = np.zeros(len(indices), dtype=bool)
    proofs[interior] = flags
    return proofs
