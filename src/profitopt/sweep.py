"""profitopt sweep: solve a grid of parameter sets and write every solution to CSV."""

from __future__ import annotations

import csv
import io
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputError
from .files import write_atomically
from .numeric.crosscheck import sampled_max_error
from .numeric.vectorized import NAMES, OUTPUTS, columns_of, prepare, solve_many

MAX_POINTS = 50_000_000


@dataclass(frozen=True)
class Axis:
    """NAME=lo:hi[:log]:count -- count values from lo to hi, linear or log-spaced."""

    name: str
    values: np.ndarray


def parse_grid(spec: str) -> Axis:
    """Parse ``NAME=lo:hi:count`` or ``NAME=lo:hi:log:count``."""
    name, sep, rest = spec.partition("=")
    if not sep or name not in NAMES:
        raise InputError(f"--grid {spec!r}: expected NAME=lo:hi[:log]:count with NAME one of "
                         f"{', '.join(NAMES)}")
    parts = rest.split(":")
    spacing = "lin"
    if len(parts) == 4:
        spacing = parts.pop(2)
    if len(parts) != 3 or spacing not in ("lin", "log"):
        raise InputError(f"--grid {spec!r}: expected NAME=lo:hi[:log]:count")
    try:
        lo, hi, count = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise InputError(f"--grid {spec!r}: bounds must be numbers and count an integer") from None
    if count < 1 or not (math.isfinite(lo) and math.isfinite(hi)):
        raise InputError(f"--grid {spec!r}: need finite bounds and count >= 1")
    if spacing == "log":
        if lo <= 0 or hi <= 0:
            raise InputError(f"--grid {spec!r}: log spacing needs positive bounds")
        return Axis(name, np.geomspace(lo, hi, count))
    return Axis(name, np.linspace(lo, hi, count))


def grid_columns(axes: list[Axis], fixed: dict[str, float | None]) -> dict[str, np.ndarray]:
    """Cartesian product of the axes (first axis slowest) with the fixed parameters."""
    names = [axis.name for axis in axes]
    if len(set(names)) != len(names):
        raise InputError("each parameter may have one --grid")
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
    return columns_of(**values)


def write_csv(path: Path, columns: dict[str, np.ndarray], solutions) -> None:
    """Every point: parameters, outputs, regime and certificate flags; written atomically."""
    header = [*NAMES, *OUTPUTS, "regime", "margin_positive", "sign_change", "converged",
              "certified"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    regime, certified = solutions.regime, solutions.certified
    data = [columns[name] for name in NAMES] + [getattr(solutions, name) for name in OUTPUTS]
    flags = [solutions.margin_positive, solutions.sign_change, solutions.converged, certified]
    for i in range(regime.size):
        writer.writerow([repr(float(col[i])) for col in data] + [regime[i]]
                        + [int(flag[i]) for flag in flags])
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, buffer.getvalue())


def run_sweep(axes: list[Axis], fixed: dict[str, float | None], out: Path, samples: int,
              progress=None) -> str:
    """Solve the grid, write the CSV, return the summary line."""
    if out.exists() and out.is_dir():
        raise InputError(f"--out {out} is a directory")
    columns = grid_columns(axes, fixed)
    # the one-time kernel build is reported apart from the solve rate
    start = time.perf_counter()
    if progress:
        progress(0, 1, "building kernels")
    prepare()
    built = time.perf_counter()
    solutions = solve_many(progress=progress, **columns)
    elapsed = time.perf_counter() - built
    error, compared = sampled_max_error(columns, solutions, samples)
    write_csv(out, columns, solutions)
    size = solutions.n.size
    names, counts = np.unique(solutions.regime, return_counts=True)
    regimes = ", ".join(f"{count} {name}" for name, count in zip(names, counts))
    return (f"{size} points, {size / elapsed:.4g} solves/s (kernels built in "
            f"{built - start:.1f} s), "
            f"{int(solutions.certified.sum())} certified ({regimes}), sampled max rel. error "
            f"{error:.2e} ({compared} points at 50 digits) -> {out}")
