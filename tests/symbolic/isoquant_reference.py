"""An independent numeric elasticity of substitution, for the tests: no SymPy.

sigma = d log(d/n) / d log(q_n/q_d) along the isoquant, as a central difference: from
(n, d) move to n' = n e^(+-h), find d' with q(n', d') = q(n, d) by mpmath.findroot, take
q_n and q_d by mpmath.diff.  With h = 1e-15 at 70 working digits the truncation error is
O(h^2) ~ 1e-30 and rounding ~ 1e-70 / h: comparisons to 1e-15 have ample margin.
"""

from __future__ import annotations

from typing import Callable

import mpmath

Law = Callable[[mpmath.mpf, mpmath.mpf], mpmath.mpf]

#: Working digits and step of the reference.
DIGITS = 70
STEP = mpmath.mpf(10) ** -15


def slope_ratio(q: Law, n: mpmath.mpf, d: mpmath.mpf) -> mpmath.mpf:
    """q_n / q_d by numeric differentiation."""
    return mpmath.diff(lambda x: q(x, d), n) / mpmath.diff(lambda y: q(n, y), d)


def numeric_sigma(q: Law, n: float, d: float) -> mpmath.mpf:
    """The central difference of log(d/n) against log(q_n/q_d) along q's isoquant."""
    with mpmath.workdps(DIGITS):
        n, d = mpmath.mpf(n), mpmath.mpf(d)
        target = q(n, d)
        slope = -n * slope_ratio(q, n, d) / d   # dy/dx along the isoquant, x, y = log n, log d
        ends = []
        for sign in (1, -1):
            moved = n * mpmath.exp(sign * STEP)
            guess = mpmath.log(d) + sign * STEP * slope
            y = mpmath.findroot(lambda v: q(moved, mpmath.exp(v)) / target - 1,
                                (guess, guess + STEP * STEP))
            tokens = mpmath.exp(y)
            ends.append((y - mpmath.log(moved), mpmath.log(slope_ratio(q, moved, tokens))))
        return (ends[0][0] - ends[1][0]) / (ends[0][1] - ends[1][1])


def additive_law(A: float, B: float, alpha: float, beta: float, r: float = 1) -> Law:
    """q = (A n^(-alpha r) + B d^(-beta r))^(-1/r), written directly in mpmath."""
    A, B, alpha, beta, r = (mpmath.mpf(v) for v in (A, B, alpha, beta, r))
    return lambda n, d: (A * n**(-alpha * r) + B * d**(-beta * r)) ** (-1 / r)


def compute_optimal_tokens(q: Law, n: float, guess: float) -> mpmath.mpf:
    """d with n q_n = d q_d (equal output elasticities: 6nd least at fixed q), found by
    mpmath.findroot in log d from ``guess``."""
    with mpmath.workdps(DIGITS):
        n = mpmath.mpf(n)

        def gap(y):
            d = mpmath.exp(y)
            return mpmath.log(n * mpmath.diff(lambda x: q(x, d), n)
                              / (d * mpmath.diff(lambda v: q(n, v), d)))

        return mpmath.exp(mpmath.findroot(gap, mpmath.log(guess)))
