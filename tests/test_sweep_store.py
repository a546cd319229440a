"""profitopt.sweep_store: a sweep written block by block into a Zarr store, on a real
Dask cluster (a LocalCluster of two single-threaded worker processes), resumed after an
interruption, survived when a worker dies; and ``profitopt sweep --out .zarr/.nc``.

Reference: the in-process :func:`profitopt.labelled.sweep` of the same grid.  Every point
is solved on its own, so whatever wrote the store (this process, a worker, a worker that
replaced a killed one, a resumed run) the values must equal the reference bit for bit.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading

import distributed
import numpy as np
import pytest
import xarray
import zarr

from tests.sweeps import assert_same_bits, axes
from profitopt import labelled, sweep_store
from profitopt.cli import main
from profitopt.errors import InputError
from profitopt.sweep import parse_grids
from profitopt.sweep_store import (DONE, _prepare_store, open_sweep, parse_scheduler,
                                   write_block, write_sweep)


#: The paper's market.
MARKET = {"alpha": 0.3, "beta": 0.3, "a": 10.0, "b": 10.0, "omega": 1.0, "delta": 1e-12}
FIXED = ["--alpha", "0.3", "--beta", "0.3", "--a", "10", "--b", "10", "--omega", "1",
         "--delta", "1e-12"]
GRIDS = ["--grid", "E=1e10:1e30:log:60", "--grid", "gamma=-1:0.5:50"]
VARIABLES = ("n", "d", "t", "q", "profit", "train_flops", "train_cost", "infer_cost",
             "regime_code", "reason_code", "margin_positive", "sign_change", "converged",
             "certified")
EXTRA = "pip install 'profitopt[distributed]'"


def assert_equals_reference(stored, reference) -> None:
    """Every variable and coordinate bit for bit (dims, variable attributes) and the
    dataset's identity attributes; the store holds nothing else."""
    assert set(stored.data_vars) == set(VARIABLES) == set(reference.data_vars)
    assert stored.sizes == reference.sizes
    for name in (*VARIABLES, *reference.dims):
        assert stored[name].dims == reference[name].dims, name
        assert_same_bits(stored[name].values, reference[name].values, name)
        for key, value in reference[name].attrs.items():
            assert np.array_equal(stored[name].attrs[key], value), (name, key)
    for key in ("model", "model_fingerprint", "profitopt_version", "fixed"):
        assert stored.attrs[key] == reference.attrs[key], key


def done_marks(path) -> np.ndarray:
    return np.asarray(zarr.open_array(str(path / DONE), mode="r")[...])


def stderr_line(captured) -> str:
    """The one line an input error prints (nothing on stdout)."""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("profitopt: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def grid200():
    return labelled.make_grid(**MARKET, **axes(200, 200))


@pytest.fixture(scope="module")
def reference200():
    """The in-process sweep (it also builds the kernel cache the workers then load)."""
    return labelled.sweep(**MARKET, **axes(200, 200))


@pytest.fixture(scope="module")
def client(reference200):
    """One real cluster for the module: two single-threaded worker processes."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_a_model_files_model_is_shipped_to_the_workers(client, tmp_path):
    """The workers never read the model file: the grid carries the model, and each worker
    registers it on its first block; the store equals the in-process sweep."""
    from pathlib import Path

    from profitopt.models.loader import load

    example = Path(__file__).resolve().parents[1] / "examples" / "size-cap.toml"
    name = load(example)
    values = {"E": np.geomspace(1e10, 1e30, 30), "gamma": np.linspace(-1, 0.5, 20)}
    grid = labelled.make_grid(name, **MARKET, **values)
    path = tmp_path / "model.zarr"
    write_sweep(grid, path, 100, client=client)
    stored = open_sweep(path).compute()
    reference = labelled.sweep(name, **MARKET, **values)
    for variable in reference.data_vars:
        assert_same_bits(stored[variable].values, reference[variable].values, variable)


def test_smooth_models_are_refused():
    with pytest.raises(InputError, match="smooth-law model 'additive'"):
        labelled.make_grid("additive", E=[1e20, 1e21], gamma=-1.0, alpha=0.3, beta=0.3,
                           A=400.0, B=400.0, omega=1.0, delta=1e-12)


def test_dask_store_equals_in_process(client, tmp_path, grid200, reference200):
    path = tmp_path / "sweep.zarr"
    outcome = write_sweep(grid200, path, 4000, client=client)
    assert (outcome.path, outcome.solved, outcome.skipped, outcome.points) == (path, 10, 0,
                                                                               40_000)
    assert done_marks(path).shape == (10, 1) and done_marks(path).all()
    lazy = open_sweep(path)
    assert DONE not in lazy.variables
    assert lazy.n.data.chunks == ((20,) * 10, (200,))
    assert_equals_reference(lazy.compute(), reference200)
    assert lazy.attrs["model"] == "paper"
    assert lazy.attrs["model_fingerprint"] == reference200.attrs["model_fingerprint"]


class TestResume:
    """A resumed run solves exactly the blocks not marked done, and the store is then the
    whole sweep; resume is refused against another sweep's store."""

    def test_cleared_blocks_are_solved_again_on_the_cluster(self, client, tmp_path, grid200,
                                                            reference200):
        path = tmp_path / "sweep.zarr"
        write_sweep(grid200, path, 4000)  # in this process
        group = zarr.open_group(str(path), mode="r+")
        lost = [1, 4, 9]  # blocks of 20 rows of E
        for i in lost:
            rows = slice(20 * i, 20 * (i + 1))
            group[DONE][i, 0] = False
            for name in VARIABLES:
                array = group[name]
                array[rows, :] = (np.nan if array.dtype == np.float64 else
                                  ~reference200[name].values[rows] if array.dtype == bool else
                                  -1)
        # a block still marked done is trusted, not solved again: corrupt one to see it
        group["n"][0, 0] = -7.0
        outcome = write_sweep(grid200, path, 4000, client=client, resume=True)
        assert (outcome.solved, outcome.skipped, outcome.points) == (3, 7, 40_000)
        assert done_marks(path).all()
        stored = open_sweep(path).compute()
        assert stored.n.values[0, 0] == -7.0
        stored.n.values[0, 0] = reference200.n.values[0, 0]
        assert_equals_reference(stored, reference200)

    def test_a_partly_written_store_is_completed(self, tmp_path, monkeypatch, grid200,
                                                 reference200):
        path = tmp_path / "sweep.zarr"
        chunks = labelled.normalize_chunks(grid200, 4000)
        _prepare_store(path, grid200, chunks, resume=False, force=False)
        assert not done_marks(path).any()
        blocks = list(labelled.block_locations(chunks))
        written = blocks[::3]
        for index, location in written:
            assert write_block(str(path), grid200, index, location) == index
        assert done_marks(path).sum() == len(written) == 4

        calls = []
        real = labelled.solve_block

        def counting(grid, location):
            calls.append(location)
            return real(grid, location)

        monkeypatch.setattr(sweep_store, "solve_block", counting)
        outcome = write_sweep(grid200, path, 4000, resume=True)
        monkeypatch.undo()
        assert (outcome.solved, outcome.skipped) == (6, 4)
        missing = [location for index, location in blocks if index not in dict(written)]
        assert sorted(calls) == sorted(missing) and len(missing) == 6
        assert done_marks(path).all()
        assert_equals_reference(open_sweep(path).compute(), reference200)

        again = write_sweep(grid200, path, 4000, resume=True)
        assert (again.solved, again.skipped) == (0, 10)

    @pytest.mark.parametrize("change", ["gamma", "chunks", "fixed"])
    def test_resume_of_a_different_sweep_is_refused(self, tmp_path, change):
        path = tmp_path / "sweep.zarr"
        small = axes(20, 10)
        write_sweep(labelled.make_grid(**MARKET, **small), path, 50)
        before = open_sweep(path).compute()
        other = {"gamma": dict(small, gamma=np.linspace(-1, 0.4, 10)), "chunks": small,
                 "fixed": small}[change]
        market = dict(MARKET, omega=2.0) if change == "fixed" else MARKET
        chunk = 40 if change == "chunks" else 50
        with pytest.raises(InputError, match="different sweep"):
            write_sweep(labelled.make_grid(**market, **other), path, chunk, resume=True)
        after = open_sweep(path).compute()
        assert after.identical(before)

    def test_a_store_stopped_while_laid_out_is_resumed_or_refused(self, tmp_path):
        path = tmp_path / "sweep.zarr"
        grid = labelled.make_grid(**MARKET, **axes(20, 10))
        _prepare_store(path, grid, labelled.normalize_chunks(grid, 50), resume=False,
                       force=False)
        shutil.rmtree(path / DONE)  # stopped before block_done was created
        try:
            outcome = write_sweep(grid, path, 50, resume=True)
        except InputError:
            return  # refused with a reason: as good as completing it
        assert outcome.solved == 4 and done_marks(path).all()

    def test_resume_without_a_store_is_refused(self, tmp_path, grid200):
        with pytest.raises(InputError, match="not a sweep's Zarr store"):
            write_sweep(grid200, tmp_path / "none.zarr", 4000, resume=True)
        assert not (tmp_path / "none.zarr").exists()


class TestReplacing:
    """A new sweep never silently replaces what is at its path."""

    def test_an_existing_store_is_refused_without_force(self, tmp_path):
        path = tmp_path / "sweep.zarr"
        grid = labelled.make_grid(**MARKET, **axes(20, 10))
        write_sweep(grid, path, 50)
        before = open_sweep(path).compute()
        with pytest.raises(InputError, match="exists"):
            write_sweep(grid, path, 50)
        assert open_sweep(path).compute().identical(before) and done_marks(path).all()
        # with force it is replaced by the new sweep
        other = labelled.make_grid(**MARKET, **axes(5, 4))
        outcome = write_sweep(other, path, 50, force=True)
        assert (outcome.solved, outcome.skipped, outcome.points) == (1, 0, 20)
        assert open_sweep(path).n.shape == (5, 4)

    def test_force_refuses_a_regular_file(self, tmp_path):
        path = tmp_path / "sweep.zarr"
        path.write_text("not a store\n")
        grid = labelled.make_grid(**MARKET, **axes(5, 4))
        with pytest.raises(InputError, match="not a Zarr store"):
            write_sweep(grid, path, 50, force=True)
        assert path.read_text() == "not a store\n"

    def test_force_refuses_a_directory_that_is_not_a_store(self, tmp_path):
        path = tmp_path / "sweep.zarr"
        path.mkdir()
        (path / "keep.txt").write_text("mine\n")
        grid = labelled.make_grid(**MARKET, **axes(5, 4))
        with pytest.raises(InputError, match="not a Zarr store"):
            write_sweep(grid, path, 50, force=True)
        assert (path / "keep.txt").read_text() == "mine\n"

    def test_missing_directory_is_refused(self, tmp_path):
        grid = labelled.make_grid(**MARKET, **axes(5, 4))
        with pytest.raises(InputError, match="does not exist"):
            write_sweep(grid, tmp_path / "absent" / "sweep.zarr", 50)


@pytest.fixture(scope="module")
def cli_reference():
    """The in-process sweep of the CLI's grid (the axes it parses)."""
    E, gamma = (axis.values for axis in parse_grids(GRIDS[1::2]))
    assert np.allclose(E, np.geomspace(1e10, 1e30, 60), rtol=1e-12)
    assert np.allclose(gamma, np.linspace(-1, 0.5, 50), rtol=1e-12)
    return labelled.sweep(**MARKET, E=E, gamma=gamma)


class TestCommandLine:
    """profitopt sweep --out X.zarr / X.nc, --chunk, --resume, --scheduler."""

    def test_store_written_then_resumed(self, tmp_path, capsys, cli_reference):
        out = tmp_path / "s.zarr"
        argv = ["sweep", *GRIDS, *FIXED, "--out", str(out), "--chunk", "500"]
        assert main(argv) == 0
        captured = capsys.readouterr()
        assert "0 variables differ" in captured.out
        assert "3000 points in 6 blocks (6 solved now, 0 already done)" in captured.out
        assert captured.out.count("\n") == 1 and captured.err == ""
        assert_equals_reference(open_sweep(out).compute(), cli_reference)

        assert main([*argv, "--resume"]) == 0
        captured = capsys.readouterr()
        assert "0 solved now" in captured.out and "6 already done" in captured.out
        assert "0 variables differ" in captured.out

        # a new run onto the store is refused without --force, and so is a resume of
        # another grid
        assert main(argv) == 2
        assert "exists" in stderr_line(capsys.readouterr())
        other = ["sweep", "--grid", "E=1e10:1e30:log:61", "--grid", "gamma=-1:0.5:50",
                 *FIXED, "--out", str(out), "--chunk", "500", "--resume"]
        assert main(other) == 2
        assert "different sweep" in stderr_line(capsys.readouterr())
        assert_equals_reference(open_sweep(out).compute(), cli_reference)

    def test_local_scheduler(self, tmp_path, capsys, cli_reference):
        out = tmp_path / "s.zarr"
        assert main(["sweep", *GRIDS, *FIXED, "--out", str(out), "--chunk", "500",
                     "--scheduler", "local:2"]) == 0
        captured = capsys.readouterr()
        assert "(6 solved now, 0 already done) on 2 workers" in captured.out
        assert "0 variables differ" in captured.out
        assert_equals_reference(open_sweep(out).compute(), cli_reference)

    @pytest.mark.parametrize("flags", [["--resume"], ["--chunk", "500"],
                                       ["--scheduler", "local:2"]],
                             ids=["resume", "chunk", "scheduler"])
    def test_store_flags_need_a_store(self, tmp_path, capsys, flags):
        out = tmp_path / "s.csv"
        assert main(["sweep", *GRIDS, *FIXED, "--out", str(out), *flags]) == 2
        captured = capsys.readouterr()
        assert ".zarr" in stderr_line(captured) and captured.out == ""
        assert not out.exists()

    @pytest.mark.parametrize("scheduler", ["bogus", "local:0", "local:x", "tcp://"])
    def test_bad_scheduler(self, tmp_path, capsys, scheduler):
        out = tmp_path / "s.zarr"
        assert main(["sweep", *GRIDS, *FIXED, "--out", str(out), "--scheduler",
                     scheduler]) == 2
        captured = capsys.readouterr()
        assert "--scheduler" in stderr_line(captured) and captured.out == ""
        assert not out.exists()

    def test_netcdf(self, tmp_path, capsys, cli_reference):
        out = tmp_path / "s.nc"
        assert main(["sweep", *GRIDS, *FIXED, "--out", str(out)]) == 0
        captured = capsys.readouterr()
        assert "3000 points" in captured.out and str(out) in captured.out
        assert [p.name for p in tmp_path.iterdir()] == ["s.nc"]  # no temporary left
        with xarray.open_dataset(out) as stored:
            assert_equals_reference(stored.load(), cli_reference)

    def test_without_the_extra(self, tmp_path, capsys, monkeypatch):
        monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
        out = tmp_path / "s.zarr"
        assert main(["sweep", *GRIDS, *FIXED, "--out", str(out), "--scheduler",
                     "local:2"]) == 2
        captured = capsys.readouterr()
        assert EXTRA in stderr_line(captured) and "distributed" in captured.err
        assert not out.exists()
        with pytest.raises(InputError, match=r"pip install 'profitopt\[distributed\]'"):
            parse_scheduler("local:2")


def test_a_worker_killed_mid_sweep_is_survived(client, tmp_path, grid200, reference200):
    """SIGKILL one of the two workers once a few of 100 blocks are done: the cluster
    reschedules its blocks (the nanny restarts it), every block ends marked done, and
    nothing is lost or written twice with other values."""
    path = tmp_path / "sweep.zarr"
    pids = client.run(os.getpid)
    assert len(pids) == 2
    victim, victim_pid = sorted(pids.items())[0]
    started = threading.Event()
    finished: dict[str, object] = {}

    def progress(done, total, label):
        if done >= 5:
            started.set()

    def run():
        try:
            finished["outcome"] = write_sweep(grid200, path, 500, client=client,
                                              progress=progress)
        except BaseException as error:  # reported below, in the test's thread
            finished["error"] = error
        finally:
            started.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(120)
    done_at_kill = int(done_marks(path).sum())
    assert client.processing()[victim], "the victim holds no block: nothing is lost"
    os.kill(victim_pid, signal.SIGKILL)
    thread.join(180)
    assert not thread.is_alive()
    assert "error" not in finished, finished.get("error")
    assert done_at_kill < 100, "the sweep ended before the kill: nothing was tested"

    outcome = finished["outcome"]
    assert (outcome.solved, outcome.skipped, outcome.points) == (100, 0, 40_000)
    marks = done_marks(path)
    assert marks.shape == (100, 1) and marks.all()
    assert_equals_reference(open_sweep(path).compute(), reference200)
    # the victim really died: the nanny replaced it with a new process
    client.wait_for_workers(2, timeout=60)
    assert victim_pid not in client.run(os.getpid).values()
    shutil.rmtree(path)
