"""Scalar functions the smooth solver's compiled kernels call (numba).

The smooth kernels are lambdified for Python's ``math`` module (one point at a time, inside
the solver's compiled loop); the model's own functions are supplied here, compiled:

- exprel(z) = (e^z - 1)/z, 1 at z = 0 (expm1: no cancellation near 0);
- demand_exp(L, gamma) = f_gamma(e^L) = L exprel(-gamma L);
- logaddexp(u, v) = log(e^u + e^v) = max + log1p(e^-|u - v|), finite for any real u, v.

It computes no part of the model.
"""

from __future__ import annotations

import math

from numba import njit

_OPTIONS = dict(cache=False, nogil=True, error_model="numpy", inline="always")


@njit(**_OPTIONS)
def exprel(z: float) -> float:
    """(e^z - 1)/z, exactly 1 at z = 0."""
    if z == 0.0:
        return 1.0
    return math.expm1(z) / z


@njit(**_OPTIONS)
def demand_exp(log_q: float, shape: float) -> float:
    """f_gamma(e^L) = L exprel(-gamma L)."""
    return log_q * exprel(-shape * log_q)


@njit(**_OPTIONS)
def logaddexp(u: float, v: float) -> float:
    """log(e^u + e^v) without overflow."""
    top = max(u, v)
    if top == -math.inf:
        return -math.inf
    return top + math.log1p(math.exp(-abs(u - v)))


#: The namespace a smooth kernel is lambdified in (with ``math``).
SCALAR_FUNCTIONS = {"exprel": exprel, "demand_exp": demand_exp, "logaddexp": logaddexp}
