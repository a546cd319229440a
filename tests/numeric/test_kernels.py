"""Compiled kernels: float64 and 50-digit mpmath builds of one expression agree, and match the model."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from mpmath import mp, mpf

from profitopt.numeric.kernels import Compiled, compile_kernel, model_kernels
from profitopt.symbolic.symbols import LOG_PARAMETERS, PARAMETERS, n, x

#: Digits of the mpmath reference evaluations.
DPS = 50
#: float64 vs 50-digit relative tolerance for natural-space kernels, relative to the
#: sum of the magnitudes of the kernel's terms. Observed worst over 2000 random draws
#: in the declared ranges: 5e-14 (powers like (a n^alpha/b)^(1/beta) amplify rounding
#: by up to 1/beta = 10).
RTOL_NATURAL = 1e-11
#: float64 vs 50-digit tolerance for log-space kernels, as |error| / (1 + |value|):
#: an absolute error in log units is a relative error of the underlying quantity.
#: Observed worst over 2000 draws: 2e-14.
ATOL_LOG = 1e-11
#: Tolerance of the stable demand link near gamma = 0 (float64, no cancellation).
RTOL_LINK = 1e-14
#: 50-digit kernels vs the independent 50-digit transcription of the model: both are
#: exact to ~48 digits where no term cancels; 1e-40 of the terms' magnitude is the bound.
RTOL_MODEL = mpf("1e-40")

NATURAL_KERNELS = ("tokens", "quality", "served_tokens", "reduced_foc")
FULL_KERNELS = ("objective", "train_flops", "train_cost", "infer_cost")
CORNER_KERNELS = ("cap_parameters", "binding_threshold")
LOG_X_KERNELS = ("balance", "balance_slope", "balance_curvature", "margin_sign", "slope_sign",
                 "profit_sign", "log_tokens")
LOG_KERNELS = ("margin_floor", "peak", "cap_parameters_log")


def _kernel(k, name: str):
    """A kernel by name: the model's parts (its data cap, FLOP counts and cost terms) by
    the names of their outputs, the rest by their field."""
    parts = {"cap_parameters": k.caps[0], "cap_parameters_log": k.cap_logs[0],
             **dict(zip(k.cost_fields, k.costs)), **dict(zip(k.flops_fields, k.flops))}
    return parts[name] if name in parts else getattr(k, name)


def _log_uniform(low_exp: float, high_exp: float):
    return st.floats(low_exp, high_exp).map(lambda e: 10.0**e)


#: Parameter sets in the declared ranges (alpha, beta, gamma, a, b, omega, delta, E, D).
PARAMETER_SETS = st.fixed_dictionaries({
    "alpha": st.floats(0.1, 0.6), "beta": st.floats(0.1, 0.6), "gamma": st.floats(-1.0, 1.0),
    "a": _log_uniform(0, 3), "b": _log_uniform(0, 3), "omega": st.just(1.0),
    "delta": _log_uniform(-15, -6), "E": _log_uniform(12, 24), "D": _log_uniform(6, 20),
})


def _natural(p: dict) -> tuple[float, ...]:
    return tuple(p[s.name] for s in PARAMETERS)


def _logs(p: dict) -> tuple[float, ...]:
    return (p["alpha"], p["beta"], p["gamma"], *(math.log(p[k]) for k in
                                                 ("a", "b", "omega", "delta", "E", "D")))


def _agree(value: float, reference: mpf, scale: mpf, rtol: float) -> bool:
    return math.isfinite(value) and abs(mpf(value) - reference) <= rtol * abs(scale)


def _encloses(ball, exact: mpf) -> bool:
    """Whether an arb ball or an mpmath iv interval contains ``exact``."""
    if hasattr(ball, "a"):
        return ball.a <= exact <= ball.b
    # arb's ends are rounded outward to the working precision, 53 bits: exact doubles
    low, high = (mpf(float(end)) for end in (ball.lower(), ball.upper()))
    return low <= exact <= high


class TestCompileKernel:
    """One expression, fixed argument order, two back ends; unbound symbols are refused."""

    def test_both_back_ends_evaluate_the_expression(self):
        a_, b_ = sp.symbols("a_ b_", positive=True)
        kernel = compile_kernel(a_ ** 2 / b_ + sp.log(b_), (b_, a_))
        assert isinstance(kernel, Compiled)
        assert kernel.args == (b_, a_)
        assert kernel.numpy(2.0, 3.0) == pytest.approx(4.5 + math.log(2.0), rel=1e-15)
        with mp.workdps(DPS):
            exact = mpf(9) / 2 + mpmath.log(2)
            assert abs(kernel.mpmath(mpf(2), mpf(3)) - exact) < mpf(10) ** (-(DPS - 2))

    @pytest.mark.parametrize("backend", ["arb", "iv"])
    def test_interval_pair_encloses_both_ends(self, backend):
        """(f(l), f(r)) from one call: each enclosure contains the exact value."""
        a_, b_ = sp.symbols("a_ b_", positive=True)
        kernel = compile_kernel(a_ ** 2 / b_ + sp.log(b_), (b_, a_))
        if backend == "arb":
            from flint import arb as ball
        else:
            ball = mpmath.iv.mpf
        left, right = kernel.interval_pair(backend)(ball(2), ball(4), ball(3))
        for value, b_value in ((left, 2), (right, 4)):
            with mp.workdps(DPS):
                exact = mpf(9) / b_value + mpmath.log(b_value)
            assert _encloses(value, exact)

    def test_rejects_unbound_symbols(self):
        with pytest.raises(ValueError, match="unbound"):
            compile_kernel(n * x, (n,))

    def test_model_kernels_are_compiled_once(self):
        assert model_kernels() is model_kernels()

    @pytest.mark.parametrize("name, args", [
        pytest.param("balance", (x, *LOG_PARAMETERS), id="log-space"),
        pytest.param("objective", (n, sp.Symbol("d", positive=True), sp.Symbol("t", positive=True),
                                   *PARAMETERS), id="full-objective"),
        pytest.param("cap_parameters", PARAMETERS, id="parameters-only"),
    ])
    def test_argument_order(self, name, args):
        assert tuple(s.name for s in _kernel(model_kernels(), name).args) == tuple(
            s.name for s in args)


class TestFloatMatchesMpmath:
    """For every kernel, float64 agrees with the same expression at 50 digits (tolerances above)."""

    @given(p=PARAMETER_SETS, log_n=st.floats(0.0, 46.0))
    def test_natural_kernels(self, p, log_n):
        # Near q = 1, f(q) ~ log q turns the rounding of q (1e-16) into a relative error
        # 1e-16/|log q|: keep |log q| > 1e-4 so that RTOL_NATURAL is attainable at all.
        assume(abs(math.log(p["a"]) + p["alpha"] * log_n) > 1e-4)
        k, nat, value_n = model_kernels(), _natural(p), math.exp(log_n)
        with mp.workdps(DPS):
            nat_mp = [mpf(v) for v in nat]
            for name in NATURAL_KERNELS + CORNER_KERNELS:
                kernel = _kernel(k, name)
                args = (value_n, *nat) if name in NATURAL_KERNELS else nat
                args_mp = (mpf(value_n), *nat_mp) if name in NATURAL_KERNELS else nat_mp
                reference = kernel.mpmath(*args_mp)
                scale = abs(reference)
                if name == "served_tokens":
                    # t* = omega f/(2 delta) - n/(E delta): a difference, whose rounding
                    # error scales with its terms, bounded by |t*| + 2 n/(E delta).
                    scale += 2 * mpf(value_n) / (nat_mp[7] * nat_mp[6])
                assert _agree(float(kernel.numpy(*args)), reference, scale, RTOL_NATURAL), name

    @given(p=PARAMETER_SETS, log_n=st.floats(0.0, 46.0), log_d=st.floats(0.0, 46.0),
           log_t=st.floats(0.0, 35.0))
    def test_full_kernels(self, p, log_n, log_d, log_t, mp_model):
        # f(q) ~ log q is ill-conditioned near q = 1 (see test_natural_kernels).
        assume(abs(min(math.log(p["a"]) + p["alpha"] * log_n,
                       math.log(p["b"]) + p["beta"] * log_d)) > 1e-4)
        k, nat = model_kernels(), _natural(p)
        point = (math.exp(log_n), math.exp(log_d), math.exp(log_t))
        with mp.workdps(DPS):
            nat_mp = [mpf(v) for v in nat]
            model = mp_model(**p)
            value_n, value_d, value_t = (mpf(v) for v in point)
            log_q = min(model.log_quality(mpmath.log(value_n)),
                        mpmath.log(model.param("b")) + model.param("beta") * mpmath.log(value_d))
            scale = (model.param("omega") * value_t * abs(model.link(log_q))
                     + model.param("delta") * value_t**2
                     + (6 * value_n * value_d + 2 * value_n * value_t) / model.param("E"))
            for name in FULL_KERNELS:
                kernel = _kernel(k, name)
                reference = kernel.mpmath(value_n, value_d, value_t, *nat_mp)
                # the objective is a difference: measure it against its terms; costs are products
                own_scale = scale if name == "objective" else reference
                assert _agree(float(kernel.numpy(*point, *nat)), reference, own_scale,
                              RTOL_NATURAL), name

    @given(p=PARAMETER_SETS, where=st.floats(0.1, 0.9))
    def test_log_kernels(self, p, where, mp_model):
        """At x = x_floor + where (x_peak - x_floor), inside (x_0, x_peak) for these ranges."""
        k, logs = model_kernels(), _logs(p)
        with mp.workdps(DPS):
            model = mp_model(**p)
            at_x = model.x_floor() + where * (model.x_peak() - model.x_floor())
            assert model.margin(at_x) > 0  # the log-space pieces are real here
            value_x, logs_mp = float(at_x), [mpf(v) for v in logs]
            for name in LOG_X_KERNELS:
                kernel = _kernel(k, name)
                reference = kernel.mpmath(mpf(value_x), *logs_mp)
                assert _agree(float(kernel.numpy(value_x, *logs)), reference, 1 + abs(reference),
                              ATOL_LOG), name
            for name in LOG_KERNELS:
                kernel = _kernel(k, name)
                reference = kernel.mpmath(*logs_mp)
                assert _agree(float(kernel.numpy(*logs)), reference, 1 + abs(reference),
                              ATOL_LOG), name


class TestKernelsMatchModel:
    """Kernels equal the independent transcription of the model (tests/numeric/conftest.py) at 50 digits."""

    @given(p=PARAMETER_SETS, log_n=st.floats(0.0, 46.0))
    def test_kink_quantities(self, p, log_n, mp_model):
        # As in test_natural_kernels: keep log q away from 0, where f(q) ~ log q turns
        # the kernel's rounding of q (at 50 digits) into a large relative error.
        assume(abs(math.log(p["a"]) + p["alpha"] * log_n) > 1e-4)
        k, nat = model_kernels(), _natural(p)
        with mp.workdps(DPS):
            model, nat_mp = mp_model(**p), [mpf(v) for v in nat]
            at_x = mpmath.log(mpf(math.exp(log_n)))
            value_n = mpmath.exp(at_x)
            margin_scale = (model.param("omega") * abs(model.link(model.log_quality(at_x)))
                            + 2 * value_n / model.param("E")) / (2 * model.param("delta"))
            checks = {
                "tokens": (model.tokens(at_x), model.tokens(at_x)),
                "quality": (mpmath.exp(model.log_quality(at_x)),) * 2,
                "served_tokens": (model.served(at_x), margin_scale),
            }
            for name, (reference, scale) in checks.items():
                computed = getattr(k, name).mpmath(value_n, *nat_mp)
                assert abs(computed - reference) <= RTOL_MODEL * abs(scale), name

    @given(p=PARAMETER_SETS, where=st.floats(0.1, 0.9))
    def test_reduced_foc_is_profit_slope(self, p, where, mp_model):
        """n * reduced_foc(n) = dPi/dx, the hand-derived slope of Pi in x = log n."""
        k, nat = model_kernels(), _natural(p)
        with mp.workdps(DPS):
            model, nat_mp = mp_model(**p), [mpf(v) for v in nat]
            at_x = model.x_floor() + where * (model.x_peak() - model.x_floor())
            value_n = mpmath.exp(at_x)
            computed = value_n * k.reduced_foc.mpmath(value_n, *nat_mp)
            scale = (abs(model.margin(at_x)) * model.param("omega") * model.param("alpha")
                     / model.param("delta") + 6 * value_n * model.tokens(at_x) / model.param("E"))
            assert abs(computed - model.profit_slope(at_x)) <= RTOL_MODEL * scale

    @given(p=PARAMETER_SETS)
    def test_cap_parameters_on_kink(self, p, mp_model):
        k, nat = model_kernels(), _natural(p)
        with mp.workdps(DPS):
            model = mp_model(**p)
            computed = k.caps[0].mpmath(*[mpf(v) for v in nat])
            reference = mpmath.exp(model.x_cap())
            assert abs(computed / reference - 1) <= RTOL_MODEL


class TestStableDemandLink:
    """Through gamma = 0 the float64 kernels use f = L exprel(-gamma L): finite and accurate."""

    @pytest.mark.parametrize("gamma", [
        pytest.param(0.0, id="gamma=0"),
        pytest.param(1e-14, id="gamma=1e-14"),
        pytest.param(-1e-14, id="gamma=-1e-14"),
        pytest.param(1e-300, id="gamma=1e-300"),
        pytest.param(1e-8, id="gamma=1e-8"),
    ])
    @pytest.mark.parametrize("log_n", [pytest.param(v, id=f"log_n={v}") for v in (1.0, 20.0, 45.0)])
    def test_served_tokens_near_zero_gamma(self, gamma, log_n, mp_model):
        """t*(n) from the float64 kernel vs 50-digit f = -expm1(-gamma L)/gamma (log q at 0)."""
        p = {"alpha": 0.3, "beta": 0.3, "gamma": gamma, "a": 10.0, "b": 10.0, "omega": 1.0,
             "delta": 1e-10, "E": 1e30, "D": 1e12}
        value_n = math.exp(log_n)
        computed = float(model_kernels().served_tokens.numpy(value_n, *_natural(p)))
        with mp.workdps(DPS):
            reference = mp_model(**p).served(mpmath.log(mpf(value_n)))
            assert abs(mpf(computed) / reference - 1) <= RTOL_LINK

    def test_link_kernel_has_no_division_by_gamma(self):
        with np.errstate(all="raise"):
            value = model_kernels().served_tokens.numpy(1e6, 0.3, 0.3, 0.0, 10.0, 10.0, 1.0,
                                                         1e-10, 1e30, 1e12)
        assert math.isfinite(float(value)) and float(value) > 0
