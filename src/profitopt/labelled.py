"""Sweeps as labelled N-dimensional results: an ``xarray.Dataset`` per grid.

A grid is the Cartesian product of the swept parameters' values (one dimension each, in
the order given) with every other parameter fixed.  The grid is cut into blocks (one
chunk of every dimension); a block is solved by :func:`solve_block`, which broadcasts
its slice of the coordinates, calls the model's vectorized solver and returns one array
per field.  Every point is solved on its own, so a block's values do not depend on how
the grid is cut: the in-process result and a chunked (Dask) one are the same bit for bit.

Without chunks the grid is one block, solved now, in this process.  With ``chunks`` the
dataset is lazy: each variable is a ``dask.array`` whose blocks call :func:`solve_block`
(on a Dask cluster if one is given or current), so a grid far larger than memory can be
declared and sliced, and only the blocks a computation needs are solved.  Each worker
process builds the model's kernels once (from the on-disk cache) and reuses them for
every block.

xarray and dask are optional (``pip install 'profitopt[distributed]'``); the functions
here import them when called and say what to install when they are missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from . import __version__
from .errors import InputError

#: The extra that brings xarray, dask, distributed and zarr.
EXTRA = "pip install 'profitopt[distributed]'"
#: Long names and units of the paper's output fields (a model file's fields have no unit).
FIELD_ATTRS = {
    "n": ("parameters n*", "parameters"),
    "d": ("training tokens d*", "tokens"),
    "t": ("served tokens t*", "tokens"),
    "q": ("quality q* = min(a n^alpha, b d^beta)", "1"),
    "profit": ("profit at the optimum", "dollars"),
    "train_flops": ("training compute 6 n* d*", "FLOPs"),
    "train_cost": ("training spend 6 n* d*/E", "dollars"),
    "infer_cost": ("inference spend 2 n* t*/E", "dollars"),
}
#: The certificate flags stored with every sweep.
FLAGS = ("margin_positive", "sign_change", "converged", "certified")
#: The most points one block may hold (memory per worker is about 150 bytes a point).
MAX_BLOCK_POINTS = 1 << 24


def require(module: str):
    """Import an optional dependency, or say in one line what to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"{module} is not installed; {EXTRA}") from None


@dataclass(frozen=True)
class Grid:
    """What a sweep solves: swept dimensions with their values, and fixed parameters."""

    model: str
    dims: tuple[str, ...]
    coords: tuple[np.ndarray, ...]
    fixed: tuple[tuple[str, float], ...]
    #: A model file's model and summary, shipped with the grid so that a worker process
    #: (which never read the file) can register it; None for the paper's model.
    shipped: tuple[object, str] | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """Points along each dimension."""
        return tuple(c.size for c in self.coords)

    @property
    def size(self) -> int:
        """Points in the grid."""
        return math.prod(self.shape)


def make_grid(model: str = "paper", **parameters: object) -> Grid:
    """Split keyword parameters into swept (one-dimensional arrays, in the order given)
    and fixed (scalars); InputError for an unknown or missing parameter or a swept one
    that is not one-dimensional."""
    from .paramspec import MODELS

    if model not in MODELS:
        raise InputError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    specs = {spec.name: spec for spec in MODELS[model]}
    unknown = [name for name in parameters if name not in specs]
    if unknown:
        raise InputError(f"{unknown[0]!r} is not a parameter of the model {model!r} (its "
                         f"parameters: {', '.join(specs)})")
    dims, coords, fixed = [], [], []
    for name, value in parameters.items():
        array = np.asarray(value, dtype=float)
        if array.ndim == 0:
            fixed.append((name, float(array)))
        elif array.ndim == 1 and array.size >= 1:
            dims.append(name)
            coords.append(array.copy())
        else:
            raise InputError(f"{name}: a swept parameter takes a one-dimensional sequence of "
                             f"values, got shape {array.shape}")
    given = set(parameters)
    for spec in specs.values():
        if spec.name not in given and not spec.optional and spec.default is None:
            raise InputError(f"{spec.name} is needed (a value, or a sequence to sweep)")
    if not dims:
        raise InputError("nothing to sweep: give at least one parameter a sequence of values")
    from .numeric.kernels import is_smooth

    if is_smooth(model):
        raise InputError(f"sweep of the smooth-law model {model!r} is not available yet (the "
                         "sweep's fields and certificates are the kink solver's); "
                         "profitopt.numeric.smooth_solver.solve_smooth solves its grids")
    shipped = None
    if model != "paper":
        from .paramspec import MODEL_SUMMARIES
        from .symbolic.variants import model_named

        shipped = (model_named(model), MODEL_SUMMARIES.get(model, model))
    return Grid(model, tuple(dims), tuple(coords), tuple(fixed), shipped)


def field_names(model: str) -> tuple[str, ...]:
    """The output fields of ``model``'s solutions, in order."""
    if model == "paper":
        from .numeric.vectorized import OUTPUTS

        return OUTPUTS
    from .numeric.kernels import problem

    k = problem(model)
    return ("n", "d", "t", "q", "profit", *k.flops_fields, *k.cost_fields)


def _solver(model: str):
    if model == "paper":
        from .numeric.vectorized import solve_many

        return solve_many
    from functools import partial

    from .numeric.batch_model import solve_model

    return partial(solve_model, model)


def solve_block(grid: Grid, location: tuple[tuple[int, int], ...]) -> dict[str, np.ndarray]:
    """The block of ``grid`` at ``location`` ((start, stop) per dimension): every field, the
    regime code and the certificate flags, each an array of the block's shape."""
    if grid.shipped is not None:
        from .symbolic.variants import BUILDERS, register

        if grid.model not in BUILDERS:  # a worker that has not seen this model file
            register(*grid.shipped)
    slices = [coord[start:stop] for coord, (start, stop) in zip(grid.coords, location)]
    shape = tuple(s.size for s in slices)
    if math.prod(shape) > MAX_BLOCK_POINTS:
        raise InputError(f"a block of {math.prod(shape)} points is larger than "
                         f"{MAX_BLOCK_POINTS}; use smaller chunks")
    mesh = np.meshgrid(*slices, indexing="ij")
    columns = {name: m.ravel() for name, m in zip(grid.dims, mesh)}
    columns.update(dict(grid.fixed))
    solutions = _solver(grid.model)(mark_invalid=True, **columns)
    out = {name: np.asarray(getattr(solutions, name), dtype=float).reshape(shape)
           for name in field_names(grid.model)}
    out["regime_code"] = np.asarray(solutions.regime_code, dtype=np.int8).reshape(shape)
    out["reason_code"] = np.asarray(solutions.reason_code, dtype=np.int8).reshape(shape)
    for flag in FLAGS:
        out[flag] = np.asarray(getattr(solutions, flag), dtype=bool).reshape(shape)
    return out


def variables(model: str) -> tuple[tuple[str, np.dtype], ...]:
    """Every variable of a sweep's dataset with its dtype, in order."""
    return (*((name, np.dtype(float)) for name in field_names(model)),
            ("regime_code", np.dtype(np.int8)), ("reason_code", np.dtype(np.int8)),
            *((flag, np.dtype(bool)) for flag in FLAGS))


def attributes(grid: Grid) -> dict[str, object]:
    """The dataset's attributes: model, its fingerprint, the package version, fixed values."""
    from .numeric.kernels import model_fingerprint

    return {"model": grid.model, "model_fingerprint": model_fingerprint(),
            "profitopt_version": __version__,
            "fixed": ", ".join(f"{name}={value!r}" for name, value in grid.fixed)}


def variable_attributes(model: str, name: str) -> dict[str, object]:
    """Long name, units and flag meanings of one variable."""
    from .numeric.parameters import REASONS
    from .numeric.vectorized import REGIMES

    if name in FIELD_ATTRS and model == "paper":
        long_name, units = FIELD_ATTRS[name]
        return {"long_name": long_name, "units": units}
    if name == "regime_code":
        return {"long_name": "regime of the optimum", "flag_values": list(range(len(REGIMES))),
                "flag_meanings": " ".join(r.replace(" ", "_") for r in REGIMES)}
    if name == "reason_code":
        return {"long_name": "why a point lies outside the domain (0: inside)",
                "flag_values": list(range(len(REASONS))),
                "flag_meanings": " ".join((r or "inside").replace(" ", "_") for r in REASONS)}
    if name in FLAGS:
        return {"long_name": f"certificate: {name.replace('_', ' ')}"}
    return {"long_name": name}


def coordinate_attributes(model: str, name: str) -> dict[str, object]:
    """Long name and unit of a swept parameter, from its declaration."""
    from .paramspec import MODELS

    (spec,) = [s for s in MODELS[model] if s.name == name]
    return {"long_name": spec.meaning, "units": spec.unit or "1"}


def to_dataset(grid: Grid, data: Mapping[str, object]):
    """The labelled dataset of ``grid`` with ``data`` (numpy or dask arrays) as variables."""
    xr = require("xarray")
    coords = {name: (name, values, coordinate_attributes(grid.model, name))
              for name, values in zip(grid.dims, grid.coords)}
    data_vars = {name: (grid.dims, data[name], variable_attributes(grid.model, name))
                 for name, _ in variables(grid.model)}
    return xr.Dataset(data_vars, coords=coords, attrs=attributes(grid))


def normalize_chunks(grid: Grid, chunks: int | Mapping[str, int] | None
                     ) -> tuple[tuple[int, ...], ...]:
    """Chunk sizes along each dimension: a mapping per dimension (absent: whole), or one
    number of points per block, cut from the last dimension first."""
    if chunks is None:
        return tuple((n,) for n in grid.shape)
    if isinstance(chunks, Mapping):
        unknown = [k for k in chunks if k not in grid.dims]
        if unknown:
            raise InputError(f"chunks: {unknown[0]!r} is not a swept dimension")
        sizes = [int(chunks.get(name, n)) for name, n in zip(grid.dims, grid.shape)]
    else:
        budget = int(chunks)
        if budget < 1:
            raise InputError(f"chunks must be at least 1 point, got {chunks}")
        sizes = []
        for n in reversed(grid.shape):
            take = max(1, min(n, budget))
            sizes.append(take)
            budget = max(1, budget // take)
        sizes.reverse()
    if any(size < 1 for size in sizes):
        raise InputError("chunks must be at least 1 along every dimension")
    return tuple(tuple(min(size, n - start) for start in range(0, n, size))
                 for size, n in zip(sizes, grid.shape))


def block_locations(chunks: tuple[tuple[int, ...], ...]):
    """Every block as (index, ((start, stop) per dimension)), in C order."""
    import itertools

    edges = [np.concatenate(([0], np.cumsum(c))).astype(int) for c in chunks]
    for index in itertools.product(*(range(len(c)) for c in chunks)):
        yield index, tuple((int(e[i]), int(e[i + 1])) for e, i in zip(edges, index))


def identity(grid: Grid, chunks: tuple[tuple[int, ...], ...]) -> str:
    """SHA-256 of the sweep's identity: model, its fingerprint, dimensions, exact coordinate
    values, fixed values and the chunking."""
    import hashlib

    return hashlib.sha256(spec_of(grid, chunks).encode()).hexdigest()


def spec_of(grid: Grid, chunks: tuple[tuple[int, ...], ...]) -> str:
    """The sweep's identity as JSON text: model, its fingerprint, dimensions, coordinate
    values (exact, as hex floats), fixed values and the chunking."""
    import json

    from .numeric.kernels import model_fingerprint

    return json.dumps({
        "model": grid.model, "fingerprint": model_fingerprint(), "dims": list(grid.dims),
        "coords": [[float(v).hex() for v in c] for c in grid.coords],
        "fixed": [[name, float(value).hex()] for name, value in grid.fixed],
        "chunks": [list(c) for c in chunks]}, sort_keys=True)


def lazy_data(grid: Grid, chunks: tuple[tuple[int, ...], ...]) -> dict[str, object]:
    """One dask array per variable; block i of every variable comes from one call of
    :func:`solve_block` (the variables share it)."""
    da = require("dask.array")
    names = variables(grid.model)
    template = da.zeros(grid.shape, chunks=chunks, dtype=np.int8)

    def stacked(block, block_info=None):
        location = tuple(tuple(span) for span in block_info[0]["array-location"])
        solved = solve_block(grid, location)
        return np.stack([solved[name].astype(float) for name, _ in names])

    # the key names this grid and chunking: two sweeps never share a block's key
    together = da.map_blocks(stacked, template, dtype=float, new_axis=0,
                             chunks=((len(names),), *chunks),
                             name=f"profitopt-solve-{identity(grid, chunks)[:32]}")
    return {name: together[i].astype(dtype) for i, (name, dtype) in enumerate(names)}


def sweep(model: str = "paper", *, chunks: int | Mapping[str, int] | None = None,
          **parameters: object):
    """The optimum over a grid as an ``xarray.Dataset``.

    Each parameter given a one-dimensional sequence is a dimension (its values the
    coordinate, in the order given); the others are fixed.  Variables: every output field
    (n, d, t, q, profit, training FLOPs and spend, inference spend for the paper's model;
    units and long names in their attributes), ``regime_code`` and ``reason_code`` (their
    meanings in ``flag_meanings``) and the certificate flags.  The dataset's attributes
    hold the model, its fingerprint and the profitopt version.

    Without ``chunks`` the grid is solved now, in this process.  With ``chunks`` (points
    per block, or a size per dimension) the variables are lazy dask arrays: nothing is
    solved until they are computed, written (``to_zarr``) or sliced and computed, and then
    on the current Dask client if there is one.
    """
    grid = make_grid(model, **parameters)
    if chunks is None:
        return solve_grid(grid)
    return to_dataset(grid, lazy_data(grid, normalize_chunks(grid, chunks)))


def solve_grid(grid: Grid):
    """The whole grid as one block, solved now in this process, as a labelled dataset."""
    return to_dataset(grid, solve_block(grid, tuple((0, n) for n in grid.shape)))
