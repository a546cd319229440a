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


#: gamma on each branch of the demand link, for the per-branch numeric checks.
BRANCH_GAMMA = {
    "negative": (R(-1), R(-1, 5)),
    "zero": (R(0), R(0)),
    "positive": (R(1, 2), R(1)),
}


def branch_box(shape: str, log10_e: int, samples: int, seed: int) -> Box:
    """Interior draws on one branch of gamma at E = 10^log10_e.

    alpha and beta vary in [0.28, 0.36] around the paper's 0.3; the market
    parameters stay at the calibration (a = b = 10, omega = 1, delta = 1e-12).
    There the regime crossover E_c lies between about 1e8 and 1e20 on every
    branch, so E = 1e3 is deep in the inference-dominated window and E = 1e38
    and beyond deep in the training-dominated one.
    """
    lo, hi = BRANCH_GAMMA[shape]
    return Box((Range(alpha, R(7, 25), R(9, 25)), Range(beta, R(7, 25), R(9, 25)),
                Range(gamma, lo, hi), Range(a, R(1), R(1), log=True),
                Range(b, R(1), R(1), log=True), Range(omega, R(0), R(0), log=True),
                Range(delta, R(-12), R(-12), log=True),
                Range(E, R(log10_e), R(log10_e), log=True)), samples, seed, "interior")
