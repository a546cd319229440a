"""The trends report: the growth of training spend and FLOPs each scenario permits.

For every scenario and shape gamma: the yearly factors permitted by the derived bound,
by the tight rate as E grows and by the paper's bound as reported
(:mod:`profitopt.derivations.trend_laws`), the observed growth in both units, and a
verdict; for every scenario, the break-even gamma at which each permitted growth of
training FLOPs equals the observed one.  The laws come from the exponent engine
(:mod:`profitopt.growth_store`), derived once per decision region and cached; here they
are evaluated at the scenario's numbers, exactly, then rounded.

Observed and permitted growth are compared in one unit: FLOPs against FLOPs (spend
against spend gives the same verdict, both sides divided by E's factor).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp

from ..derivations.calibration import MARKET, SHAPES
from ..derivations.trend_laws import KIND_TEXT, KINDS, compute_bound_laws, data_bound_laws
from ..growth_store import compute_bound_growth, data_bound_growth
from ..errors import InputError
from ..models.scenarios import INPUTS, Scenario, paper_range, shape_fault
from ..symbolic.symbols import D, alpha, beta, gamma
from ..symbolic.trends import GROWING, RATES, Permitted, break_even

#: Digits of the factors evaluated from the exact laws.
DIGITS = 30
#: Verdicts, from the observed growth's place against the permitted FLOPs growth.
EXCEEDS_BOUND = "observed exceeds the bound"
ABOVE_TIGHT = "within the bound, above the tight rate"
WITHIN_TIGHT = "within the tight rate"
#: Grid of gamma scanned for a sign change where SymPy finds no closed-form root.
SCAN_POINTS = 400


def laws(scenario: Scenario, shape: sp.Expr, *, branch: bool = False) -> dict[str, Permitted]:
    """bound, tight and reported log rates for ``scenario`` at ``shape``; with ``branch``,
    the laws of shape's whole branch of gamma (symbolic in gamma), else at shape."""
    found = _laws(scenario.regime, scenario.alpha, scenario.beta, shape)
    if branch:
        return found
    return {kind: _at_shape(law, shape) for kind, law in found.items()}


@lru_cache(maxsize=64)
def _laws(regime: str, alpha_value: sp.Expr, beta_value: sp.Expr, shape: sp.Expr
          ) -> dict[str, Permitted]:
    """The laws of the branch of gamma that holds ``shape``, decided at these exponents
    (symbolic in the rates: shared by every scenario with the same exponents)."""
    reference = {alpha: alpha_value, beta: beta_value, gamma: shape, **dict(MARKET)}
    if regime == "data-bound":
        return data_bound_laws(data_bound_growth(D, reference))
    growth = compute_bound_growth(reference, sp.S.Zero if shape == 0 else gamma)
    return compute_bound_laws(growth)


def _at_shape(law: Permitted, shape: sp.Expr) -> Permitted:
    return Permitted(law.regime, law.train_cost.subs(gamma, shape),
                     law.train_flops.subs(gamma, shape), law.log_power.subs(gamma, shape))


def _values(scenario: Scenario) -> dict[sp.Symbol, sp.Expr]:
    """The scenario's numbers: exponents and every input's log growth rate."""
    rates = scenario.log_rates()
    return {**scenario.exponent_values(), **{RATES[v]: rate for v, rate in rates.items()}}


#: Largest yearly factor reported (log10): beyond it a double cannot carry it.
MAX_LOG10_FACTOR = 300


def _factor(log_rate: sp.Expr, values: dict, what: str = "") -> float:
    """e^L at the scenario's numbers; InputError where it does not fit a double."""
    log10 = float((log_rate.subs(values) / sp.log(10)).evalf(DIGITS))
    if abs(log10) > MAX_LOG10_FACTOR:
        raise InputError(f"{what}: the permitted growth is about 10^{log10:.4g} a year, beyond "
                         "what a double carries; these inputs are far outside any trend")
    return float(sp.exp(log_rate.subs(values)).evalf(DIGITS))


def observed_logs(scenario: Scenario) -> dict[str, sp.Expr]:
    """The observed log yearly growth, exact, in both units (FLOPs = spend times E)."""
    log_given = scenario.observed.log
    log_e = scenario.rate("E").log
    if scenario.observed_quantity == "train_flops":
        return {"train_flops": log_given, "train_cost": log_given - log_e}
    return {"train_cost": log_given, "train_flops": log_given + log_e}


def observed(scenario: Scenario) -> dict[str, float]:
    """The observed yearly factor in both units."""
    return {q: float(sp.exp(log).evalf(DIGITS)) for q, log in observed_logs(scenario).items()}


def verdict(observed_flops: float, bound_flops: float, tight_flops: float) -> str:
    """Where the observed growth of FLOPs lies against the permitted growth."""
    if observed_flops > bound_flops:
        return EXCEEDS_BOUND
    if observed_flops > tight_flops:
        return ABOVE_TIGHT
    return WITHIN_TIGHT


def scenario_rows(scenario: Scenario) -> list[dict[str, object]]:
    """One row per shape: inputs, permitted growth (bound, tight, reported), observed
    growth and the verdict."""
    values, seen = _values(scenario), observed(scenario)
    rows = []
    for shape in scenario.gammas:
        found = laws(scenario, shape)
        permitted = {}
        for kind in KINDS:
            law = found[kind]
            permitted[kind] = {
                "regime": law.regime,
                **{q: _factor(law.of(q), values, f"{scenario.name}: gamma = {shape}, "
                                                 f"{kind} {q}") for q in GROWING},
                "log_power": float(law.log_power.subs(values)),
            }
        rows.append({
            "name": scenario.name,
            "summary": scenario.summary,
            "regime": scenario.regime,
            "gamma": float(shape),
            "gamma_exact": str(shape),
            "inputs": inputs(scenario),
            "observed": {**seen, "given": scenario.observed_quantity,
                         "source": scenario.observed.source},
            "permitted": permitted,
            "verdict": verdict(seen["train_flops"], permitted["bound"]["train_flops"],
                               permitted["tight"]["train_flops"]),
        })
    return rows


def inputs(scenario: Scenario) -> dict[str, object]:
    """The scenario's inputs: exponents and each growth factor, exact text and source."""
    growth = {}
    for name in INPUTS:
        rate = scenario.rate(name)
        growth[name] = {"factor": float(rate.factor.evalf(DIGITS)), "exact": str(rate.factor),
                        "source": rate.source}
    return {"alpha": float(scenario.alpha), "beta": float(scenario.beta),
            "exponents_source": scenario.exponents_source, "growth": growth}


@dataclass(frozen=True)
class BreakEven:
    """The shapes at which a kind's permitted FLOPs growth equals the observed growth."""

    kind: str
    roots: tuple[float, ...]
    method: str          # "closed form" or "numeric" (bracketed where SymPy found none)


def admissible(scenario: Scenario, shape: sp.Expr | float) -> bool:
    """gamma lies where the paper's model is posed for the scenario's exponents (the
    loader's rule, :func:`~profitopt.models.scenarios.shape_fault`)."""
    return shape_fault(shape, scenario.alpha, scenario.beta) is None


def break_evens(scenario: Scenario) -> list[BreakEven]:
    """Per kind, every gamma in the scenario's range where permitted FLOPs growth equals the
    observed growth: on each branch of gamma, SymPy's closed-form roots of the branch's
    law (rational in gamma), kept where they fall inside the branch; at gamma = 0 the
    zero branch's own law."""
    values = _values(scenario)
    target = observed_logs(scenario)["train_flops"]
    branches = (("negative", paper_range().concavity_bound - 1, sp.S.Zero),
                ("positive", sp.S.Zero, sp.oo))
    found: dict[str, list[sp.Expr]] = {kind: [] for kind in KINDS}
    methods: dict[str, str] = {kind: "closed form" for kind in KINDS}
    for shape_name, lo, hi in branches:
        branch_laws = laws(scenario, SHAPES[shape_name], branch=True)
        for kind in KINDS:
            rate = branch_laws[kind].train_flops.subs(values)
            try:
                roots = break_even(rate, target)
            except NotImplementedError:
                roots, methods[kind] = _bracketed(rate, target, lo, hi), "numeric"
            found[kind] += [r for r in roots if r.is_real and _inside(r, lo, hi)
                            and admissible(scenario, r)]
    zero_laws = laws(scenario, sp.S.Zero)
    for kind in KINDS:
        if sp.simplify(zero_laws[kind].train_flops.subs(values) - target) == 0:
            found[kind].append(sp.S.Zero)
    return [BreakEven(kind, tuple(sorted(float(r) for r in found[kind])), methods[kind])
            for kind in KINDS]


def _inside(root: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> bool:
    return bool(sp.Gt(root, lo)) and bool(sp.Lt(root, hi))


def _bracketed(rate: sp.Expr, target: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> list[sp.Expr]:
    """Roots of rate(gamma) = target found numerically: a scan of the branch for sign
    changes, each bracket refined by mpmath at DIGITS digits."""
    f = sp.lambdify(gamma, rate - target, "mpmath")
    top = hi if hi != sp.oo else lo + 20 if lo != -sp.oo else sp.Integer(20)
    grid = [float(lo) + (float(top) - float(lo)) * (i + 0.5) / SCAN_POINTS
            for i in range(SCAN_POINTS)]
    roots = []
    with mpmath.workdps(DIGITS):
        signs = [f(x) for x in grid]
        for left, right, f_left, f_right in zip(grid, grid[1:], signs, signs[1:]):
            if f_left == 0 or math.copysign(1, f_left) != math.copysign(1, f_right):
                roots.append(sp.Float(mpmath.findroot(f, (left, right), solver="anderson"),
                                      DIGITS))
    return roots


def trends_report(scenarios: tuple[Scenario, ...]) -> dict[str, object]:
    """The JSON document of ``profitopt trends``: ``scenarios`` (one entry per scenario
    and shape) and ``break_even`` (one entry per scenario)."""
    rows, crossings = [], []
    for scenario in scenarios:
        rows += scenario_rows(scenario)
        crossings.append({
            "name": scenario.name,
            "compared": "train_flops",
            "observed": observed(scenario)["train_flops"],
            **{b.kind: {"gamma": list(b.roots), "method": b.method}
               for b in break_evens(scenario)},
        })
    return {"scenarios": rows, "break_even": crossings,
            "kinds": {kind: KIND_TEXT[kind] for kind in KINDS},
            "notes": NOTES}


#: What every report says about how to read it (plain text).
NOTES = (
    "Yearly factors are those of the leading-order laws: a (log E)^m factor (log_power m) "
    "adds m log(1 + l_E/log E) a year, which vanishes as E grows.",
    "Observed and permitted growth are compared in one unit, training FLOPs; spend is "
    "FLOPs divided by E, so the verdict is the same in dollars.",
    "The bound is the inference-dominated rate; the tight rate is the rate once training "
    "dominates the firm's costs (E far above the crossover E_c).",
)


def permitted_curves(scenario: Scenario, shapes: list[float]) -> dict[str, list[float]]:
    """Permitted yearly growth of training FLOPs at each shape, per kind: each branch's law
    (symbolic in gamma) at the scenario's numbers; NaN outside the scenario's range of gamma
    and, for the reported bound, on gamma != 0 only (Theorem 2's value at 0 is a point)."""
    values = _values(scenario)
    curves: dict[str, list[float]] = {kind: [] for kind in KINDS}
    compiled = {}
    for shape_name in ("negative", "positive"):
        branch_laws = laws(scenario, SHAPES[shape_name], branch=True)
        compiled[shape_name] = {kind: sp.lambdify(gamma, sp.exp(
            branch_laws[kind].train_flops.subs(values)), "mpmath") for kind in KINDS}
    zero = {kind: _factor(law.train_flops, values, f"{scenario.name}: gamma = 0, {kind}")
            for kind, law in laws(scenario, sp.S.Zero).items()}
    for shape in shapes:
        for kind in KINDS:
            if not admissible(scenario, shape):
                value = math.nan
            elif shape == 0:
                value = math.nan if kind == "reported" else zero[kind]
            else:
                value = float(compiled["negative" if shape < 0 else "positive"][kind](shape))
            curves[kind].append(value)
    curves["reported_at_zero"] = [zero["reported"]]
    return curves
