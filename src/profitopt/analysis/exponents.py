"""The exponent report: symbolic exponents per regime, 50-digit local exponents, self-checks.

It computes the JSON document of ``profitopt exponents`` and of :func:`profitopt.exponents`;
its text table is :func:`profitopt.display.format_table`.
"""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np
import sympy as sp

from ..errors import InputError
from ..notation import to_latex
from ..paramspec import PAPER
from ..numeric.local_exponents import (OUT_OF_RANGE, QUANTITY_FIELDS, UNRESOLVED,
                                       LocalExponent, law_exponent, local_exponents)
from ..numeric.parameters import Parameters
from ..numeric.solver import DATA_BOUND, SHUTDOWN, bisect, solve_log
from ..growth_store import compute_bound_growth, data_bound_growth
from ..symbolic.growth import ComputeBoundGrowth, RateRegime
from ..symbolic import symbols as S

MAX_POINTS = 1000
#: Default range of the variable (log-spaced) and number of points.
DEFAULT_RANGES = {"E": (1e8, 1e40), "D": (1e6, 1e12)}
DEFAULT_POINTS = 17
#: A rate k must match the 50-digit local exponent to this much times max(1, |k|) at the
#: sampled point deepest inside its window (a steep law, k = 1/(1 + alpha gamma) with
#: 1 + alpha gamma small, approaches its rate as slowly as it is steep) ...
RATE_TOLERANCE = 0.02
#: ... when that point lies at least this many decades inside (from E_c or the cap's edge).
FAR_DECADES = 3.0
#: A disagreement counts unless the law's kept terms are below this share of the quantity.
LEADING_SHARE = 0.99
#: Digits of the scale parameters (a, b, omega, delta, E, D) when laws are evaluated.
SCALE_DIGITS = 30


def _exact(value: float) -> sp.Rational:
    """An exponent (alpha, beta, gamma) as the exact rational its decimal repr reads."""
    return sp.Rational(repr(float(value)))


def _scale(value: float) -> sp.Float:
    """A scale parameter as a 30-digit float.

    Exponents decide which terms lead and must stay exact; scale parameters only
    enter coefficients, and as exact rationals of 17 digits their rational powers
    send SymPy into integer factorization that can run for hours.
    """
    return sp.Float(repr(float(value)), SCALE_DIGITS)


def _reference(params: Parameters) -> dict[sp.Symbol, sp.Basic]:
    """The parameters as SymPy numbers: exponents exact, scales as floats; the variable
    (E or D) and the cap are left out (the laws are in them)."""
    return {symbol: _scale(getattr(params, spec.name)) if spec.logarithmic
            else _exact(getattr(params, spec.name))
            for spec, symbol in zip(PAPER, S.PARAMETERS) if spec.name not in ("E", "D")}


def _entry(name: str, kind: str, law_of: RateRegime, quantity: str, reference: dict,
           window: dict) -> dict[str, object]:
    if quantity not in law_of.quantities:
        return {}
    law = law_of.quantities[quantity].law
    return {
        "_leading": law_of.quantities[quantity],  # taken out before the report is returned
        "name": name,
        "kind": kind,
        "exponent_latex": to_latex(law.exponent),
        "exponent": float(law.exponent.subs(reference)),
        "log_power": float(law.log_power.subs(reference)),
        "window": window,
    }


def _window(text: str, lower: float | None = None, upper: float | None = None,
            everywhere: bool = False) -> dict:
    """Where a rate holds: ``lower`` < x < ``upper`` (None: unbounded); ``everywhere`` for all x."""
    return {"text": text, "from": lower, "to": upper, "everywhere": everywhere}


def _compute_bound_entries(growth: ComputeBoundGrowth, quantity: str, reference: dict
                           ) -> tuple[list[dict], float | None]:
    try:
        e_c = float(sp.N(growth.crossover.subs(reference), 17))
    except TypeError:  # complex: the laws never meet (no real crossover)
        e_c = None
    training_late = growth.training.holds_as_e_grows
    if e_c is None or not math.isfinite(e_c):
        inference_window = _window("no real crossover; " + ("not reached" if training_late
                                                             else "all E"),
                                   everywhere=not training_late)
        training_window = _window("all E", everywhere=True) if training_late else None
    elif training_late:
        inference_window = _window(f"E << E_c = {e_c:.4g} (inference dominates costs)", None, e_c)
        training_window = _window(f"E >> E_c = {e_c:.4g} (training dominates costs); the "
                                  "E -> infinity limit", e_c, None)
    else:
        inference_window = _window(f"E >> E_c = {e_c:.4g}: the E -> infinity limit (inference "
                                   "dominates)", e_c, None)
        training_window = None
    entries = []
    if growth.has_peak:
        entries += [
            _entry("margin bound (Theorems 1-2)", "bound", growth.bound, quantity, reference,
                   _window("upper bound for every E (n* < n_peak)")),
            _entry("inference-dominated", "rate", growth.inference, quantity, reference,
                   inference_window),
        ]
        if training_window is not None:
            # where its balance's neglected terms do not shrink as E grows (gamma < -1/beta)
            # the training-dominated law holds in no window: it is not stated
            entries.append(_entry("training-dominated", "rate", growth.training, quantity,
                                  reference, training_window))
    else:
        # 1 + alpha gamma <= 0: the margin has no interior peak, so there is neither a
        # margin bound nor an inference-dominated window; the training balance is all.
        e_c = None
        entries.append(_entry("training-dominated", "rate", growth.training, quantity,
                              reference, _window("all E (the margin has no peak: "
                                                 "1 + alpha gamma <= 0)", everywhere=True)))
    return [e for e in entries if e], e_c


def _binding_edge(params: Parameters, wrt: str, lo: float, hi: float) -> float | None:
    """Value of ``wrt`` in [lo, hi] where the regime switches to/from data-bound (bisection)."""
    def bound_at(log_value: float) -> bool:
        value = math.exp(log_value)
        return solve_log(Parameters(**{**asdict(params), wrt: value})).regime == DATA_BOUND
    first = bound_at(math.log(lo))
    if first == bound_at(math.log(hi)):
        return None
    left, right = bisect(lambda v: bound_at(v) == first, math.log(lo), math.log(hi))
    return math.exp(0.5 * (left + right))


def exponents_of(values: dict[str, float | None], quantity: str, wrt: str,
                 start: float | None = None, stop: float | None = None,
                 points: int = DEFAULT_POINTS, progress=None, *, model: str = "paper"
                 ) -> dict[str, object]:
    """:func:`exponent_report` from parameter values, with the defaults filled in.

    ``start``/``stop`` default to DEFAULT_RANGES[wrt]; with ``wrt`` = E an absent E is
    ``start`` (it only fixes the domain check); with ``wrt`` = D, E is required.  For a
    ``model`` other than the paper's: :func:`model_exponent_report`.
    """
    if model != "paper":
        from ..numeric.kernels import is_smooth
        from ..paramspec import MODELS

        if model in MODELS and is_smooth(model):
            raise InputError(f"exponents of the smooth-law model {model!r} are not available "
                             "here yet (they differentiate the kink's balance); `profitopt "
                             "reproduce` has the additive law's exponents (record "
                             "smooth_exponents)")
        return model_exponent_report(values, quantity, wrt, start, stop, points, progress,
                                     model=model)
    if wrt not in DEFAULT_RANGES:
        raise InputError(f"--wrt must be E or D, got {wrt!r}")
    low, high = DEFAULT_RANGES[wrt]
    start = low if start is None else float(start)
    stop = high if stop is None else float(stop)
    if values.get("E") is None:
        if wrt == "D":
            raise InputError("--wrt D needs --E (hardware efficiency held fixed)")
        values = {**values, "E": start}
    return exponent_report(Parameters(**values), quantity, wrt, start, stop, points, progress)


#: What the report of a model without derived laws says in place of its laws and checks.
NO_LAWS = "not derived for this model"
NO_CHECKS = "none: no per-regime law is derived for this model, so there is nothing to check"


def model_exponent_report(values: dict[str, float | None], quantity: str, wrt: str,
                          start: float | None = None, stop: float | None = None,
                          points: int = DEFAULT_POINTS, progress=None, *, model: str
                          ) -> dict[str, object]:
    """The exponent report of a registered model other than the paper's.

    ``quantity`` is one of the model's output fields, ``wrt`` one of its declared
    parameters, varied log-spaced from ``start`` to ``stop`` (defaults DEFAULT_RANGES for
    E and D; required for any other parameter), the others held at ``values`` (an absent
    one with a model-file default takes it).  Each row is the 50-digit local exponent
    d log quantity*/d log wrt (:func:`profitopt.numeric.model_exponents.elasticity`).
    The symbolic per-regime laws are derived for the paper's model only: the report says
    so (``"laws"``), lists no rate and no self-check, and names the model.
    """
    from ..numeric.model_exponents import model_local_exponents
    from ..numeric.parameters import parameters_class
    from ..paramspec import MODELS

    if model not in MODELS:
        raise InputError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    specs = {spec.name: spec for spec in MODELS[model]}
    if wrt not in specs:
        raise InputError(f"--wrt must be a parameter of the model {model!r} "
                         f"({', '.join(specs)}), got {wrt!r}")
    low, high = DEFAULT_RANGES.get(wrt, (None, None))
    start = low if start is None else float(start)
    stop = high if stop is None else float(stop)
    if start is None or stop is None:
        raise InputError(f"--wrt {wrt} needs --from and --to (no default range)")
    if not (0 < start < stop and math.isfinite(stop)):
        raise InputError(f"need 0 < --from < --to, got {start!r} and {stop!r}")
    if not 2 <= points <= MAX_POINTS:
        raise InputError(f"--points must be between 2 and {MAX_POINTS}, got {points}")
    given = {name: values.get(name) for name in specs}
    for name, spec in specs.items():
        if given[name] is None and spec.default is not None:
            given[name] = spec.default
    given[wrt] = start  # varied: its fixed value only fixes the domain check
    missing = [name for name, spec in specs.items()
               if given[name] is None and not spec.optional]
    if missing:
        raise InputError(f"--{missing[0]} is needed by the model {model!r}")
    params = parameters_class(model)(**given)
    rows = model_local_exponents(params, quantity, wrt,
                                 list(map(float, np.geomspace(start, stop, points))),
                                 progress=progress)
    local = [{"x": r.x, "exponent": r.exponent, "regime": r.regime,
              "compute_ratio": r.compute_ratio, "rate": None, "expected": None,
              "residual": None} for r in rows]
    return {
        "model": model,
        "of": quantity, "wrt": wrt,
        "laws": NO_LAWS,
        "regimes": [],
        "crossover": None,
        "local": local,
        "checks": [],
        "self_check": NO_CHECKS,
    }


def exponent_report(params: Parameters, quantity: str, wrt: str, start: float, stop: float,
                    points: int, progress=None) -> dict[str, object]:
    """The JSON document of ``profitopt exponents``."""
    if quantity not in QUANTITY_FIELDS:
        raise InputError(f"--of must be one of {', '.join(QUANTITY_FIELDS)}, got {quantity!r}")
    if not (0 < start < stop and math.isfinite(stop)):
        raise InputError(f"need 0 < --from < --to, got {start!r} and {stop!r}")
    if not 2 <= points <= MAX_POINTS:
        raise InputError(f"--points must be between 2 and {MAX_POINTS}, got {points}")
    reference = _reference(params)
    shape = sp.S.Zero if params.gamma == 0 else S.gamma
    regimes: list[dict] = []
    crossover = None
    if wrt == "E":
        growth = compute_bound_growth(reference, shape)
        regimes, crossover = _compute_bound_entries(growth, quantity, reference)
        if params.capped:
            edge = _binding_edge(params, "E", start, stop)
            cap = data_bound_growth(S.E, {**reference, S.D: _scale(params.D)})
            regimes.append(_entry("data-bound", "rate", cap, quantity, reference,
                                  _window("E where the cap binds" + (f": E > {edge:.4g}" if edge
                                          else ""), edge, None, everywhere=edge is None)))
    else:
        if not params.capped:
            raise InputError("--wrt D needs a data cap --D")
        cap = data_bound_growth(S.D, {**reference, S.E: _scale(params.E)})
        if quantity not in cap.quantities:
            raise InputError(f"{quantity} is not a power law in D while the cap binds; "
                             "choose n, d, train_flops or train_cost")
        edge = _binding_edge(params, "D", start, stop)
        regimes.append(_entry("data-bound", "rate", cap, quantity, reference,
                              _window("D where the cap binds" + (f": D < {edge:.4g}" if edge
                                      else ""), None, edge, everywhere=edge is None)))
        regimes.append({"name": "compute-bound (cap slack)", "kind": "rate",
                        "exponent_latex": "0", "exponent": 0.0, "log_power": 0.0,
                        "window": _window("D beyond the binding edge" + (
                            f": D > {edge:.4g}" if edge else ""), edge, None,
                            everywhere=edge is None)})
    values = np.geomspace(start, stop, points)
    rows: list[LocalExponent] = local_exponents(params, quantity, wrt, list(map(float, values)),
                                                progress=progress)
    local = [_row(r, regimes) for r in rows]
    leading = {r["name"]: r.pop("_leading", None) for r in regimes}
    return {
        "of": quantity, "wrt": wrt,
        "regimes": regimes,
        "crossover": crossover,
        "local": local,
        "checks": self_checks(local, regimes, lambda name, x: None if leading.get(name) is None
                              else leading_share(leading[name], params, wrt, x, reference)),
    }


def leading_share(leading, params: Parameters, wrt: str, x: float, reference: dict
                  ) -> float | None:
    """|leading part| / (|leading part| + sum of |neglected terms|) at the optimum at x.

    Near 1 where the terms the law keeps dominate the quantity, as the law assumes; low
    where the neglected terms still matter (slow convergence, e.g. q^(-gamma) for small
    gamma > 0).  None where the optimum is not interior or the terms are not numbers.
    """
    located = solve_log(Parameters(**{**asdict(params), wrt: x}))
    if not math.isfinite(located.x) or not leading.terms:
        return None
    values = {**reference, getattr(S, wrt): _scale(x), S.n: sp.exp(
        sp.Float(located.x, 30))}
    if params.capped and wrt != "D":
        values[S.D] = _scale(params.D)
    if wrt != "E":
        values[S.E] = _scale(params.E)
    try:
        kept = abs(complex(sp.N(sp.Add(*leading.terms).subs(values), 20)))
        rest = sum(abs(complex(sp.N(t.subs(values), 20))) for t in leading.others)
    except (TypeError, ValueError):
        return None
    total = kept + rest
    return kept / total if total > 0 and math.isfinite(total) else None


def _decades_inside(x: float, window: dict) -> float:
    """How many decades x lies inside its window (from the nearest finite edge)."""
    edges = [e for e in (window["from"], window["to"])
             if e is not None and 0 < e < math.inf]  # an edge at 0 or inf bounds nothing
    if not edges:
        return math.inf
    return min(abs(math.log10(x / e)) for e in edges)


def self_checks(local: list[dict], regimes: list[dict], share=None) -> list[dict[str, object]]:
    """Each rate against the 50-digit local exponent at the far end of its window.

    For every rate, the sampled row lying deepest inside the rate's window (in
    decades from the window's edge: E_c, or the cap's binding edge) is taken.
    It is checked when it lies at least FAR_DECADES inside; then
    |local - (k + m/log x)| must be at most the tolerance.  A disagreement is
    excused (reported as not checked) only where ``share(rate name, x)`` shows
    that the terms the law neglects are still more than 1 - LEADING_SHARE of
    the quantity there: the sample does not reach the law's asymptotics.
    """
    checks = []
    for regime in regimes:
        if regime["kind"] != "rate":
            continue
        rows = [r for r in local if r["rate"] == regime["name"] and r["residual"] is not None]
        if not rows:
            continue
        far = max(rows, key=lambda r: _decades_inside(r["x"], regime["window"]))
        depth = _decades_inside(far["x"], regime["window"])
        tolerance = RATE_TOLERANCE * max(1.0, abs(regime["exponent"]))
        if regime["log_power"]:
            # a (log x)^m law converges like k + m/log x + O(1/log^2 x) and its next order
            # is not derived: the tolerance widens by |m|/log x, the size of the log term
            tolerance += abs(regime["log_power"]) / abs(math.log(far["x"]))
        agrees = abs(far["residual"]) <= tolerance
        deep = depth >= FAR_DECADES
        dominance = share(regime["name"], far["x"]) if share and deep and not agrees else None
        checked = deep and (agrees or dominance is None or dominance >= LEADING_SHARE)
        checks.append({"rate": regime["name"], "x": far["x"], "exponent": far["exponent"],
                       "expected": far["expected"], "residual": far["residual"],
                       "tolerance": tolerance, "decades_inside": depth,
                       "leading_share": dominance,
                       "checked": checked,
                       "passed": agrees if checked else None})
    return checks


def failed_checks(report: dict[str, object]) -> list[str]:
    """One line per rate whose far-end local exponent disagrees with it (empty: all agree)."""
    return [f"{c['rate']} rate {_plain(c['expected'])} but the 50-digit local exponent at "
            f"{report['wrt']} = {c['x']:.4g} is {_plain(c['exponent'])} (residual "
            f"{c['residual']:.3g}, tolerance {c['tolerance']:g})"
            for c in report["checks"] if c["checked"] and not c["passed"]]


def _plain(value: float) -> str:
    return f"{value:.6g}"


def _governing(row: LocalExponent, regimes: list[dict]) -> dict | None:
    """The rate whose window contains the row (the data-bound rate on the cap)."""
    for regime in regimes:
        if regime["kind"] != "rate":
            continue
        if (regime["name"] == "data-bound") != (row.regime == DATA_BOUND):
            continue
        window = regime["window"]
        lower = window["from"] if window["from"] is not None else 0.0
        upper = window["to"] if window["to"] is not None else math.inf
        if lower <= row.x <= upper and (window["from"] is not None or window["to"] is not None
                                        or window["everywhere"]):
            return regime
    return None


def _row(row: LocalExponent, regimes: list[dict]) -> dict[str, object]:
    """A local exponent with the rate expected there and the residual against it."""
    regime = None if row.regime in (SHUTDOWN, OUT_OF_RANGE, UNRESOLVED) \
        else _governing(row, regimes)
    expected = None
    if regime is not None:
        expected = law_exponent(regime["exponent"], regime["log_power"], row.x)
    residual = None if expected is None or row.exponent is None else row.exponent - expected
    return {"x": row.x, "exponent": row.exponent, "regime": row.regime,
            "compute_ratio": row.compute_ratio,
            "rate": None if regime is None else regime["name"], "expected": expected,
            "residual": residual}

