"""profitopt.labelled: a grid's optimum as an xarray.Dataset, in process or lazy (Dask).

Reference: :func:`profitopt.numeric.vectorized.solve_many` on the ``ij`` meshgrid of the
swept values.  Every point is solved on its own, so the labelled result, and any chunked
(lazy) computation of it, must equal that reference bit for bit (compared as bytes, so
that a NaN or a signed zero counts too).
"""

from __future__ import annotations

import itertools
import time

import dask
import dask.array
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import profitopt
from tests.sweeps import assert_same_bits, axes
from profitopt import labelled
from profitopt.errors import InputError
from profitopt.numeric.vectorized import solve_many

#: The paper's market.
MARKET = {"alpha": 0.3, "beta": 0.3, "a": 10.0, "b": 10.0, "omega": 1.0, "delta": 1e-12}
FIELDS = ("n", "d", "t", "q", "profit", "train_flops", "train_cost", "infer_cost")
CODES = ("regime_code", "reason_code")
FLAGS = ("margin_positive", "sign_change", "converged", "certified")
VARIABLES = FIELDS + CODES + FLAGS


def assert_same_dataset(actual, expected) -> None:
    """Every variable and coordinate bit for bit, with the same dims and attributes."""
    assert set(actual.data_vars) == set(expected.data_vars)
    assert actual.sizes == expected.sizes
    for name in (*expected.data_vars, *expected.coords):
        assert actual[name].dims == expected[name].dims, name
        assert actual[name].attrs == expected[name].attrs, name
        assert_same_bits(actual[name].values, expected[name].values, name)
    assert actual.attrs == expected.attrs


@pytest.fixture(scope="module")
def grid200():
    return axes(200, 200)


@pytest.fixture(scope="module")
def eager200(grid200):
    """The in-process sweep of the 200 x 200 grid."""
    return labelled.sweep(**MARKET, **grid200)


class TestLabelledResult:
    """Dimensions, coordinates, variables, attributes, and the values of solve_many."""

    def test_dimensions_and_coordinates_follow_the_call(self, eager200, grid200):
        assert eager200.n.dims == ("E", "gamma")
        assert tuple(eager200.dims) == ("E", "gamma")
        assert dict(eager200.sizes) == {"E": 200, "gamma": 200}
        for name, values in grid200.items():
            assert_same_bits(eager200[name].values, values, name)
            assert eager200[name].dims == (name,)
            assert eager200[name].attrs["long_name"] and eager200[name].attrs["units"]

    def test_order_of_the_swept_parameters_is_the_order_of_the_dimensions(self):
        values = axes(4, 3)
        ds = labelled.sweep(**MARKET, gamma=values["gamma"], E=values["E"])
        assert ds.n.dims == ("gamma", "E")
        assert ds.n.shape == (3, 4)
        other = labelled.sweep(**MARKET, E=values["E"], gamma=values["gamma"])
        for name in VARIABLES:
            assert_same_bits(ds[name].values, other[name].values.T, name)

    def test_variables_dtypes_and_attributes(self, eager200):
        assert tuple(eager200.data_vars) == VARIABLES
        for name in FIELDS:
            assert eager200[name].dtype == np.float64, name
            assert eager200[name].dims == ("E", "gamma")
            assert eager200[name].attrs["long_name"], name
            assert eager200[name].attrs["units"], name
        for name in CODES:
            assert eager200[name].dtype == np.int8, name
            attrs = eager200[name].attrs
            values, meanings = list(attrs["flag_values"]), attrs["flag_meanings"].split()
            assert values == list(range(len(values))), name
            assert len(meanings) == len(values) and len(set(meanings)) == len(meanings), name
        assert eager200.regime_code.attrs["flag_meanings"].split()[:2] == ["compute-bound",
                                                                           "data-bound"]
        assert eager200.reason_code.attrs["flag_meanings"].split()[0] == "inside"
        for name in FLAGS:
            assert eager200[name].dtype == np.bool_, name

    def test_dataset_attributes(self, eager200):
        assert eager200.attrs["model"] == "paper"
        assert isinstance(eager200.attrs["model_fingerprint"], str)
        assert eager200.attrs["model_fingerprint"]
        assert eager200.attrs["profitopt_version"] == profitopt.__version__

    def test_values_are_solve_many_on_the_meshgrid(self, eager200, grid200):
        mesh_e, mesh_gamma = np.meshgrid(grid200["E"], grid200["gamma"], indexing="ij")
        reference = solve_many(**MARKET, E=mesh_e.ravel(), gamma=mesh_gamma.ravel())
        for name in FIELDS:
            expected = np.asarray(getattr(reference, name)).reshape(200, 200)
            assert expected.dtype == np.float64
            assert_same_bits(eager200[name].values, expected, name)
        for name, dtype in [*((c, np.int8) for c in CODES), *((f, np.bool_) for f in FLAGS)]:
            expected = np.asarray(getattr(reference, name))
            # the conversion to the stored dtype loses nothing
            assert np.array_equal(expected.astype(dtype).astype(expected.dtype), expected)
            assert_same_bits(eager200[name].values, expected.astype(dtype).reshape(200, 200),
                             name)
        # the grid is inside the domain and certified throughout: a meaningful comparison
        assert eager200.certified.values.all()
        assert (eager200.reason_code.values == 0).all()

    def test_points_outside_the_domain_are_marked_not_refused(self):
        gamma = np.array([-0.5, 0.0, 11.0, 0.5])  # 11 is above the supported range
        E = np.geomspace(1e12, 1e20, 3)
        ds = labelled.sweep(**MARKET, E=E, gamma=gamma)
        mesh_e, mesh_gamma = np.meshgrid(E, gamma, indexing="ij")
        reference = solve_many(mark_invalid=True, **MARKET, E=mesh_e.ravel(),
                               gamma=mesh_gamma.ravel())
        for name in VARIABLES:
            expected = np.asarray(getattr(reference, name)).astype(ds[name].dtype)
            assert_same_bits(ds[name].values, expected.reshape(ds[name].shape), name)
        invalid = ds.sel(gamma=11.0)
        meanings = ds.regime_code.attrs["flag_meanings"].split()
        assert {meanings[c] for c in invalid.regime_code.values} == {"invalid"}
        assert (invalid.reason_code.values > 0).all()
        assert np.isnan(invalid.n.values).all() and not invalid.certified.values.any()
        assert not np.isnan(ds.n.sel(gamma=[-0.5, 0.0, 0.5]).values).any()

    def test_a_single_swept_parameter_is_one_dimension(self):
        E = np.geomspace(1e10, 1e30, 5)
        ds = labelled.sweep(**MARKET, gamma=-0.5, E=E)
        assert ds.n.dims == ("E",)
        reference = solve_many(**MARKET, gamma=-0.5, E=E)
        assert_same_bits(ds.n.values, reference.n, "n")
        assert "gamma=-0.5" in ds.attrs["fixed"]


class TestLazy:
    """With chunks the variables are dask arrays; computed, they equal the in-process
    sweep bit for bit whatever the chunking."""

    @pytest.mark.parametrize("chunks", [5000, {"E": 7, "gamma": 30}],
                             ids=["points", "per-dimension"])
    def test_chunked_equals_in_process(self, chunks, eager200, grid200):
        lazy = labelled.sweep(**MARKET, **grid200, chunks=chunks)
        expected_chunks = labelled.normalize_chunks(labelled.make_grid(**MARKET, **grid200),
                                                    chunks)
        for name in VARIABLES:
            assert isinstance(lazy[name].data, dask.array.Array), name
            assert lazy[name].data.chunks == expected_chunks, name
            assert lazy[name].dtype == eager200[name].dtype, name
        assert len(expected_chunks[0]) * len(expected_chunks[1]) > 1
        assert_same_dataset(lazy.compute(scheduler="threads"), eager200)

    def test_nothing_is_solved_until_computed(self, monkeypatch, grid200):
        calls = []
        real = labelled.solve_block
        monkeypatch.setattr(labelled, "solve_block",
                            lambda grid, location: calls.append(location) or real(grid,
                                                                                  location))
        lazy = labelled.sweep(**MARKET, **grid200, chunks={"E": 50})
        assert calls == []
        lazy.isel(E=slice(60, 70)).n.compute(scheduler="threads")
        assert calls == [((50, 100), (0, 200))]
        # all variables of one block come from one solve
        calls.clear()
        lazy.isel(E=slice(0, 10)).compute(scheduler="threads")
        assert calls == [((0, 50), (0, 200))]

    def test_a_billion_points_are_declared_and_sliced(self, monkeypatch):
        values = {"E": np.geomspace(1e10, 1e30, 40_000), "gamma": np.linspace(-1, 0.5, 25_000)}
        start = time.perf_counter()
        lazy = labelled.sweep(**MARKET, **values, chunks=1_000_000)
        declared = time.perf_counter() - start
        assert declared < 10, f"declaring took {declared:.1f} s"
        assert isinstance(lazy.n.data, dask.array.Array)
        assert lazy.n.shape == (40_000, 25_000) and lazy.n.size == 10**9
        assert max(map(max, lazy.n.data.chunks)) <= 1_000_000
        assert lazy.n.data.chunks[1] == (25_000,) and lazy.n.data.chunks[0][0] == 40
        for name in VARIABLES:
            assert isinstance(lazy[name].data, dask.array.Array), name

        calls = []
        real = labelled.solve_block
        monkeypatch.setattr(labelled, "solve_block",
                            lambda grid, location: calls.append(location) or real(grid,
                                                                                  location))
        part = lazy.isel(E=slice(0, 3)).compute(scheduler="threads")
        assert calls == [((0, 40), (0, 25_000))]  # one block, not the grid
        monkeypatch.undo()
        expected = labelled.sweep(**MARKET, E=values["E"][:3], gamma=values["gamma"])
        assert_same_dataset(part, expected)

    def test_two_lazy_sweeps_computed_together_keep_their_values(self):
        values = axes(20, 20)
        other = dict(MARKET, a=20.0)
        first = labelled.sweep(**MARKET, **values, chunks=100)
        second = labelled.sweep(**other, **values, chunks=100)
        both = dask.compute(first.n, second.n, scheduler="threads")
        assert_same_bits(both[0].values, labelled.sweep(**MARKET, **values).n.values, "first")
        assert_same_bits(both[1].values, labelled.sweep(**other, **values).n.values, "second")


class TestErrors:
    """Malformed sweeps raise InputError naming what is wrong."""

    @pytest.mark.parametrize("parameters, message", [
        pytest.param({**MARKET, **axes(3, 3), "zeta": 1.0}, "'zeta' is not a parameter",
                     id="unknown-parameter"),
        pytest.param({k: v for k, v in MARKET.items() if k != "delta"} | axes(3, 3),
                     "delta is needed", id="missing-parameter"),
        pytest.param({**MARKET, "E": 1e20, "gamma": -0.5}, "nothing to sweep",
                     id="nothing-swept"),
        pytest.param({**MARKET, "E": np.ones((2, 2)), "gamma": -0.5}, "one-dimensional",
                     id="two-dimensional"),
        pytest.param({**MARKET, "E": np.array([]), "gamma": -0.5}, "one-dimensional",
                     id="empty"),
    ])
    def test_malformed_grid(self, parameters, message):
        with pytest.raises(InputError, match=message):
            labelled.sweep(**parameters)
        with pytest.raises(InputError, match=message):
            labelled.make_grid(**parameters)

    def test_unknown_model(self):
        with pytest.raises(InputError, match="unknown model"):
            labelled.sweep("no-such-model", **MARKET, **axes(3, 3))

    @pytest.mark.parametrize("chunks, message", [
        pytest.param(0, "at least 1", id="zero"),
        pytest.param(-5, "at least 1", id="negative"),
        pytest.param({"E": 0}, "at least 1", id="zero-along-E"),
        pytest.param({"gamma": -1}, "at least 1", id="negative-along-gamma"),
        pytest.param({"omega": 3}, "'omega' is not a swept dimension", id="fixed-dim"),
        pytest.param({"zeta": 3}, "'zeta' is not a swept dimension", id="unknown-dim"),
    ])
    def test_bad_chunks(self, chunks, message):
        with pytest.raises(InputError, match=message):
            labelled.sweep(**MARKET, **axes(3, 3), chunks=chunks)

    def test_a_block_larger_than_the_limit_is_refused_before_solving(self):
        grid = labelled.make_grid(**MARKET, E=np.geomspace(1e10, 1e30, 5000),
                                  gamma=np.linspace(-1, 0.5, 4000))
        assert grid.size > labelled.MAX_BLOCK_POINTS
        with pytest.raises(InputError, match="use smaller chunks"):
            labelled.solve_block(grid, ((0, 5000), (0, 4000)))

    def test_missing_optional_dependency_names_the_extra(self):
        with pytest.raises(InputError, match=r"pip install 'profitopt\[distributed\]'"):
            labelled.require("profitopt_no_such_module")


def grid_of(shape: tuple[int, ...]) -> labelled.Grid:
    """A paper grid of ``shape`` sweeping E, gamma and omega (the first len(shape))."""
    names = ("E", "gamma", "omega")[:len(shape)]
    swept = {name: np.arange(1.0, n + 1) for name, n in zip(names, shape)}
    fixed = {k: v for k, v in {**MARKET, "E": 1e20, "gamma": -0.5}.items() if k not in swept}
    return labelled.make_grid(**fixed, **swept)


shapes = st.lists(st.integers(1, 13), min_size=1, max_size=3).map(tuple)


class TestBlocks:
    """normalize_chunks and block_locations tile the grid exactly, in C order."""

    @staticmethod
    def check_tiling(grid, chunks):
        assert len(chunks) == len(grid.shape)
        for sizes, n in zip(chunks, grid.shape):
            assert sum(sizes) == n and all(size >= 1 for size in sizes)
            # regular: every block but the last has the first one's size
            assert all(size == sizes[0] for size in sizes[:-1]) and sizes[-1] <= sizes[0]
        cover = np.zeros(grid.shape, dtype=int)
        blocks = list(labelled.block_locations(chunks))
        assert [index for index, _ in blocks] == list(
            itertools.product(*(range(len(c)) for c in chunks)))
        for index, location in blocks:
            assert all(isinstance(v, int) for span in location for v in span)
            assert all(stop - start == chunks[d][i]
                       for d, (i, (start, stop)) in enumerate(zip(index, location)))
            cover[tuple(slice(start, stop) for start, stop in location)] += 1
        assert (cover == 1).all()
        return blocks

    @given(shape=shapes, budget=st.integers(1, 400))
    def test_points_per_block(self, shape, budget):
        grid = grid_of(shape)
        chunks = labelled.normalize_chunks(grid, budget)
        blocks = self.check_tiling(grid, chunks)
        for _, location in blocks:
            assert np.prod([stop - start for start, stop in location]) <= budget
        if budget >= grid.size:
            assert len(blocks) == 1

    @given(shape=shapes, data=st.data())
    def test_per_dimension(self, shape, data):
        grid = grid_of(shape)
        spec = {name: data.draw(st.integers(1, 15), label=name)
                for name in data.draw(st.lists(st.sampled_from(grid.dims), unique=True),
                                      label="dims")}
        chunks = labelled.normalize_chunks(grid, spec)
        self.check_tiling(grid, chunks)
        for name, sizes, n in zip(grid.dims, chunks, grid.shape):
            assert sizes[0] == min(spec.get(name, n), n)

    def test_no_chunks_is_one_block(self):
        grid = grid_of((4, 5, 6))
        chunks = labelled.normalize_chunks(grid, None)
        assert chunks == ((4,), (5,), (6,))
        assert list(labelled.block_locations(chunks)) == [((0, 0, 0),
                                                           ((0, 4), (0, 5), (0, 6)))]

    def test_the_last_dimension_is_cut_first(self):
        grid = grid_of((10, 20))
        assert labelled.normalize_chunks(grid, 20) == ((1,) * 10, (20,))
        assert labelled.normalize_chunks(grid, 7) == ((1,) * 10, (7, 7, 6))
        assert labelled.normalize_chunks(grid, 60) == ((3, 3, 3, 1), (20,))
