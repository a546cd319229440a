"""One chunk of the vectorized solver: the stages in order, and the scalar fallback.

For each point, on the kink a n^alpha = b d^beta with t = t*, the optimum x* = log n* is
the right root of the balance S(x), strictly concave on (x_0, x_peak) where x_peak, the
margin peak, has a closed form (finite where 1 + alpha gamma > 0).  The stages:

1. the cap decides the points it can alone (:mod:`.batch_cap`);
2. bracketed Newton from asymptotic starts (:mod:`.batch_start`, :mod:`.batch_iteration`);
3. the cap against x*, and refusal of points whose start overflows;
4. the scalar solver (:func:`profitopt.numeric.solver.solve_log`) for points without a
   finite x_peak and those the iteration left unresolved;
5. one extended-precision Newton step for far-out roots (:mod:`.batch_polish`);
6. outputs, regimes and certificates (:mod:`.batch_assembly`).
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .batch_assembly import assemble
from .batch_cap import decide_by_cap, settle_capped
from .batch_columns import log_columns
from .batch_iteration import bracketed_newton
from .batch_polish import polish_roots
from .batch_solutions import CODE
from .batch_start import overflows_at_start
from .caps import nearest_caps
from .kernels import model_kernels
from .parameters import NAMES, Parameters
from .solver import COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, solve_log


def chunk_setup(c: dict[str, np.ndarray]):
    """(kernels, log parameters, x_peak (inf where 1 + alpha gamma <= 0), the cap's x_D,
    1 + alpha gamma > 0) for one chunk of columns ``c``."""
    k = model_kernels()
    lp = log_columns(c)
    size = c["E"].size
    with np.errstate(all="ignore"):
        finite_peak = np.broadcast_to(k.peak_rate.numpy(*lp) > 0.0, (size,))
        peak = np.where(finite_peak, k.peak.numpy(*lp), np.inf)
        cap, _ = nearest_caps(k, lp, size)
    return k, lp, peak, cap, finite_peak


def solve_chunk(c: dict[str, np.ndarray], out: dict[str, np.ndarray]) -> None:
    """Solve one chunk of points (columns ``c``) into ``out`` (views of the result's
    arrays)."""
    k, lp, peak, cap, finite_peak = chunk_setup(c)
    with np.errstate(all="ignore"):
        corner, closed = decide_by_cap(k, lp, peak, cap, finite_peak)
        active = finite_peak & ~corner & ~closed
        x, converged, found, first_value, unresolved, evaluated = bracketed_newton(
            k, lp, peak, active, c)
        regime = np.where(found, CODE[COMPUTE_BOUND], CODE[SHUTDOWN])
        regime[corner], x[corner], converged[corner] = CODE[DATA_BOUND], cap[corner], True
        # revenue per token beyond double range makes S inf or nan at the first start:
        # refuse such points, do not report them as shutdown
        overflow = overflows_at_start(k, lp, peak, active, first_value)
        # data cap: the corner where the cap lies left of the interior root
        settle_capped(k, lp, cap, found, x, regime)
        regime = np.where(overflow, CODE["out-of-range"], regime)
    # points without a finite margin peak, and points the iteration left unresolved (see
    # newton.newton_pass): the scalar solver, one by one
    scalar = ~finite_peak | (unresolved & ~overflow)
    solve_scalar(c, np.flatnonzero(scalar), x, regime, converged)
    # float64 rounding of S moves roots far out (and the scalar solver's, which stop at
    # adjacent doubles of a bisection) by more than 1e-13 in n: one extended-precision step
    polish_roots(k, c, x, peak, regime == CODE[COMPUTE_BOUND], scalar)
    assemble(k, lp, c, x, peak, regime, converged, evaluated, out)


def solve_scalar(c: dict[str, np.ndarray], points: np.ndarray, x: np.ndarray,
                 regime: np.ndarray, converged: np.ndarray) -> None:
    """The scalar solver at ``points``, writing x, regime and converged in place; a point
    whose optimum lies beyond double range is out-of-range like any other of the batch."""
    for i in points:
        try:
            located = solve_log(Parameters(**{name: float(c[name][i]) for name in NAMES[:-1]},
                                           D=None if np.isinf(c["D"][i])
                                           else float(c["D"][i])))
        except InputError:
            regime[i], x[i], converged[i] = CODE["out-of-range"], np.nan, False
            continue
        regime[i], x[i], converged[i] = CODE[located.regime], located.x, True
