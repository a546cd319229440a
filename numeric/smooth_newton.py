"""Safeguarded Newton for the smooth problem, one compiled loop over the points (numba).

For each point (a row of log parameters) the loop maximizes the concentrated profit
Pi(x, y), x = log n, y = log d, with the model's scalar point kernel (log balances S_i,
gradient g = grad Pi / C and Hessian h = Hess Pi / C, C the fixed cost; see
:mod:`profitopt.symbolic.smooth`).  It computes no part of the model itself.

- Start: the previous point's optimum when the two points differ in one parameter only
  (continuation), extrapolated linearly when the point before moved the same parameter by
  a proportional step; else (or if that fails) a cold start: the best profit on a grid of
  x along the compute-optimal path y = frontier(x), refined once around its best cell.
- Newton: the step solves h p = -g where h is negative definite, else it is the scaled
  ascent step g/(|h_xx| + |h_yy|); at most MAX_STEP in either coordinate.  A step longer
  than FULL_STEP is backtracked (halved) until Pi rises by the Armijo share of g.p; a trial
  point where the margin m or its slope m_x is not positive (outside the producing set on
  which the log balances are defined) is rejected the same way.  Converged when the
  Newton step is below STEP_TOL (max norm, log units); the reported point is the last
  evaluated one plus that step.
- Data cap y <= log D: the interior optimum if it has y* <= log D; else the corner
  y = log D, maximized in x alone by the same safeguarded Newton.
- Certificate, at the last evaluated point (within STEP_TOL of the reported one):
  |g_i| <= GRAD_TOL (each first-order condition met to that relative residual: the
  marginal profit of x_i is below GRAD_TOL times C), h negative definite (h_xx < 0 at a
  corner), the margin m > 0 (t* > 0) and profit > 0; at a corner also the KKT multiplier
  dPi/dy = C g_y >= -GRAD_TOL C.

Nothing global is proven: a certified point is a strict local maximum (of the capped
problem at a corner) that earns a positive profit.  Shutdown is reported where no start
reaches a producing local maximum with positive profit; it is not certified.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

#: Convergence: largest Newton step (log units, max norm) at which the update is accepted.
STEP_TOL = 1e-9
#: Certificate: largest scaled gradient |dPi/dx_i| / C at the last evaluated point.
GRAD_TOL = 1e-7
#: Longest step in x or y per iteration, and the longest taken without a line search.
MAX_STEP, FULL_STEP = 4.0, 1e-2
#: Armijo share and the largest number of halvings per line search.
ARMIJO, MAX_HALVINGS = 1e-4, 40
MAX_ITERATIONS = 80
#: The cold start's grid on x = log n: coarse step over [X_LOW, X_HIGH], then fine step.
X_LOW, X_HIGH, COARSE, FINE = 0.0, 300.0, 3.0, 0.5
#: Outcome codes of a point (the regime is decided by the caller from them).
INTERIOR, CORNER, SHUTDOWN, FAILED = 0, 1, 2, 3
#: Columns of the per-point result row.
RESULT = ("x", "y", "status", "iterations", "gradient", "hessian_nd", "margin_positive",
          "profit_positive", "multiplier", "converged", "warm", "log_quality",
          "log_served_tokens", "log_revenue_net", "log_cost")
NRESULT = len(RESULT)
#: Positions in the point kernel's output (kernels.SMOOTH_POINT).
L_Q, M_SIGN, SLOPE_SIGN, S_X, S_Y, G_X, G_Y, H_XX, H_XY, H_YY, LOG_R, LOG_C = range(12)


def build_loop(point, frontier, outputs, cap_index: int):
    """The compiled per-chunk solver for one model's scalar kernels ``point(x, y, p)``,
    ``frontier(x, y, p)`` and ``outputs(x, y, p)`` (plain Python functions of
    :mod:`.kernels`); ``cap_index`` is the position of log D in a parameter row (-1: no
    data cap).  The outputs (log q, log t*, log(m^2/(4 delta)), log C) are evaluated at the
    reported point."""
    point = njit(nogil=True, error_model="numpy")(point)
    frontier = njit(nogil=True, error_model="numpy")(frontier)
    outputs = njit(nogil=True, error_model="numpy")(outputs)

    @njit(nogil=True, error_model="numpy")
    def producing(v) -> bool:
        return (v[L_Q] > 0.0 and v[M_SIGN] > 0.0 and v[SLOPE_SIGN] > 0.0
                and math.isfinite(v[G_X]) and math.isfinite(v[G_Y])
                and math.isfinite(v[H_XX]) and math.isfinite(v[H_XY])
                and math.isfinite(v[H_YY]) and math.isfinite(v[LOG_R]))

    @njit(nogil=True, error_model="numpy")
    def relative_profit(v, log_c: float) -> float:
        """Pi / C(reference) at the evaluated point v."""
        return math.exp(v[LOG_R] - log_c) - math.exp(v[LOG_C] - log_c)

    @njit(nogil=True, error_model="numpy")
    def newton(x, y, p, corner: bool, out):
        """Maximize from (x, y) (y fixed where ``corner``); writes RESULT into ``out``;
        returns True on convergence."""
        v = point(x, y, p)
        if not producing(v):
            return False
        for iteration in range(MAX_ITERATIONS):
            gx, gy, hxx, hxy, hyy = v[G_X], v[G_Y], v[H_XX], v[H_XY], v[H_YY]
            if corner:
                definite = hxx < 0.0
                if definite:
                    px, py = -gx / hxx, 0.0
                else:
                    px, py = gx / (abs(hxx) + 1.0), 0.0
            else:
                det = hxx * hyy - hxy * hxy
                definite = hxx < 0.0 and det > 0.0
                if definite:
                    px = -(hyy * gx - hxy * gy) / det
                    py = -(hxx * gy - hxy * gx) / det
                else:
                    scale = abs(hxx) + abs(hyy) + 1.0
                    px, py = gx / scale, gy / scale
            size = max(abs(px), abs(py))
            if not math.isfinite(size):
                return False
            if definite and size <= STEP_TOL:
                out[0], out[1] = x + px, y + py
                out[3] = iteration
                out[4] = max(abs(gx), 0.0 if corner else abs(gy))
                out[5] = 1.0
                out[6] = 1.0 if v[M_SIGN] > 0.0 else 0.0
                out[7] = 1.0 if v[LOG_R] > v[LOG_C] else 0.0
                out[8] = gy
                out[9] = 1.0
                return True
            if size > MAX_STEP:
                px, py = px * MAX_STEP / size, py * MAX_STEP / size
                size = MAX_STEP
            if definite and size <= FULL_STEP:
                w = point(x + px, y + py, p)
                if not producing(w):
                    return False
                x, y, v = x + px, y + py, w
                continue
            base = relative_profit(v, v[LOG_C])
            slope = gx * px + gy * py
            step = 1.0
            accepted = False
            for _ in range(MAX_HALVINGS):
                w = point(x + step * px, y + step * py, p)
                if producing(w) and (relative_profit(w, v[LOG_C])
                                     >= base + ARMIJO * step * slope):
                    accepted = True
                    break
                step *= 0.5
            if not accepted:
                return False
            x, y, v = x + step * px, y + step * py, w
        return False

    @njit(nogil=True, error_model="numpy")
    def cold_start(p, y_fixed: float):
        """(x, y) of the best profit on the x-grid along the frontier (or along y =
        y_fixed when finite); nan when no grid point produces at a positive profit."""
        best_x, best_y, best = math.nan, math.nan, 0.0
        for fine in range(2):
            if fine == 0:
                low, high, h = X_LOW, X_HIGH, COARSE
            else:
                if not math.isfinite(best_x):
                    break
                low, high, h = best_x - COARSE, best_x + COARSE, FINE
            count = int((high - low) / h) + 1
            seen = False
            for i in range(count):
                x = low + i * h
                y = y_fixed if math.isfinite(y_fixed) else frontier(x, 0.0, p)[0]
                v = point(x, y, p)
                if fine == 0 and seen and not v[M_SIGN] > 0.0:
                    break  # past the producing interval: serving cost exceeds the revenue
                if not producing(v) or v[LOG_R] > 700.0 or v[LOG_C] > 700.0:
                    continue
                seen = True
                value = math.exp(v[LOG_R]) - math.exp(v[LOG_C])
                if value > best:
                    best_x, best_y, best = x, y, value
        return best_x, best_y

    @njit(nogil=True, error_model="numpy")
    def same_but_one(rows, i: int, j: int) -> int:
        """The one parameter in which rows i and j differ, -1 if none, -2 if several."""
        which = -1
        for k in range(rows.shape[1]):
            a, b = rows[i, k], rows[j, k]
            if a != b and not (math.isinf(a) and math.isinf(b)):
                if which != -1:
                    return -2
                which = k
        return which

    @njit(nogil=True, error_model="numpy")
    def solve_one(rows, i: int, results) -> None:
        p = rows[i]
        out = results[i]
        for k in range(NRESULT):
            out[k] = 0.0
        out[0], out[1], out[2] = math.nan, math.nan, SHUTDOWN
        log_cap = p[cap_index] if cap_index >= 0 else math.inf
        # a warm start from the previous point (extrapolated along one parameter)
        x0, y0, warm = math.nan, math.nan, False
        if i > 0 and results[i - 1, 2] <= CORNER:
            k = same_but_one(rows, i, i - 1)
            if k >= 0:
                x0, y0, warm = results[i - 1, 0], results[i - 1, 1], True
                if (i > 1 and results[i - 2, 2] == results[i - 1, 2]
                        and same_but_one(rows, i - 1, i - 2) == k):
                    step = rows[i - 1, k] - rows[i - 2, k]
                    if step != 0.0:
                        ratio = (p[k] - rows[i - 1, k]) / step
                        if 0.0 < ratio <= 2.0:
                            x0 += ratio * (results[i - 1, 0] - results[i - 2, 0])
                            y0 += ratio * (results[i - 1, 1] - results[i - 2, 1])
        capped = math.isfinite(log_cap)
        if capped and warm and results[i - 1, 2] == CORNER:
            # the previous point sat on the cap: try its corner first, keep it where the
            # multiplier is not negative
            if newton(x0, log_cap, p, True, out) and out[8] >= -GRAD_TOL:
                out[1], out[2], out[10] = log_cap, CORNER, 1.0
                return
        # the interior case: warm start, then the cold start
        interior, started = False, False
        for attempt in range(2):
            if attempt == 0:
                if not warm:
                    continue
                sx, sy = x0, y0
            else:
                sx, sy = cold_start(p, math.inf)
                if not math.isfinite(sx):
                    break
            started = True
            if newton(sx, sy, p, False, out):
                interior = True
                out[10] = 1.0 if attempt == 0 else 0.0
                break
        if interior and out[1] <= log_cap:
            out[2] = INTERIOR
            return
        if not capped:
            out[0], out[1] = (out[0], out[1]) if interior else (math.nan, math.nan)
            out[2] = INTERIOR if interior else (FAILED if started else SHUTDOWN)
            return
        # the corner y = log D: from the interior x, the previous point's x, or a scan
        first = out[0] if interior else math.nan
        corner_started = False
        for attempt in range(3):
            if attempt == 0:
                sx = first
            elif attempt == 1:
                sx = x0 if warm else math.nan
            else:
                sx = cold_start(p, log_cap)[0]
            if not math.isfinite(sx):
                continue
            corner_started = corner_started or attempt == 2
            if newton(sx, log_cap, p, True, out):
                out[1], out[2] = log_cap, CORNER
                out[10] = 1.0 if attempt == 1 else 0.0
                return
        # no producing point on the cap's line was found by the scan: shutdown; one was
        # found but no start converged: unsolved
        out[0], out[1] = math.nan, math.nan
        out[2] = FAILED if corner_started else SHUTDOWN

    @njit(nogil=True, error_model="numpy")
    def loop(rows, results) -> None:
        for i in range(rows.shape[0]):
            solve_one(rows, i, results)
            if results[i, 2] <= CORNER and not results[i, 7] > 0.0:
                results[i, 2] = SHUTDOWN
                results[i, 0], results[i, 1] = math.nan, math.nan
            if results[i, 2] <= CORNER:
                w = outputs(results[i, 0], results[i, 1], rows[i])
                for k in range(4):
                    results[i, 11 + k] = w[k]

    return loop


def certified(results: np.ndarray) -> np.ndarray:
    """Per point: a producing local maximum (interior or corner) whose certificate holds."""
    status = results[:, 2]
    ok = ((status == INTERIOR) | (status == CORNER)) & (results[:, 9] > 0)
    ok &= (results[:, 4] <= GRAD_TOL) & (results[:, 5] > 0) & (results[:, 6] > 0)
    ok &= results[:, 7] > 0
    ok &= (status != CORNER) | (results[:, 8] >= -GRAD_TOL)
    return ok
