"""Benchmark of the smooth-law solver (additive law, hoffmann2022 preset) on one core.

    NUMBA_NUM_THREADS=1 python bench/bench_smooth.py

Grid: 10^6 points, E log-spaced from 1e10 to 1e40 (1000 values, varying fastest: the
solver continues along E) times gamma in [-1, 1] (1000 values), omega = 1, delta = 1e-12
(the calibration of the paper's exponent records: the optimum produces over most of the
grid).  Prints, measured in this run:

- certified solves/s over the grid: the median of 3 timed runs after a first full-size
  run, which is reported apart (it also faults in the working memory), and the share
  certified;
- max relative error in n* and d* against the 50-digit re-solve
  (:mod:`profitopt.numeric.smooth_precision`) on a seeded 1000-point sample;
- a per-point ``scipy.optimize.root`` loop (hybrid method, analytic Jacobian from the same
  kernels, warm-started from the previous point as the solver is) on the certified points of
  one gamma row (up to 1000, consecutive in E), and the speed-up over it.

Targets: >= 1e6 solves/s, <= 1e-12 relative error, >= 100x scipy.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from profitopt.models.presets import preset  # noqa: E402
from profitopt.numeric.kernels import smooth_problem  # noqa: E402
from profitopt.numeric.parameters import parameters_class  # noqa: E402
from profitopt.numeric.smooth_precision import refine_smooth  # noqa: E402
from profitopt.numeric.smooth_solver import REGIMES, prepare, solve_smooth  # noqa: E402

MODEL = "additive"
SIZE = 1000
SAMPLE, SCIPY_POINTS, RUNS = 1000, 1000, 3


def market() -> dict[str, float]:
    values = preset("hoffmann2022").values()
    values.pop("E0")
    return {**values, "omega": 1.0, "delta": 1e-12}


def grid() -> dict[str, np.ndarray]:
    return {"gamma": np.linspace(-1.0, 1.0, SIZE)[:, None],
            "E": np.logspace(10.0, 40.0, SIZE)[None, :]}


def time_grid(fixed, axes):
    """(first full run's time, median and best of RUNS runs after it, the result).  The
    first full-size run also pays for faulting in the grid's working memory (later runs
    reuse it, as a long sweep's chunks do), so it is reported apart."""
    start = time.perf_counter()
    solve_smooth(MODEL, **fixed, **axes)
    first = time.perf_counter() - start
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = solve_smooth(MODEL, **fixed, **axes)
        times.append(time.perf_counter() - start)
    return first, statistics.median(times), min(times), result


def sample_errors(fixed, axes, result) -> tuple[float, float, int]:
    rng = np.random.default_rng(20261203)
    producing = np.flatnonzero(result.certified.reshape(-1))
    chosen = rng.choice(producing, size=min(SAMPLE, producing.size), replace=False)
    gammas, energies = np.broadcast_arrays(axes["gamma"], axes["E"])
    cls = parameters_class(MODEL)
    worst_n = worst_d = 0.0
    regimes = result.regime.reshape(-1)
    for i in chosen:
        params = cls(**fixed, gamma=float(gammas.reshape(-1)[i]),
                     E=float(energies.reshape(-1)[i]))
        n, d = float(result.n.reshape(-1)[i]), float(result.d.reshape(-1)[i])
        precise = refine_smooth(MODEL, params.natural(), math.log(n), math.log(d),
                                regimes[i] == "data-bound")
        worst_n = max(worst_n, abs(n / float(precise.n) - 1))
        worst_d = max(worst_d, abs(d / float(precise.d) - 1))
    return worst_n, worst_d, chosen.size


def scipy_loop(fixed, axes, result) -> tuple[float, float]:
    """Points per second of a per-point scipy root loop, and its max rel. difference in n."""
    from scipy.optimize import root

    k = smooth_problem(MODEL)
    kernel = k.point_scalar.function
    gammas, energies = np.broadcast_arrays(axes["gamma"], axes["E"])
    # the certified points of one gamma row (E varies fastest), as in the continuation
    row = np.arange(SIZE * (SIZE // 2), SIZE * (SIZE // 2 + 1))
    indices = row[result.certified.reshape(-1)[row]][:SCIPY_POINTS]
    specs = k.specs
    x0 = y0 = None
    worst = 0.0
    count = failed = 0
    begin = time.perf_counter()
    for i in indices:
        values = {**fixed, "gamma": float(gammas.reshape(-1)[i]),
                  "E": float(energies.reshape(-1)[i]), "D": math.inf}
        p = np.array([math.log(values[s.name]) if s.logarithmic else values[s.name]
                      for s in specs])
        if x0 is None:
            x0 = math.log(result.n.reshape(-1)[i]) + 0.05
            y0 = math.log(result.d.reshape(-1)[i]) + 0.05

        def fun(z, p=p):
            try:
                v = kernel(z[0], z[1], p)
            except ValueError:  # outside the producing set: push back
                return [1e3, 1e3], [[1.0, 0.0], [0.0, 1.0]]
            return [v[5], v[6]], [[v[7], v[8]], [v[8], v[9]]]

        found = root(fun, [x0, y0], jac=True, method="hybr", options={"xtol": 1e-13})
        x0, y0 = found.x
        if found.success:
            worst = max(worst, abs(math.exp(x0) / result.n.reshape(-1)[i] - 1))
        else:
            failed += 1
        count += 1
    return count / (time.perf_counter() - begin), worst, failed, count


def main() -> int:
    fixed, axes = market(), grid()
    start = time.perf_counter()
    prepare(MODEL)
    solve_smooth(MODEL, **fixed, gamma=axes["gamma"][:4], E=axes["E"][:, :4])
    build = time.perf_counter() - start
    first, median, best, result = time_grid(fixed, axes)
    points = result.n.size
    certified = result.certified.mean()
    rate = points / median
    regimes = {name: int((result.regime == name).sum()) for name in REGIMES}
    err_n, err_d, sampled = sample_errors(fixed, axes, result)
    scipy_rate, scipy_diff, scipy_failed, scipy_count = scipy_loop(fixed, axes, result)
    rows = [
        ("kernels + numba build (once per process)", f"{build:.1f} s", "-"),
        ("grid points", f"{points}", "10^6"),
        ("certified solves/s, one core (median of 3 after the first)",
         f"{rate * certified:.3g}", ">= 1e6"),
        ("certified solves/s, first full-size run (cold memory)",
         f"{points / first * certified:.3g}", "-"),
        ("all solves/s (median; best run)", f"{rate:.3g}; {points / best:.3g}", "-"),
        ("share certified", f"{certified:.4%}", "-"),
        ("regimes", ", ".join(f"{k} {v}" for k, v in regimes.items() if v), "-"),
        (f"max rel. error n* vs 50 digits ({sampled} pts)", f"{err_n:.2e}", "<= 1e-12"),
        (f"max rel. error d* vs 50 digits ({sampled} pts)", f"{err_d:.2e}", "<= 1e-12"),
        (f"scipy.optimize.root per point ({scipy_count} pts), solves/s", f"{scipy_rate:.3g}",
         "-"),
        ("scipy: not converged; max rel. difference in n*",
         f"{scipy_failed}; {scipy_diff:.2e}", "-"),
        ("speed-up over scipy", f"{rate / scipy_rate:.0f}x", ">= 100x"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'quantity':<{width}}  {'measured':>28}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>28}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
