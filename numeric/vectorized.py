"""Vectorized solver: many parameter sets at once, each with a cheap certificate.

For every point the margin peak x_peak = log n_peak has a closed form, and
the balance S(x) is strictly concave on (x_0, x_peak) with S(x_peak-) = -inf.
Newton's method on a concave decreasing function started to the right of
its root moves monotonically left onto the root and never overshoots, so
the solver

1. starts at x_peak - H (H = START_OFFSET); where S is still positive there
   the root lies in (x_peak - H, x_peak) and is bracketed and bisected;
2. iterates x <- x - S/S' until the step is below STEP_TOLERANCE relative;
   a non-negative S' or an undefined S means the iterate passed the maximum
   of S without a root: no local maximum of profit (shutdown);
3. applies the data cap (corner where x_D < x* and S(x_D) > 0) and the
   shutdown test (profit sign at the candidate).

Points with 1 + alpha gamma <= 0 (no finite x_peak) go through the scalar
solver one by one.  Every point carries: t* > 0, a sign change of S across
[x* - e, x* + e] with e = CERTIFICATE_WIDTH max(1, |x*|) (interior points),
and whether its outputs fit in a double.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from ..errors import InputError
from .kernels import model_kernels
from .parameters import POSITIVE, Parameters
from .solver import COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, solve_log

START_OFFSET = 1e-2
STEP_TOLERANCE = 4 * np.finfo(float).eps
CERTIFICATE_WIDTH = 1e-9
MAX_NEWTON = 100
MAX_BISECTIONS = 80
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
    return {k: np.ascontiguousarray(v).ravel() for k, v in zip(NAMES, arrays)}


def _validate(columns: dict[str, np.ndarray]) -> None:
    for name in NAMES:
        values = columns[name]
        if name == "D" and np.all(np.isinf(values)):
            continue
        if not np.all(np.isfinite(values) | ((name == "D") & np.isposinf(values))):
            raise InputError(f"{name} must be finite at every grid point")
        if name in POSITIVE and np.any(values <= 0):
            raise InputError(f"{name} ({POSITIVE[name]}) must be > 0 at every grid point")
    lower = model_kernels().gamma_lower.numpy(columns["alpha"], columns["beta"])
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


def _log_columns(c: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    with np.errstate(divide="ignore"):
        return (c["alpha"], c["beta"], c["gamma"], np.log(c["a"]), np.log(c["b"]),
                np.log(c["omega"]), np.log(c["delta"]), np.log(c["E"]), np.log(c["D"]))


def _solve_chunk(c: dict[str, np.ndarray]) -> Solutions:
    k = model_kernels()
    lp = _log_columns(c)
    size = c["E"].size
    with np.errstate(all="ignore"):
        finite_peak = 1.0 + c["alpha"] * c["gamma"] > 0.0
        peak = np.where(finite_peak, k.peak.numpy(*lp), np.inf)
        x, converged, found = _newton_from_right(k, lp, peak, finite_peak)
        regime = np.where(found, _CODE[COMPUTE_BOUND], _CODE[SHUTDOWN])
        # revenue per token beyond double range (f(q) = inf): refuse, do not call it shutdown
        start = peak - START_OFFSET * np.maximum(1.0, np.abs(peak))
        overflow = finite_peak & (k.margin_sign.numpy(start, *lp) == np.inf)
        # data cap: the corner where the cap lies left of the interior root
        cap = k.cap_parameters_log.numpy(*lp) * np.ones(size)
        capped = found & (cap < x)
        corner = capped & (k.balance.numpy(cap, *lp) > 0.0) & (k.margin_sign.numpy(cap, *lp) > 0.0)
        regime = np.where(capped & ~corner, _CODE[SHUTDOWN], regime)
        regime = np.where(corner, _CODE[DATA_BOUND], regime)
        x = np.where(corner, cap, x)
        producing = regime != _CODE[SHUTDOWN]
        regime = np.where(producing & ~(k.profit_sign.numpy(x, *lp) > 0.0), _CODE[SHUTDOWN],
                          regime)
        regime = np.where(overflow, _CODE["out-of-range"], regime)
    # points without a finite margin peak: scalar solver, one by one
    for i in np.flatnonzero(~finite_peak):
        located = solve_log(Parameters(**{name: float(c[name][i]) for name in NAMES[:-1]},
                                       D=None if np.isinf(c["D"][i]) else float(c["D"][i])))
        regime[i], x[i], converged[i] = _CODE[located.regime], located.x, True
    return _assemble(k, lp, c, x, regime, converged)


def _newton_from_right(k, lp, peak, active):
    """Monotone Newton on S from x_peak - H; bisection where the root is closer to the peak."""
    size = peak.size
    start = peak - START_OFFSET * np.maximum(1.0, np.abs(peak))
    s_start = k.balance.numpy(start, *lp)
    near_peak = active & (s_start > 0.0)
    x = np.where(active, start, np.nan)
    if np.any(near_peak):  # bracket [start, peak]: bisect on the sign of S
        lo, hi = start[near_peak], peak[near_peak]
        sub = tuple(np.asarray(p)[near_peak] if np.ndim(p) else p for p in lp)
        for _ in range(MAX_BISECTIONS):
            mid = 0.5 * (lo + hi)
            positive = k.balance.numpy(mid, *sub) > 0.0
            lo, hi = np.where(positive, mid, lo), np.where(positive, hi, mid)
        x[near_peak] = lo
    running = active.copy()
    converged = np.zeros(size, dtype=bool)
    failed = ~active | ~np.isfinite(s_start) & ~near_peak
    running &= ~failed
    for _ in range(MAX_NEWTON):
        if not running.any():
            break
        idx = np.flatnonzero(running)
        sub = tuple(np.asarray(p)[idx] if np.ndim(p) else p for p in lp)
        xi = x[idx]
        s, ds = k.balance.numpy(xi, *sub), k.balance_slope.numpy(xi, *sub)
        bad = ~(ds < 0.0) | ~np.isfinite(s)
        step = np.where(bad, 0.0, s / ds)
        new = xi - step
        done = np.abs(step) <= STEP_TOLERANCE * np.maximum(1.0, np.abs(xi))
        x[idx] = np.where(bad, xi, new)
        failed[idx[bad]] = True
        converged[idx[done & ~bad]] = True
        running[idx[bad | done]] = False
    return x, converged, ~failed & converged


def _assemble(k, lp, c, x, regime, converged) -> Solutions:
    size = x.size
    out = {name: np.zeros(size) for name in OUTPUTS}
    x = np.where(regime == _CODE["out-of-range"], np.nan, x)
    producing = (regime == _CODE[COMPUTE_BOUND]) | (regime == _CODE[DATA_BOUND])
    too_large = producing & (x > LOG_DOUBLE_MAX)
    regime = np.where(too_large, _CODE["out-of-range"], regime)
    producing &= ~too_large
    idx = np.flatnonzero(producing)
    sub = tuple(np.asarray(p)[idx] if np.ndim(p) else p for p in lp)
    xi = x[idx]
    with np.errstate(all="ignore"):
        n = np.exp(xi)
        corner = regime[idx] == _CODE[DATA_BOUND]
        d = np.where(corner, c["D"][idx], np.exp(k.log_tokens.numpy(xi, *sub)))
        t = np.exp(k.log_served_tokens.numpy(xi, *sub))
        train_cost = np.exp(k.log_training_cost.numpy(xi, *sub))
        infer_cost = np.exp(k.log_inference_cost.numpy(xi, *sub))
        revenue_net = np.exp(2 * k.log_served_tokens.numpy(xi, *sub)) * c["delta"][idx]
        values = {"n": n, "d": d, "t": t, "q": np.exp(k.log_quality.numpy(xi, *sub)),
                  "profit": revenue_net - train_cost, "train_flops": train_cost * c["E"][idx],
                  "train_cost": train_cost, "infer_cost": infer_cost}
        margin_positive = np.zeros(size, dtype=bool)
        margin_positive[idx] = k.margin_sign.numpy(xi, *sub) > 0.0
        width = CERTIFICATE_WIDTH * np.maximum(1.0, np.abs(xi))
        sign_change = np.zeros(size, dtype=bool)
        sign_change[idx] = (k.balance.numpy(xi - width, *sub) > 0.0) & \
            ~(k.balance.numpy(xi + width, *sub) > 0.0)
    finite = np.all([np.isfinite(v) for v in values.values()], axis=0)
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
