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

#: The most points a sweep solves (about 1.5 GB of memory and 3.5 GB of CSV).
MAX_POINTS = 10_000_000
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


def parse_spec(spec: str) -> GridSpec:
    """Parse and check ``NAME=lo:hi:count`` or ``NAME=lo:hi:lin|log:count``."""
    name, sep, rest = spec.partition("=")
    if not sep or name not in NAMES:
        raise InputError(f"--grid {spec!r}: expected {GRID_FORMAT} with NAME one of "
                         f"{', '.join(NAMES)}")
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


def parse_grid(spec: str) -> Axis:
    """One --grid's values."""
    return parse_spec(spec).axis()


def parse_grids(specs: list[str]) -> list[Axis]:
    """Every --grid (first varies slowest): each parameter at most once, at most
    MAX_POINTS points in all, checked before any values are made."""
    parsed = [parse_spec(spec) for spec in specs]
    names = [grid.name for grid in parsed]
    repeated = [name for i, name in enumerate(names) if name in names[:i]]
    if repeated:
        raise InputError(f"--grid {repeated[0]} given more than once; one --grid per "
                         "parameter")
    size = math.prod(grid.count for grid in parsed)
    if size > MAX_POINTS:
        raise InputError(f"the grid has {size} points; at most {MAX_POINTS}")
    return [grid.axis() for grid in parsed]


def grid_columns(axes: list[Axis], fixed: dict[str, float | None]) -> dict[str, np.ndarray]:
    """Cartesian product of the axes (first axis slowest) with the fixed parameters."""
    names = [axis.name for axis in axes]
    if len(set(names)) != len(names):
        raise InputError("each parameter may have one --grid")
    both = [name for name in names if fixed.get(name) is not None]
    if both:
        raise InputError(f"--{both[0]} and --grid {both[0]}=... both given; give one")
    size = math.prod(axis.values.size for axis in axes)
    if size > MAX_POINTS:
        raise InputError(f"the grid has {size} points; at most {MAX_POINTS}")
    mesh = np.meshgrid(*(axis.values for axis in axes), indexing="ij")
    values = {name: m.ravel() for name, m in zip(names, mesh)}
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


def write_csv(path: Path, columns: dict[str, np.ndarray], solutions) -> None:
    """Every point: parameters, outputs, regime, certificate flags and, for an invalid
    point, why; written atomically."""
    from .numeric.vectorized import OUTPUTS

    regime, reason = solutions.regime, solutions.reason
    data = [columns[name] for name in NAMES] + [getattr(solutions, name) for name in OUTPUTS]
    flags = [getattr(solutions, name) for name in FLAGS]
    with atomic_writer(path) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([*NAMES, *OUTPUTS, "regime", *FLAGS, "reason"])
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
              progress=None, *, force: bool = False) -> SweepOutcome:
    """Check --out, solve the grid, write the CSV; the summary and the sampled check."""
    from .numeric.crosscheck import sampled_max_error
    from .numeric.vectorized import prepare, solve_many

    if samples < 0:
        raise InputError("--check must be >= 0")
    columns = grid_columns(axes, fixed)
    target = check_output_file(out, force=force)
    # the one-time kernel build is reported apart from the solve rate
    start = time.perf_counter()
    if progress:
        progress(0, 1, "building kernels")
    prepare()
    built = time.perf_counter()
    solutions = solve_many(progress=progress, mark_invalid=True, **columns)
    elapsed = max(time.perf_counter() - built, 1e-9)
    check = sampled_max_error(columns, solutions, samples)
    write_csv(target, columns, solutions)
    size = solutions.n.size
    names, counts = np.unique(solutions.regime.astype(str), return_counts=True)
    regimes = ", ".join(f"{count} {name}" for name, count in zip(names, counts))
    summary = (f"{size} points, {size / elapsed:.4g} solves/s (kernels built in "
               f"{built - start:.1f} s), "
               f"{int(solutions.certified.sum())} certified ({regimes}), sampled max rel. "
               f"error {check.max_rel_error:.2e} ({check.compared} points at 50 digits"
               f"{_failures(check)}) -> {out}")
    return SweepOutcome(summary, check)
