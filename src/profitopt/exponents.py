"""profitopt exponents: symbolic exponents per regime and numeric local exponents."""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np
import sympy as sp

from .errors import InputError
from .notation import to_latex
from .numeric.local_exponents import QUANTITY_FIELDS, LocalExponent, local_exponents
from .numeric.parameters import Parameters
from .numeric.solver import DATA_BOUND, bisect, solve_log
from .symbolic.growth import (ComputeBoundGrowth, RateRegime, derive_compute_bound_growth,
                              derive_data_bound_growth)
from .symbolic.profit import ProfitModel
from .symbolic import symbols as S

MAX_POINTS = 1000


def _reference(params: Parameters) -> dict[sp.Symbol, sp.Rational]:
    values = {S.alpha: params.alpha, S.beta: params.beta, S.gamma: params.gamma, S.a: params.a,
              S.b: params.b, S.omega: params.omega, S.delta: params.delta}
    return {s: sp.Rational(repr(float(v))) for s, v in values.items()}


def _entry(name: str, kind: str, law_of: RateRegime, quantity: str, reference: dict,
           window: dict) -> dict[str, object]:
    if quantity not in law_of.quantities:
        return {}
    law = law_of.quantities[quantity].law
    return {
        "name": name,
        "kind": kind,
        "exponent_latex": to_latex(law.exponent),
        "exponent": float(law.exponent.subs(reference)),
        "log_power": float(law.log_power.subs(reference)),
        "window": window,
    }


def _window(text: str, lower: float | None = None, upper: float | None = None) -> dict:
    return {"text": text, "from": lower, "to": upper}


def _compute_bound_entries(growth: ComputeBoundGrowth, quantity: str, reference: dict
                           ) -> tuple[list[dict], float | None]:
    try:
        e_c = float(sp.N(growth.crossover.subs(reference), 17))
    except TypeError:  # complex: the laws never meet (no real crossover)
        e_c = None
    training_late = growth.training.holds_as_e_grows
    if e_c is None or not math.isfinite(e_c):
        late = "all E" if training_late else "none"
        inference_window = _window("no real crossover; " + ("not reached" if training_late
                                                             else "all E"))
        training_window = _window(late)
    elif training_late:
        inference_window = _window(f"E << E_c = {e_c:.4g} (inference dominates costs)", None, e_c)
        training_window = _window(f"E >> E_c = {e_c:.4g} (training dominates costs); the "
                                  "E -> infinity limit", e_c, None)
    else:
        inference_window = _window(f"E >> E_c = {e_c:.4g}: the E -> infinity limit (inference "
                                   "dominates)", e_c, None)
        training_window = _window(f"E << E_c = {e_c:.4g}", None, e_c)
    entries = [
        _entry("margin bound (Theorems 1-2)", "bound", growth.bound, quantity, reference,
               _window("upper bound for every E (n* < n_peak)")),
        _entry("inference-dominated", "rate", growth.inference, quantity, reference,
               inference_window),
        _entry("training-dominated", "rate", growth.training, quantity, reference,
               training_window),
    ]
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
    model = ProfitModel()
    shape = sp.S.Zero if params.gamma == 0 else S.gamma
    regimes: list[dict] = []
    crossover = None
    if wrt == "E":
        growth = derive_compute_bound_growth(model, reference, shape)
        regimes, crossover = _compute_bound_entries(growth, quantity, reference)
        if params.capped:
            edge = _binding_edge(params, "E", start, stop)
            cap = derive_data_bound_growth(model, S.E, {**reference, S.D: sp.Rational(repr(params.D))})
            regimes.append(_entry("data-bound", "rate", cap, quantity, reference,
                                  _window("E where the cap binds" + (f": E > {edge:.4g}" if edge
                                          else ""), edge, None)))
    else:
        if not params.capped:
            raise InputError("--wrt D needs a data cap --D")
        cap = derive_data_bound_growth(model, S.D, {**reference, S.E: sp.Rational(repr(params.E))})
        if quantity not in cap.quantities:
            raise InputError(f"{quantity} is not a power law in D while the cap binds; "
                             "choose n, d, train_flops or train_cost")
        edge = _binding_edge(params, "D", start, stop)
        regimes.append(_entry("data-bound", "rate", cap, quantity, reference,
                              _window("D where the cap binds" + (f": D < {edge:.4g}" if edge
                                      else ""), None, edge)))
        regimes.append({"name": "compute-bound (cap slack)", "kind": "rate",
                        "exponent_latex": "0", "exponent": 0.0, "log_power": 0.0,
                        "window": _window("D beyond the binding edge" + (
                            f": D > {edge:.4g}" if edge else ""), edge, None)})
    values = np.geomspace(start, stop, points)
    rows: list[LocalExponent] = local_exponents(params, quantity, wrt, list(map(float, values)),
                                                progress=progress)
    return {
        "of": quantity, "wrt": wrt,
        "regimes": regimes,
        "crossover": crossover,
        "local": [_row(r, regimes) for r in rows],
    }


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
                                        or regime["name"] == "data-bound"):
            return regime
    return None


def _row(row: LocalExponent, regimes: list[dict]) -> dict[str, object]:
    """A local exponent with the rate expected there and the residual against it."""
    regime = _governing(row, regimes)
    expected = None
    if regime is not None:
        expected = regime["exponent"] + regime["log_power"] / math.log(row.x)
    residual = None if expected is None or row.exponent is None else row.exponent - expected
    return {"x": row.x, "exponent": row.exponent, "regime": row.regime,
            "compute_ratio": row.compute_ratio,
            "rate": None if regime is None else regime["name"], "expected": expected,
            "residual": residual}


def format_table(report: dict[str, object]) -> str:
    """A readable rendering of :func:`exponent_report`."""
    lines = [f"d log {report['of']}* / d log {report['wrt']}", "", "regimes:"]
    for r in report["regimes"]:
        log = f" (log {report['wrt']})^{r['log_power']:.4g}" if r["log_power"] else ""
        lines.append(f"  {r['name']:<30} {r['kind']:<6} exponent {r['exponent']:.6g}{log}"
                     f"   [{r['window']['text']}]")
    lines += ["", "local exponents (50 digits) and residual against the rate of the window:",
              f"  {report['wrt']:>12}  {'exponent':>12}  {'residual':>10}  "
              f"{'infer/train FLOPs':>17}  rate"]
    for row in report["local"]:
        exponent = "-" if row["exponent"] is None else f"{row['exponent']:.8f}"
        residual = "-" if row["residual"] is None else f"{row['residual']:.2e}"
        ratio = "-" if row["compute_ratio"] is None else f"{row['compute_ratio']:.4g}"
        lines.append(f"  {row['x']:>12.4g}  {exponent:>12}  {residual:>10}  {ratio:>17}  "
                     f"{row['rate'] or row['regime']}")
    return "\n".join(lines)
