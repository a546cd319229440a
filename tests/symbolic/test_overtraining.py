"""The over-training relation n q_n/(d q_d) = 1 + t*/(3d*) and the additive closed form."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from profitopt.symbolic.overtraining import (COMPUTE_RATIO, derive_overtraining_relation,
                                             derive_tokens_per_parameter, elasticity_ratio)
from profitopt.symbolic.scaling import CES, additive
from profitopt.symbolic.symbols import alpha, beta, d, r, t
from profitopt.symbolic.variants import model_named

kappa = COMPUTE_RATIO


class TestRelation:
    """For any model's concentrated problem the conditions give n q_n/(d q_d) = 1 + t/(3d),
    whose t -> 0 limit is 1 (the compute-optimal path); the law does not enter."""

    @pytest.mark.parametrize("name", [pytest.param(m, id=m) for m in ("additive", "ces",
                                                                         "paper")])
    def test_ratio(self, name):
        relation = derive_overtraining_relation(model_named(name))
        assert sp.simplify(relation.ratio - (1 + t / (3 * d))) == 0
        assert relation.compute_optimal == 1

    def test_excess_is_inference_over_training_compute(self):
        relation = derive_overtraining_relation(model_named("additive"))
        assert sp.simplify(relation.ratio - 1 - relation.compute_ratio) == 0


class TestClosedForm:
    """CES: d(n, kappa)/d_c(n) = (1 + kappa)^(1/(beta r)) and n(d, kappa)/n_c(d) =
    (1 + kappa)^(-1/(alpha r)); tokens per parameter rise with kappa at fixed n."""

    @pytest.mark.parametrize("law, curvature", [pytest.param(additive(), 1, id="additive"),
                                                pytest.param(CES(), r, id="ces")])
    def test_factors(self, law, curvature):
        per = derive_tokens_per_parameter(law)
        assert sp.simplify(per.factor - (1 + kappa) ** (1 / (beta * curvature))) == 0
        assert sp.simplify(per.size_factor - (1 + kappa) ** (-1 / (alpha * curvature))) == 0
        assert per.slope.is_positive

    def test_zero_kappa_is_compute_optimal(self):
        per = derive_tokens_per_parameter(additive())
        assert sp.simplify(per.tokens.subs(kappa, 0) - per.compute_optimal) == 0


# scipy (a test dependency) gives the independent float64 optimum
import scipy.optimize as scipy_optimize  # noqa: E402


def _float_optimum(A, B, al, be, g, om, de, E):
    """Float64 argmax of the concentrated profit by Nelder-Mead in (log n, log d), started
    at the compute-optimal-path guess n = d = 1e10: a method unrelated to the 50-digit
    Newton on the conditions."""

    def negative_profit(z):
        n, d = math.exp(z[0]), math.exp(z[1])
        q = 1 / (A * n**-al + B * d**-be)
        f = math.log(q) if g == 0 else (1 - q**-g) / g
        margin = max(om * f - 2 * n / E, 0.0)
        return -(margin**2 / (4 * de) - 6 * n * d / E) * de

    result = scipy_optimize.minimize(negative_profit, [math.log(1e10), math.log(1e11)],
                                     method="Nelder-Mead",
                                     options={"xatol": 1e-13, "fatol": 1e-30,
                                              "maxiter": 40000, "maxfev": 40000})
    n, d = math.exp(result.x[0]), math.exp(result.x[1])
    q = 1 / (A * n**-al + B * d**-be)
    f = math.log(q) if g == 0 else (1 - q**-g) / g
    return n, d, (om * f - 2 * n / E) / (2 * de)


class TestIndependentOptimum:
    """At a float64 optimum found by Nelder-Mead (not by the conditions), the additive law's
    elasticity ratio equals 1 + t/(3d) to 1e-5 and differs from 1 + t/(6d)."""

    #: Hoffmann et al.'s coefficients; delta = 1e-20 makes t*/(3d*) of order 0.1.
    POINT = dict(A=406.4, B=410.7, al=0.34, be=0.28, g=-0.5, om=1.0, de=1e-20, E=1e16)

    def test_relation_at_nelder_mead_optimum(self):
        p = self.POINT
        n, d_, t_ = _float_optimum(**p)
        ratio = p["al"] * p["A"] * n**-p["al"] / (p["be"] * p["B"] * d_**-p["be"])
        kappa_value = t_ / (3 * d_)
        assert kappa_value > 1e-2
        assert ratio / (1 + kappa_value) == pytest.approx(1, rel=1e-5)
        assert abs(ratio / (1 + t_ / (6 * d_)) - 1) > 1e-3

    def test_closed_form_at_nelder_mead_optimum(self):
        p = self.POINT
        n_, d_, t_ = _float_optimum(**p)
        per = derive_tokens_per_parameter(additive())
        values = {sp.Symbol("A", positive=True): p["A"], sp.Symbol("B", positive=True): p["B"],
                  alpha: p["al"], beta: p["be"], kappa: t_ / (3 * d_),
                  sp.Symbol("n", positive=True): n_}
        assert float(per.ratio.subs(values)) == pytest.approx(d_ / n_, rel=1e-5)

    def test_elasticity_ratio_of_additive_law(self):
        ratio = elasticity_ratio(additive())
        assert ratio.has(alpha) and ratio.has(beta)
