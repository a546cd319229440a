"""Vectorized solver: many parameter sets at once, each with a cheap certificate.

For every point the margin peak x_peak = log n_peak has a closed form, and
the balance S(x) is strictly concave on (x_0, x_peak) with S(x_peak-) = -inf.
Newton's method on a concave decreasing function started to the right of
its root moves monotonically left onto the root and never overshoots, so
the solver

1. starts at x_peak - h for the largest h in START_OFFSETS with S < 0 there
   (right of the root, within a factor 100 of it in x_peak - x);
2. iterates x <- x - S/S' until the step is below STEP_TOLERANCE relative;
   a non-negative S' or an undefined S means the iterate passed the maximum
   of S without a root: no local maximum of profit (shutdown);
3. applies the data cap (corner where x_D < x* and S(x_D) > 0) and the
   shutdown test (profit sign at the candidate).

Points with 1 + alpha gamma <= 0 (no finite x_peak) go through the scalar
solver one by one.  Every point carries: t* > 0, a sign change of S across the root
(interior points): S > 0 at x* - e, e = CERTIFICATE_WIDTH max(1, |x*|), and S < 0 at the
last Newton point (within QUADRATIC_STEP max(1, |x*|) right of x*) or else at x* + e,
and whether its outputs fit in a double.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from ..errors import InputError
from .kernels import model_kernels, start_kernels
from .parameters import POSITIVE, Parameters
from .solver import COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, solve_log

#: Relative offsets below x_peak tried as Newton starts (largest first).
START_OFFSETS = (1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12, 1e-14)
STEP_TOLERANCE = 4 * np.finfo(float).eps
QUADRATIC_STEP = 1e-8
CERTIFICATE_WIDTH = 1e-9
MAX_NEWTON = 100
CHUNK = 1 << 16
#: log of the largest double: an optimum with log n beyond it cannot be reported.
LOG_DOUBLE_MAX = math.log(np.finfo(float).max)

REGIMES = (COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, "out-of-range")
_CODE = {name: code for code, name in enumerate(REGIMES)}
NAMES = ("alpha", "beta", "gamma", "a", "b", "omega", "delta", "E", "D")
OUTPUTS = ("n", "d", "t", "q", "profit", "train_flops", "train_cost", "infer_cost")


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

    @property
    def regime(self) -> np.ndarray:
        """Regime names per point."""
        return np.asarray(REGIMES, dtype=object)[self.regime_code]

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


def _validate(columns: dict[str, np.ndarray]) -> None:
    for name in NAMES:
        values = columns[name]
        if name == "D" and np.all(np.isinf(values)):
            continue
        if not np.all(np.isfinite(values) | ((name == "D") & np.isposinf(values))):
            raise InputError(f"{name} must be finite at every grid point")
        if name in POSITIVE and np.any(values <= 0):
            raise InputError(f"{name} ({POSITIVE[name]}) must be > 0 at every grid point")
    lower = model_kernels().gamma_lower.numpy(_compact(columns["alpha"]),
                                              _compact(columns["beta"]))
    bad = ~(columns["gamma"] > lower)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise InputError(f"{int(bad.sum())} grid points have gamma outside the bounded range, "
                         f"e.g. gamma = {columns['gamma'][i]!r} at alpha = "
                         f"{columns['alpha'][i]!r}, beta = {columns['beta'][i]!r}")


def solve_many(progress=None, **parameters: object) -> Solutions:
    """Profit-optimal (n, d, t) for arrays of parameters (broadcast together; D may be absent).

    ``progress(done, total, label)`` is called after every chunk of CHUNK points.
    """
    columns = columns_of(**parameters)
    _validate(columns)
    size = columns["E"].size
    parts = []
    for i in range(0, size, CHUNK):
        parts.append(_solve_chunk({k: v[i:i + CHUNK] for k, v in columns.items()}))
        if progress:
            progress(min(i + CHUNK, size), size, "solving")
    return Solutions(**{f.name: np.concatenate([getattr(p, f.name) for p in parts])
                        for f in fields(Solutions)})


def _compact(column: np.ndarray) -> np.ndarray | float:
    """A broadcast scalar (zero stride) or constant column as one float, else the column."""
    if column.size and (column.strides == (0,) or np.all(column == column[0])):
        return float(column[0])
    return column


def _log_columns(c: dict[str, np.ndarray]) -> tuple[np.ndarray | float, ...]:
    """(alpha, beta, gamma, log a, ..., log D); constant columns as floats, evaluated once."""
    compact = {name: _compact(c[name]) for name in NAMES}
    with np.errstate(divide="ignore"):
        return (compact["alpha"], compact["beta"], compact["gamma"],
                *(np.log(compact[name]) for name in ("a", "b", "omega", "delta", "E", "D")))


def _solve_chunk(c: dict[str, np.ndarray]) -> Solutions:
    k = model_kernels()
    lp = _log_columns(c)
    size = c["E"].size
    with np.errstate(all="ignore"):
        finite_peak = 1.0 + c["alpha"] * c["gamma"] > 0.0
        peak = np.where(finite_peak, k.peak.numpy(*lp), np.inf)
        x, converged, found, first_value, right_of_root = _newton_from_right(k, lp, peak,
                                                                             finite_peak)
        regime = np.where(found, _CODE[COMPUTE_BOUND], _CODE[SHUTDOWN])
        # revenue per token beyond double range makes S inf or nan at the first start:
        # refuse such points, do not report them as shutdown
        overflow = finite_peak & ~np.isfinite(first_value)
        suspect = np.flatnonzero(overflow)
        if suspect.size:
            start = peak[suspect] - START_OFFSETS[0] * np.maximum(1.0, np.abs(peak[suspect]))
            overflow[suspect] = k.margin_sign.numpy(start, *_subset(lp, suspect)) == np.inf
        # data cap: the corner where the cap lies left of the interior root
        cap_all = k.cap_parameters_log.numpy(*lp) * np.ones(size)
        capped = np.flatnonzero(found & (cap_all < x))
        if capped.size:
            cap = cap_all[capped]
            sub = _subset(lp, capped)
            corner = (k.balance.numpy(cap, *sub) > 0.0) & (k.margin_sign.numpy(cap, *sub) > 0.0)
            regime[capped] = np.where(corner, _CODE[DATA_BOUND], _CODE[SHUTDOWN])
            x[capped] = np.where(corner, cap, x[capped])
        producing = regime != _CODE[SHUTDOWN]
        regime = np.where(producing & ~(k.profit_sign.numpy(x, *lp) > 0.0), _CODE[SHUTDOWN],
                          regime)
        regime = np.where(overflow, _CODE["out-of-range"], regime)
    # points without a finite margin peak: scalar solver, one by one
    for i in np.flatnonzero(~finite_peak):
        located = solve_log(Parameters(**{name: float(c[name][i]) for name in NAMES[:-1]},
                                       D=None if np.isinf(c["D"][i]) else float(c["D"][i])))
        regime[i], x[i], converged[i] = _CODE[located.regime], located.x, True
    return _assemble(k, lp, c, x, regime, converged, right_of_root)


def _subset(lp, idx):
    return tuple(np.asarray(p)[idx] if np.ndim(p) else p for p in lp)


def _start_right_of_root(k, lp, peak, active):
    """x_peak - h for the largest h in START_OFFSETS (relative) with S < 0 there.

    S falls towards -inf at x_peak, so S(x_peak - h) < 0 exactly when x_peak - h lies right
    of the root; trying h = 1e-2, 1e-4, ... keeps the start within a factor 100 (in
    x_peak - x) of the root, where Newton needs a few steps.  A root closer to x_peak than
    the last offset is x_peak to double precision.
    """
    scale = np.maximum(1.0, np.abs(peak))
    x = np.where(active, peak, np.nan)
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
        pending = pending[~right]
    # roots within the last offset of the peak: the float just below x_peak
    x[pending] = np.nextafter(peak[pending], -np.inf)
    return x, first_value


def _law_start(lp, peak, active) -> np.ndarray:
    """log n_T from the training-dominated law for each point's sign of gamma (nan if unusable)."""
    laws = start_kernels()
    gamma = np.broadcast_to(lp[2], peak.shape)
    guess = np.full(peak.shape, np.nan)
    for name, mask in (("positive", gamma > 0), ("negative", gamma < 0), ("zero", gamma == 0)):
        chosen = np.flatnonzero(mask & active)
        if chosen.size:
            guess[chosen] = np.broadcast_to(laws[name](*_subset(lp, chosen)), chosen.shape)
    return np.where(guess < peak, guess, np.nan)


def _newton_from_right(k, lp, peak, active):
    """Monotone Newton on S from a start right of the root.

    The first guess is the training-dominated law; where S or S' says it is not right of
    the root (inference-dominated points, |gamma| tiny), the start is x_peak - h from
    _start_right_of_root instead.
    """
    size = peak.size
    x = np.full(size, np.nan)
    # the last point where S was evaluated negative: a certified right end of the bracket
    right_of_root = np.full(size, np.nan)
    guess = _law_start(lp, peak, active)
    tried = np.flatnonzero(np.isfinite(guess))
    from_law = np.zeros(size, dtype=bool)
    if tried.size:
        s, ds = k.balance_and_slope(guess[tried], *_subset(lp, tried))
        right = (s < 0.0) & (ds < 0.0) & np.isfinite(s)
        # that evaluation is the first Newton step from the guess
        start, step = guess[tried[right]], s[right] / ds[right]
        x[tried[right]] = start - step
        from_law[tried[right]] = True
        right_of_root[tried[right]] = start
        first_done = np.abs(step) <= QUADRATIC_STEP * np.minimum(1.0, peak[tried[right]] - start)
    rest = active & ~from_law
    first_value = np.full(size, -np.inf)
    if rest.any():
        x_rest, first_rest = _start_right_of_root(k, lp, peak, rest)
        x[rest] = x_rest[rest]
        first_value[rest] = first_rest[rest]
    converged = np.zeros(size, dtype=bool)
    if tried.size:
        converged[tried[right][first_done]] = True
    # S undefined (nan) at the first offset: the margin is not positive even near its peak
    failed = ~active | np.isnan(first_value) & active
    running = active & ~failed & ~converged
    for _ in range(MAX_NEWTON):
        if not running.any():
            break
        idx = np.flatnonzero(running)
        xi = x[idx]
        s, ds = k.balance_and_slope(xi, *_subset(lp, idx))
        bad = ~(ds < 0.0) | ~np.isfinite(s)
        step = np.where(bad, 0.0, s / ds)
        # Newton converges quadratically here: after a step below QUADRATIC_STEP times the
        # distance to the singular end x_peak, the next error is below eps relative, so the
        # update is accepted without another evaluation (the certificate re-checks it).
        room = np.minimum(1.0, peak[idx] - xi)
        done = (np.abs(step) <= STEP_TOLERANCE * np.maximum(1.0, np.abs(xi))) | \
            (np.abs(step) <= QUADRATIC_STEP * room)
        x[idx] = np.where(bad, xi, xi - step)
        negative = ~bad & (s < 0.0)
        right_of_root[idx[negative]] = xi[negative]
        failed[idx[bad]] = True
        converged[idx[done & ~bad]] = True
        running[idx[bad | done]] = False
    return x, converged, ~failed & converged, first_value, right_of_root


def _assemble(k, lp, c, x, regime, converged, right_of_root) -> Solutions:
    size = x.size
    out = {name: np.zeros(size) for name in OUTPUTS}
    x = np.where(regime == _CODE["out-of-range"], np.nan, x)
    producing = (regime == _CODE[COMPUTE_BOUND]) | (regime == _CODE[DATA_BOUND])
    too_large = producing & (x > LOG_DOUBLE_MAX)
    regime = np.where(too_large, _CODE["out-of-range"], regime)
    producing &= ~too_large
    idx = np.flatnonzero(producing)
    sub = _subset(lp, idx)
    xi = x[idx]
    with np.errstate(all="ignore"):
        (log_tokens, log_served, log_train_cost, log_train_flops, log_infer_cost, log_quality,
         log_revenue_net, margin_sign) = (np.broadcast_to(v, xi.shape) for v in
                                          k.outputs(xi, *sub))
        corner = regime[idx] == _CODE[DATA_BOUND]
        train_cost = np.exp(log_train_cost)
        values = {"n": np.exp(xi), "d": np.where(corner, c["D"][idx], np.exp(log_tokens)),
                  "t": np.exp(log_served), "q": np.exp(log_quality),
                  "profit": np.exp(log_revenue_net) - train_cost,
                  "train_flops": np.exp(log_train_flops), "train_cost": train_cost,
                  "infer_cost": np.exp(log_infer_cost)}
        margin_positive = np.zeros(size, dtype=bool)
        margin_positive[idx] = margin_sign > 0.0
        width = CERTIFICATE_WIDTH * np.maximum(1.0, np.abs(xi))
        # right end: the last Newton point where S < 0 was evaluated (x* <= it <= x* + w),
        # else S evaluated at x* + w
        right = right_of_root[idx]
        reach = np.maximum(width, QUADRATIC_STEP * np.maximum(1.0, np.abs(xi)))
        usable = np.isfinite(right) & (right >= xi) & (right <= xi + reach)
        right_negative = usable.copy()
        probe = np.flatnonzero(~usable)
        if probe.size:
            right_negative[probe] = k.balance.numpy(xi[probe] + width[probe],
                                                    *_subset(sub, probe)) < 0.0
        sign_change = np.zeros(size, dtype=bool)
        sign_change[idx] = (k.balance.numpy(xi - width, *sub) > 0.0) & right_negative
    with np.errstate(invalid="ignore", over="ignore"):
        finite = np.isfinite(sum(values.values()))  # inf or nan in any output shows in the sum
    for name, value in values.items():
        out[name][idx] = value
    bad = idx[~finite]
    regime[bad] = _CODE["out-of-range"]
    refused = regime == _CODE["out-of-range"]
    for name in OUTPUTS:
        out[name][bad] = np.nan
        out[name][refused] = np.nan
    x = np.where(producing, x, np.nan)
    return Solutions(x=x, **out, regime_code=regime.astype(np.int8),
                     margin_positive=margin_positive, sign_change=sign_change,
                     converged=converged | ~producing)
