"""profitopt sweep: solve a grid of parameter sets and write every solution to CSV.

Grid rules (``--grid NAME=lo:hi[:lin|:log]:count``): NAME is a parameter, each at most
once and not also fixed by its own flag; lo and hi are finite ASCII numbers with
lo < hi (or lo = hi with count 1); ``log`` spacing needs lo > 0; the grid (the product
of the counts) has at most MAX_POINTS points.  A malformed grid is an InputError; a
point of a well-formed grid outside the model's domain is an ``invalid`` row with its
reason.
"""

from __future__ import annotations

import csv
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from typing import TYPE_CHECKING

from .errors import InputError
from .files import atomic_writer, check_output_file
from .numeric.parameters import NAMES, parse_count, parse_number

if TYPE_CHECKING:
    from .numeric.crosscheck import SampleCheck

# The solver's modules (SymPy kernels) are imported where a sweep runs, so that the
# command line's parser reads the grid rules below without building them.

#: The most points a sweep solves into CSV or NetCDF (about 1.5 GB of memory and 3.5 GB
#: of CSV); a Zarr store is written block by block and takes up to MAX_STORE_POINTS.
MAX_POINTS = 10_000_000
MAX_STORE_POINTS = 10**12
SPACINGS = ("lin", "log")
GRID_FORMAT = "NAME=lo:hi[:lin|:log]:count"
FLAGS = ("margin_positive", "sign_change", "converged", "certified")


@dataclass(frozen=True)
class Axis:
    """NAME=lo:hi[:lin|:log]:count -- count values from lo to hi, linear or log-spaced."""

    name: str
    values: np.ndarray


@dataclass(frozen=True)
class SweepOutcome:
    """The summary line, and the sampled points whose 50-digit re-solve failed."""

    summary: str
    check: "SampleCheck"


@dataclass(frozen=True)
class GridSpec:
    """A parsed --grid, before its values are made."""

    name: str
    lo: float
    hi: float
    spacing: str
    count: int

    def axis(self) -> Axis:
        """The count values."""
        space = np.geomspace if self.spacing == "log" else np.linspace
        return Axis(self.name, space(self.lo, self.hi, self.count))


def model_names(model: str = "paper") -> tuple[str, ...]:
    """The declared parameters of the registered model ``model``, in kernel order
    (InputError for an unknown model)."""
    from .paramspec import MODELS

    try:
        return tuple(spec.name for spec in MODELS[model])
    except KeyError:
        raise InputError(f"unknown model {model!r}; known: {', '.join(MODELS)}") from None


def parse_spec(spec: str, *, model: str = "paper") -> GridSpec:
    """Parse and check ``NAME=lo:hi:count`` or ``NAME=lo:hi:lin|log:count``, NAME one of
    ``model``'s parameters."""
    names = NAMES if model == "paper" else model_names(model)
    name, sep, rest = spec.partition("=")
    if not sep:
        raise InputError(f"--grid {spec!r}: expected {GRID_FORMAT} with NAME one of "
                         f"{', '.join(names)}")
    if name not in names:
        raise InputError(f"--grid {spec!r}: {name!r} is not a parameter of the model "
                         f"{model!r}; expected {GRID_FORMAT} with NAME one of "
                         f"{', '.join(names)}")
    parts = rest.split(":")
    spacing = parts.pop(2) if len(parts) == 4 else "lin"
    if len(parts) != 3 or spacing not in SPACINGS:
        raise InputError(f"--grid {spec!r}: expected {GRID_FORMAT}")
    try:
        lo, hi, count = parse_number(parts[0]), parse_number(parts[1]), parse_count(parts[2])
    except ValueError as error:
        raise InputError(f"--grid {spec!r}: {error}") from None
    if not 1 <= count <= MAX_POINTS:
        raise InputError(f"--grid {spec!r}: count must be 1 to {MAX_POINTS}")
    if lo > hi or (lo == hi and count > 1):
        raise InputError(f"--grid {spec!r}: need lo < hi (lo = hi only with count 1)")
    if spacing == "log" and lo <= 0:
        raise InputError(f"--grid {spec!r}: log spacing needs positive bounds")
    return GridSpec(name, lo, hi, spacing, count)


def parse_grid(spec: str, *, model: str = "paper") -> Axis:
    """One --grid's values."""
    return parse_spec(spec, model=model).axis()


def parse_grids(specs: list[str], *, model: str = "paper", limit: int = MAX_POINTS
                ) -> list[Axis]:
    """Every --grid (first varies slowest): each parameter of ``model`` at most once, at
    most ``limit`` points in all, checked before any values are made."""
    parsed = [parse_spec(spec, model=model) for spec in specs]
    names = [grid.name for grid in parsed]
    repeated = [name for i, name in enumerate(names) if name in names[:i]]
    if repeated:
        raise InputError(f"--grid {repeated[0]} given more than once; one --grid per "
                         "parameter")
    size = math.prod(grid.count for grid in parsed)
    if size > limit:
        raise InputError(f"the grid has {size} points; at most {limit}")
    return [grid.axis() for grid in parsed]


def grid_columns(axes: list[Axis], fixed: dict[str, float | None], *, model: str = "paper"
                 ) -> dict[str, np.ndarray]:
    """Cartesian product of the axes (first axis slowest) with the fixed parameters of
    ``model``; an absent optional parameter is +inf (its cap is off), an absent one with a
    model-file default takes the default."""
    names = [axis.name for axis in axes]
    if len(set(names)) != len(names):
        raise InputError("each parameter may have one --grid")
    declared = NAMES if model == "paper" else model_names(model)
    unknown = [name for name in names if name not in declared]
    if unknown:
        raise InputError(f"--grid {unknown[0]}=...: {unknown[0]!r} is not a parameter of the "
                         f"model {model!r} (its parameters: {', '.join(declared)})")
    both = [name for name in names if fixed.get(name) is not None]
    if both:
        raise InputError(f"--{both[0]} and --grid {both[0]}=... both given; give one")
    size = math.prod(axis.values.size for axis in axes)
    if size > MAX_POINTS:
        raise InputError(f"the grid has {size} points; at most {MAX_POINTS}")
    mesh = np.meshgrid(*(axis.values for axis in axes), indexing="ij")
    values = {name: m.ravel() for name, m in zip(names, mesh)}
    if model != "paper":
        return _model_columns(model, values, fixed)
    for name in NAMES:
        if name in values:
            continue
        if fixed.get(name) is None:
            if name == "D":
                continue
            raise InputError(f"--{name} is needed (or a --grid for it)")
        values[name] = fixed[name]
    from .numeric.vectorized import columns_of

    return columns_of(**values)


def _model_columns(model: str, values: dict[str, np.ndarray],
                   fixed: dict[str, float | None]) -> dict[str, np.ndarray]:
    from .numeric.batch_model import model_columns
    from .paramspec import MODELS

    for spec in MODELS[model]:
        if spec.name in values:
            continue
        value = fixed.get(spec.name)
        if value is None:
            value = spec.default
        if value is None:
            if spec.optional:
                continue
            raise InputError(f"--{spec.name} is needed (or a --grid for it)")
        values[spec.name] = value
    return model_columns(model, **values)


def write_csv(path: Path, columns: dict[str, np.ndarray], solutions) -> None:
    """Every point: parameters, outputs, regime, certificate flags and, for an invalid
    point, why; written atomically.  The columns are the model's: its parameters, then
    its output fields (the paper: NAMES and vectorized.OUTPUTS)."""
    if getattr(solutions, "model", "paper") == "paper":
        from .numeric.vectorized import OUTPUTS

        names, outputs = NAMES, OUTPUTS
    else:
        names, outputs = tuple(columns), tuple(solutions.outputs)
    regime, reason = solutions.regime, solutions.reason
    data = [columns[name] for name in names] + [getattr(solutions, name) for name in outputs]
    flags = [getattr(solutions, name) for name in FLAGS]
    with atomic_writer(path) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([*names, *outputs, "regime", *FLAGS, "reason"])
        for i in range(regime.size):
            writer.writerow([repr(float(col[i])) for col in data] + [regime[i]]
                            + [int(flag[i]) for flag in flags] + [reason[i]])


def _failures(check: "SampleCheck") -> str:
    if not check.failures:
        return ""
    first, message = check.failures[0]
    return (f"; {len(check.failures)} failed at 50 digits, e.g. data row {first + 1}: "
            f"{message}")


def run_sweep(axes: list[Axis], fixed: dict[str, float | None], out: Path, samples: int,
              progress=None, *, force: bool = False, model: str = "paper") -> SweepOutcome:
    """Check --out, solve the grid of ``model``'s parameters, write the CSV; the summary
    and the sampled 50-digit check.

    The paper's model runs the vectorized solver of :mod:`profitopt.numeric.vectorized`
    (its starts are the paper's asymptotic laws); any other registered model runs the
    same stages on its own compiled problem (:mod:`profitopt.numeric.batch_model`), and
    its CSV has the model's parameters and output fields.
    """
    if samples < 0:
        raise InputError("--check must be >= 0")
    from .numeric.kernels import is_smooth
    from .paramspec import MODELS

    if model in MODELS and is_smooth(model):
        raise InputError(f"sweep of the smooth-law model {model!r} is not available yet (the "
                         "sweep's columns and checks are the kink solver's); "
                         "profitopt.numeric.smooth_solver.solve_smooth solves its grids")
    columns = grid_columns(axes, fixed, model=model)
    target = check_output_file(out, force=force)
    # the one-time kernel build is reported apart from the solve rate
    start = time.perf_counter()
    if progress:
        progress(0, 1, "building kernels")
    solve, check_sample = _solver(model)
    built = time.perf_counter()
    solutions = solve(progress=progress, mark_invalid=True, **columns)
    elapsed = max(time.perf_counter() - built, 1e-9)
    check = check_sample(columns, solutions, samples)
    write_csv(target, columns, solutions)
    size = solutions.n.size
    names, counts = np.unique(solutions.regime.astype(str), return_counts=True)
    regimes = ", ".join(f"{count} {name}" for name, count in zip(names, counts))
    of_model = "" if model == "paper" else f" of the model {model!r}"
    summary = (f"{size} points{of_model}, {size / elapsed:.4g} solves/s (kernels built in "
               f"{built - start:.1f} s), "
               f"{int(solutions.certified.sum())} certified ({regimes}), sampled max rel. "
               f"error {check.max_rel_error:.2e} ({check.compared} points at 50 digits"
               f"{_failures(check)}) -> {out}")
    return SweepOutcome(summary, check)


def _solver(model: str):
    """(solve(progress, mark_invalid, **columns), sampled check) of ``model``, its kernels
    and compiled loops built now rather than inside the timed solve."""
    if model == "paper":
        from .numeric.crosscheck import sampled_max_error
        from .numeric.vectorized import prepare, solve_many

        prepare()
        return solve_many, sampled_max_error
    from functools import partial

    from .numeric.batch_model import prepare_model, solve_model
    from .numeric.model_crosscheck import sampled_model_error

    prepare_model(model)
    return partial(solve_model, model), sampled_model_error
