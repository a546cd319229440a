"""A sweep written block by block into a Zarr store, on Dask workers or in this process,
and resumed after an interruption.

The store is laid out before any block is solved: every variable of the labelled dataset
(:mod:`profitopt.labelled`) with one Zarr chunk per block, the coordinates, the attributes,
and ``block_done``, one boolean per block.  A task solves one block, writes it into its
own chunks (no two tasks touch one chunk) and then marks it done.  Rewriting a block
writes the same bytes, so a task that Dask retries after a worker died duplicates
nothing; a block that was not marked is solved again on ``resume``.  Nothing gathers the
grid: each task holds one block, so a worker's memory is bounded by the chunk size.

The tasks are plain Dask futures (``client.map``): the cluster's scheduler places,
retries and balances them.  ``--scheduler local:N`` starts a ``distributed.LocalCluster``
of N single-threaded worker processes; ``tcp://HOST:PORT`` joins a running scheduler
(dask-jobqueue on Slurm, dask-kubernetes, ...).
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .errors import InputError
from .labelled import (Grid, block_locations, lazy_data, normalize_chunks, require,
                       solve_block, spec_of, to_dataset, variables)

#: The per-block bookkeeping variable of a store.
DONE = "block_done"
#: The store attribute that identifies the sweep it holds (checked by resume).
SPEC = "profitopt_sweep"


@dataclass(frozen=True)
class StoreOutcome:
    """What a run wrote: blocks solved now, blocks found done, points in the grid."""

    path: Path
    solved: int
    skipped: int
    points: int


def parse_scheduler(text: str):
    """A Dask client for ``local:N`` (a new LocalCluster of N worker processes) or
    ``tcp://HOST:PORT`` (a running scheduler); InputError otherwise."""
    distributed = require("distributed")
    if text.startswith("local:"):
        count = text.removeprefix("local:")
        if not count.isdigit() or not 1 <= int(count) <= 1024:
            raise InputError(f"--scheduler {text}: local:N takes N from 1 to 1024 workers")
        # ":0": the dashboard on a free port, so a cluster already serving 8787 is no clash.
        # The worker processes start with Ctrl-C ignored: an interrupt reaches the whole
        # terminal's process group, and this process alone should stop (closing the cluster).
        import signal

        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            cluster = distributed.LocalCluster(n_workers=int(count), threads_per_worker=1,
                                               processes=True, dashboard_address=":0")
        finally:
            signal.signal(signal.SIGINT, previous)
        return distributed.Client(cluster)
    if text.startswith("tcp://") and len(text) > len("tcp://"):
        try:
            return distributed.Client(text, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise InputError(f"--scheduler {text}: no scheduler answers there ({error})") \
                from None
    raise InputError(f"--scheduler {text!r}: give local:N or tcp://HOST:PORT")


def _prepare_store(path: Path, grid: Grid, chunks, *, resume: bool, force: bool) -> None:
    """Lay out a new store (metadata, coordinates, block_done all false), or check that an
    existing one holds this sweep (resume)."""
    zarr = require("zarr")
    spec = spec_of(grid, chunks)
    if resume:
        if not (path / "zarr.json").is_file():
            raise InputError(f"--resume: {path} is not a sweep's Zarr store")
        group = zarr.open_group(str(path), mode="r")
        if group.attrs.get(SPEC) != spec:
            raise InputError(f"--resume: {path} holds a different sweep (another grid, "
                             "chunking, model or profitopt source); start it anew with --force")
        if not (path / DONE / "zarr.json").is_file():
            raise InputError(f"--resume: {path} was laid out only in part (no {DONE}); start "
                             "it anew with --force")
        return
    if path.exists() or path.is_symlink():
        if not force:
            raise InputError(f"{path} exists; --force replaces it, --resume continues it")
        if not path.is_dir() or path.is_symlink() or not (path / "zarr.json").is_file():
            raise InputError(f"{path} is not a Zarr store; refusing to replace it")
        shutil.rmtree(path)
    if not path.parent.is_dir():
        raise InputError(f"--out: directory {path.parent} does not exist")
    dataset = to_dataset(grid, lazy_data(grid, chunks))
    dataset.to_zarr(str(path), mode="w-", compute=False, consolidated=False)
    group = zarr.open_group(str(path), mode="r+")
    group.create_array(DONE, shape=tuple(len(c) for c in chunks), chunks=(1,) * len(chunks),
                       dtype=bool, fill_value=False,
                       dimension_names=[f"block_{name}" for name in grid.dims])
    # the sweep's identity last: a store laid out only in part is no sweep to resume
    group.attrs[SPEC] = spec


def pending_blocks(path: Path, chunks) -> list[tuple[tuple[int, ...], tuple]]:
    """The blocks not yet marked done."""
    zarr = require("zarr")
    done = np.asarray(zarr.open_array(str(path / DONE), mode="r")[...])
    return [(index, location) for index, location in block_locations(chunks)
            if not done[index]]


def write_block(path: str, grid: Grid, index: tuple[int, ...], location: tuple) -> tuple:
    """Solve one block, write it into its chunks, then mark it done (runs on a worker)."""
    import zarr

    solved = solve_block(grid, location)
    region = tuple(slice(start, stop) for start, stop in location)
    group = zarr.open_group(path, mode="r+")
    for name, dtype in variables(grid.model):
        group[name][region] = solved[name].astype(dtype)
    group[DONE][index] = True
    return index


def write_sweep(grid: Grid, path: Path, chunks=None, *, client=None, resume: bool = False,
                force: bool = False, progress: Callable[[int, int, str], None] | None = None
                ) -> StoreOutcome:
    """Solve ``grid`` into the Zarr store ``path`` block by block (on ``client``'s cluster
    if given, else in this process), skipping blocks already done when ``resume``."""
    chunks = normalize_chunks(grid, chunks)
    _prepare_store(path, grid, chunks, resume=resume, force=force)
    pending = pending_blocks(path, chunks)
    total = math.prod(len(c) for c in chunks)
    skipped = total - len(pending)
    if client is None:
        for done, (index, location) in enumerate(pending, start=1):
            write_block(str(path), grid, index, location)
            if progress:
                progress(done, len(pending), "blocks")
    else:
        distributed = require("distributed")
        # the grid (coordinates included) goes to the workers once, not with every task
        shared = client.scatter(grid, broadcast=True)
        futures = client.map(write_block, [str(path)] * len(pending), [shared] * len(pending),
                             [index for index, _ in pending],
                             [location for _, location in pending], pure=False)
        for done, future in enumerate(distributed.as_completed(futures), start=1):
            future.result()
            if progress:
                progress(done, len(pending), "blocks")
    return StoreOutcome(path, len(pending), skipped, grid.size)


def open_sweep(path: str | Path):
    """A sweep's store as a lazy ``xarray.Dataset`` (the bookkeeping variable left out)."""
    xr = require("xarray")
    return xr.open_zarr(str(path), consolidated=False, drop_variables=[DONE])


#: Points per block when --chunk is not given (about 40 MB of results a block).
DEFAULT_CHUNK = 1 << 18
#: Points of a store re-solved in this process after it is written: the stored values
#: must equal a fresh solve bit for bit, and the fresh solve its 50-digit re-solve.
SAMPLE_SEED = 0


@dataclass(frozen=True)
class StoreCheck:
    """Sampled points of a store: how many differ from a fresh solve, and the 50-digit
    check of the fresh solve."""

    compared: int
    differing: int
    max_rel_error: float
    failures: tuple


def check_store(path: Path, grid: Grid, samples: int) -> StoreCheck:
    """Re-solve ``samples`` seeded points of the store in this process: stored and fresh
    values must agree bit for bit, and the fresh ones at 50 digits (paper's model)."""
    from .numeric.crosscheck import sampled_max_error
    from .numeric.vectorized import solve_many

    rng = np.random.default_rng(SAMPLE_SEED)
    flat = np.unique(rng.integers(0, grid.size, size=min(samples, grid.size)))
    indices = np.unravel_index(flat, grid.shape)
    columns = {name: coord[index] for name, coord, index in zip(grid.dims, grid.coords,
                                                               indices)}
    columns.update(dict(grid.fixed))
    stored = open_sweep(path)
    fresh = solve_many(mark_invalid=True, **columns)
    differing = 0
    for name, _ in variables(grid.model):
        values = np.asarray(stored[name].data.vindex[indices].compute())
        if not np.array_equal(values, np.asarray(getattr(fresh, name)), equal_nan=True):
            differing += 1
    from .numeric.vectorized import columns_of

    check = sampled_max_error(columns_of(**columns), fresh, samples)
    return StoreCheck(len(flat), differing, check.max_rel_error, tuple(check.failures))


def run_store_sweep(grid: Grid, out: Path, *, chunk: int | None, scheduler: str | None,
                    resume: bool, force: bool, samples: int, progress=None) -> tuple[str, int]:
    """``profitopt sweep --out X.zarr``: write (or resume) the store, check a sample; the
    summary line and the number of sampled points that failed."""
    import time

    client = parse_scheduler(scheduler) if scheduler else None
    try:
        workers = len(client.scheduler_info()["workers"]) if client else 1
        start = time.perf_counter()
        outcome = write_sweep(grid, out, chunk or DEFAULT_CHUNK, client=client, resume=resume,
                              force=force, progress=progress)
        elapsed = max(time.perf_counter() - start, 1e-9)
    finally:
        if client is not None:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
    check = check_store(out, grid, samples) if grid.model == "paper" else None
    blocks = outcome.solved + outcome.skipped
    solved_points = outcome.points * outcome.solved / max(blocks, 1)
    where = f"{workers} worker{'s' if workers != 1 else ''}" if client else "this process"
    summary = (f"{outcome.points} points in {blocks} blocks ({outcome.solved} solved now, "
               f"{outcome.skipped} already done) on {where}, "
               f"{solved_points / elapsed:.4g} solves/s")
    failed = 0
    if check is not None:
        failed = len(check.failures) + check.differing
        summary += (f"; {check.compared} sampled points: {check.differing} variables differ "
                    f"from a fresh solve, max rel. error at 50 digits "
                    f"{check.max_rel_error:.2e}")
    return summary + f" -> {out}", failed


def write_netcdf(grid: Grid, out: Path, *, force: bool, samples: int) -> tuple[str, int]:
    """``profitopt sweep --out X.nc``: the labelled dataset solved in this process and
    written atomically as NetCDF (the engine xarray finds: netCDF4, h5netcdf or scipy)."""
    import os
    import tempfile
    import time

    from .files import check_output_file
    from .labelled import solve_grid

    target = check_output_file(out, force=force)
    start = time.perf_counter()
    dataset = solve_grid(grid)
    elapsed = max(time.perf_counter() - start, 1e-9)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".nc",
                                             dir=target.parent)
    os.close(descriptor)
    try:
        try:
            dataset.to_netcdf(temporary)
        except ValueError as error:  # no NetCDF engine installed
            raise InputError(f"--out {out}: cannot write NetCDF ({error}); install netCDF4 "
                             "or scipy, or write .zarr or .csv") from None
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    summary = (f"{grid.size} points, {grid.size / elapsed:.4g} solves/s, "
               f"{int(dataset.certified.sum())} certified -> {out}")
    return summary, 0
