"""Vectorized solver: many parameter sets at once, each with a cheap certificate.

For every point the margin peak x_peak = log n_peak has a closed form, and
the balance S(x) is strictly concave on (x_0, x_peak) with S(x_peak-) = -inf.
Newton's method on a concave decreasing function started to the right of
its root moves monotonically left onto the root and never overshoots.  The
solver

1. starts at the training-dominated law (the gamma = 0 law where
   |gamma| log q < LAW_CROSSOVER) where it lies below x_peak, else at the root
   of S's leading term near x_peak, x_peak - u_0; where S or S' is unusable
   there, at x_peak - h for the largest h in START_OFFSETS with S < 0 (within
   a factor 100 of the root in x_peak - x), or at the float below x_peak when
   S > 0 at every offset (the root is x_peak to double precision);
2. iterates a bracketed Newton method (newton.step): near x_peak, where S
   behaves like log(x_peak - x), in the variable log(x_peak - x); elsewhere
   in x, until the x-step is below STEP_TOLERANCE relative (or quadratically
   small); by bisection where S' overflows.  An undefined S or S' >= 0
   reached by plain x-steps from the right means S has no root (shutdown); a
   point the iteration cannot carry in a double is refused (out-of-range);
3. applies the data cap (corner where x_D < x* and S(x_D) > 0) and the
   shutdown test (profit sign at the candidate); roots beyond |x| =
   POLISH_ABOVE get one Newton step in extended precision.

Each Newton pass evaluates (S, S') for the running points in one numpy kernel
call and updates them in one compiled loop (:mod:`profitopt.numeric.newton`).
Points with 1 + alpha gamma <= 0 (no finite x_peak) go through the scalar
solver one by one.  Every point carries: t* > 0, a sign change of S across
the root (interior points): S > 0 at the last Newton point left of x* within
reach (QUADRATIC_STEP max(1, |x*|)) or else at x* - e, e = CERTIFICATE_WIDTH
max(1, |x*|); S < 0 likewise on the right, or x_peak itself within e (S falls
to -inf there); and whether its outputs fit in a double.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import mpmath
import numpy as np

from ..errors import InputError
from . import newton
from .kernels import model_kernels, start_kernels
from .memory import keep_freed_memory
from .newton import QUADRATIC_STEP
from .parameters import NAMES, REASONS, Parameters, reason_codes
from .solver import COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, solve_log

#: |gamma| log q below which the gamma = 0 training law is the better start.
LAW_CROSSOVER = 1.0
#: Relative offsets below x_peak tried as Newton starts (largest first).
START_OFFSETS = (1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12, 1e-14)
CERTIFICATE_WIDTH = 1e-9
#: |log n*| above which a root gets one extended-precision Newton step (float64 S loses
#: more than 1e-13 in n there), and the largest relative correction that step may make.
POLISH_ABOVE = 100.0
POLISH_STEP = 1e-12
#: Digits of the closed-form x_peak for roots at x_peak to double precision.
PEAK_DPS = 40
MAX_NEWTON = 100
CHUNK = 1 << 15
#: Assemble the outputs on the whole chunk (idle points too) while at least this share of
#: it produces: one dense kernel pass costs less than gathering and scattering.
DENSE_SHARE = 0.5
#: log of the largest double: an optimum with log n beyond it cannot be reported.
LOG_DOUBLE_MAX = math.log(np.finfo(float).max)

#: out-of-range: the optimum cannot be carried in a double (refused, never clipped);
#: invalid: the parameters lie outside the domain (see parameters.reason_codes).
REGIMES = (COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, "out-of-range", "invalid")
_CODE = {name: code for code, name in enumerate(REGIMES)}
OUTPUTS = ("n", "d", "t", "q", "profit", "train_flops", "train_cost", "infer_cost")
_DTYPES = {"regime_code": np.int8, "margin_positive": bool, "sign_change": bool,
           "converged": bool, "reason_code": np.int8}


@dataclass(frozen=True)
class Solutions:
    """Arrays of optima (one entry per parameter point) and their certificates."""

    x: np.ndarray
    n: np.ndarray
    d: np.ndarray
    t: np.ndarray
    q: np.ndarray
    profit: np.ndarray
    train_flops: np.ndarray
    train_cost: np.ndarray
    infer_cost: np.ndarray
    regime_code: np.ndarray      # index into REGIMES
    margin_positive: np.ndarray  # certificate: t* > 0
    sign_change: np.ndarray      # certificate: S > 0 left of x*, < 0 right (interior)
    converged: np.ndarray        # Newton step fell below STEP_TOLERANCE
    reason_code: np.ndarray      # index into parameters.REASONS (0: inside the domain)

    @property
    def regime(self) -> np.ndarray:
        """Regime names per point."""
        return np.asarray(REGIMES, dtype=object)[self.regime_code]

    @property
    def reason(self) -> np.ndarray:
        """Why each invalid point lies outside the domain ("" for the others)."""
        return np.asarray(REASONS, dtype=object)[self.reason_code]

    @property
    def certified(self) -> np.ndarray:
        """True where the certificate holds (shutdown points are certified by construction)."""
        interior = self.regime_code == _CODE[COMPUTE_BOUND]
        corner = self.regime_code == _CODE[DATA_BOUND]
        shutdown = self.regime_code == _CODE[SHUTDOWN]
        return shutdown | (self.margin_positive & (corner | (interior & self.sign_change
                                                              & self.converged)))


def columns_of(**parameters: object) -> dict[str, np.ndarray]:
    """Broadcast the parameters and flatten them into one column per name."""
    parameters.setdefault("D", np.inf)
    unknown = set(parameters) - set(NAMES)
    if unknown:
        raise InputError(f"unknown parameters: {', '.join(sorted(unknown))}")
    arrays = np.broadcast_arrays(*(np.asarray(parameters[k], dtype=float) for k in NAMES))
    # reshape keeps views: a scalar parameter stays a zero-stride column (no copy), which
    # the solver recognises and evaluates once
    return {k: v.reshape(-1) for k, v in zip(NAMES, arrays)}


def _reason_codes(columns: dict[str, np.ndarray]) -> np.ndarray:
    """parameters.reason_codes per point, evaluated on constant columns once."""
    codes = reason_codes({name: _compact(columns[name]) for name in NAMES})
    return np.broadcast_to(codes, columns["E"].shape)


def _refuse(columns: dict[str, np.ndarray], codes: np.ndarray) -> None:
    """InputError naming how many points lie outside the domain, and the first of them."""
    bad = np.flatnonzero(codes)
    i = int(bad[0])
    point = ", ".join(f"{name} = {float(columns[name][i])!r}" for name in NAMES
                      if name != "D" or np.isfinite(columns[name][i]))
    raise InputError(f"{bad.size} of {codes.size} points lie outside the domain, e.g. "
                     f"{REASONS[codes[i]]} at {point}")


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
    codes = _reason_codes(columns)
    if codes.any():
        if not mark_invalid:
            _refuse(columns, codes)
        return _solve_valid_points(columns, codes, progress)
    return _solve_columns(columns, progress)


def _solve_valid_points(columns: dict[str, np.ndarray], codes: np.ndarray,
                        progress) -> Solutions:
    """Solve the points inside the domain; the others are ``invalid`` with their reason."""
    valid = np.flatnonzero(codes == 0)
    solved = _solve_columns({name: column[valid] for name, column in columns.items()},
                            progress)
    result = Solutions(**{f.name: np.full(codes.size, np.nan) if f.name not in _DTYPES
                          else np.zeros(codes.size, dtype=_DTYPES[f.name])
                          for f in fields(Solutions)})
    result.regime_code[:] = _CODE["invalid"]
    result.reason_code[:] = codes
    for f in fields(Solutions):
        getattr(result, f.name)[valid] = getattr(solved, f.name)
    return result


def _solve_columns(columns: dict[str, np.ndarray], progress) -> Solutions:
    """solve_many on columns inside the domain."""
    keep_freed_memory()
    size = columns["E"].size
    result = Solutions(**{f.name: np.empty(size, dtype=_DTYPES.get(f.name, float))
                          for f in fields(Solutions)})
    for i in range(0, size, CHUNK):
        part = slice(i, i + CHUNK)
        _solve_chunk({k: v[part] for k, v in columns.items()},
                     {f.name: getattr(result, f.name)[part] for f in fields(Solutions)})
        result.reason_code[part] = 0
        if progress:
            progress(min(i + CHUNK, size), size, "solving")
    return result


def _compact(column: np.ndarray) -> np.ndarray | float:
    """A broadcast scalar (zero stride) or constant column as one float, else the column."""
    if column.size and (column.strides == (0,) or np.all(column == column[0])):
        # a numpy scalar: its arithmetic gives inf/nan where a Python float raises
        return np.float64(column[0])
    return column


def _log_parameters(value, log) -> tuple:
    """The kernels' LOG_PARAMETERS, (alpha, beta, gamma, log a, ..., log D), from
    ``value(name)`` of each parameter and a ``log`` of the wanted precision."""
    return (value("alpha"), value("beta"), value("gamma"),
            *(log(value(name)) for name in ("a", "b", "omega", "delta", "E", "D")))


def _log_columns(c: dict[str, np.ndarray]) -> tuple[np.ndarray | float, ...]:
    """(alpha, beta, gamma, log a, ..., log D); constant columns as floats, evaluated once."""
    with np.errstate(divide="ignore"):
        return _log_parameters(lambda name: _compact(c[name]), np.log)


def _solve_chunk(c: dict[str, np.ndarray], out: dict[str, np.ndarray]) -> None:
    """Solve one chunk of points into ``out`` (views of the result's arrays)."""
    k = model_kernels()
    lp = _log_columns(c)
    size = c["E"].size
    with np.errstate(all="ignore"):
        finite_peak = 1.0 + c["alpha"] * c["gamma"] > 0.0
        peak = np.where(finite_peak, k.peak.numpy(*lp), np.inf)
        cap_all = k.cap_parameters_log.numpy(*lp) * np.ones(size)
        corner, closed = _decide_by_cap(k, lp, peak, cap_all, finite_peak)
        active = finite_peak & ~corner & ~closed
        (x, converged, found, first_value, unresolved,
         evaluated) = _bracketed_newton(k, lp, peak, active, c)
        regime = np.where(found, _CODE[COMPUTE_BOUND], _CODE[SHUTDOWN])
        regime[corner], x[corner], converged[corner] = _CODE[DATA_BOUND], cap_all[corner], True
        # revenue per token beyond double range makes S inf or nan at the first start:
        # refuse such points, do not report them as shutdown
        overflow = active & ~np.isfinite(first_value)
        suspect = np.flatnonzero(overflow)
        if suspect.size:
            start = peak[suspect] - START_OFFSETS[0] * np.maximum(1.0, np.abs(peak[suspect]))
            overflow[suspect] = k.margin_sign.numpy(start, *_subset(lp, suspect)) == np.inf
        # data cap: the corner where the cap lies left of the interior root
        capped = np.flatnonzero(found & (cap_all < x))
        if capped.size:
            cap = cap_all[capped]
            sub = _subset(lp, capped)
            corner = (k.balance.numpy(cap, *sub) > 0.0) & (k.margin_sign.numpy(cap, *sub) > 0.0)
            regime[capped] = np.where(corner, _CODE[DATA_BOUND], _CODE[SHUTDOWN])
            x[capped] = np.where(corner, cap, x[capped])
        regime = np.where(overflow, _CODE["out-of-range"], regime)
    # points without a finite margin peak, and points the iteration left unresolved (see
    # newton.newton_pass): the scalar solver, one by one; one whose optimum lies beyond
    # double range is refused like any other point of the batch
    scalar = ~finite_peak | (unresolved & ~overflow)
    for i in np.flatnonzero(scalar):
        try:
            located = solve_log(Parameters(**{name: float(c[name][i]) for name in NAMES[:-1]},
                                           D=None if np.isinf(c["D"][i])
                                           else float(c["D"][i])))
        except InputError:
            regime[i], x[i], converged[i] = _CODE["out-of-range"], np.nan, False
            continue
        regime[i], x[i], converged[i] = _CODE[located.regime], located.x, True
    # float64 rounding of S moves roots far out (and the scalar solver's, which stop at
    # adjacent doubles of a bisection) by more than 1e-13 in n: one extended-precision step
    interior = np.flatnonzero((regime == _CODE[COMPUTE_BOUND])
                              & ((np.abs(x) > POLISH_ABOVE) | scalar))
    if interior.size:
        x[interior] = _polish_extended(k, c, x[interior], peak[interior], interior)
    _assemble(k, lp, c, x, peak, regime, converged, evaluated, out)


def _decide_by_cap(k, lp, peak, cap, finite_peak) -> tuple[np.ndarray, np.ndarray]:
    """Capped points whose answer the cap x_D alone decides: (corner, shut down).

    S is concave on (x_0, x_peak), so S(x_D) > 0 puts x_D strictly between its roots,
    left of the interior root x*: the optimum is the corner x_D (if its profit is
    positive, checked with the outputs).  x_D <= x_0 (margin not positive), or S(x_D) <= 0
    with S rising there (x_D left of S's left root), leaves no profitable choice: shut
    down.  Neither needs x*, which may lie beyond double range.  Other capped points
    (x_D right of x*, or undecidable in float64) are solved like uncapped ones.
    """
    corner = np.zeros(cap.size, dtype=bool)
    closed = np.zeros(cap.size, dtype=bool)
    points = np.flatnonzero(finite_peak & (cap < peak))
    if points.size:
        sub = _subset(lp, points)
        at = cap[points]
        margin = np.broadcast_to(k.margin_sign.numpy(at, *sub), at.shape)
        s, ds = np.broadcast_arrays(*k.balance_and_slope(at, *sub), at)[:2]
        # below the floor (q <= 1) f(q) <= 0 and the margin's log is nan
        floor = np.broadcast_to(k.margin_floor.numpy(*sub), at.shape)
        corner[points] = (margin > 0.0) & (s > 0.0)
        closed[points] = ((at <= floor) | (margin <= 0.0)
                          | ((margin > 0.0) & (s <= 0.0) & (ds > 0.0)))
    return corner, closed


def _polish_extended(k, columns, x, peak, points) -> np.ndarray:
    """One Newton step on S in extended precision (numpy's longdouble) from float64 roots.

    S sums terms of size ~|x|, so its float64 rounding moves a root by about
    eps |x| / |S'|: beyond POLISH_ABOVE that exceeds 1e-13 in n.  The step is taken
    only where it is a correction of a few ulps and stays below x_peak (a root at x_peak
    to double precision keeps its float below x_peak).  Where longdouble is no wider
    than a double the step changes nothing.
    """
    wide = np.longdouble
    with np.errstate(all="ignore"):
        logs = _log_parameters(lambda name: columns[name][points].astype(wide), np.log)
        s, ds = k.balance_and_slope(x.astype(wide), *logs)
        polished = (x - s / ds).astype(float)
    keep = ~(np.abs(polished - x) <= POLISH_STEP * np.abs(x)) | ~(polished < peak)
    return np.where(keep, x, polished)


def _subset(lp, idx):
    return tuple(np.asarray(p)[idx] if np.ndim(p) else p for p in lp)


def _indices(mask: np.ndarray) -> slice | np.ndarray:
    """Where to work on the points of ``mask``: the whole chunk while they are at least
    DENSE_SHARE of it (one kernel pass without gathers), else their indices."""
    if np.count_nonzero(mask) >= DENSE_SHARE * mask.size:
        return slice(None)
    return np.flatnonzero(mask)


def _start_right_of_root(k, lp, peak, active):
    """x_peak - h for the largest h in START_OFFSETS (relative) with S < 0 there.

    S falls towards -inf at x_peak, so S(x_peak - h) < 0 exactly when x_peak - h lies right
    of the root; trying h = 1e-2, 1e-4, ... keeps the start within a factor 100 (in
    x_peak - x) of the root.  A root closer to x_peak than the last offset is x_peak to
    double precision: its start is the float below x_peak, already converged.  Returns
    (start, S at the first offset, the last offset with S > 0 (a left end of the
    bracket; nan if none), whether the root is at x_peak).
    """
    scale = np.maximum(1.0, np.abs(peak))
    x = np.where(active, peak, np.nan)
    left = np.full(peak.size, np.nan)
    pending = np.flatnonzero(active)
    first_value = np.full(peak.size, np.nan)
    for position, offset in enumerate(START_OFFSETS):
        if pending.size == 0:
            break
        candidate = peak[pending] - offset * scale[pending]
        values = k.balance.numpy(candidate, *_subset(lp, pending))
        if position == 0:
            first_value[pending] = values
        right = ~(values > 0.0)
        x[pending[right]] = candidate[right]
        left[pending[~right]] = candidate[~right]
        pending = pending[~right]
    # roots within the last offset of the peak: the float just below x_peak
    x[pending] = np.nextafter(peak[pending], -np.inf)
    at_peak = np.zeros(peak.size, dtype=bool)
    at_peak[pending] = True
    return x, first_value, left, at_peak


def _law_start(k, lp, peak, active) -> np.ndarray:
    """log n_T from the training-dominated law (nan where it is not below x_peak).

    The laws for gamma > 0 and gamma < 0 take f(q) = L exprel(-gamma L), L = log q, at
    its limit for |gamma| L >> 1; the gamma = 0 law takes f = L, the limit for
    |gamma| L << 1.  Each point gets the gamma = 0 law where |gamma| L < LAW_CROSSOVER
    at that law's own point, else the law of its sign of gamma.
    """
    laws = start_kernels()
    gamma = np.broadcast_to(lp[2], peak.shape)
    guess = np.broadcast_to(laws["zero"](*lp), peak.shape).copy()
    signed = np.abs(gamma) * k.log_quality.numpy(guess, *lp) >= LAW_CROSSOVER
    for name, mask in (("positive", gamma > 0), ("negative", gamma < 0)):
        chosen = np.flatnonzero(mask & signed & active)
        if chosen.size:
            guess[chosen] = np.broadcast_to(laws[name](*_subset(lp, chosen)), chosen.shape)
    return np.where(active & (guess < peak), guess, np.nan)


def _gather(lp, points, size):
    """The log-parameters at ``points`` (all of them as they are when every point runs)."""
    return lp if points.size == size else _subset(lp, points)


def _below_exact_peak(k, columns, points) -> np.ndarray:
    """The largest double below x_peak, from its closed form at PEAK_DPS digits.

    For roots closer to x_peak than double precision resolves: x_peak evaluated in float64
    is off by a few ulps of |x_peak| / (1 + alpha gamma), which would be the error of x*.
    """
    result = np.empty(points.size)
    with mpmath.workdps(PEAK_DPS):
        for j, i in enumerate(points):
            exact = k.peak.mpmath(*_log_parameters(
                lambda name: mpmath.mpf(float(columns[name][i])), mpmath.log))
            below = float(exact)
            result[j] = below if below < exact else math.nextafter(below, -math.inf)
    return result


def _bracketed_newton(k, lp, peak, active, columns):
    """Bracketed Newton on S (updates by :func:`newton.step`) from an asymptotic start.

    The first guess is the training-dominated law where it lies below x_peak, else the
    inference-dominated estimate x_peak - u_0 (S ~ log(kappa u) + R(x_peak) near x_peak).
    Where S or S' there is unusable, the start is x_peak - h from _start_right_of_root
    instead.  Plain x-steps from the right move monotonically onto the root (S is
    concave), so an undefined S or S' >= 0 reached by one means S has no root
    (shutdown); reached by a log step, which may overshoot, or once a point with S > 0
    is known, it only moves lo, and the iteration retreats halfway back to hi.  Each
    pass evaluates (S, S') for the running points in one kernel call and updates them
    in one compiled loop.
    """
    size = peak.size
    x = np.full(size, np.nan)
    # bracket: the last points where S was evaluated negative (hi, x_peak if none; a
    # certified right end) and positive or undefined after a log step (lo)
    hi = peak.copy()
    lo = np.full(size, np.nan)
    # the last point where S > 0 was evaluated (a certified left end)
    positive = np.full(size, np.nan)
    # S at each point's start (nan: undefined, inf: overflow)
    first_value = np.full(size, np.nan)
    converged = np.zeros(size, dtype=bool)
    jumped = np.zeros(size, dtype=bool)
    started = np.zeros(size, dtype=bool)
    guess = _law_start(k, lp, peak, active)
    near_peak = np.flatnonzero(np.isnan(guess) & active)
    if near_peak.size:
        log_room = k.peak_log_room.numpy(*_subset(lp, near_peak))
        guess[near_peak] = peak[near_peak] - np.exp(log_room)
    points = np.flatnonzero(guess < peak)
    if points.size:
        # the evaluation at the guess gives the first step from it
        s, ds = k.balance_and_slope(guess[points], *_gather(lp, points, size))
        newton.first_step(points, *np.broadcast_arrays(s, ds), guess, x, lo, hi, positive,
                          peak, first_value, jumped, converged, started)
    rest = active & ~started
    if rest.any():
        x_rest, first_rest, left, at_peak = _start_right_of_root(k, lp, peak, rest)
        converged |= at_peak
        x[rest] = x_rest[rest]
        if at_peak.any():
            x[at_peak] = _below_exact_peak(k, columns, np.flatnonzero(at_peak))
        first_value[rest] = first_rest[rest]
        lo[rest] = np.fmax(lo[rest], left[rest])
        positive[rest] = np.fmax(positive[rest], left[rest])
    # S undefined (nan) at the first offset: the margin is not positive even near its peak
    failed = ~active | np.isnan(first_value)
    overflowed = np.zeros(size, dtype=bool)
    points = np.flatnonzero(active & ~failed & ~converged)
    for _ in range(MAX_NEWTON):
        if points.size == 0:
            break
        s, ds = k.balance_and_slope(x[points], *_gather(lp, points, size))
        points = newton.newton_pass(points, *np.broadcast_arrays(s, ds), x, lo, hi, positive,
                                    peak, jumped, converged, failed, overflowed)
    # unresolved: refused by an update, or still running after MAX_NEWTON passes
    unresolved = overflowed | (active & ~failed & ~converged)
    return (x, converged, converged & ~failed & ~overflowed, first_value, unresolved,
            (positive, np.where(hi < peak, hi, np.nan)))


def _assemble(k, lp, c, x, peak, regime, converged, evaluated, out) -> None:
    """Outputs and certificate flags of a solved chunk, written into ``out``.

    ``evaluated`` holds, per point, the last Newton points where S > 0 and S < 0 were
    evaluated (nan: none); within the reach of an update accepted without evaluation
    they certify the sign change, elsewhere S is evaluated at x* -+ CERTIFICATE_WIDTH.
    A root closer to x_peak than CERTIFICATE_WIDTH (x* is then x_peak to double
    precision) has x_peak itself as its right end: S falls to -inf there.
    """
    producing = (regime == _CODE[COMPUTE_BOUND]) | (regime == _CODE[DATA_BOUND])
    too_large = producing & (x > LOG_DOUBLE_MAX)
    regime = np.where(too_large, _CODE["out-of-range"], regime)
    producing &= ~too_large
    idx = _indices(producing)
    live = producing[idx]
    sub = _subset(lp, idx)
    xi = x[idx]
    with np.errstate(all="ignore"):
        (log_tokens, log_served, log_train_cost, log_train_flops, log_infer_cost, log_quality,
         log_revenue_net, margin_sign, profit_sign) = (np.broadcast_to(v, xi.shape) for v in
                                                       k.outputs(xi, *sub))
        # a candidate with negative profit: the firm shuts down
        live &= profit_sign > 0.0
        regime[idx] = np.where(producing[idx] & ~live, _CODE[SHUTDOWN], regime[idx])
        corner = regime[idx] == _CODE[DATA_BOUND]
        # natural-scale outputs, written straight into the result (fixed up below where
        # a point does not produce)
        logs = {"n": xi, "d": log_tokens, "t": log_served, "q": log_quality,
                "profit": log_revenue_net, "train_flops": log_train_flops,
                "train_cost": log_train_cost, "infer_cost": log_infer_cost}
        values = {name: np.exp(log, out=out[name][idx] if isinstance(idx, slice) else None)
                  for name, log in logs.items()}
        values["profit"] -= values["train_cost"]
        if corner.any():
            values["d"][corner] = np.broadcast_to(c["D"][idx], corner.shape)[corner]
        scale = np.maximum(1.0, np.abs(xi))
        width = CERTIFICATE_WIDTH * scale
        # ends: the last Newton points where S > 0 and S < 0 were evaluated, if within
        # reach of x* (the largest step accepted without evaluation), else S at x* -+ w
        reach = max(CERTIFICATE_WIDTH, QUADRATIC_STEP) * scale
        left, right = (np.asarray(end)[idx] for end in evaluated)
        left_positive = (left <= xi) & (left >= xi - reach)
        right_negative = ((right >= xi) & (right <= xi + reach)) | (peak[idx] - xi <= width)
        for known, side, sign in ((left_positive, -1.0, 1.0), (right_negative, 1.0, -1.0)):
            probe = np.flatnonzero(live & ~known)
            if probe.size:
                known[probe] = sign * k.balance.numpy(xi[probe] + side * width[probe],
                                                      *_subset(sub, probe)) > 0.0
        sign_change = live & left_positive & right_negative
        # inf or nan in any output shows in the sum
        finite = np.isfinite(sum(values.values()))
    # outputs beyond double range: refused, not clipped
    regime[idx] = np.where(live & ~finite, _CODE["out-of-range"], regime[idx])
    live &= finite
    producing[idx] = live
    # shutdown points report zeros, refused points nan (a dense pass where every point
    # produces has written every output in place above)
    if not (isinstance(idx, slice) and live.all()):
        fill = np.where(regime == _CODE["out-of-range"], np.nan, 0.0)
        for name, value in values.items():
            column = out[name]
            if not isinstance(idx, slice):
                column[:] = fill
                column[idx] = value
            column[~producing] = fill[~producing]
    out["x"][:] = np.where(producing, x, np.nan)
    out["regime_code"][:] = regime
    out["margin_positive"][:] = False
    out["margin_positive"][idx] = live & (margin_sign > 0.0)
    out["sign_change"][:] = False
    out["sign_change"][idx] = sign_change
    out["converged"][:] = converged | ~producing
