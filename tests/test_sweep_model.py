"""run_sweep(model=...): a model file's grid, its output fields, and the paper's unchanged
path.

Reference: every row of a model's sweep is compared with the per-point solve of the same
compiled problem (:func:`profitopt.numeric.optimum.solve`, float64 location and the
50-digit re-solve, values evaluated at 50 digits).  The vectorized solver is float64, so
the tolerance is relative ``RTOL`` = 1e-10 per output (measured: below 3e-14).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from profitopt.errors import InputError
from profitopt.models.loader import load
from profitopt.numeric.kernels import problem
from profitopt.numeric.optimum import solve
from profitopt.numeric.parameters import parameters_class
from profitopt.sweep import (FLAGS, Axis, grid_columns, parse_grid, parse_grids, run_sweep,
                             write_csv)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RTOL = 1e-10
MARKET = {"alpha": 0.3, "beta": 0.3, "a": 10.0, "b": 10.0, "omega": 1.0, "delta": 1e-12}
#: Today's header of the paper's CSV (written before models had their own fields).
PAPER_HEADER = ("alpha,beta,gamma,a,b,omega,delta,E,D,n,d,t,q,profit,train_flops,"
                "train_cost,infer_cost,regime,margin_positive,sign_change,converged,"
                "certified,reason")


@pytest.fixture(scope="module")
def data_price() -> str:
    return load(EXAMPLES / "data-price.toml")


@pytest.fixture(scope="module")
def size_cap() -> str:
    return load(EXAMPLES / "size-cap.toml")


def _sweep(tmp_path, model: str, grids: list[str], fixed: dict, samples: int = 3):
    out = tmp_path / f"{model}.csv"
    outcome = run_sweep(parse_grids(grids, model=model), fixed, out, samples, model=model)
    return outcome, list(csv.DictReader(out.read_text().splitlines())), out


def _reference(model: str, row: dict[str, str]):
    cls = parameters_class(model)
    values = {spec.name: None if spec.optional and math.isinf(float(row[spec.name]))
              else float(row[spec.name]) for spec in problem(model).specs}
    return solve(cls(**values))


def _assert_rows_match(model: str, rows: list[dict[str, str]]) -> None:
    fields = problem(model).output_fields
    for row in rows:
        if row["regime"] == "invalid":
            continue
        reference = _reference(model, row)
        assert row["regime"] == reference.regime, row
        for name in fields:
            want, got = getattr(reference, name), float(row[name])
            assert got == pytest.approx(want, rel=RTOL, abs=0.0), (name, row)


class TestModelSweep:
    """A model's sweep has its parameters and output fields as columns, and every row equals
    the per-point solve of the model's compiled problem to RTOL."""

    def test_data_price_matches_point_solves(self, tmp_path, data_price):
        # c_D up to 1e2 dollars per token: at E = 1e30 the data cost is comparable with
        # the training compute (6 n/E ~ 6), so the rows differ from the paper's
        outcome, rows, _ = _sweep(tmp_path, data_price, ["c_D=1e-3:1e2:log:4",
                                                         "E=1e10:1e30:log:5"],
                                  {**MARKET, "gamma": -1.0}, samples=4)
        header = [*(s.name for s in problem(data_price).specs),
                  *problem(data_price).output_fields, "regime", *FLAGS, "reason"]
        assert list(rows[0]) == header and "data_cost" in header
        assert len(rows) == 20 and all(row["certified"] == "1" for row in rows)
        assert outcome.check.compared == 4 and not outcome.check.failures
        assert f"of the model {data_price!r}" in outcome.summary
        _assert_rows_match(data_price, rows)

    def test_size_cap_shows_both_regimes(self, tmp_path, size_cap):
        _, rows, _ = _sweep(tmp_path, size_cap, ["N=1e10:1e14:log:3", "E=1e8:1e30:log:5",
                                                 "gamma=-1:0.5:2"], dict(MARKET))
        assert {"compute-bound", "size-bound"} <= {row["regime"] for row in rows}
        assert all(row["certified"] == "1" for row in rows)
        for row in rows:
            if row["regime"] == "size-bound":
                assert float(row["n"]) == float(row["N"])  # the capped input at its bound
        _assert_rows_match(size_cap, rows)

    def test_absent_optional_cap_is_off(self, tmp_path, size_cap):
        _, rows, _ = _sweep(tmp_path, size_cap, ["E=1e8:1e30:log:3"],
                            {**MARKET, "gamma": -1.0})
        assert {row["N"] for row in rows} == {"inf"} and {row["D"] for row in rows} == {"inf"}
        assert {row["regime"] for row in rows} == {"compute-bound"}

    def test_invalid_points_are_rows_with_their_reason(self, tmp_path, data_price):
        # gamma = -5 lies below min(-1/alpha, -(alpha+beta)/(2 alpha beta)) = -3.33...
        _, rows, _ = _sweep(tmp_path, data_price, ["gamma=-5:1:3"],
                            {**MARKET, "E": 1e18, "c_D": 1.0})
        first = rows[0]
        assert first["regime"] == "invalid" and "gamma" in first["reason"]
        assert first["certified"] == "0" and math.isnan(float(first["n"]))
        assert [row["regime"] for row in rows[1:]] == ["compute-bound"] * 2
        _assert_rows_match(data_price, rows)


class TestPaperUnchanged:
    """The paper's sweep keeps today's columns and its values are the numba solver's."""

    def test_header_and_rows(self, tmp_path):
        from profitopt.numeric.vectorized import OUTPUTS, solve_many

        out = tmp_path / "paper.csv"
        fixed = {**MARKET, "gamma": None, "E": None, "D": 1e15}
        axes = parse_grids(["gamma=-4:1:6", "E=1e8:1e40:log:7"])
        run_sweep(axes, fixed, out, 2)
        lines = out.read_text().splitlines()
        assert lines[0] == PAPER_HEADER
        columns = grid_columns(axes, fixed)
        solutions = solve_many(mark_invalid=True, **columns)
        for i, row in enumerate(csv.DictReader(lines)):
            for name in OUTPUTS:
                assert row[name] == repr(float(getattr(solutions, name)[i]))
            assert row["regime"] == solutions.regime[i]

    def test_explicit_paper_is_the_default(self, tmp_path):
        fixed = {**MARKET, "gamma": -1.0, "E": None, "D": None}
        paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
        run_sweep(parse_grids(["E=1e8:1e30:log:4"]), fixed, paths[0], 1)
        run_sweep(parse_grids(["E=1e8:1e30:log:4"], model="paper"), fixed, paths[1], 1,
                  model="paper")
        assert paths[0].read_bytes() == paths[1].read_bytes()


class TestGridNames:
    """A grid names a parameter of the sweep's model; any other name is an InputError
    naming it."""

    def test_model_parameter_accepted(self, data_price):
        axis = parse_grid("c_D=1e-9:1e-6:log:4", model=data_price)
        assert axis.name == "c_D" and np.allclose(np.log10(axis.values), [-9, -8, -7, -6])

    @pytest.mark.parametrize("spec, model", [
        pytest.param("c_D=1e-9:1e-6:log:3", "paper", id="variant-name-in-paper"),
        pytest.param("N=1:2:3", "data-price", id="other-variant-name"),
        pytest.param("zeta=1:2:3", "size-cap", id="unknown-name"),
    ])
    def test_unknown_name(self, spec, model, data_price, size_cap):
        name = spec.split("=")[0]
        with pytest.raises(InputError, match=f"'{name}' is not a parameter of the model"):
            parse_grids([spec], model=model)

    def test_grid_columns_checks_names(self, data_price):
        axis = Axis("zeta", np.array([1.0, 2.0]))
        with pytest.raises(InputError, match="'zeta' is not a parameter"):
            grid_columns([axis], {**MARKET, "gamma": -1.0, "E": 1e18, "c_D": 1.0},
                         model=data_price)

    def test_missing_parameter(self, data_price):
        with pytest.raises(InputError, match="--c_D is needed"):
            grid_columns([parse_grid("E=1:2:2", model=data_price)],
                         {**MARKET, "gamma": -1.0}, model=data_price)

    def test_unknown_model(self):
        with pytest.raises(InputError, match="unknown model 'nope'"):
            parse_grid("E=1:2:2", model="nope")


def test_write_csv_takes_the_models_fields(tmp_path, data_price):
    """write_csv of a model's solutions: its parameters, then its output fields."""
    from profitopt.numeric.batch_model import model_columns, solve_model

    columns = model_columns(data_price, **MARKET, gamma=-1.0, E=np.array([1e10, 1e20]),
                            c_D=1.0)
    write_csv(tmp_path / "x.csv", columns, solve_model(data_price, **columns))
    header = (tmp_path / "x.csv").read_text().splitlines()[0].split(",")
    assert header[:11] == [*(s.name for s in problem(data_price).specs), "n"]
    assert "data_cost" in header
