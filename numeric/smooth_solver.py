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

from ..errors import InputError
from .kernels import smooth_problem
from .parameters import parameters_class
from .smooth_newton import (CORNER, FAILED, INTERIOR, NRESULT, SHUTDOWN, build_loop,
                            certified as certified_rows)
from .solver import COMPUTE_BOUND, DATA_BOUND
from .solver import SHUTDOWN as SHUTDOWN_NAME

#: Regime names, by code: UNSOLVED where a producing start existed but no start converged.
REGIMES = (COMPUTE_BOUND, DATA_BOUND, SHUTDOWN_NAME, "unsolved", "invalid")
_CODES = {INTERIOR: 0, CORNER: 1, SHUTDOWN: 2, FAILED: 3}
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
        return np.asarray(REGIMES, dtype=object)[self.regime_code]

    def __getattr__(self, name: str) -> np.ndarray:
        costs = self.__dict__.get("costs", {})
        if name in costs:
            return costs[name]
        raise AttributeError(name)


@lru_cache(maxsize=None)
def compiled_loop(name: str):
    """The compiled per-chunk loop of model ``name`` (numba, once per process)."""
    k = smooth_problem(name)
    return build_loop(k.point_scalar.function, k.frontier_scalar.function, k.cap_index)


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
    columns = {name_: np.broadcast_to(v, shape).ravel() for name_, v in values.items()}
    codes = domain.reason_codes(columns)
    if codes.any() and not mark_invalid:
        bad = int(np.flatnonzero(codes)[0])
        raise InputError(f"{domain.reasons[codes[bad]]} (point {bad})")
    with np.errstate(divide="ignore", invalid="ignore"):
        rows = np.column_stack([np.log(columns[spec.name]) if spec.logarithmic
                                else columns[spec.name] for spec in k.specs]) \
            if columns else np.zeros((0, 0))
    size = rows.shape[0]
    results = np.zeros((size, NRESULT))
    valid = codes == 0
    loop = compiled_loop(name)
    index = np.flatnonzero(valid)
    packed = np.ascontiguousarray(rows[index])
    packed_results = np.zeros((index.size, NRESULT))
    for start in range(0, index.size, CHUNK):
        part = slice(start, start + CHUNK)
        loop(packed[part], packed_results[part])
        if progress:
            progress(min(start + CHUNK, index.size), index.size, "solving")
    results[index] = packed_results
    return _assemble(k, columns, rows, results, codes, shape)


def _assemble(k, columns, rows, results, codes, shape) -> SmoothSolutions:
    """Outputs at the reported (x, y): n, d, t, q, profit and the model's cost terms."""
    status = results[:, 2].astype(int)
    regime = np.array([_CODES[s] for s in range(4)], dtype=np.int8)[np.clip(status, 0, 3)]
    regime[codes != 0] = REGIMES.index("invalid")
    producing = (regime == 0) | (regime == 1)
    x, y = results[:, 0], results[:, 1]
    log_params = [rows[:, j] for j in range(rows.shape[1])]
    natural = [columns[spec.name] for spec in k.specs]
    size = x.size
    out = {field: np.zeros(size) for field in ("n", "d", "t", "q", "profit")}
    costs = {field: np.zeros(size) for field in (*k.flops_fields, *k.cost_fields)}
    unsolved = ~producing & (regime != REGIMES.index(SHUTDOWN_NAME))
    if producing.any():
        sel = np.flatnonzero(producing)
        px, py = x[sel], y[sel]
        lp = [col[sel] for col in log_params]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            n, d = np.exp(px), np.exp(py)
            t = np.exp(k.log_served_tokens.numpy(px, py, *lp))
            q = np.exp(k.point[0].numpy(px, py, *lp))
            profit = (np.exp(k.point[10].numpy(px, py, *lp))
                      - np.exp(k.point[11].numpy(px, py, *lp)))
            full = (n, d, t, *(col[sel] for col in natural))
            for name_, kernel in zip((*k.flops_fields, *k.cost_fields), (*k.flops, *k.costs)):
                costs[name_][sel] = np.broadcast_to(kernel.numpy(*full), sel.shape)
        for name_, value in zip(("n", "d", "t", "q", "profit"), (n, d, t, q, profit)):
            out[name_][sel] = value
    for array in (*out.values(), *costs.values()):
        array[unsolved] = np.nan
    ok = certified_rows(results) & producing & (codes == 0)
    return SmoothSolutions(
        **{name_: value.reshape(shape) for name_, value in out.items()},
        costs={name_: value.reshape(shape) for name_, value in costs.items()},
        regime_code=regime.reshape(shape), certified=ok.reshape(shape),
        gradient=results[:, 4].reshape(shape),
        iterations=results[:, 3].astype(np.int32).reshape(shape),
        warm=(results[:, 10] > 0).reshape(shape), reason_code=codes.reshape(shape))
