"""The supported domain: one check (parameters.reason_codes) for Parameters and solve_many,
and every point inside it solved and cross-checked."""

from __future__ import annotations

import math

import numpy as np
import pytest

from profitopt.errors import InputError
from profitopt.numeric.optimum import solve
from profitopt.numeric.parameters import (EXPONENT_RANGE, GAMMA_MAX, REASONS, Parameters,
                                          gamma_lower, reason_codes)
from profitopt.numeric.vectorized import REGIMES, solve_many

VALID = dict(alpha=0.3, beta=0.3, gamma=-1.0, a=10.0, b=10.0, omega=1.0, delta=1e-12, E=1e18)

OUTSIDE = [
    pytest.param("alpha", 1e-300, "alpha outside the supported range", id="alpha-tiny"),
    pytest.param("alpha", 1e300, "alpha outside the supported range", id="alpha-huge"),
    pytest.param("alpha", EXPONENT_RANGE[0] * (1 - 1e-12), "alpha outside", id="alpha-below"),
    pytest.param("beta", EXPONENT_RANGE[1] * (1 + 1e-12), "beta outside", id="beta-above"),
    pytest.param("gamma", GAMMA_MAX * (1 + 1e-12), "gamma > 10", id="gamma-above"),
    pytest.param("gamma", -3.34, "bounded range", id="gamma-unbounded"),
    pytest.param("a", 0.0, "a (parameter efficiency) must be > 0", id="a-zero"),
    pytest.param("delta", -1.0, "delta (inverse-demand slope) must be > 0", id="delta-negative"),
    pytest.param("E", math.inf, "E is not a finite number", id="E-inf"),
    pytest.param("omega", math.nan, "omega is not a finite number", id="omega-nan"),
    pytest.param("D", -1.0, "D (data cap) must be > 0", id="D-negative"),
]


class TestOneCheck:
    """Parameters and solve_many refuse the same points for the same reason; with
    mark_invalid a batch solves every other point exactly as without the invalid ones."""

    @pytest.mark.parametrize("name,value,reason", OUTSIDE)
    def test_parameters_refuse(self, name, value, reason):
        with pytest.raises(InputError, match=reason.split(" ")[0]) as caught:
            Parameters(**{**VALID, name: value})
        assert reason in str(caught.value)

    @pytest.mark.parametrize("name,value,reason", OUTSIDE)
    def test_solve_many_refuses(self, name, value, reason):
        with pytest.raises(InputError, match="outside the domain"):
            solve_many(**{**VALID, name: np.array([VALID.get(name, np.inf), value])})

    @pytest.mark.parametrize("name,value,reason", OUTSIDE)
    def test_solve_many_marks(self, name, value, reason):
        good = VALID.get(name, np.inf)
        batch = solve_many(mark_invalid=True, **{**VALID, name: np.array([good, value, good])})
        alone = solve_many(**{**VALID, name: good})
        assert list(batch.regime) == ["compute-bound", "invalid", "compute-bound"]
        assert reason in batch.reason[1] and batch.reason[0] == batch.reason[2] == ""
        assert np.isnan(batch.n[1]) and not batch.certified[1]
        assert batch.n[0] == batch.n[2] == alone.n[0]

    def test_edges_are_inside(self):
        low, high = EXPONENT_RANGE
        codes = reason_codes({**VALID, "alpha": np.array([low, high]),
                              "beta": np.array([high, low]), "gamma": GAMMA_MAX, "D": np.inf})
        assert not codes.any()

    def test_reasons_name_their_parameter(self):
        names = {"alpha", "beta", "gamma", "a", "b", "omega", "delta", "E", "D"}
        assert REASONS[0] == "" and all(r.split(" ")[0] in names for r in REASONS[1:])


class TestCapDecides:
    """A capped point whose uncapped optimum lies beyond double range (gamma = -3.3:
    log n* ~ 4700) is solved from the cap, identically by solve and solve_many."""

    @pytest.mark.parametrize("cap", [1e-5, 0.1, 1e3, 1e12, 1e20])
    def test_agree(self, cap):
        params = {**VALID, "gamma": -3.3, "D": cap}
        one = solve(Parameters(**params))
        many = solve_many(**params)
        assert REGIMES[many.regime_code[0]] == one.regime
        assert one.regime in ("data-bound", "shutdown")
        assert many.n[0] == pytest.approx(one.n, rel=1e-13)
        assert many.certified[0]


def _domain_sample(size: int, seed: int) -> dict[str, np.ndarray]:
    """Random points across the supported domain: alpha, beta log-uniform over
    EXPONENT_RANGE, gamma from just above its lower bound to GAMMA_MAX, scales over decades,
    a data cap on a third of the points."""
    rng = np.random.default_rng(seed)
    exponents = np.log10(EXPONENT_RANGE)
    alpha, beta = (10 ** rng.uniform(*exponents, size) for _ in range(2))
    lower = np.array([gamma_lower(x, y) for x, y in zip(alpha, beta)])
    gamma = np.where(rng.random(size) < 0.5, rng.uniform(-1.0, GAMMA_MAX, size),
                     lower + np.abs(lower) * 10 ** rng.uniform(-6.0, 0.0, size))
    gamma = np.where(gamma > lower, gamma, lower + np.abs(lower) * 1e-3)
    return dict(alpha=alpha, beta=beta, gamma=gamma, a=10 ** rng.uniform(-1, 4, size),
                b=10 ** rng.uniform(-1, 4, size), omega=10 ** rng.uniform(-3, 3, size),
                delta=10 ** rng.uniform(-16, -4, size), E=10 ** rng.uniform(8, 42, size),
                D=np.where(rng.random(size) < 0.3, 10 ** rng.uniform(6, 22, size), np.inf))


class TestDomainSample:
    """Across the supported domain solve never fails its cross-check, and solve_many puts
    every point in the same regime (out-of-range where solve refuses a double overflow)."""

    @pytest.mark.parametrize("seed", [31, 32])
    def test_solved_and_agreeing(self, seed):
        sample = _domain_sample(40, seed)
        solutions = solve_many(**sample)
        for i in range(40):
            values = {name: float(column[i]) for name, column in sample.items()}
            values["D"] = None if math.isinf(values["D"]) else values["D"]
            regime = REGIMES[solutions.regime_code[i]]
            try:
                reference = solve(Parameters(**values))
            except InputError as error:
                assert "double range" in str(error) and regime == "out-of-range", values
                continue
            assert regime == reference.regime, values


class TestScalarCode:
    """reason_code (one point, plain Python) equals reason_codes (arrays) point by point."""

    def test_agrees_on_a_random_sample(self):
        import numpy as np

        from profitopt.numeric.parameters import NAMES, reason_code, reason_codes
        rng = np.random.default_rng(7)
        size = 3000
        values = {
            "alpha": rng.choice([1e-4, 0.3, 20.0, np.nan, -1.0], size),
            "beta": rng.choice([1e-4, 0.3, 20.0, np.inf], size),
            "gamma": rng.uniform(-12, 12, size),
            "a": rng.choice([10.0, 0.0, -2.0], size), "b": rng.choice([10.0, np.nan], size),
            "omega": rng.choice([1.0, 0.0], size), "delta": rng.choice([1e-12, -1.0], size),
            "E": rng.choice([1e18, np.inf], size), "D": rng.choice([np.inf, 1e9, 0.0], size),
        }
        vector = reason_codes(values)
        scalar = [reason_code({name: float(values[name][i]) for name in NAMES})
                  for i in range(size)]
        assert vector.tolist() == scalar
        assert len(set(scalar)) > 8  # the sample reaches many different faults
