"""Numeric kernels compiled from the symbolic model by ``lambdify``.

This is the only module of :mod:`profitopt.numeric` that imports SymPy.
Every kernel is built twice from the same expression: a ``"numpy"``
kernel for float64 work and an ``"mpmath"`` kernel for the
high-precision cross-check.  Argument order is explicit and fixed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import mpmath
from mpmath import iv
import numpy as np
import sympy as sp

from ..paramspec import ParamSpec
from ..symbolic import symbols as S
from ..symbolic.domain import derive_bounded_range
from ..symbolic.kkt import derive_cap_cases
from ..symbolic.logspace import derive_log_condition
from ..symbolic.optimality import (check_kink_reduction, derive_reduced_problem,
                                   derive_served_tokens)
from ..symbolic.profit import ProfitModel
from ..symbolic.regimes import derive_data_bound_corner
from ..symbolic.scaling import Leontief, SmoothLaw
from ..symbolic.serialize import check_text, from_text, to_text
from ..symbolic.symbols import kernel_symbol, parameter_symbol
from ..symbolic.variants import model_named
from . import cache

Kernel = Callable[..., object]

#: What the ``outputs`` kernel returns, in order (fields of LogCondition).
OUTPUT_LOGS = ("log_tokens", "log_served_tokens", "log_training_cost", "log_training_flops",
               "log_inference_cost", "log_quality", "log_revenue_net", "margin_sign",
               "profit_sign")


def _np_exprel(z):
    """(e^z - 1)/z via expm1, exactly 1 at z = 0 (there the quotient reads 0/1 + 1)."""
    zero = np.equal(z, 0.0)
    return np.expm1(z) / (z + zero) + zero


def _np_demand_exp(log_q, shape):
    """f_gamma(e^L) = L exprel(-gamma L)."""
    return log_q * _np_exprel(-np.asarray(shape) * log_q)


def _mp_exprel(z):
    """(e^z - 1)/z in mpmath, real or complex (a root finder may step off the real line)."""
    z = mpmath.mpmathify(z)
    return mpmath.mpf(1) if z == 0 else mpmath.expm1(z) / z


def _mp_demand_exp(log_q, shape):
    return log_q * _mp_exprel(-shape * log_q)


def _iv_exprel(z):
    """Enclosure of (e^z - 1)/z: Taylor series with a remainder bound near 0."""
    z = iv.mpf(z)
    if abs(z).b < 1e-3:
        # sum_{k>=0} z^k/(k+1)!; for |z| < 1e-3 the tail from k = 4 is below 1.01 |z|^4/120
        tail = abs(z).b ** 4 / 118 * iv.mpf([-1, 1])
        return 1 + z / 2 + z**2 / 6 + z**3 / 24 + tail
    return iv.expm1(z) / z


def _iv_demand_exp(log_q, shape):
    return log_q * _iv_exprel(-shape * log_q)


def _arb_functions() -> dict[str, object]:
    """python-flint arb versions of the kernel's functions (ImportError if not installed)."""
    import flint

    def ball(value):
        return value if isinstance(value, flint.arb) else flint.arb(value)

    def exprel(z):
        z = ball(z)
        if abs(z) < 1e-3:
            # sum_{k>=0} z^k/(k+1)!, tail from k = 4 below 1.01 |z|^4/120 for |z| < 1e-3
            radius = abs(z).upper() ** 4 / 118
            return 1 + z / 2 + z**2 / 6 + z**3 / 24 + flint.arb(0, radius)
        return z.expm1() / z

    return {
        "log": lambda v: ball(v).log(), "exp": lambda v: ball(v).exp(),
        "log1p": lambda v: ball(v).log1p(), "expm1": lambda v: ball(v).expm1(),
        "exprel": exprel, "demand_exp": lambda log_q, shape: log_q * exprel(-shape * log_q),
        "logaddexp": lambda u, v: (ball(u).exp() + ball(v).exp()).log(),
    }


_NUMPY_FUNCTIONS = {"exprel": _np_exprel, "demand_exp": _np_demand_exp,
                    "logaddexp": np.logaddexp}
_INTERVAL_FUNCTIONS = {"exprel": _iv_exprel, "demand_exp": _iv_demand_exp,
                       "logaddexp": lambda u, v: iv.log(iv.exp(u) + iv.exp(v)), "log": iv.log,
                       "exp": iv.exp, "log1p": iv.log1p, "expm1": iv.expm1, "mpf": iv.mpf}
MPMATH_FUNCTIONS = {"exprel": _mp_exprel, "demand_exp": _mp_demand_exp, "Min": min, "Max": max,
                    "logaddexp": lambda u, v: mpmath.log(mpmath.exp(u) + mpmath.exp(v))}


def lambdify_numpy(args, expr) -> Kernel:
    """``lambdify`` for float64 with numpy's printer and common subexpressions, in a
    namespace of numpy and this module's functions only: ``modules="numpy"`` would run
    ``from numpy import *``, which imports numpy.f2py, numpy.testing and numpy.ma (about
    0.15 s of every command's start)."""
    from sympy.printing.numpy import NumPyPrinter

    return sp.lambdify(args, expr, modules=[_NUMPY_FUNCTIONS,
                                            {"numpy": np, "functools": functools}],
                       printer=NumPyPrinter({"fully_qualified_modules": True,
                                             "inline": True, "allow_unknown_functions": True,
                                             "user_functions": {}}), cse=True)


class Compiled:
    """One expression compiled for float64 and for mpmath, each on first use.

    ``lambdify`` costs about 10 ms a kernel; a command that uses a few of the
    model's kernels compiles only those.
    """

    __slots__ = ("_expr", "_text", "args", "_numpy", "_mpmath")

    def __init__(self, expr: sp.Expr | None, args: tuple[sp.Symbol, ...],
                 text: str | None = None) -> None:
        self._expr, self._text, self.args = expr, text, tuple(args)
        self._numpy: Kernel | None = None
        self._mpmath: Kernel | None = None

    @property
    def expr(self) -> sp.Expr:
        """The expression; read from its cached text on first use (the text was checked
        by the restricted reader when the cache entry was loaded)."""
        if self._expr is None:
            self._expr = from_text(self._text)
        return self._expr

    @property
    def numpy(self) -> Kernel:
        """The float64 kernel (common subexpressions computed once)."""
        if self._numpy is None:
            self._numpy = lambdify_numpy(self.args, self.expr)
        return self._numpy

    @property
    def mpmath(self) -> Kernel:
        """The mpmath kernel, for the high-precision cross-check."""
        if self._mpmath is None:
            self._mpmath = sp.lambdify(self.args, self.expr,
                                       modules=[MPMATH_FUNCTIONS, "mpmath"])
        return self._mpmath

    def interval(self, backend: str = "iv") -> Kernel:
        """The same expression in interval (ball) arithmetic: ``"arb"`` (python-flint) or
        ``"iv"`` (mpmath); either gives enclosures that contain the exact value."""
        return _interval_lambdify(self.args, self.expr, backend)

    def interval_pair(self, backend: str = "iv") -> Kernel:
        """``(left, right, *rest) -> (f(left, *rest), f(right, *rest))`` in interval
        arithmetic: both ends of an enclosure in one call, the subexpressions free of the
        first argument computed once."""
        first, rest = self.args[0], self.args[1:]
        left, right = sp.Dummy("left"), sp.Dummy("right")
        return _interval_lambdify((left, right, *rest), (self.expr.subs(first, left),
                                                         self.expr.subs(first, right)), backend)


def _interval_lambdify(args, expr, backend: str) -> Kernel:
    if backend == "arb":
        return sp.lambdify(args, expr, modules=[_arb_functions()], cse=True)
    return sp.lambdify(args, expr, modules=[_INTERVAL_FUNCTIONS, "mpmath"], cse=True)


class _FusedKernel:
    """A float64 kernel returning several expressions, lambdified on its first call."""

    __slots__ = ("parts", "args", "_kernel")

    def __init__(self, parts: tuple[Compiled, ...], args: tuple[sp.Symbol, ...]) -> None:
        self.parts, self.args, self._kernel = parts, args, None

    @property
    def exprs(self) -> tuple[sp.Expr, ...]:
        """The expressions, in order."""
        return tuple(part.expr for part in self.parts)

    def __call__(self, *values):
        if self._kernel is None:
            self._kernel = lambdify_numpy(self.args, self.exprs)
        return self._kernel(*values)


def compile_numpy_tuple(parts: tuple[Compiled, ...], args: tuple[sp.Symbol, ...]) -> Kernel:
    """One float64 kernel returning every part's expression, sharing common
    subexpressions."""
    return _FusedKernel(tuple(parts), tuple(args))


def compile_text(text: str, args: tuple[sp.Symbol, ...]) -> Compiled:
    """A kernel from an expression's checked cache text, read and lambdified on first use."""
    return Compiled(None, tuple(args), text)


def compile_kernel(expr: sp.Expr, args: tuple[sp.Symbol, ...]) -> Compiled:
    """``expr`` in the given argument order, lambdified for numpy and mpmath on first use."""
    free = expr.free_symbols - set(args)
    if free:
        raise ValueError(f"kernel has unbound symbols {sorted(map(str, free))}")
    return Compiled(expr, tuple(args))


@dataclass(frozen=True)
class ModelKernels:
    """Every kernel the solver and the cross-check use, compiled for one model (a Problem).

    Argument tuples: "log" is (x, *log parameters), "log_parameters" the model's kernel
    coordinates (:func:`~profitopt.symbolic.symbols.kernel_symbol` of each declared
    parameter), "natural" (n, *parameters), "full" (n, d, t, *parameters), "parameters"
    the parameters alone, "exponents" the exponent-domain parameters (the paper: alpha,
    beta).
    """

    # log space: (x, *log parameters) or the log parameters
    balance: Compiled
    balance_slope: Compiled
    balance_curvature: Compiled
    margin_sign: Compiled
    slope_sign: Compiled
    profit_sign: Compiled
    log_served_tokens: Compiled
    log_training_cost: Compiled   # log of every fixed cost on the kink (the paper: 6nd/E)
    log_inference_cost: Compiled
    log_quality: Compiled
    margin_floor: Compiled
    peak: Compiled
    peak_rate: Compiled         # -d(slope_sign)/dx: x_peak exists iff positive
    peak_log_room: Compiled     # log(x_peak - x*) to leading order near x_peak
    log_tokens: Compiled
    # natural space: (n, *parameters) or (n, d, t, *parameters)
    tokens: Compiled
    quality: Compiled
    served_tokens: Compiled
    objective: Compiled
    reduced_foc: Compiled
    gamma_lower: Compiled
    gamma_serving: Compiled
    balance_and_slope: Kernel   # (S, S') in one float64 pass
    outputs: Kernel             # OUTPUT_LOGS in one float64 pass
    # the model's parts
    name: str
    specs: tuple[ParamSpec, ...]
    cap_logs: tuple[Compiled, ...]      # log n_V per cap (log parameters)
    caps: tuple[Compiled, ...]          # n_V per cap (parameters)
    cap_regimes: tuple[str, ...]        # the regime in which each cap binds
    cap_bounds: tuple[str, ...]         # each cap's bound parameter
    cap_variables: tuple[str, ...]      # the input each cap bounds ("n" or "d")
    cost_fields: tuple[str, ...]        # output names of the cost terms
    costs: tuple[Compiled, ...]         # each cost term (full)
    flops_fields: tuple[str, ...]
    flops: tuple[Compiled, ...]         # each priced FLOP count (full)
    binding_threshold: Compiled | None  # E_bind of the data cap, where it is a quadratic root
    output_labels: tuple[str, ...] = ()  # per FLOP count and cost term: meaning and formula

    @property
    def output_fields(self) -> tuple[str, ...]:
        """A solution's outputs: n, d, t, q, profit, the FLOP counts, the cost terms."""
        return ("n", "d", "t", "q", "profit", *self.flops_fields, *self.cost_fields)


#: Each compiled kernel of ModelKernels and the arguments it takes.
KERNEL_ARGUMENTS: dict[str, str] = {
    **dict.fromkeys(("balance", "balance_slope", "balance_curvature", "margin_sign",
                     "slope_sign", "profit_sign", "log_served_tokens", "log_training_cost",
                     "log_inference_cost", "log_quality", "log_tokens"), "log"),
    **dict.fromkeys(("margin_floor", "peak", "peak_rate", "peak_log_room"), "log_parameters"),
    **dict.fromkeys(("tokens", "quality", "served_tokens", "reduced_foc"), "natural"),
    "objective": "full",
    **dict.fromkeys(("gamma_lower", "gamma_serving"), "exponents"),
}


def arguments(model: ProfitModel) -> dict[str, tuple[sp.Symbol, ...]]:
    """The argument tuples of ``model``'s kernels, by kind (see ModelKernels)."""
    natural = model.symbols
    log = tuple(kernel_symbol(spec) for spec in model.parameters)
    return {"log": (S.x, *log), "log_parameters": log, "natural": (S.n, *natural),
            "full": (S.n, S.d, S.t, *natural), "parameters": natural,
            "exponents": tuple(parameter_symbol(spec) for spec in model.parameters
                               if spec.domain == "exponent")}


#: Argument tuples of the paper's kernels, by name.
ARGUMENTS: dict[str, tuple[sp.Symbol, ...]] = arguments(ProfitModel())
#: The branches of the training-dominated start law: (name, shape, gamma at which the
#: leading terms are decided).
START_BRANCHES = (("positive", S.gamma, sp.Rational(1, 2)),
                  ("negative", S.gamma, -sp.Rational(1, 2)),
                  ("zero", sp.S.Zero, sp.S.Zero))


@lru_cache(maxsize=1)
def model_fingerprint() -> str:
    """What the derived expressions depend on: versions and the symbolic model's source."""
    from .. import __version__
    from .. import symbolic

    sources = [*Path(symbolic.__file__).parent.glob("*.py"), Path(__file__)]
    return cache.source_fingerprint((__version__, sp.__version__), sources)


def _encode(expressions: dict[str, sp.Expr]) -> dict[str, str]:
    return {name: to_text(expr) for name, expr in expressions.items()}


def _decoder(names, read: Callable[[str], object] = from_text
             ) -> Callable[[object], dict[str, object]]:
    """Payload -> expressions (``read`` of each text), refusing (ValueError) anything but
    the expected names and texts the restricted reader accepts."""
    def decode(payload: object) -> dict[str, object]:
        if not isinstance(payload, dict) or set(payload) != set(names):
            raise ValueError("unexpected cache payload")
        return {name: read(text) for name, text in payload.items()}
    return decode


def derive_start_expressions() -> dict[str, sp.Expr]:
    """log n_T, the training-dominated law of n*, per sign of gamma, in LOG_PARAMETERS."""
    from ..symbolic.algebra import to_log_coordinates
    from ..symbolic.growth import derive_compute_bound_growth

    model = ProfitModel()
    magnitude = sp.Symbol("g", positive=True)
    generic = {S.alpha: sp.Rational(3, 10), S.beta: sp.Rational(3, 10), S.a: 10, S.b: 10,
               S.omega: 1, S.delta: sp.Rational(1, 10**12)}
    expressions = {}
    for name, shape, value in START_BRANCHES:
        law = derive_compute_bound_growth(model, {**generic, S.gamma: value}, shape).training.law
        coefficient = law.coefficient
        if value < 0:  # write gamma = -g so that logs of positive factors stay real
            coefficient = coefficient.subs(S.gamma, -magnitude)
        log_coefficient = to_log_coordinates(coefficient)
        if value < 0:
            log_coefficient = log_coefficient.subs(magnitude, -S.gamma)
        expr = log_coefficient + law.exponent * S.log_E + law.log_power * sp.log(S.log_E)
        # one fraction over the shared denominator: a handful of array operations
        expressions[name] = sp.together(expr)
    return expressions


@lru_cache(maxsize=1)
def start_kernels() -> dict[str, Kernel]:
    """log n_T, the training-dominated law of n*, per sign of gamma: Newton's first guess.

    Keys "positive", "negative", "zero"; each a float64 kernel of LOG_PARAMETERS.  The law
    is exact only as E -> infinity, so callers must check which side of the root it lands.
    The expressions are derived once and kept in the on-disk cache (:mod:`.cache`).
    """
    names = [name for name, _, _ in START_BRANCHES]
    expressions = cache.cached("start-laws", model_fingerprint(),
                               lambda: _encode(derive_start_expressions()), _decoder(names))
    return {name: lambdify_numpy(S.LOG_PARAMETERS, expr)
            for name, expr in expressions.items()}


def derive_model_expressions(model: ProfitModel | None = None) -> dict[str, sp.Expr]:
    """Every expression the solver and the cross-check compile for ``model`` (default the
    paper's): KERNEL_ARGUMENTS, the OUTPUT_LOGS of the fused outputs kernel, and per part
    ``cap_log_i``, ``cap_i``, ``cost_i``, ``flops_i`` -- derived by SymPy.

    Raises ValueError where a step is not established for the model (no unique t*, the
    kink lemma fails for its costs, no fixed cost grows fastest, a cap off the kink).
    """
    model = ProfitModel() if model is None else model
    check_kink_reduction(model)
    cond = derive_log_condition(model)
    reduced = derive_reduced_problem(model, stable=True)
    served = derive_served_tokens(model, stable=True)
    bounded = derive_bounded_range(model)
    law = model.law
    expressions = {name: getattr(cond, name) for name in (
        "balance", "balance_slope", "balance_curvature", "margin_sign", "slope_sign",
        "profit_sign", "log_served_tokens", "log_training_cost", "log_inference_cost",
        "log_quality", "margin_floor", "peak", "peak_log_room", "log_tokens", *OUTPUT_LOGS)}
    expressions.update(
        peak_rate=sp.expand(-sp.diff(cond.slope_sign, S.x)),
        tokens=reduced.tokens,
        quality=reduced.quality,
        served_tokens=served.optimum.subs(S.q, law.frontier_quality(S.n)),
        objective=model.objective(S.n, S.d, S.t, stable=True),
        reduced_foc=reduced.foc_factored,
        gamma_lower=bounded.lower,
        gamma_serving=bounded.serving_threshold,
    )
    for i, case in enumerate(derive_cap_cases(model)):
        expressions[f"cap_log_{i}"] = case.log_parameters
        expressions[f"cap_{i}"] = case.parameters
    flops = [term for term in model.costs if term.flops is not None]
    for i, term in enumerate(model.costs):
        expressions[f"cost_{i}"] = term.expr
    for i, term in enumerate(flops):
        expressions[f"flops_{i}"] = term.flops
    if isinstance(model.law, Leontief) and model.efficiency in model.symbols \
            and any(cap.variable == S.d for cap in model.caps):
        try:
            corner = derive_data_bound_corner(model, ())
        except (ValueError, sp.PolynomialError):
            # E^2 Pi'(n(D)) is not a quadratic in E: no closed-form E_bind
            pass
        else:
            expressions["binding_threshold"] = corner.explicit(corner.binding_threshold)
    return expressions


def _expression_names(model: ProfitModel) -> list[str]:
    names = set(KERNEL_ARGUMENTS) | set(OUTPUT_LOGS)
    names |= {f"cap_log_{i}" for i in range(len(model.caps))}
    names |= {f"cap_{i}" for i in range(len(model.caps))}
    names |= {f"cost_{i}" for i in range(len(model.costs))}
    names |= {f"flops_{i}" for i, term in enumerate(
        [term for term in model.costs if term.flops is not None])}
    return sorted(names)


def compile_model(model: ProfitModel) -> ModelKernels:
    """The Problem of ``model``: its expressions derived once (kept in the on-disk cache,
    :mod:`.cache`, keyed by the model and the sources' fingerprint) and lambdified on
    first use."""
    names = _expression_names(model)
    key = f"model-{model.name}" if model.name != "paper" else "model"
    fingerprint = cache.source_fingerprint((model_fingerprint(), to_text_of_model(model)), ())

    def decode(payload: object) -> dict[str, object]:
        expected = set(names)
        if isinstance(payload, dict) and set(payload) == expected | {"binding_threshold"}:
            expected.add("binding_threshold")
        # checked now (a bad entry is rebuilt), read into SymPy when a kernel is first used
        return _decoder(expected, check_text)(payload)

    texts = cache.cached(key, fingerprint,
                         lambda: _encode(_bound(derive_model_expressions(model), model)),
                         decode)
    args = arguments(model)
    compiled = {name: compile_text(texts[name], args[kind])
                for name, kind in KERNEL_ARGUMENTS.items()}
    logs = {name: compiled[name] if name in compiled else compile_text(texts[name], args["log"])
            for name in OUTPUT_LOGS}
    flops = [term for term in model.costs if term.flops is not None]
    threshold = texts.get("binding_threshold")
    return ModelKernels(
        **compiled,
        balance_and_slope=compile_numpy_tuple(
            (compiled["balance"], compiled["balance_slope"]), args["log"]),
        outputs=compile_numpy_tuple(tuple(logs[name] for name in OUTPUT_LOGS), args["log"]),
        name=model.name,
        specs=model.parameters,
        cap_logs=tuple(compile_text(texts[f"cap_log_{i}"], args["log_parameters"])
                       for i in range(len(model.caps))),
        caps=tuple(compile_text(texts[f"cap_{i}"], args["parameters"])
                   for i in range(len(model.caps))),
        cap_regimes=tuple(cap.regime for cap in model.caps),
        cap_bounds=tuple(str(cap.bound) for cap in model.caps),
        cap_variables=tuple(str(cap.variable) for cap in model.caps),
        cost_fields=tuple(term.field for term in model.costs),
        costs=tuple(compile_text(texts[f"cost_{i}"], args["full"])
                    for i in range(len(model.costs))),
        flops_fields=tuple(term.flops_field for term in flops),
        flops=tuple(compile_text(texts[f"flops_{i}"], args["full"])
                    for i in range(len(flops))),
        binding_threshold=None if threshold is None
        else compile_text(threshold, args["parameters"]),
        output_labels=(*(f"{term.flops_meaning} {sp.sstr(term.flops)}" for term in flops),
                       *(f"{term.meaning} {sp.sstr(term.expr)}" for term in model.costs)),
    )


def _kind(name: str) -> str:
    """The argument kind of a derived expression, by its name."""
    if name in KERNEL_ARGUMENTS:
        return KERNEL_ARGUMENTS[name]
    for prefix, kind in (("cap_log_", "log_parameters"), ("cap_", "parameters"),
                         ("cost_", "full"), ("flops_", "full"),
                         ("binding_threshold", "parameters")):
        if name.startswith(prefix):
            return kind
    return "log"  # OUTPUT_LOGS


def _bound(expressions: dict[str, sp.Expr], model: ProfitModel) -> dict[str, sp.Expr]:
    """``expressions`` unchanged if each is a function of its kernel's arguments only
    (ValueError naming the unbound symbols otherwise): checked before they are stored."""
    args = arguments(model)
    for name, expr in expressions.items():
        free = expr.free_symbols - set(args[_kind(name)])
        if free:
            raise ValueError(f"kernel {name} has unbound symbols {sorted(map(str, free))}")
    return expressions


def to_text_of_model(model: ProfitModel) -> str:
    """The model's parts as text, for its cache key: two models with the same parts share
    their derived expressions."""
    return repr((model.name, to_text(model.law.quality(S.n, S.d)), to_text(model.shape),
                 [(term.field, to_text(term.expr),
                   None if term.flops is None else to_text(term.flops))
                  for term in model.costs],
                 [(to_text(cap.variable), to_text(cap.bound), cap.regime) for cap in model.caps],
                 [to_text(v) for v in model.chosen], model.parameters))


@lru_cache(maxsize=None)
def problem(name: str = "paper") -> ModelKernels:
    """The compiled Problem of the built-in model ``name``, once per process
    (KeyError if there is no such model); for a model with a smooth law, its
    :class:`SmoothKernels` (:func:`smooth_problem`: the domain's ``gamma_lower`` and the
    outputs' labels are read from either)."""
    if is_smooth(name):
        return smooth_problem(name)
    return compile_model(model_named(name))


def model_kernels() -> ModelKernels:
    """The paper's Problem (see :func:`problem`)."""
    return problem("paper")


# --- smooth laws: the concentrated profit in (x, y) = (log n, log d) -------------------------

#: What the smooth point kernel returns, in order: log q, the producing sign (m > 0), the
#: sign of m_x, the log balances S_x, S_y, the gradient g and Hessian h of Pi scaled by the
#: fixed cost C, log(m^2/(4 delta)) and log C (see :mod:`profitopt.symbolic.smooth`).
SMOOTH_POINT = ("log_quality", "margin_sign", "slope_sign", "balance_x", "balance_y",
                "gradient_x", "gradient_y", "hessian_xx", "hessian_xy", "hessian_yy",
                "log_revenue_net", "log_cost")
#: What the smooth outputs kernel returns at the reported optimum, in order.
SMOOTH_OUTPUTS = ("log_quality", "log_served_tokens", "log_revenue_net", "log_cost")
#: Each further smooth expression and the arguments it takes.
SMOOTH_ARGUMENTS = {"frontier": "point", "log_served_tokens": "point",
                    "gamma_lower": "exponents", "objective": "full",
                    "served_tokens": "pair", "quality": "pair"}


@dataclass(frozen=True)
class SmoothKernels:
    """The kernels of a model with a smooth law (:func:`compile_smooth`).

    ``point`` holds SMOOTH_POINT as kernels of (x, y, *log parameters); ``point_scalar``,
    ``frontier_scalar`` and ``outputs_scalar`` (SMOOTH_OUTPUTS) are those expressions as plain Python functions of (x, y, p) with
    p the log parameters as one float array, over ``math`` and the scalar functions of
    :mod:`.smooth_scalar` (the solver compiles them with numba).  Natural kernels:
    "pair" (n, d, *parameters), "full" (n, d, t, *parameters).
    """

    name: str
    specs: tuple[ParamSpec, ...]
    point: tuple[Compiled, ...]
    point_scalar: Kernel
    frontier_scalar: Kernel
    outputs_scalar: Kernel
    frontier: Compiled
    log_served_tokens: Compiled
    gamma_lower: Compiled
    objective: Compiled
    served_tokens: Compiled
    quality: Compiled
    cap_index: int                   # position of the data cap's bound among the parameters
    cost_fields: tuple[str, ...]
    costs: tuple[Compiled, ...]
    flops_fields: tuple[str, ...]
    flops: tuple[Compiled, ...]
    output_labels: tuple[str, ...] = ()

    @property
    def output_fields(self) -> tuple[str, ...]:
        """A solution's outputs: n, d, t, q, profit, the FLOP counts, the cost terms."""
        return ("n", "d", "t", "q", "profit", *self.flops_fields, *self.cost_fields)


def smooth_arguments(model: ProfitModel) -> dict[str, tuple[sp.Symbol, ...]]:
    """The argument tuples of ``model``'s smooth kernels, by kind."""
    from ..symbolic.smooth import y

    args = arguments(model)
    return {"point": (S.x, y, *args["log_parameters"]), "exponents": args["exponents"],
            "full": args["full"], "pair": (S.n, S.d, *args["parameters"])}


def derive_smooth_expressions(model: ProfitModel) -> dict[str, sp.Expr]:
    """Every expression the smooth solver and its 50-digit check compile for ``model``,
    derived by SymPy (:mod:`profitopt.symbolic.smooth`); ValueError for a law that is not
    smooth."""
    from ..symbolic.smooth import derive_smooth_bounded_range, derive_smooth_condition

    cond = derive_smooth_condition(model)
    served = derive_served_tokens(model, stable=True)
    expressions = {
        "log_quality": cond.log_quality, "margin_sign": cond.margin_sign,
        "slope_sign": cond.slope_signs[0], "balance_x": cond.balance[0],
        "balance_y": cond.balance[1], "gradient_x": cond.gradient[0],
        "gradient_y": cond.gradient[1], "hessian_xx": cond.hessian[0][0],
        "hessian_xy": cond.hessian[0][1], "hessian_yy": cond.hessian[1][1],
        "log_revenue_net": cond.log_revenue_net, "log_cost": cond.log_cost,
        "frontier": cond.frontier, "log_served_tokens": cond.log_served_tokens,
        "gamma_lower": derive_smooth_bounded_range(model).lower,
        "objective": model.objective(S.n, S.d, S.t, stable=True),
        "served_tokens": served.optimum.subs(S.q, model.law.quality(S.n, S.d)),
        "quality": model.law.quality(S.n, S.d),
    }
    flops = [term for term in model.costs if term.flops is not None]
    for i, term in enumerate(model.costs):
        expressions[f"cost_{i}"] = term.expr
    for i, term in enumerate(flops):
        expressions[f"flops_{i}"] = term.flops
    args = smooth_arguments(model)
    for name, expr in expressions.items():
        kind = SMOOTH_ARGUMENTS.get(name, "full" if name[:5] in ("cost_", "flops") else "point")
        free = expr.free_symbols - set(args[kind])
        if free:
            raise ValueError(f"smooth kernel {name} has unbound symbols "
                             f"{sorted(map(str, free))}")
    return expressions


def lambdify_scalar(args: tuple[sp.Symbol, ...], exprs, parameters: int) -> Kernel:
    """``exprs`` as a plain Python function of (*args[:parameters], p) over ``math`` and the
    compiled scalar functions, the remaining arguments read from the float array p in
    order (so a numba loop can pass a parameter row); common subexpressions computed once."""
    from .smooth_scalar import SCALAR_FUNCTIONS

    row = sp.IndexedBase("p")
    leading, rest = args[:parameters], args[parameters:]
    indexed = [expr.xreplace({s: row[i] for i, s in enumerate(rest)}) for expr in exprs]
    import math

    return sp.lambdify((*leading, row), tuple(indexed), modules=[SCALAR_FUNCTIONS, {"math": math}, "math"],
                       cse=True)


def compile_smooth(model: ProfitModel) -> SmoothKernels:
    """The kernels of ``model``'s smooth problem: expressions derived once (kept in the
    on-disk cache like :func:`compile_model`'s), lambdified on first use."""
    key = f"smooth-{model.name}"
    fingerprint = cache.source_fingerprint((model_fingerprint(), to_text_of_model(model)), ())
    flops = [term for term in model.costs if term.flops is not None]
    names = [*SMOOTH_POINT, *SMOOTH_ARGUMENTS, *(f"cost_{i}" for i in range(len(model.costs))),
             *(f"flops_{i}" for i in range(len(flops)))]
    texts = cache.cached(key, fingerprint,
                         lambda: _encode(derive_smooth_expressions(model)),
                         _decoder(names, check_text))
    args = smooth_arguments(model)

    def kernel(name: str, kind: str) -> Compiled:
        return compile_text(texts[name], args[kind])

    point = tuple(kernel(name, "point") for name in SMOOTH_POINT)
    frontier = kernel("frontier", "point")
    caps = [spec.name for spec in model.parameters]
    bounds = [str(cap.bound) for cap in model.caps if cap.variable == S.d]
    return SmoothKernels(
        name=model.name, specs=model.parameters, point=point,
        point_scalar=_LazyScalar(point, args["point"]),
        frontier_scalar=_LazyScalar((frontier,), args["point"]),
        outputs_scalar=_LazyScalar(tuple(kernel(name, "point") for name in SMOOTH_OUTPUTS),
                                   args["point"]),
        frontier=frontier,
        log_served_tokens=kernel("log_served_tokens", "point"),
        gamma_lower=kernel("gamma_lower", "exponents"),
        objective=kernel("objective", "full"),
        served_tokens=kernel("served_tokens", "pair"), quality=kernel("quality", "pair"),
        cap_index=caps.index(bounds[0]) if bounds else -1,
        cost_fields=tuple(term.field for term in model.costs),
        costs=tuple(kernel(f"cost_{i}", "full") for i in range(len(model.costs))),
        flops_fields=tuple(term.flops_field for term in flops),
        flops=tuple(kernel(f"flops_{i}", "full") for i in range(len(flops))),
        output_labels=(*(f"{term.flops_meaning} {sp.sstr(term.flops)}" for term in flops),
                       *(f"{term.meaning} {sp.sstr(term.expr)}" for term in model.costs)),
    )


class _LazyScalar:
    """A scalar kernel of (x, y, p) lambdified on first use (:func:`lambdify_scalar`)."""

    __slots__ = ("parts", "args", "_function")

    def __init__(self, parts: tuple[Compiled, ...], args: tuple[sp.Symbol, ...]) -> None:
        self.parts, self.args, self._function = parts, args, None

    @property
    def function(self) -> Kernel:
        """The plain Python function (numba compiles it)."""
        if self._function is None:
            self._function = lambdify_scalar(self.args, [p.expr for p in self.parts], 2)
        return self._function


def is_smooth(name: str) -> bool:
    """True when the built-in model ``name`` has a smooth law (solved in (log n, log d))."""
    return isinstance(model_named(name).law, SmoothLaw)


@lru_cache(maxsize=None)
def smooth_problem(name: str) -> SmoothKernels:
    """The smooth kernels of the built-in model ``name``, once per process."""
    return compile_smooth(model_named(name))
