"""The smooth problem end to end: its derivation, the compiled kernels, optimum.solve, the
parameters class, the command line and the certificates on a grid."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp

from profitopt.cli import main
from profitopt.numeric.kernels import is_smooth, problem, smooth_problem
from profitopt.numeric.optimum import solve
from profitopt.numeric.parameters import parameters_class
from profitopt.numeric.smooth_solver import solve_smooth
from profitopt.symbolic import symbols as S
from profitopt.symbolic.smooth import (check_gradient, derive_quality_concavity,
                                       derive_smooth_bounded_range, derive_smooth_condition, y)
from profitopt.symbolic.variants import model_named

CHINCHILLA = dict(alpha=0.34, beta=0.28, A=406.4, B=410.7, omega=1.0, delta=1e-12)


class TestDerivation:
    """The derived gradient is the plain profit's sp.diff; log q is concave; the bounded
    range is the Leontief one."""

    @pytest.mark.parametrize("name", ["additive", "ces"])
    def test_gradient_matches_diff(self, name):
        model = model_named(name)
        condition = derive_smooth_condition(model)
        logs = {S.x: sp.Rational(35), y: sp.Rational(41), S.alpha: sp.Rational(34, 100),
                S.beta: sp.Rational(28, 100), S.gamma: -sp.Rational(1, 2),
                sp.Symbol("log_A", real=True): sp.log(sp.Rational(4064, 10)),
                sp.Symbol("log_B", real=True): sp.log(sp.Rational(4107, 10)),
                sp.Symbol("r", positive=True): sp.Rational(3, 2),
                sp.Symbol("log_omega", real=True): 0,
                sp.Symbol("log_delta", real=True): sp.log(sp.Rational(1, 10**12)),
                sp.Symbol("log_E", real=True): sp.log(sp.Integer(10)**22)}
        for difference in check_gradient(model, condition, logs):
            assert abs(difference) < 1e-20

    @pytest.mark.parametrize("name", ["additive", "ces"])
    def test_log_quality_concave(self, name):
        assert derive_quality_concavity(model_named(name)).concave

    @pytest.mark.parametrize("name", ["additive", "ces"])
    def test_bounded_range_is_leontief(self, name):
        lower = derive_smooth_bounded_range(model_named(name)).lower
        expected = sp.Min(-1 / S.alpha, -(S.alpha + S.beta) / (2 * S.alpha * S.beta))
        for a, b in [(sp.Rational(34, 100), sp.Rational(28, 100)), (sp.Rational(1, 2), 2),
                     (3, sp.Rational(1, 5))]:
            assert lower.subs({S.alpha: a, S.beta: b}) == expected.subs({S.alpha: a, S.beta: b})


class TestDispatch:
    """Smooth models go to the smooth kernels; the paper's still gets the kink ones."""

    def test_laws(self):
        assert is_smooth("additive") and is_smooth("ces") and not is_smooth("paper")
        assert problem("additive") is smooth_problem("additive")
        assert hasattr(problem("paper"), "balance")

    def test_parameters_domain(self):
        cls = parameters_class("additive")
        cls(**CHINCHILLA, gamma=-0.5, E=1e20)
        with pytest.raises(Exception, match="bounded range"):
            cls(**CHINCHILLA, gamma=-3.5, E=1e20)

    @pytest.mark.parametrize("name, extra", [("additive", {}), ("ces", {"r": 1.7})])
    def test_optimum_solve(self, name, extra):
        solution = solve(parameters_class(name)(**CHINCHILLA, **extra, gamma=-0.5, E=1e22))
        assert solution.regime == "compute-bound"
        assert solution.crosscheck_rel_error < 1e-11 and solution.crosscheck_dps == 50
        assert solution.profit > 0 and solution.d > solution.n

    def test_optimum_solve_data_bound(self):
        free = solve(parameters_class("additive")(**CHINCHILLA, gamma=0.2, E=1e22))
        capped = solve(parameters_class("additive")(**CHINCHILLA, gamma=0.2, E=1e22,
                                                    D=free.d / 10))
        assert capped.regime == "data-bound" and capped.d == pytest.approx(free.d / 10)

    def test_cli_json(self, capsys):
        flags = [f"--{k}={v}" for k, v in {**CHINCHILLA, "gamma": -0.5, "E": 1e20}.items()]
        assert main(["solve", "--model", "additive", "--json", *flags]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["regime"] == "compute-bound" and out["crosscheck"]["rel_error_n"] < 1e-11


class TestGrid:
    """On an E x gamma grid every producing point is certified, outputs are consistent
    (t* > 0, profit = revenue - costs), and a shutdown has zero outputs."""

    def test_certificates(self):
        E = np.logspace(10, 40, 60)[None, :]
        gamma = np.linspace(-1, 1, 25)[:, None]
        found = solve_smooth("additive", **CHINCHILLA, gamma=gamma, E=E)
        producing = np.isin(found.regime, ["compute-bound", "data-bound"])
        assert producing.mean() > 0.9
        assert found.certified[producing].all()
        assert (found.t[producing] > 0).all()
        shut = found.regime == "shutdown"
        assert (found.n[shut] == 0).all() and not found.certified[shut].any()
        assert np.allclose(found.train_cost, 6 * found.n * found.d / E, rtol=1e-12)

    def test_cold_and_warm_agree(self):
        E = np.logspace(18, 30, 40)
        warm = solve_smooth("ces", **CHINCHILLA, r=2.0, gamma=0.3, E=E)
        cold = [solve_smooth("ces", **CHINCHILLA, r=2.0, gamma=0.3, E=e) for e in E[::7]]
        assert warm.warm[1:].all()
        for got, want in zip(warm.n[::7], cold):
            assert got == pytest.approx(float(want.n), rel=1e-12)

    def test_invalid_points(self):
        found = solve_smooth("additive", **CHINCHILLA, gamma=np.array([-0.5, -5.0]), E=1e20,
                             mark_invalid=True)
        assert list(found.regime) == ["compute-bound", "invalid"]
        assert math.isnan(found.n[1])
