"""The smooth-law solver against an independent 50-digit optimizer of the full objective.

The reference is written here from the model's definition only (it imports nothing from
profitopt.symbolic or the toolkit's kernels):

    pi(n, d, t) = omega t f(q) - delta t^2 - (6 n d + 2 n t)/E,   optionally d <= D,
    q = (A n^(-alpha r) + B d^(-beta r))^(-1/r)   (r = 1: the additive law),
    f(q) = (1 - q^-gamma)/gamma = -expm1(-gamma log q)/gamma   (log q at gamma = 0).

In (x, y, s) = (log n, log d, log t), with u = A n^(-alpha r), w = B d^(-beta r),
d log q/dx = alpha u/(u + w), d log q/dy = beta w/(u + w) and f'(q) q = q^-gamma, so

    d pi/ds = t (omega f(q) - 2 delta t - 2n/E),
    d pi/dx = omega t q^-gamma alpha u/(u + w) - (6nd + 2nt)/E,
    d pi/dy = omega t q^-gamma beta w/(u + w) - 6nd/E.

Each is divided by its positive part (a relative residual), and mpmath.findroot (50
digits) solves them -- all three in the interior case, ds and dx with y = log D at the
cap -- from the solver's point moved by +0.05 in every log coordinate.  A root is
accepted as a maximum only where moving x, y or s alone by 1e-8 lowers pi (y only
downwards at the cap, where d pi/dy >= 0 is the KKT multiplier).  Tolerance: 1e-10
relative in n, d, t, q and profit (the float64 solver is certified to a scaled gradient
of 1e-7 and converges quadratically; the observed errors are about 1e-14).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from mpmath import mpf

from profitopt.numeric.smooth_newton import GRAD_TOL
from profitopt.numeric.smooth_solver import solve_smooth

RTOL = 1e-10
DPS = 50


def _pi(v, x, y, s):
    """pi at (e^x, e^y, e^s) for the parameters v (mpf values)."""
    n, d, t = mpmath.exp(x), mpmath.exp(y), mpmath.exp(s)
    log_q = -mpmath.log(v["A"] * n ** (-v["alpha"] * v["r"])
                        + v["B"] * d ** (-v["beta"] * v["r"])) / v["r"]
    f = log_q if v["gamma"] == 0 else -mpmath.expm1(-v["gamma"] * log_q) / v["gamma"]
    return v["omega"] * t * f - v["delta"] * t**2 - (6 * n * d + 2 * n * t) / v["E"]


def _residuals(v, x, y, s):
    """The three relative first-order conditions (see the module docstring)."""
    n, d, t = mpmath.exp(x), mpmath.exp(y), mpmath.exp(s)
    u, w = v["A"] * n ** (-v["alpha"] * v["r"]), v["B"] * d ** (-v["beta"] * v["r"])
    log_q = -mpmath.log(u + w) / v["r"]
    f = log_q if v["gamma"] == 0 else -mpmath.expm1(-v["gamma"] * log_q) / v["gamma"]
    marginal = v["omega"] * t * mpmath.exp(-v["gamma"] * log_q) / (u + w)
    served = 1 - (2 * v["delta"] * t + 2 * n / v["E"]) / (v["omega"] * f)
    size = 1 - (6 * n * d + 2 * n * t) / (v["E"] * marginal * v["alpha"] * u)
    tokens = 1 - 6 * n * d / (v["E"] * marginal * v["beta"] * w)
    return served, size, tokens


def reference(values: dict[str, float], start: tuple[float, float, float], capped: bool):
    """(n, d, t, q, profit) of the 50-digit optimum found from ``start`` (x, y, s)."""
    with mpmath.workdps(DPS):
        v = {k: mpf(val) for k, val in values.items() if val is not None}
        v.setdefault("r", mpf(1))
        x0, y0, s0 = (mpf(c) + mpf("0.05") for c in start)
        if capped:
            y = mpmath.log(v["D"])
            root = mpmath.findroot(lambda x, s: _residuals(v, x, y, s)[:2], (x0, s0))
            x, s = root[0], root[1]
            assert _residuals(v, x, y, s)[2] > 0, "KKT: d pi/dy >= 0 at the cap"
        else:
            root = mpmath.findroot(lambda x, y, s: _residuals(v, x, y, s), (x0, y0, s0))
            x, y, s = root
        base = _pi(v, x, y, s)
        h = mpf("1e-8")
        moves = [(h, 0, 0), (-h, 0, 0), (0, 0, h), (0, 0, -h), (0, -h, 0)]
        if not capped:
            moves.append((0, h, 0))
        for dx, dy, ds in moves:
            assert _pi(v, x + dx, y + dy, s + ds) < base, "the reference is a local maximum"
        n, d, t = mpmath.exp(x), mpmath.exp(y), mpmath.exp(s)
        q = (v["A"] * n ** (-v["alpha"] * v["r"])
             + v["B"] * d ** (-v["beta"] * v["r"])) ** (-1 / v["r"])
        return n, d, t, q, base


def _market(rng: np.random.Generator, model: str) -> dict[str, float]:
    values = dict(alpha=rng.uniform(0.25, 0.5), beta=rng.uniform(0.25, 0.5),
                  gamma=rng.uniform(-0.9, 0.9), A=rng.uniform(100, 2000),
                  B=rng.uniform(100, 2000), omega=rng.uniform(0.5, 2.0),
                  delta=10 ** rng.uniform(-14, -10), E=10 ** rng.uniform(15, 35))
    if model == "ces":
        values["r"] = rng.uniform(0.5, 3.0)
    return values


CASES = [pytest.param(model, seed, capped, id=f"{model}-{seed}-{'data' if capped else 'compute'}")
         for model in ("additive", "ces") for seed in range(6) for capped in (False, True)]


class TestAgainstIndependentReference:
    """n, d, t, q and profit match the 50-digit reference to 1e-10 relative, in both
    regimes, and every point is certified."""

    @pytest.mark.parametrize("model, seed, capped", CASES)
    def test_matches(self, model, seed, capped):
        values = _market(np.random.default_rng(1000 + seed), model)
        free = solve_smooth(model, **values)
        assert free.regime[()] == "compute-bound" and free.certified[()]
        if capped:
            values["D"] = float(free.d) * 0.3  # binds: the interior d* lies beyond it
        found = solve_smooth(model, **values)
        assert found.regime[()] == ("data-bound" if capped else "compute-bound")
        assert found.certified[()] and found.gradient[()] <= GRAD_TOL
        start = (math.log(found.n), math.log(found.d), math.log(found.t))
        expected = reference(values, start, capped)
        for name, want in zip(("n", "d", "t", "q", "profit"), expected):
            got = float(getattr(found, name))
            assert abs(got / float(want) - 1) <= RTOL, (name, got, want)


class TestShutdown:
    """Where no output earns a profit the point shuts down: zero outputs, not certified."""

    def test_tiny_willingness_to_pay(self):
        found = solve_smooth("additive", alpha=0.34, beta=0.28, gamma=-0.5, A=406.4,
                             B=410.7, omega=1e-9, delta=1e-12, E=1e12)
        assert found.regime[()] == "shutdown"
        assert not found.certified[()]
        assert float(found.n) == float(found.d) == float(found.t) == float(found.profit) == 0

    def test_cap_below_the_producing_set(self):
        # with d <= 1e3 tokens, q < 1: f(q) < 0 and nothing is served
        found = solve_smooth("additive", alpha=0.34, beta=0.28, gamma=-0.5, A=406.4,
                             B=410.7, omega=1.0, delta=1e-12, E=1e20, D=1e3)
        assert found.regime[()] == "shutdown"


class TestMultiStart:
    """Evidence for uniqueness (not a proof): on a seeded sample, the independent
    reference started from points spread over a +-3 box in (x, y, s) around the optimum
    converges, wherever it converges to a producing local maximum, to the solver's."""

    @pytest.mark.parametrize("seed", range(4))
    def test_starts_agree(self, seed):
        rng = np.random.default_rng(2000 + seed)
        model = "additive" if seed % 2 == 0 else "ces"
        values = _market(rng, model)
        found = solve_smooth(model, **values)
        assert found.certified[()]
        centre = np.array([math.log(found.n), math.log(found.d), math.log(found.t)])
        converged = 0
        for _ in range(12):
            start = tuple(centre + rng.uniform(-3, 3, size=3))
            try:
                n, *_ = reference(values, start, False)
            except (ValueError, ZeroDivisionError, AssertionError):
                continue  # no convergence from there, or not a maximum
            converged += 1
            assert abs(float(n) / float(found.n) - 1) <= RTOL
        assert converged >= 3
