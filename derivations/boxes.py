"""Parameter boxes the numeric checks sample from (exact bounds, fixed seeds)."""

from __future__ import annotations

import sympy as sp

from ..symbolic.symbols import D, E, a, alpha, b, beta, delta, gamma, omega
from .record import Box, Range

R = sp.Rational

#: Exponents, efficiencies and market parameters around the paper's calibration.
_COMMON = (
    Range(alpha, R(1, 5), R(1, 2)),
    Range(beta, R(1, 5), R(1, 2)),
    Range(gamma, R(-1), R(1)),
    Range(a, R(0), R(3), log=True),
    Range(b, R(0), R(3), log=True),
    Range(omega, R(0), R(0), log=True),
    Range(delta, R(-12), R(-6), log=True),
    Range(E, R(14), R(22), log=True),
)


def interior_box(samples: int, seed: int) -> Box:
    """Compute-bound draws whose optimum is interior (not shutdown)."""
    return Box(_COMMON, samples, seed, "interior")


def binding_box(samples: int, seed: int) -> Box:
    """Data-bound draws (D from 1e5 to 1e10 tokens) whose cap binds."""
    return Box((*_COMMON, Range(D, R(5), R(10), log=True)), samples, seed, "binding")


def capped_box(samples: int, seed: int) -> Box:
    """Draws with a cap D, binding or not (for the regime switch)."""
    return Box((*_COMMON, Range(D, R(5), R(10), log=True)), samples, seed, "any")
