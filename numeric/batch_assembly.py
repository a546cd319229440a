"""Outputs, regimes and certificate flags of a solved chunk of the vectorized solver.

From the root x* = log n* (or the corner x_D) one kernel pass gives the logs of
d, t* = (omega f(q) - 2n/E) / (2 delta), 6 n d / E, 6 n d, 2 n t / E, q and revenue net
of serving, omega t f(q) - delta t^2 - 2 n t / E, and the signs of the margin and of the
profit; the outputs are their exponentials (profit = revenue net - training cost).  A
candidate with profit <= 0 shuts down (zeros); one whose log n or any output does not fit
a double is out-of-range (nan, refused, never clipped).
"""

from __future__ import annotations

import math

import numpy as np

from .batch_certificate import sign_change
from .batch_columns import LogParameters, subset
from .batch_solutions import CODE
from .kernels import ModelKernels
from .solver import COMPUTE_BOUND, DATA_BOUND, SHUTDOWN

#: Assemble the outputs on the whole chunk (idle points too) while at least this share of
#: it produces: one dense kernel pass costs less than gathering and scattering.
DENSE_SHARE = 0.5
#: log of the largest double: an optimum with log n beyond it cannot be reported.
LOG_DOUBLE_MAX = math.log(np.finfo(float).max)


def working_indices(mask: np.ndarray) -> slice | np.ndarray:
    """Where to work on the points of ``mask``: the whole chunk while they are at least
    DENSE_SHARE of it (one kernel pass without gathers), else their indices."""
    if np.count_nonzero(mask) >= DENSE_SHARE * mask.size:
        return slice(None)
    return np.flatnonzero(mask)


def assemble(k: ModelKernels, lp: LogParameters, c: dict[str, np.ndarray], x: np.ndarray,
             peak: np.ndarray, regime: np.ndarray, converged: np.ndarray,
             evaluated: tuple[np.ndarray, np.ndarray], out: dict[str, np.ndarray]) -> None:
    """Outputs and certificate flags of a solved chunk, written into ``out``.

    ``evaluated`` holds, per point, the last Newton points where S > 0 and S < 0 were
    evaluated (nan: none); within the reach of an update accepted without evaluation
    they certify the sign change, elsewhere S is evaluated at x* -+ CERTIFICATE_WIDTH
    (:func:`profitopt.numeric.batch_certificate.sign_change`).
    """
    producing = (regime == CODE[COMPUTE_BOUND]) | (regime == CODE[DATA_BOUND])
    too_large = producing & (x > LOG_DOUBLE_MAX)
    regime = np.where(too_large, CODE["out-of-range"], regime)
    producing &= ~too_large
    idx = working_indices(producing)
    live = producing[idx].copy()  # idx may be a slice: a view would change producing too
    sub = subset(lp, idx)
    xi = x[idx]
    with np.errstate(all="ignore"):
        (log_tokens, log_served, log_train_cost, log_train_flops, log_infer_cost, log_quality,
         log_revenue_net, margin_sign, profit_sign) = (np.broadcast_to(v, xi.shape) for v in
                                                       k.outputs(xi, *sub))
        # a candidate with negative profit: the firm shuts down
        live &= profit_sign > 0.0
        regime[idx] = np.where(producing[idx] & ~live, CODE[SHUTDOWN], regime[idx])
        corner = regime[idx] == CODE[DATA_BOUND]
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
        left, right = (np.asarray(end)[idx] for end in evaluated)
        changes = sign_change(k, sub, xi, peak[idx], left, right, live)
        # inf or nan in any output shows in the sum
        finite = np.isfinite(sum(values.values()))
    # outputs beyond double range: refused, not clipped
    regime[idx] = np.where(live & ~finite, CODE["out-of-range"], regime[idx])
    live &= finite
    producing[idx] = live
    # shutdown points report zeros, refused points nan (a dense pass where every point
    # produces has written every output in place above)
    if not (isinstance(idx, slice) and live.all()):
        fill = np.where(regime == CODE["out-of-range"], np.nan, 0.0)
        for name, value in values.items():
            column = out[name]
            if not isinstance(idx, slice):
                column[:] = fill
                column[idx] = value
            column[~producing] = fill[~producing]
    out["x"][:] = np.where(producing, x, np.nan)
    out["regime_code"][:] = regime
    # certificate: t* > 0 at the reported point
    out["margin_positive"][:] = False
    out["margin_positive"][idx] = live & (margin_sign > 0.0)
    out["sign_change"][:] = False
    out["sign_change"][idx] = changes
    out["converged"][:] = converged | ~producing
