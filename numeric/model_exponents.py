"""Local exponents (elasticities) of any kink model's optimum, at 50 digits.

For a parameter v of the model, u = log v, and an output Q of the optimum,

    d log Q*/d log v = d/du log Q(x*(u), u),

where x* = log n* is, at an interior optimum, the root of the balance S(x, u) = 0, so
dx*/du = -S_u / S_x (implicit function theorem; S_x is the model's ``balance_slope``
kernel, S_u the derivative of its ``balance`` kernel in u), and at a cap's corner
x*(u) = log n_V(u) (the cap's kernel).  Everything is evaluated with the model's mpmath
kernels at the 50-digit optimum of :func:`.precision.refine`; derivatives in u are
``mpmath.diff`` at that precision.  No finite difference of re-solved optima is taken, so
central differences of the solver are an independent check of these numbers.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable, Sequence

import mpmath

from ..errors import InputError, OutOfRange, VerificationFailed
from .kernels import ModelKernels, problem
from .local_exponents import OUT_OF_RANGE, UNRESOLVED, LocalExponent
from .precision import DEFAULT_DPS, refine
from .solver import COMPUTE_BOUND, SHUTDOWN, solve_log


def quantity_fields(model: str) -> tuple[str, ...]:
    """The outputs of ``model`` whose local exponent can be asked for."""
    return problem(model).output_fields


def _natural(k: ModelKernels, params, wrt: str, u) -> list:
    """The model's parameters as mpf, ``wrt`` = e^u; an absent optional one is +inf."""
    return [mpmath.exp(u) if spec.name == wrt else mpmath.mpf(value)
            for spec, value in zip(k.specs, params.natural())]


def _logs(k: ModelKernels, natural: list) -> list:
    """The kernels' log coordinates of natural parameters."""
    return [mpmath.log(value) if spec.logarithmic else value
            for spec, value in zip(k.specs, natural)]


def _quantity(k: ModelKernels, quantity: str) -> Callable:
    """Q(x, natural parameters) on the kink with t = t*, for an output field of the model."""
    named = dict(zip(k.flops_fields, k.flops)) | dict(zip(k.cost_fields, k.costs))

    def value(x, natural):
        n = mpmath.exp(x)
        if quantity == "n":
            return n
        d = k.tokens.mpmath(n, *natural)
        if quantity == "d":
            return d
        if quantity == "q":
            return k.quality.mpmath(n, *natural)
        t = k.served_tokens.mpmath(n, *natural)
        if quantity == "t":
            return t
        if quantity == "profit":
            return k.objective.mpmath(n, d, t, *natural)
        return named[quantity].mpmath(n, d, t, *natural)

    return value


def elasticity(params, quantity: str, wrt: str, dps: int = DEFAULT_DPS) -> LocalExponent:
    """d log Q*/d log wrt at the parameter set ``params`` (its model's Parameters), at
    ``dps`` digits; no exponent on shutdown, an ``out-of-range`` row where the optimum does
    not fit a double and an ``unresolved`` one where the 50-digit re-solve fails."""
    k = problem(params.model)
    value = float(getattr(params, wrt))
    try:
        located = solve_log(params)
        if located.regime == SHUTDOWN:
            return LocalExponent(value, None, SHUTDOWN, None)
        precise = refine(params, located, dps)
    except OutOfRange:
        return LocalExponent(value, None, OUT_OF_RANGE, None)
    except VerificationFailed:
        return LocalExponent(value, None, UNRESOLVED, None)
    if not precise.profit > 0:
        return LocalExponent(value, None, SHUTDOWN, None)
    of = _quantity(k, quantity)
    with mpmath.workdps(dps):
        u0 = mpmath.log(mpmath.mpf(value))
        x0 = precise.x
        if located.regime == COMPUTE_BOUND:
            logs = _logs(k, _natural(k, params, wrt, u0))
            slope_u = mpmath.diff(lambda u: k.balance.mpmath(
                x0, *_logs(k, _natural(k, params, wrt, u))), u0)
            dx = -slope_u / k.balance_slope.mpmath(x0, *logs)
        else:
            cap = k.caps[k.cap_regimes.index(located.regime)]
            dx = mpmath.diff(lambda u: mpmath.log(cap.mpmath(*_natural(k, params, wrt, u))),
                             u0)
        slope = mpmath.diff(lambda u: mpmath.log(of(x0 + dx * (u - u0),
                                                    _natural(k, params, wrt, u))), u0)
    costs = dict(precise.costs)
    ratio = (float(costs["infer_cost"] / costs["train_cost"])
             if {"infer_cost", "train_cost"} <= set(costs) and costs["train_cost"] else None)
    return LocalExponent(value, float(slope), located.regime, ratio)


def model_local_exponents(params, quantity: str, wrt: str, values: Sequence[float],
                          dps: int = DEFAULT_DPS,
                          progress: Callable[[int, int, str], None] | None = None
                          ) -> list[LocalExponent]:
    """:func:`elasticity` at each value of ``wrt`` (a declared parameter of the model),
    the other parameters as in ``params``."""
    k = problem(params.model)
    if quantity not in k.output_fields:
        raise InputError(f"--of must be one of {', '.join(k.output_fields)} (the outputs of "
                         f"the model {params.model!r}), got {quantity!r}")
    names = [spec.name for spec in k.specs]
    if wrt not in names:
        raise InputError(f"--wrt must be a parameter of the model {params.model!r} "
                         f"({', '.join(names)}), got {wrt!r}")
    rows = []
    for index, value in enumerate(values):
        if progress:
            progress(index, len(values), f"{wrt}={value:.3g}")
        if not math.isfinite(value) or value <= 0:
            raise InputError(f"--wrt {wrt} needs positive values, got {value!r}")
        rows.append(elasticity(dataclasses.replace(params, **{wrt: float(value)}), quantity,
                               wrt, dps))
    if progress:
        progress(len(values), len(values), "done")
    return rows
