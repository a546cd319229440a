"""The vectorized solver agrees with the certified scalar solver, point by point."""

from __future__ import annotations

import dataclasses
import gc

import numpy as np
import pytest

from profitopt.errors import InputError
from profitopt.numeric.crosscheck import sampled_max_error
from profitopt.numeric.optimum import solve
from profitopt.numeric.parameters import Parameters
from profitopt.numeric.rigorous import prove_interior
from profitopt.numeric.vectorized import REGIMES, columns_of, solve_many

BASE = dict(alpha=0.3, beta=0.3, a=10.0, b=10.0, omega=1.0, delta=1e-12)
#: float64 vs the 50-digit optimum: the issue's target for n* (relative).
RTOL_N = 1e-13
#: Profit is a difference of revenue and cost evaluated in float64 from log-space terms.
RTOL_PROFIT = 1e-11


@pytest.fixture(scope="module")
def grid():
    energy = np.geomspace(1e10, 1e40, 13)
    shape = np.array([-1.0, -0.5, -1e-8, -1e-14, 0.0, 1e-14, 1e-8, 0.5, 1.0])
    e, g = np.meshgrid(energy, shape, indexing="ij")
    columns = columns_of(**BASE, gamma=g, E=e)
    return columns, solve_many(**columns)


class TestAgreesWithScalar:
    """Every grid point: same regime, n* to RTOL_N, profit to RTOL_PROFIT, certified."""

    def test_points(self, grid):
        columns, solutions = grid
        for i in range(columns["E"].size):
            params = Parameters(**{k: float(columns[k][i]) for k in
                                   ("alpha", "beta", "gamma", "a", "b", "omega", "delta", "E")})
            reference = solve(params)
            assert REGIMES[solutions.regime_code[i]] == reference.regime
            assert solutions.n[i] == pytest.approx(reference.n, rel=RTOL_N)
            assert solutions.profit[i] == pytest.approx(reference.profit, rel=RTOL_PROFIT)
        assert solutions.certified.all()

    def test_sampled_crosscheck(self, grid):
        columns, solutions = grid
        check = sampled_max_error(columns, solutions, 10, seed=3)
        assert check.compared == 10 and check.failures == () and check.max_rel_error <= RTOL_N

    @pytest.mark.parametrize("backend", ["arb", "iv"])
    def test_interval_proofs(self, grid, backend):
        columns, solutions = grid
        picks = np.arange(0, columns["E"].size, 7)
        assert prove_interior(columns, solutions, picks, backend).all()

    def test_worker_pool_gives_the_same_proofs(self, grid, monkeypatch):
        from profitopt.numeric import rigorous

        columns, solutions = grid
        picks = np.arange(columns["E"].size)
        serial = prove_interior(columns, solutions, picks, "arb", processes=1)
        monkeypatch.setattr(rigorous, "PARALLEL_MINIMUM", 1)
        parallel = prove_interior(columns, solutions, picks, "arb", processes=2)
        assert serial.all() and (parallel == serial).all()
        # the parent's objects are frozen only for the fork
        assert gc.get_freeze_count() == 0

    @pytest.mark.parametrize("backend", ["arb", "iv"])
    def test_a_wrong_root_is_not_proven(self, grid, backend):
        columns, solutions = grid
        shifted = dataclasses.replace(solutions, x=solutions.x + 1e-3)
        assert not prove_interior(columns, shifted, np.array([5]), backend).any()


class TestRegimes:
    """Caps switch points to the corner; hopeless markets shut down; overflow is refused."""

    def test_data_cap_corner(self):
        solutions = solve_many(**BASE, gamma=0.0, E=np.array([1e12, 1e18]), D=1e9)
        reference = [solve(Parameters(**BASE, gamma=0.0, E=e, D=1e9)) for e in (1e12, 1e18)]
        assert list(solutions.regime) == [r.regime for r in reference]
        assert solutions.n == pytest.approx([r.n for r in reference], rel=RTOL_N)

    def test_shutdown(self):
        solutions = solve_many(alpha=0.3, beta=0.3, gamma=1.0, a=1.0, b=1.0, omega=1e-30,
                               delta=1.0, E=1.0)
        assert list(solutions.regime) == ["shutdown"] and solutions.n[0] == 0.0

    def test_out_of_range_is_refused(self):
        solutions = solve_many(**{**BASE, "a": 10.0}, gamma=-3.3, E=1e30)
        assert list(solutions.regime) == ["out-of-range"] and np.isnan(solutions.n[0])

    def test_invalid_gamma_is_an_input_error(self):
        with pytest.raises(InputError, match="bounded range"):
            solve_many(**BASE, gamma=np.array([0.0, -4.0]), E=1e18)


class TestAwkwardPoints:
    """Points a random wide-range sample turned up (gamma well below -1, small 1 + alpha
    gamma): each is solved and certified, or refused -- never reported as a shutdown."""

    #: The root lies closer to x_peak than a double resolves (S > 0 at the float below it).
    AT_PEAK = dict(alpha=0.07407172047364352, beta=0.5298, gamma=-4.631, a=72.3, b=1.27,
                   omega=0.0683, delta=1.64e-09, E=2.75e26)
    #: x_peak ~ 803: the scalar solver's bracketing overflows far right of the root.
    FAR_PEAK = dict(alpha=0.8957, beta=0.1139, gamma=-0.9996, a=344.0, b=43.5, omega=0.00124,
                    delta=1.11e-10, E=1.71e37)
    #: S' overflows beside a root at log n ~ 428 where S does not.
    SLOPE_OVERFLOW = dict(alpha=0.4721, beta=0.572, gamma=-1.763, a=373.0, b=1.0, omega=18.7,
                          delta=2.32e-07, E=1.03e26)
    #: log n* ~ 307: S's float64 rounding alone moves the root by 2e-13 in n.
    LARGE_LOG_N = dict(alpha=0.5201733378108342, beta=0.5489384109034877,
                       gamma=-1.5578388122171358, a=0.19999714904744043, b=1696.858356350638,
                       omega=65.26237340971619, delta=3.904308202539189e-12,
                       E=4.367924460104407e25)
    #: 1 + alpha gamma < 0 (the scalar path) with log n* ~ 99: needs the same polish.
    GROWS_LARGE_LOG_N = dict(alpha=0.779941667090876, beta=0.2327820250527562,
                             gamma=-2.268580491705472, a=134.44958421502662,
                             b=6673.426252556171, omega=0.046167742071701746,
                             delta=3.911270684096589e-08, E=3383121767177133.0)
    #: S < 0 everywhere (its maximum is about -11): a log step from the first start
    #: overshoots far left, and the retreats walk back to the maximum of S.
    NEGATIVE_MAXIMUM = dict(alpha=0.11677757308434829, beta=0.06302385038406341,
                            gamma=-1e-14, a=0.17077549607848258, b=0.1802239070417064,
                            omega=0.007183974341993423, delta=5.1975467336824766e-12,
                            E=97229146715.78752)
    #: 1 + alpha gamma < 0 (no finite x_peak) with an optimum beyond double range.
    GROWS_BEYOND_RANGE = dict(alpha=0.5, beta=0.3, gamma=-2.5, a=10.0, b=10.0, omega=1.0,
                              delta=1e-12, E=1e30)

    @pytest.mark.parametrize("params", [AT_PEAK, FAR_PEAK, LARGE_LOG_N, GROWS_LARGE_LOG_N],
                             ids=["root-at-x_peak", "x_peak-far-right", "log-n-beyond-100",
                                  "no-x_peak-log-n-99"])
    def test_solved_certified_and_agreeing_with_50_digits(self, params):
        solutions = solve_many(**params)
        reference = solve(Parameters(**params))
        assert REGIMES[solutions.regime_code[0]] == reference.regime == "compute-bound"
        assert solutions.certified[0]
        assert solutions.n[0] == pytest.approx(reference.n, rel=RTOL_N)

    @pytest.mark.parametrize("backend", ["arb", "iv"])
    def test_a_root_at_x_peak_is_proven_and_a_shifted_one_is_not(self, backend):
        """The right end of the enclosure is x_peak itself (S is undefined beyond it)."""
        columns = columns_of(**self.AT_PEAK)
        solutions = solve_many(**columns)
        shifted = dataclasses.replace(solutions, x=solutions.x - 1e-6)
        assert prove_interior(columns, solutions, np.array([0]), backend).all()
        assert not prove_interior(columns, shifted, np.array([0]), backend).any()

    def test_a_negative_maximum_is_a_shutdown(self):
        solutions = solve_many(**self.NEGATIVE_MAXIMUM)
        assert list(solutions.regime) == ["shutdown"]
        assert solve(Parameters(**self.NEGATIVE_MAXIMUM)).regime == "shutdown"

    def test_an_overflowing_slope_is_refused_not_shut_down(self):
        solutions = solve_many(**self.SLOPE_OVERFLOW)
        assert list(solutions.regime) == ["out-of-range"]

    def test_one_point_beyond_range_does_not_stop_the_batch(self):
        batch = {k: np.array([v, BASE.get(k, v)]) for k, v in self.GROWS_BEYOND_RANGE.items()}
        batch["gamma"][1], batch["E"][1] = -0.5, 1e18
        solutions = solve_many(**batch)
        assert list(solutions.regime) == ["out-of-range", "compute-bound"]
        assert solutions.certified[1]


def _wide_range_sample(size: int, seed: int) -> dict[str, np.ndarray]:
    """Random parameter sets far from the reference grid: exponents 0.05..0.9, gamma from
    near the bounded range's limit to 2 (and the awkward 0, +-1e-14, +-1e-8), every scale
    parameter over decades, E 1e8..1e42, a data cap on a third of the points."""
    from profitopt.numeric.kernels import model_kernels

    rng = np.random.default_rng(seed)
    alpha, beta = rng.uniform(0.05, 0.9, size), rng.uniform(0.05, 0.9, size)
    lower = np.asarray(model_kernels().gamma_lower.numpy(alpha, beta))
    kind = rng.integers(0, 3, size)
    gamma = np.select(
        [kind == 0, kind == 1],
        [rng.uniform(-1.0, 1.0, size), rng.choice([0.0, 1e-14, -1e-14, 1e-8, -1e-8], size)],
        lower + np.abs(lower) * 10 ** rng.uniform(-6.0, 0.0, size) * (1.0 + 2.0 / np.abs(lower)))
    return dict(alpha=alpha, beta=beta, gamma=gamma, a=10 ** rng.uniform(-1, 4, size),
                b=10 ** rng.uniform(-1, 4, size), omega=10 ** rng.uniform(-3, 3, size),
                delta=10 ** rng.uniform(-16, -4, size), E=10 ** rng.uniform(8, 42, size),
                D=np.where(rng.random(size) < 0.3, 10 ** rng.uniform(6, 22, size), np.inf))


class TestWideRangeSample:
    """Against the scalar solve with its 50-digit check, on random parameter sets far from
    the reference grid: the same regime, n* to RTOL_N and a certificate for every
    producing point, or a refusal where the scalar solve refuses too."""

    @pytest.mark.parametrize("seed", [11, 12])
    def test_agrees_with_the_50_digit_solve(self, seed):
        sample = _wide_range_sample(60, seed)
        solutions = solve_many(**sample)
        for i in range(60):
            values = {name: float(column[i]) for name, column in sample.items()}
            values["D"] = None if np.isinf(values["D"]) else values["D"]
            regime = REGIMES[solutions.regime_code[i]]
            try:
                reference = solve(Parameters(**values))
            except InputError:
                assert regime == "out-of-range", values
                continue
            assert regime == reference.regime, values
            if regime != "shutdown":
                assert solutions.certified[i], values
                assert solutions.n[i] == pytest.approx(reference.n, rel=RTOL_N), values


class TestEvaluationCount:
    """Newton from the starts converges in few kernel passes."""

    @pytest.fixture
    def passes(self, monkeypatch):
        """The sizes of the (S, S') kernel passes made while the test runs."""
        from profitopt.numeric import batch_chunk

        calls = []
        kernels = batch_chunk.model_kernels()
        original = kernels.balance_and_slope

        class Counting:
            def __getattr__(self, name):
                return getattr(kernels, name)

            def balance_and_slope(self, x, *args):
                calls.append(np.size(x))
                return original(x, *args)

        monkeypatch.setattr(batch_chunk, "model_kernels", Counting)
        return calls

    def test_inference_dominated_points_need_few_evaluations(self, passes):
        """Roots within 1e-4..1e-1 of x_peak (low E): at most 4 kernel passes per point."""
        gamma = np.linspace(-1.0, 1.0, 41)
        solutions = solve_many(**BASE, gamma=gamma, E=1e10)
        assert solutions.certified.all()
        assert 1 <= len(passes) <= 4

    @pytest.mark.parametrize("energy", [1e22, 1e37])
    def test_near_zero_gamma_starts_from_the_log_law(self, passes, energy):
        """|gamma| log q << 1 (f = log q to first order): the gamma = 0 law starts within
        two Newton updates of the root, as it does at gamma = 0 itself."""
        gamma = np.array([-1e-8, -1e-14, 0.0, 1e-14, 1e-8])
        solutions = solve_many(**BASE, gamma=gamma, E=energy)
        assert solutions.certified.all()
        assert 1 <= len(passes) <= 3
