"""Benchmark: solves/s of a sweep in process and on a Dask LocalCluster writing a Zarr store.

    python bench/bench_sweep.py            (about a minute on 2 cores)

Grid: the paper's market (alpha = beta = 0.3, a = b = 10, omega = 1, delta = 1e-12), E
log-spaced over [1e10, 1e30] (the outer dimension) x gamma linear over [-1, 0.5] (1024
values, the inner one), so a chunk of 2^k >= 1024 points is exactly 2^(k-10) rows of E.
Prints one table, every number but the last section measured in this run:

1. in process: ``solve_many`` on 2^21 points after ``prepare()`` (median of 3), and
   ``write_sweep`` without a client (the same solve plus the Zarr writes), at 2^18 and 2^12
   points a block, so the store's own per-block cost is known without Dask;
2. a ``distributed.LocalCluster`` (processes, 1 thread a worker, no dashboard) of 1 and of
   2 workers: start-up and warm-up (a small sweep plus ``prepare`` on every worker, so each
   worker has built its kernels) reported apart, then ``write_sweep(..., client=client)`` of
   2^21 points in blocks of 2^18 (median of 3); scaling efficiency = rate(2) / (2 rate(1))
   and rate(2) / (2 x the in-process ``solve_many`` rate);
3. the per-task overhead on the 2-worker cluster: sweeps in blocks of 2^20 ... 2^12 points
   (at most 128 blocks a run, so each run takes seconds), efficiency against the largest
   block, a weighted least-squares fit time = points / rate + tasks x overhead, the chunk
   where efficiency reaches 90 % (9 x overhead x rate per worker) and the smallest measured
   chunk with efficiency >= 0.9; plus a no-op Dask task for comparison;
4. a projection (not a measurement) for 10^11 points on N workers from the measured
   1-worker rate, the measured 2-worker efficiency and the measured bytes per point.

The machine's load average is printed at the start and the end: other processes on the
2 cores slow every row, the cluster rows (3 to 5 processes) most.
"""

from __future__ import annotations

import logging
import os
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from profitopt.labelled import make_grid, normalize_chunks
from profitopt.numeric.vectorized import prepare, solve_many
from profitopt.sweep_store import write_sweep

FIXED = dict(alpha=0.3, beta=0.3, a=10.0, b=10.0, omega=1.0, delta=1e-12)
GAMMAS = 1024                      # inner dimension: a chunk of 2^k points is 2^(k-10) E rows
POINTS = 1 << 21                   # scaling sweeps and the in-process solve
CHUNK = 1 << 18                    # the moderate chunk of the scaling rows
OVERHEAD_CHUNKS = (1 << 20, 1 << 18, 1 << 16, 1 << 14, 1 << 12)
MAX_TASKS = 128                    # per overhead run: total = min(POINTS, chunk x MAX_TASKS)
RUNS = 3
TARGET = 10 ** 11                  # projection
PROJECTED_WORKERS = (1, 2, 64, 1024)


def grid(points: int):
    rows = points // GAMMAS
    return make_grid("paper", **FIXED, E=np.geomspace(1e10, 1e30, rows),
                     gamma=np.linspace(-1.0, 0.5, GAMMAS))


def columns(points: int) -> dict[str, np.ndarray]:
    rows = points // GAMMAS
    return {**FIXED, "E": np.geomspace(1e10, 1e30, rows)[:, None],
            "gamma": np.linspace(-1.0, 0.5, GAMMAS)[None, :]}


def blocks(points: int, chunk: int) -> int:
    return int(np.prod([len(c) for c in normalize_chunks(grid(points), chunk)]))


def disk_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


class Stores:
    """Fresh store paths in one temporary directory; each store is removed after timing."""

    def __init__(self, root: Path):
        self.root, self.count = root, 0

    def sweep(self, points: int, chunk: int, client=None, keep_size: bool = False):
        """Seconds to write a fresh store of ``points`` in blocks of ``chunk`` (and its size
        on disk in bytes if asked), the store removed afterwards."""
        self.count += 1
        path = self.root / f"sweep{self.count}.zarr"
        g = grid(points)
        start = time.perf_counter()
        write_sweep(g, path, chunk, client=client)
        elapsed = time.perf_counter() - start
        size = disk_bytes(path) if keep_size else None
        shutil.rmtree(path)
        return elapsed, size

    def median(self, points: int, chunk: int, client=None, runs: int = RUNS):
        times, size = [], None
        for _ in range(runs):
            elapsed, size = self.sweep(points, chunk, client, keep_size=size is None)
            times.append(elapsed)
        return statistics.median(times), size


def in_process(stores: Stores) -> dict:
    cols = columns(POINTS)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = solve_many(**cols)
        times.append(time.perf_counter() - start)
        certified = float(result.certified.mean())
        result = None
    solve_rate = POINTS / statistics.median(times)
    write_time, size = stores.median(POINTS, CHUNK)
    small_points = min(POINTS, OVERHEAD_CHUNKS[-1] * MAX_TASKS)
    small_time, _ = stores.sweep(small_points, OVERHEAD_CHUNKS[-1])
    large_blocks = blocks(POINTS, CHUNK)
    small_blocks = blocks(small_points, OVERHEAD_CHUNKS[-1])
    # per-block cost of the store without Dask: time = points / rate + blocks x cost
    a = np.array([[POINTS, large_blocks], [small_points, small_blocks]], dtype=float)
    inv_rate, block_cost = np.linalg.solve(a, [write_time, small_time])
    return dict(solve_rate=solve_rate, certified=certified, write_rate=POINTS / write_time,
                small_rate=small_points / small_time, small_points=small_points,
                small_blocks=small_blocks, block_cost=block_cost,
                bytes_per_point=size / POINTS)


def start_cluster(workers: int):
    import distributed

    start = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    client = distributed.Client(cluster)
    client.wait_for_workers(workers)
    return cluster, client, time.perf_counter() - start


def warm_up(client, stores: Stores) -> float:
    """A small sweep (8 blocks: workers import zarr and profitopt, build kernels), then
    ``prepare`` on every worker so that none is left to build them inside a timed sweep."""
    start = time.perf_counter()
    stores.sweep(8 * GAMMAS, GAMMAS, client)
    client.run(prepare)
    return time.perf_counter() - start


def noop(i: int) -> int:
    return i


def noop_overhead(client, count: int = 400) -> float:
    """Wall seconds per trivial task (client.map + gather) on this cluster."""
    client.gather(client.map(noop, range(20), pure=False))
    start = time.perf_counter()
    client.gather(client.map(noop, range(count), pure=False))
    return (time.perf_counter() - start) / count


def cluster_rows(stores: Stores) -> dict:
    out = {}
    for workers in (1, 2):
        cluster, client, started = start_cluster(workers)
        try:
            warm = warm_up(client, stores)
            elapsed, _ = stores.median(POINTS, CHUNK, client)
            out[workers] = dict(start=started, warm=warm, rate=POINTS / elapsed)
            if workers == 2:
                out["overhead"] = overhead_runs(client, stores, elapsed)
                out["noop"] = noop_overhead(client)
        finally:
            client.close()
            cluster.close()
    return out


def overhead_runs(client, stores: Stores, chunk_time: float) -> list[dict]:
    runs = []
    for chunk in OVERHEAD_CHUNKS:
        points = min(POINTS, chunk * MAX_TASKS)
        if chunk == CHUNK and points == POINTS:
            elapsed = chunk_time  # the scaling row's median, same cluster and grid
        else:
            elapsed, _ = stores.sweep(points, chunk, client)
        runs.append(dict(chunk=chunk, points=points, tasks=blocks(points, chunk),
                         time=elapsed, rate=points / elapsed))
    largest = runs[0]["rate"]
    for run in runs:
        run["eff"] = run["rate"] / largest
    return runs


def fit(runs: list[dict]) -> tuple[float, float]:
    """(rate, wall seconds per task) of time = points / rate + tasks x overhead, least
    squares on relative residuals."""
    t = np.array([r["time"] for r in runs])
    a = np.array([[r["points"], r["tasks"]] for r in runs], dtype=float) / t[:, None]
    (inv_rate, per_task), *_ = np.linalg.lstsq(a, np.ones_like(t), rcond=None)
    return 1.0 / inv_rate, per_task


def duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.1f} s"


def main() -> None:
    warnings.simplefilter("ignore", RuntimeWarning)
    began = time.perf_counter()
    load_start = os.getloadavg()
    prepare()
    built = time.perf_counter() - began
    with tempfile.TemporaryDirectory(prefix="bench_sweep_") as tmp:
        stores = Stores(Path(tmp))
        local = in_process(stores)
        cl = cluster_rows(stores)
    runs = cl["overhead"]
    rate1, rate2 = cl[1]["rate"], cl[2]["rate"]
    eff_workers = rate2 / (2 * rate1)
    eff_inproc = rate2 / (2 * local["solve_rate"])
    fit_rate, per_task_wall = fit(runs)
    per_task_worker = 2 * per_task_wall          # two workers run tasks side by side
    rate_per_worker = fit_rate / 2
    chunk_90 = 9 * per_task_worker * rate_per_worker
    good = [r["chunk"] for r in runs if r["eff"] >= 0.9]
    smallest_90 = min(good) if good else None

    w = 48
    print(f"sweep benchmark: paper's market, E in [1e10, 1e30] x gamma in [-1, 0.5] "
          f"({GAMMAS} values); {os.cpu_count()} cores; load average at start "
          f"{load_start[0]:.2f}; kernels built in {built:.1f} s")
    print()
    print("1. in process (one core); solve_many median of 3 after prepare(), write_sweep "
          "without a client")
    print(f"   {'what':<{w}} {'points':>9} {'blocks':>6} {'solves/s':>10}  note")
    print(f"   {'solve_many (no store)':<{w}} {POINTS:>9} {'-':>6} {local['solve_rate']:>10.4g}"
          f"  {local['certified']:.1%} certified")
    print(f"   {'write_sweep, chunk 2^18, no client':<{w}} {POINTS:>9} "
          f"{blocks(POINTS, CHUNK):>6} {local['write_rate']:>10.4g}  median of 3; "
          f"{local['bytes_per_point']:.1f} bytes/point on disk")
    print(f"   {'write_sweep, chunk 2^12, no client':<{w}} {local['small_points']:>9} "
          f"{local['small_blocks']:>6} {local['small_rate']:>10.4g}  Zarr cost per block "
          f"without Dask: {local['block_cost'] * 1e3:.1f} ms")
    print()
    print("2. LocalCluster(processes=True, threads_per_worker=1): write_sweep(client=...) of "
          f"{POINTS} points, chunk 2^18, median of 3")
    print(f"   {'what':<{w}} {'start s':>9} {'warm s':>6} {'solves/s':>10}  note")
    for n in (1, 2):
        print(f"   {f'{n} worker' + ('s' if n > 1 else ''):<{w}} {cl[n]['start']:>9.1f} "
              f"{cl[n]['warm']:>6.1f} {cl[n]['rate']:>10.4g}  "
              f"{cl[n]['rate'] / n:.4g} per worker")
    print(f"   {'efficiency rate(2) / (2 rate(1 worker))':<{w}} {'':>9} {'':>6} "
          f"{eff_workers:>10.1%}")
    print(f"   {'efficiency rate(2) / (2 rate(solve_many))':<{w}} {'':>9} {'':>6} "
          f"{eff_inproc:>10.1%}  includes the Zarr writes, which solve_many does not do")
    print()
    print("3. per-task overhead on the 2-worker cluster: write_sweep at decreasing chunks, "
          f"at most {MAX_TASKS} blocks a run; efficiency against the largest chunk")
    print(f"   {'chunk':>8} {'points':>9} {'tasks':>6} {'time s':>7} {'solves/s':>10} "
          f"{'efficiency':>10}")
    for r in runs:
        print(f"   {'2^' + str(r['chunk'].bit_length() - 1):>8} {r['points']:>9} "
              f"{r['tasks']:>6} {r['time']:>7.2f} {r['rate']:>10.4g} {r['eff']:>10.1%}")
    print(f"   fit time = points / rate + tasks x overhead: rate {fit_rate:.4g} solves/s "
          f"({rate_per_worker:.4g} a worker), overhead {per_task_wall * 1e3:.1f} ms of wall "
          f"time a task = {per_task_worker * 1e3:.1f} ms of worker time")
    print(f"   of which Dask alone (a no-op task, map + gather): {cl['noop'] * 1e3:.2f} ms of "
          f"wall time; the store in process: {local['block_cost'] * 1e3:.1f} ms a block")
    print(f"   efficiency >= 90 % from chunk 9 x overhead x rate per worker = "
          f"{chunk_90:.3g} points (2^{np.log2(max(chunk_90, 1)):.1f}); smallest measured "
          f"chunk with efficiency >= 0.9: "
          + (f"2^{smallest_90.bit_length() - 1}" if smallest_90 else "none"))
    print()
    per_worker = rate1
    print(f"4. PROJECTION, not a measurement: {TARGET:.0e} points, chunk 2^18, from the "
          f"measured 1-worker rate {per_worker:.4g} solves/s and the measured 2-worker "
          f"efficiency {eff_workers:.1%} held constant")
    print(f"   {'workers':>8} {'efficiency':>10} {'solves/s':>10} {'wall time':>10} "
          f"{'tasks':>8} {'tasks/s':>8} {'store':>8}")
    tasks = -(-TARGET // CHUNK)
    store_tb = TARGET * local["bytes_per_point"] / 1e12
    for n in PROJECTED_WORKERS:
        eff = 1.0 if n == 1 else eff_workers
        rate = n * per_worker * eff
        print(f"   {n:>8} {eff:>10.1%} {rate:>10.4g} {duration(TARGET / rate):>10} "
              f"{tasks:>8} {tasks * rate / TARGET:>8.3g} {store_tb:>6.1f} TB")
    print(f"   assumes the 2-worker efficiency holds at N workers: no limit from the scheduler "
          f"(measured here: {1 / cl['noop']:.0f} no-op tasks/s), the network or the store's "
          f"bandwidth; the tasks/s column is what the scheduler would have to sustain")
    print()
    print(f"total {time.perf_counter() - began:.0f} s; load average at end "
          f"{os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
