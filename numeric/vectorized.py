"""Vectorized solver: many parameter sets at once, each with a cheap certificate.

The public entry (``solve_many``, ``prepare``) and the names other modules import
(``Solutions``, ``REGIMES``, ``OUTPUTS``, ``columns_of``, ...).  For every point the
optimum x* = log n* is the right root of the balance S(x), strictly concave on
(x_0, x_peak) with S(x_peak-) = -inf, where x_peak, the margin peak, has a closed form.
Newton's method on a concave decreasing function started to the right of its root
moves monotonically left onto the root and never overshoots.  One module per stage:

- :mod:`.batch_columns`: parameters broadcast into columns, the kernels' log parameters;
- :mod:`.batch_start`: starts from the training-dominated law or near x_peak;
- :mod:`.batch_iteration`: bracketed Newton passes (the compiled loops of :mod:`.newton`);
- :mod:`.batch_cap`: the data-cap corner and cap shutdowns;
- :mod:`.batch_polish`: one extended-precision Newton step for |log n*| > POLISH_ABOVE;
- :mod:`.batch_certificate`: S > 0 left and S < 0 right of x*;
- :mod:`.batch_assembly`: outputs, regimes and flags into arrays;
- :mod:`.batch_chunk`: the stages in order on one chunk, with the scalar fallback;
- :mod:`.batch_solutions`: the result type.

Points are solved in chunks of CHUNK (the iteration's state stays in cache).
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from .batch_assembly import DENSE_SHARE, LOG_DOUBLE_MAX
from .batch_certificate import CERTIFICATE_WIDTH
from .batch_chunk import solve_chunk
from .batch_columns import columns_of, domain_codes, refuse
from .batch_iteration import MAX_NEWTON
from .batch_polish import POLISH_ABOVE, POLISH_STEP
from .batch_solutions import CODE, DTYPES, OUTPUTS, REGIMES, Solutions
from .batch_start import LAW_CROSSOVER, PEAK_DPS, START_OFFSETS
from .kernels import model_kernels, start_kernels
from .memory import keep_freed_memory
from .parameters import NAMES

__all__ = ["CERTIFICATE_WIDTH", "CHUNK", "DENSE_SHARE", "LAW_CROSSOVER", "LOG_DOUBLE_MAX",
           "MAX_NEWTON", "NAMES", "OUTPUTS", "PEAK_DPS", "POLISH_ABOVE", "POLISH_STEP",
           "REGIMES", "START_OFFSETS", "Solutions", "columns_of", "prepare", "solve_many"]

CHUNK = 1 << 15


def prepare() -> None:
    """Build the solver's kernels now rather than inside the first call of
    :func:`solve_many`: the SymPy derivation and lambdify (about 15 s once per process),
    then the compiled per-point loops (numba, about 1 s), by a solve of a few points."""
    model_kernels()
    start_kernels()
    solve_many(alpha=0.3, beta=0.3, gamma=np.array([-0.5, 0.0, 0.5]), a=10.0, b=10.0,
               omega=1.0, delta=1e-12, E=np.array([[1e10], [1e30]]))


def solve_many(progress=None, *, mark_invalid: bool = False, **parameters: object
               ) -> Solutions:
    """Profit-optimal (n, d, t) for arrays of parameters (broadcast together; D may be absent).

    A point outside the domain (parameters.reason_codes) raises InputError, or, with
    ``mark_invalid``, gets the regime ``invalid``, nan outputs and its ``reason_code``
    while every other point is solved.  ``progress(done, total, label)`` is called after
    every chunk of CHUNK points.  The first call raises glibc's heap trim threshold for
    the process (see :mod:`profitopt.numeric.memory`): chunk temporaries are reused, not
    faulted back in.
    """
    columns = columns_of(**parameters)
    codes = domain_codes(columns)
    if codes.any():
        if not mark_invalid:
            refuse(columns, codes)
        return _solve_valid_points(columns, codes, progress)
    return _solve_columns(columns, progress)


def _solve_valid_points(columns: dict[str, np.ndarray], codes: np.ndarray,
                        progress) -> Solutions:
    """Solve the points inside the domain; the others are ``invalid`` with their reason."""
    valid = np.flatnonzero(codes == 0)
    solved = _solve_columns({name: column[valid] for name, column in columns.items()},
                            progress)
    result = Solutions(**{f.name: np.full(codes.size, np.nan) if f.name not in DTYPES
                          else np.zeros(codes.size, dtype=DTYPES[f.name])
                          for f in fields(Solutions)})
    result.regime_code[:] = CODE["invalid"]
    result.reason_code[:] = codes
    for f in fields(Solutions):
        getattr(result, f.name)[valid] = getattr(solved, f.name)
    return result


def _solve_columns(columns: dict[str, np.ndarray], progress) -> Solutions:
    """solve_many on columns inside the domain, chunk by chunk."""
    keep_freed_memory()
    size = columns["E"].size
    result = Solutions(**{f.name: np.empty(size, dtype=DTYPES.get(f.name, float))
                          for f in fields(Solutions)})
    for i in range(0, size, CHUNK):
        part = slice(i, i + CHUNK)
        solve_chunk({k: v[part] for k, v in columns.items()},
                    {f.name: getattr(result, f.name)[part] for f in fields(Solutions)})
        result.reason_code[part] = 0
        if progress:
            progress(min(i + CHUNK, size), size, "solving")
    return result
