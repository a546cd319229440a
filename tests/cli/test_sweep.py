"""profitopt sweep: grid parsing, the CSV it writes, and its error contract."""

from __future__ import annotations

import csv
import os

import numpy as np
import pytest

from profitopt.cli import main
from profitopt.errors import InputError
from profitopt.sweep import MAX_POINTS, parse_grid, parse_grids

FIXED = ["--alpha", "0.3", "--beta", "0.3", "--a", "10", "--b", "10", "--omega", "1",
         "--delta", "1e-12"]


class TestGridSpec:
    """NAME=lo:hi[:log]:count gives count values, linear or log-spaced."""

    def test_log(self):
        axis = parse_grid("E=1e10:1e40:log:4")
        assert axis.name == "E" and np.allclose(np.log10(axis.values), [10, 20, 30, 40])

    def test_linear(self):
        assert np.allclose(parse_grid("gamma=-1:1:5").values, [-1, -0.5, 0, 0.5, 1])

    def test_explicit_linear(self):
        assert np.array_equal(parse_grid("gamma=-1:1:lin:5").values,
                              parse_grid("gamma=-1:1:5").values)

    def test_single_point(self):
        assert list(parse_grid("gamma=0.5:0.5:1").values) == [0.5]

    @pytest.mark.parametrize("spec", [
        pytest.param("E=1:2", id="no-count"),
        pytest.param("zeta=1:2:3", id="unknown-name"),
        pytest.param("E1:2:3", id="no-equals"),
        pytest.param("E=-1:1:log:3", id="log-negative"),
        pytest.param("E=0:1:log:3", id="log-zero"),
        pytest.param("E=1:2:cubic:3", id="unknown-spacing"),
        pytest.param("E=a:b:3", id="not-numbers"),
        pytest.param("E=1:2:log:3:4", id="too-many-parts"),
        pytest.param("gamma=0:1:0", id="count-zero"),
        pytest.param("gamma=0:1:-3", id="count-negative"),
        pytest.param("gamma=0:1:2.5", id="count-fraction"),
        pytest.param("gamma=0:1:1e3", id="count-exponent"),
        pytest.param("gamma=0:1:١٠", id="count-non-ascii"),
        pytest.param("gamma=٠:1:3", id="bound-non-ascii"),
        pytest.param("gamma=-inf:1:3", id="bound-inf"),
        pytest.param("gamma=nan:1:3", id="bound-nan"),
        pytest.param("gamma=1:0:3", id="descending"),
        pytest.param("gamma=1:1:3", id="repeated-point"),
        pytest.param("E=1e10:1e40:log:1000000000000", id="count-beyond-max"),
    ])
    def test_rejects(self, spec):
        with pytest.raises(InputError, match="--grid"):
            parse_grid(spec)


class TestGridSet:
    """The grids together: each parameter once, at most MAX_POINTS points, counted before
    any values are made."""

    def test_product_beyond_max_is_refused_before_allocating(self, monkeypatch):
        import importlib

        # the module, not the API function profitopt.sweep of the same name
        sweep = importlib.import_module("profitopt.sweep")
        monkeypatch.setattr(sweep.np, "geomspace", None)  # any allocation would fail
        monkeypatch.setattr(sweep.np, "linspace", None)
        side = int(MAX_POINTS ** 0.5) + 1
        with pytest.raises(InputError, match="at most"):
            parse_grids([f"E=1:2:log:{side}", f"gamma=0:1:{side}"])

    def test_same_name_twice(self):
        with pytest.raises(InputError, match="more than once"):
            parse_grids(["gamma=0:1:2", "gamma=2:3:2"])

    def test_order_kept(self):
        assert [a.name for a in parse_grids(["gamma=0:1:2", "E=1:2:2"])] == ["gamma", "E"]


class TestCsv:
    """One row per point with parameters, outputs, regime and certificate flags."""

    def test_rows(self, tmp_path, capsys):
        out = tmp_path / "sweep.csv"
        code = main(["sweep", "--grid", "E=1e10:1e30:log:3", "--grid", "gamma=-1:1:3", *FIXED,
                     "--out", str(out), "--check", "2"])
        assert code == 0
        summary = capsys.readouterr().out
        assert summary.startswith("9 points") and "sampled max rel. error" in summary
        rows = list(csv.DictReader(out.read_text().splitlines()))
        assert len(rows) == 9
        assert {row["regime"] for row in rows} == {"compute-bound"}
        assert all(row["certified"] == "1" for row in rows)
        assert [float(r["E"]) for r in rows[:3]] == [1e10, 1e10, 1e10]  # first axis slowest

    def test_deterministic_file(self, tmp_path, capsys):
        paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
        for path in paths:
            main(["sweep", "--grid", "gamma=-1:1:4", *FIXED, "--E", "1e18", "--out", str(path),
                  "--check", "0"])
        capsys.readouterr()
        assert paths[0].read_bytes() == paths[1].read_bytes()


class TestErrors:
    """Bad sweeps: exit 2, one stderr line, no CSV left behind."""

    @pytest.mark.parametrize("argv", [
        pytest.param(["--grid", "E=1e10:1e20:log:2", *FIXED], id="missing-gamma"),
        pytest.param(["--grid", "E=1:2:log:2", "--grid", "E=1:2:2", *FIXED, "--gamma", "0"],
                     id="duplicate-axis"),
        pytest.param(["--grid", "E=1e10:1e20:log:2", "--E", "1e18", *FIXED, "--gamma", "0"],
                     id="grid-and-flag"),
        pytest.param(["--grid", "E=1e10:1e40:log:1000000000000", *FIXED, "--gamma", "0"],
                     id="count-beyond-max"),
        pytest.param(["--grid", "E=1e10:1e40:log:100000", "--grid", "gamma=-1:1:1000",
                      *FIXED], id="product-beyond-max"),
        pytest.param(["--grid", "gamma=1:-1:3", *FIXED, "--E", "1e18"], id="descending"),
        pytest.param(["--grid", "gamma=0:1:3", *FIXED, "--E", "1e18", "--check", "-1"],
                     id="negative-check"),
    ])
    def test_input_errors(self, tmp_path, capsys, argv):
        out = tmp_path / "sweep.csv"
        assert main(["sweep", *argv, "--out", str(out)]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
        assert not out.exists()


def _sweep(capsys, *argv):
    code = main(["sweep", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _rows(path):
    return list(csv.DictReader(path.read_text().splitlines()))


class TestInvalidPoints:
    """A grid point outside the domain is a row with regime 'invalid' and its reason (the
    reason is empty on every other row); the rest of the grid is solved, and the summary
    counts the invalid rows."""

    @pytest.mark.parametrize("grid,fixed,reason", [
        pytest.param("gamma=-5:1:7", ["--E", "1e18"], "bounded range", id="gamma-unbounded"),
        pytest.param("gamma=0:20:3", ["--E", "1e18"], "supported range", id="gamma-above"),
        pytest.param("alpha=0:0.3:4", ["--E", "1e18", "--gamma", "0"], "must be > 0",
                     id="alpha-zero"),
        pytest.param("alpha=1e-6:1e-1:log:6", ["--E", "1e18", "--gamma", "-1"],
                     "supported range", id="alpha-tiny"),
        pytest.param("beta=0.3:1000:log:4", ["--E", "1e18", "--gamma", "0"],
                     "supported range", id="beta-huge"),
        pytest.param("E=-1:1e18:3", ["--gamma", "0"], "must be > 0", id="E-non-positive"),
    ])
    def test_rows(self, tmp_path, capsys, grid, fixed, reason):
        path = tmp_path / "sweep.csv"
        fixed_flags, flag = list(FIXED), "--" + grid.split("=")[0]
        if flag in fixed_flags:  # the grid replaces the fixed value
            del fixed_flags[fixed_flags.index(flag):fixed_flags.index(flag) + 2]
        code, out, err = _sweep(capsys, "--grid", grid, *fixed_flags, *fixed, "--out",
                                str(path), "--check", "3")
        assert code == 0 and err == ""
        rows = _rows(path)
        invalid = [r for r in rows if r["regime"] == "invalid"]
        assert invalid and len(invalid) < len(rows)
        assert all(reason in r["reason"] and r["certified"] == "0" for r in invalid)
        assert all(r["reason"] == "" for r in rows if r["regime"] != "invalid")
        assert f"{len(invalid)} invalid" in out

    def test_issue_grid(self, tmp_path, capsys):
        """The issue's sweep (with smaller counts): gamma from -5 crosses the bounded range."""
        path = tmp_path / "o.csv"
        code, out, _ = _sweep(capsys, "--grid", "gamma=-5:1:13", "--grid",
                              "E=1e10:1e40:log:4", *FIXED, "--out", str(path), "--check", "4")
        assert code == 0
        rows = _rows(path)
        assert len(rows) == 52 and out.startswith("52 points")
        assert {r["regime"] for r in rows} >= {"invalid", "compute-bound"}


class TestCrossCheckSample:
    """The 50-digit sample draws only from points with an answer; a sampled point whose
    re-solve fails is reported in the summary (exit 3) after the CSV is written."""

    def test_out_of_range_row_is_written(self, tmp_path, capsys):
        path = tmp_path / "o.csv"
        code, out, err = _sweep(capsys, *FIXED, "--E=1e18", "--grid", "gamma=-3.33:-1:3",
                                "--out", str(path))
        assert code == 0 and err == ""
        assert [r["regime"] for r in _rows(path)] == ["out-of-range", "compute-bound",
                                                      "compute-bound"]
        assert "(2 points at 50 digits)" in out

    def test_a_failed_re_solve_is_reported(self, tmp_path, capsys, monkeypatch):
        from profitopt.errors import VerificationFailed
        from profitopt.numeric import crosscheck

        def failing(params):
            raise VerificationFailed("the 50-digit re-solve did not converge")

        monkeypatch.setattr(crosscheck, "solve", failing)
        path = tmp_path / "o.csv"
        code, out, err = _sweep(capsys, *FIXED, "--E=1e18", "--grid", "gamma=-1:1:3",
                                "--out", str(path), "--check", "2")
        assert code == 3
        assert len(_rows(path)) == 3
        assert "2 failed at 50 digits" in out and "did not converge" in out
        assert err.count("\n") == 1 and "verification failed" in err


class TestOutPolicy:
    """--out: an existing regular file is replaced only with --force; anything that is not
    a regular file (directory, pipe, link to one, dangling link) is never replaced; a
    missing or unusable directory is refused up front.  Refusals: exit 2, one line, the
    path untouched."""

    ARGS = [*FIXED, "--E", "1e18", "--grid", "gamma=-1:1:2", "--check", "0"]

    def test_new_file(self, tmp_path, capsys):
        path = tmp_path / "new.csv"
        assert _sweep(capsys, *self.ARGS, "--out", str(path))[0] == 0
        assert len(_rows(path)) == 2

    def test_existing_file_needs_force(self, tmp_path, capsys):
        path = tmp_path / "old.csv"
        path.write_text("keep")
        code, _, err = _sweep(capsys, *self.ARGS, "--out", str(path))
        assert code == 2 and "--force" in err and err.count("\n") == 1
        assert path.read_text() == "keep"
        assert _sweep(capsys, *self.ARGS, "--out", str(path), "--force")[0] == 0
        assert len(_rows(path)) == 2

    def test_link_to_a_file_replaces_the_target(self, tmp_path, capsys):
        target, link = tmp_path / "target.csv", tmp_path / "link.csv"
        target.write_text("old")
        link.symlink_to(target)
        assert _sweep(capsys, *self.ARGS, "--out", str(link), "--force")[0] == 0
        assert link.is_symlink() and len(_rows(target)) == 2

    @pytest.mark.parametrize("make,message", [
        pytest.param(lambda p: p.mkdir(), "directory", id="directory"),
        pytest.param(lambda p: os.mkfifo(p), "pipe", id="fifo"),
        pytest.param(lambda p: (os.mkfifo(p.with_name("fifo")), p.symlink_to("fifo")),
                     "pipe", id="link-to-fifo"),
        pytest.param(lambda p: p.symlink_to("nowhere"), "link to nothing", id="dangling-link"),
    ])
    @pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
    def test_non_regular_is_never_replaced(self, tmp_path, capsys, make, message, force):
        path = tmp_path / "out.csv"
        make(path)
        before = os.lstat(path)
        code, _, err = _sweep(capsys, *self.ARGS, "--out", str(path), *force)
        assert code == 2 and message in err and err.count("\n") == 1
        after = os.lstat(path)
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)

    def test_device_is_never_replaced(self, capsys):
        before = os.lstat("/dev/null")
        code, _, err = _sweep(capsys, *self.ARGS, "--out", "/dev/null", "--force")
        assert code == 2 and "device" in err
        assert os.lstat("/dev/null").st_mode == before.st_mode

    @pytest.mark.parametrize("where,message", [
        pytest.param(lambda t: t / "missing" / "o.csv", "does not exist", id="missing-dir"),
        pytest.param(lambda t: (t / "file").write_text("x") and t / "file" / "o.csv",
                     "Not a directory", id="parent-is-a-file"),
        pytest.param(lambda t: "/proc/profitopt-sweep.csv", "cannot write", id="proc"),
        pytest.param(lambda t: "", "empty", id="empty"),
    ])
    def test_unusable_location(self, tmp_path, capsys, where, message):
        code, out, err = _sweep(capsys, *self.ARGS, "--out", str(where(tmp_path)))
        assert code == 2 and out == "" and message in err and err.count("\n") == 1
        assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["file"])
