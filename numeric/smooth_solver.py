"""Vectorized solver for any model with a smooth law: the public entry ``solve_smooth``.

For every point (parameters broadcast like numpy) the optimum of the concentrated profit
Pi(x, y), x = log n, y = log d, is found by the safeguarded Newton of
:mod:`.smooth_newton` (continuation along the point order, cold starts on the
compute-optimal path, the data cap as a KKT case) and certified there: scaled gradient
below GRAD_TOL, Hessian negative definite, t* > 0 and profit > 0 (at a corner: the
multiplier not negative).  Uniqueness is not proven (see :mod:`profitopt.symbolic.smooth`);
a certified point is a producing strict local maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .memory import keep_freed_memory
from ..errors import InputError
from .kernels import smooth_problem
from .parameters import parameters_class
from .smooth_newton import (CORNER, FAILED, INTERIOR, NRESULT, SHUTDOWN, build_loop,
                            certified as certified_rows)
from .solver import COMPUTE_BOUND, DATA_BOUND
from .solver import SHUTDOWN as SHUTDOWN_NAME

#: Regime names, by code: UNSOLVED where a producing start existed but no start converged.
REGIMES = (COMPUTE_BOUND, DATA_BOUND, SHUTDOWN_NAME, "unsolved", "invalid")
#: Points per compiled call (a progress report after each).
CHUNK = 1 << 16


@dataclass(frozen=True)
class SmoothSolutions:
    """Arrays of optima of the broadcast shape, and their certificates.

    ``n``, ``d``, ``t`` (parameters, training and served tokens), ``q``, ``profit`` and
    ``costs`` (each FLOP count and cost term by name: the paper's train_flops, train_cost,
    infer_cost); zero on shutdown, nan where unsolved or invalid.  ``regime_code`` indexes
    REGIMES; ``certified``: a producing local maximum whose certificate holds;
    ``gradient``: the largest scaled first-order residual |dPi/dx_i|/C there;
    ``iterations``: Newton iterations; ``warm``: solved from the previous point's optimum.
    """

    n: np.ndarray
    d: np.ndarray
    t: np.ndarray
    q: np.ndarray
    profit: np.ndarray
    costs: dict[str, np.ndarray]
    regime_code: np.ndarray
    certified: np.ndarray
    gradient: np.ndarray
    iterations: np.ndarray
    warm: np.ndarray
    reason_code: np.ndarray

    @property
    def regime(self) -> np.ndarray:
        """Regime names per point."""
        codes = self.regime_code
        return np.asarray(REGIMES, dtype=object)[codes.reshape(-1)].reshape(codes.shape)

    def __getattr__(self, name: str) -> np.ndarray:
        costs = self.__dict__.get("costs", {})
        if name in costs:
            return costs[name]
        raise AttributeError(name)


@lru_cache(maxsize=None)
def compiled_loop(name: str):
    """The compiled per-chunk loop of model ``name`` (numba, once per process)."""
    k = smooth_problem(name)
    return build_loop(k.point_scalar.function, k.frontier_scalar.function,
                      k.outputs_scalar.function, k.cap_index)


def prepare(name: str) -> None:
    """Build the kernels and compile the loop now (a few seconds once per process)."""
    compiled_loop(name)(np.zeros((0, len(smooth_problem(name).specs))),
                        np.zeros((0, NRESULT)))


def solve_smooth(name: str, *, progress=None, mark_invalid: bool = False,
                 **arrays: object) -> SmoothSolutions:
    """Profit-optimal (n, d, t) of the smooth model ``name`` for arrays of its parameters
    (broadcast together; an optional cap may be None or inf: absent).

    A point outside the model's domain raises InputError, or with ``mark_invalid`` gets the
    regime ``invalid``.  Points are solved in the broadcast (C) order, each warm-started
    from the one before where they differ in one parameter: put the parameter that varies
    smoothly last for the fastest solve.  ``progress(done, total, label)`` after each chunk.
    """
    keep_freed_memory()  # chunk temporaries are reused, not faulted back in (see .memory)
    k = smooth_problem(name)
    domain = parameters_class(name).domain
    unknown = set(arrays) - set(domain.names)
    if unknown:
        raise InputError(f"unknown parameters for the model {name!r}: {sorted(unknown)}")
    values = {}
    for spec in k.specs:
        value = arrays.get(spec.name)
        if value is None:
            if not spec.optional:
                raise InputError(f"missing parameter {spec.name}")
            value = np.inf
        values[spec.name] = np.asarray(value, dtype=float)
    shape = np.broadcast_shapes(*(v.shape for v in values.values()))
    codes = domain.reason_codes(values).reshape(-1)
    if codes.any() and not mark_invalid:
        bad = int(np.flatnonzero(codes)[0])
        raise InputError(f"{domain.reasons[codes[bad]]} (point {bad})")
    rows = np.empty((codes.size, len(k.specs)))
    with np.errstate(divide="ignore", invalid="ignore"):
        for j, spec in enumerate(k.specs):
            value = np.log(values[spec.name]) if spec.logarithmic else values[spec.name]
            rows[:, j] = np.broadcast_to(value, shape).reshape(-1)
    size = rows.shape[0]
    loop = compiled_loop(name)
    if codes.any():
        index = np.flatnonzero(codes == 0)
        rows = rows[index]
    packed = np.empty((NRESULT, rows.shape[0]))  # by column: the outputs read columns
    chunk_results = np.zeros((min(CHUNK, rows.shape[0]), NRESULT))
    for start in range(0, rows.shape[0], CHUNK):
        part = slice(start, start + CHUNK)
        count = rows[part].shape[0]
        loop(rows[part], chunk_results[:count])
        packed[:, part] = chunk_results[:count].T
        if progress:
            progress(min(start + CHUNK, rows.shape[0]), rows.shape[0], "solving")
    packed = packed.T
    if codes.any():
        results = np.zeros((NRESULT, size)).T
        results[:, 2] = SHUTDOWN
        results[index] = packed
    else:
        results = packed
    return _assemble(k, values, results, codes, shape)


def _assemble(k, values, results, codes, shape) -> SmoothSolutions:
    """Outputs at the reported (x, y): n, d, t, q, profit (from the loop's output logs) and
    the model's cost terms; 0 on shutdown, nan where unsolved or invalid."""
    status = results[:, 2].astype(np.int8)
    regime = status.copy()  # INTERIOR, CORNER, SHUTDOWN, FAILED are codes 0-3 of REGIMES
    regime[codes != 0] = REGIMES.index("invalid")
    producing = (regime == 0) | (regime == 1)
    shutdown = regime == REGIMES.index(SHUTDOWN_NAME)
    with np.errstate(over="ignore", invalid="ignore"):
        out = {"n": np.exp(results[:, 0]), "d": np.exp(results[:, 1]),
               "t": np.exp(results[:, 12]), "q": np.exp(results[:, 11]),
               "profit": np.exp(results[:, 13]) - np.exp(results[:, 14])}
        full = (*(out[name_].reshape(shape) for name_ in ("n", "d", "t")),
                *(values[spec.name] for spec in k.specs))
        costs = {name_: np.broadcast_to(kernel.numpy(*full), shape).reshape(-1).copy()
                 for name_, kernel in zip((*k.flops_fields, *k.cost_fields),
                                          (*k.flops, *k.costs))}
    for array in (*out.values(), *costs.values()):
        np.copyto(array, 0.0, where=shutdown)
        np.copyto(array, np.nan, where=~producing & ~shutdown)
    ok = certified_rows(results) & producing
    return SmoothSolutions(
        **{name_: value.reshape(shape) for name_, value in out.items()},
        costs={name_: value.reshape(shape) for name_, value in costs.items()},
        regime_code=regime.reshape(shape), certified=ok.reshape(shape),
        gradient=results[:, 4].reshape(shape),
        iterations=results[:, 3].astype(np.int32).reshape(shape),
        warm=(results[:, 10] > 0).reshape(shape), reason_code=codes.reshape(shape))
