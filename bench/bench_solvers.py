"""Benchmark: solves/s and accuracy of profitopt's vectorized solver against baselines.

Reference grid: 1000 values of E log-spaced over [1e10, 1e40] x 1000 values of gamma in
[-1, 1] (including 0, +-1e-14 and +-1e-8), at alpha = beta = 0.3, a = b = 10, omega = 1,
delta = 1e-12.  Prints one table: solves/s and max relative error in n* against 50-digit
mpmath on a 1000-point sample (gamma in {0, +-1e-14, +-1e-8} and both ends of the E
range included).  The vectorized solver and the rigorous mode are timed as the median of
3 runs after a warm-up run (which builds their kernels); the per-point baselines on
subsets, extrapolated.

Run:  python bench/bench_solvers.py            (about a minute on 2 cores)
      python bench/bench_solvers.py --quick    (smaller samples, for a smoke test)
scipy is optional (pip install '.[bench]'); without it the brentq row says so.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
import warnings

import mpmath
import numpy as np
import sympy as sp

from profitopt.numeric.kernels import MPMATH_FUNCTIONS, model_kernels
from profitopt.paramspec import PAPER
from profitopt.numeric.parameters import Parameters
from profitopt.numeric.precision import refine
from profitopt.numeric.rigorous import backend, prove_interior
from profitopt.numeric.solver import solve_log
from profitopt.numeric.vectorized import columns_of, solve_many

FIXED = dict(alpha=0.3, beta=0.3, a=10.0, b=10.0, omega=1.0, delta=1e-12)
#: gamma values where the demand link's textbook form loses accuracy or is 0/0.
SPECIAL_GAMMAS = (-1e-8, -1e-14, 0.0, 1e-14, 1e-8)


def reference_grid(size: int = 1000) -> dict[str, np.ndarray]:
    energy = np.geomspace(1e10, 1e40, size)
    shape = np.linspace(-1.0, 1.0, size)
    middle = size // 2
    shape[middle - 2:middle + 3] = SPECIAL_GAMMAS
    e, g = np.meshgrid(energy, shape, indexing="ij")
    return columns_of(**FIXED, gamma=g, E=e)


def sample_indices(columns: dict[str, np.ndarray], count: int, seed: int = 7) -> np.ndarray:
    """Random points plus the awkward ones: gamma near 0 and the ends of the E range."""
    rng = np.random.default_rng(seed)
    gamma, energy = columns["gamma"], columns["E"]
    special = np.flatnonzero(np.isin(gamma, SPECIAL_GAMMAS)
                             | np.isin(energy, (energy.min(), energy.max())))
    special = special[:: max(1, special.size // (count // 2))]
    rest = rng.choice(gamma.size, size=count - special.size, replace=False)
    return np.unique(np.concatenate([special, rest]))[:count]


def _params(columns, i, **override) -> Parameters:
    values = {spec.name: float(columns[spec.name][i]) for spec in PAPER if not spec.optional}
    return Parameters(**{**values, **override})


def reference_n(columns, indices) -> np.ndarray:
    out = np.empty(len(indices))
    for j, i in enumerate(indices):
        params = _params(columns, i)
        out[j] = float(refine(params, solve_log(params)).n)
    return out


def max_rel_error(values, reference) -> float:
    return float(np.max(np.abs(values / reference - 1.0)))


def median_rate(run, points: int, repeats: int = 3):
    """(points / median time of ``repeats`` runs after a warm-up run, the last result).

    Each run's result is released before the next starts: holding one would make the
    solver's runs fault fresh pages in for their 1e6-point output arrays (about 80 MB).
    """
    result = run()  # warm-up
    times = []
    for _ in range(repeats):
        result = None
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return points / statistics.median(times), result


def bench_vectorized(columns, indices, reference):
    rate, solutions = median_rate(lambda: solve_many(**columns), columns["E"].size)
    error = max_rel_error(solutions.n[indices], reference)
    certified = float(solutions.certified.mean())
    return rate, error, f"{certified:.1%} certified", solutions


def bench_brentq(columns, indices, reference, solutions, count):
    try:
        from scipy.optimize import brentq
    except ImportError:
        return None, None, "scipy not installed (pip install '.[bench]')"
    k = model_kernels()
    picks = np.arange(0, columns["E"].size, max(1, columns["E"].size // count))[:count]

    logs = {int(i): _params(columns, i).log() for i in (*picks, *indices[:200])}

    def one(i):  # the root finding alone: the parameter set is built before the clock starts
        lp = logs[int(i)]
        peak = float(k.peak.numpy(*lp))
        lo = float(solutions.x[i]) - 0.5
        hi = peak - 1e-9 * max(1.0, abs(peak))
        with np.errstate(all="ignore"):
            return brentq(lambda x: float(k.balance.numpy(x, *lp)), lo, hi, xtol=1e-15,
                          rtol=4 * np.finfo(float).eps)

    start = time.perf_counter()
    for i in picks:
        one(i)
    rate = len(picks) / (time.perf_counter() - start)
    error = max_rel_error(np.exp([one(i) for i in indices[:200]]), reference[:200])
    return rate, error, f"timed on {len(picks)} points, bracket [x* - 0.5, x_peak)"


def bench_nsolve(columns, indices, reference, solutions, count):
    """sympy.nsolve (mpmath's Anderson-Bjork) on the same S, bracketed like brentq."""
    k = model_kernels()
    expr, args = k.balance.expr, k.balance.args
    picks = indices[:count]
    results, failures = [], 0
    start = time.perf_counter()
    for i in picks:
        lp = _params(columns, i).log()
        subs = dict(zip(args[1:], [sp.Float(v) for v in lp]))
        peak = float(k.peak.numpy(*lp))
        bracket = (float(solutions.x[i]) - 0.5, peak - 1e-9 * max(1.0, abs(peak)))
        try:
            root = sp.nsolve(expr.subs(subs), args[0], bracket, solver="anderson",
                             modules=[MPMATH_FUNCTIONS, "mpmath"])
            results.append(math.exp(float(sp.re(root))))
        except (ValueError, ZeroDivisionError):
            failures += 1
            results.append(math.nan)
    rate = len(picks) / (time.perf_counter() - start)
    values = np.array(results)
    ok = np.isfinite(values)
    error = max_rel_error(values[ok], reference[:len(picks)][ok]) if ok.any() else None
    return rate, error, (f"timed on {len(picks)} points, bracket [x* - 0.5, x_peak); "
                         f"{failures} failed")


def bench_mpmath(columns, indices, count):
    picks = indices[:count]
    start = time.perf_counter()
    for i in picks:
        params = _params(columns, i)
        refine(params, solve_log(params))
    rate = len(picks) / (time.perf_counter() - start)
    return rate, 0.0, f"50 digits, timed on {len(picks)} points (the reference itself)"


def bench_rigorous(columns, solutions, count):
    """Proofs on an evenly spread subset of the grid, on every core (pool start included;
    the one-time build of the interval kernel is the warm-up, as for the solver)."""
    picks = np.arange(0, columns["E"].size, max(1, columns["E"].size // count))[:count]
    rate, proofs = median_rate(lambda: prove_interior(columns, solutions, picks), len(picks))
    return rate, None, (f"{proofs.mean():.1%} of {len(picks)} roots proven ({backend()}, "
                        f"{os.cpu_count()} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples (smoke test)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", RuntimeWarning)
    sample = 100 if args.quick else 1000
    columns = reference_grid(200 if args.quick else 1000)
    indices = sample_indices(columns, sample)
    started = time.perf_counter()
    reference = reference_n(columns, indices)
    rows = []
    rate, error, note, solutions = bench_vectorized(columns, indices, reference)
    rows.append(("profitopt vectorized (float64)", rate, error, note))
    rows.append(("scipy brentq, per point", *bench_brentq(columns, indices, reference,
                                                           solutions, 1000 if args.quick else 10000)))
    rows.append(("sympy nsolve, per point", *bench_nsolve(columns, indices, reference,
                                                          solutions, 10 if args.quick else 50)))
    rows.append(("mpmath 50 digits, per point", *bench_mpmath(columns, indices,
                                                              20 if args.quick else 100)))
    rows.append(("rigorous mode (interval proofs)", *bench_rigorous(columns, solutions,
                                                                    50 if args.quick else 20000)))
    points = columns["E"].size
    print(f"reference grid: {points} points; accuracy sample: {len(indices)} points vs 50-digit "
          f"mpmath; mpmath {mpmath.__version__}, numpy {np.__version__}")
    print(f"{'method':<34} {'solves/s':>12} {'max rel err n*':>15}  note")
    for name, rate, error, note in rows:
        rate_text = "-" if rate is None else f"{rate:12.4g}"
        error_text = "-" if error is None else f"{error:15.2e}"
        print(f"{name:<34} {rate_text:>12} {error_text:>15}  {note}")
    base = rows[1][1]
    if base:
        print(f"speed-up over per-point brentq: {rows[0][1] / base:.1f}x")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
