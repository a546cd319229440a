"""Benchmark: wall-clock latency of the command line, cold and with a warm cache.

Every row is a fresh process, timed from start to exit, with the derived-expression
cache in a temporary folder of this run (PROFITOPT_CACHE_DIR):

- the import floor, ``python -c "import sympy, numpy"``, measured in the same run;
- the first ``profitopt solve`` on an empty cache (it derives the model and fills it);
- ``profitopt solve`` with the cache warm;
- the first ``solve_many`` call in a process whose cache is warm (kernels and the
  compiled loops read back, not rebuilt);
- ``profitopt exponents`` with its default 17 points;
- ``profitopt reproduce --no-pdf``, first (records derived) and again (records cached).

Warm rows are the median of REPEATS runs (after the one that warmed the cache); the
reproduce rows are one run each.  Each row is printed with its target from the project's
issue and whether this run met it.

Run:  python bench/bench_latency.py          (about 2 minutes on 2 cores)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

MARKET = ["--alpha", "0.3", "--beta", "0.3", "--a", "10", "--b", "10", "--omega", "1",
          "--delta", "1e-12", "--gamma", "-1"]
SOLVE = [sys.executable, "-m", "profitopt", "solve", *MARKET, "--E", "1e18"]
EXPONENTS = [sys.executable, "-m", "profitopt", "exponents", "--of", "n", "--wrt", "E",
             *MARKET]
FIRST_SOLVE_MANY = [sys.executable, "-c", (
    "import time, numpy as np; t = time.perf_counter(); "
    "from profitopt.numeric.vectorized import solve_many; "
    "solve_many(alpha=0.3, beta=0.3, gamma=np.array([-0.5, 0.0, 0.5]), a=10.0, b=10.0, "
    "omega=1.0, delta=1e-12, E=np.array([[1e10], [1e30]]))")]
IMPORT_FLOOR = [sys.executable, "-c", "import sympy, numpy"]
REPEATS = 3


def _seconds(command: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _median(command: list[str], env: dict[str, str], cwd: str) -> float:
    return statistics.median(_seconds(command, env, cwd) for _ in range(REPEATS))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="profitopt-latency-") as work:
        env = {**os.environ, "PROFITOPT_CACHE_DIR": os.path.join(work, "cache")}
        env.pop("PROFITOPT_NO_CACHE", None)
        reproduce = [sys.executable, "-m", "profitopt", "reproduce", "--no-pdf", "--out",
                     os.path.join(work, "out")]
        rows = [("import floor: python -c 'import sympy, numpy'",
                 _median(IMPORT_FLOOR, env, work), None)]
        rows.append(("first solve, empty cache", _seconds(SOLVE, env, work), 20.0))
        rows.append(("solve, warm cache", _median(SOLVE, env, work), 1.0))
        _seconds(FIRST_SOLVE_MANY, env, work)  # fills the start laws and numba's loops
        rows.append(("first solve_many in a warm-cache process",
                     _median(FIRST_SOLVE_MANY, env, work), 2.0))
        rows.append(("exponents, 17 points, warm cache", _median(EXPONENTS, env, work), 3.0))
        rows.append(("first reproduce --no-pdf (derives the records)",
                     _seconds(reproduce, env, work), None))
        rows.append(("reproduce --no-pdf, warm cache", _seconds(reproduce, env, work), 10.0))
    print(f"{'command':<48} {'wall s':>8} {'target s':>9}  met")
    for name, seconds, target in rows:
        met = "" if target is None else ("yes" if seconds <= target else "NO")
        shown = "-" if target is None else f"{target:.1f}"
        print(f"{name:<48} {seconds:>8.2f} {shown:>9}  {met}")
    print(f"({os.cpu_count()} cores; warm rows: median of {REPEATS} runs)")


if __name__ == "__main__":
    main()
