"""What `profitopt model show` prints: a model's parts, the reduction used and the
optimality conditions derived for it (as SymPy text)."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import InputError
from ..symbolic.domain import derive_bounded_range
from ..symbolic.kkt import derive_cap_cases
from ..symbolic.optimality import (check_kink_reduction, derive_reduced_problem,
                                   derive_served_tokens)
from ..symbolic.scaling import SmoothLaw
from ..symbolic.variants import model_named


@dataclass(frozen=True)
class ModelSummary:
    """(label, text) rows, in the order printed."""

    name: str
    rows: tuple[tuple[str, str], ...]


def summarize(name: str) -> ModelSummary:
    """Derive the model called ``name`` (built-in or registered from a file) and describe
    it; InputError where a step of the reduction is not established for it."""
    model = model_named(name)
    rows = [("model", name),
            ("parameters", ", ".join(f"{s.name} ({s.domain}{', optional' if s.optional else ''})"
                                     for s in model.parameters)),
            ("chosen", ", ".join(map(str, model.chosen))),
            ("quality q", sp.sstr(model.law.quality(*model.chosen[:2]))),
            ("objective pi", sp.sstr(model.objective(*model.chosen)))]
    rows += [(f"cost {term.field}", sp.sstr(term.expr)) for term in model.costs]
    rows += [(f"cap ({cap.regime})", sp.sstr(cap.relation())) for cap in model.caps]
    if isinstance(model.law, SmoothLaw):
        return ModelSummary(name, tuple(rows + _smooth_rows(model, name)))
    try:
        served = derive_served_tokens(model)
        check_kink_reduction(model)
        reduced = derive_reduced_problem(model)
        cases = derive_cap_cases(model)
    except ValueError as error:
        raise InputError(f"model {name!r}: {error}") from None
    rows += [
        ("reduction", "t eliminated in closed form; optimum on the kink (min of two arms); "
                      "one variable n"),
        ("served tokens t*", sp.sstr(served.optimum)),
        ("per-token margin m(q)", sp.sstr(served.margin)),
        ("kink d(n)", sp.sstr(reduced.tokens)),
        ("reduced profit Pi(n)", sp.sstr(reduced.profit)),
        ("reduced condition Pi'(n) = 0", sp.sstr(reduced.foc_factored)),
        ("margin peak n_peak", sp.sstr(reduced.peak)),
    ]
    rows += [(f"KKT case {case.cap.regime}", f"n* = {sp.sstr(case.parameters)}")
             for case in cases]
    try:
        bounded = derive_bounded_range(model)
        rows.append(("profit bounded iff", sp.sstr(sp.Gt(model.shape, bounded.lower))))
    except ValueError as error:
        rows.append(("profit bounded iff", f"not established: {error}"))
    return ModelSummary(name, tuple(rows))


def _smooth_rows(model, name: str) -> list[tuple[str, str]]:
    """A smooth law's reduction: t eliminated, the optimum in (n, d) with two first-order
    conditions (as log balances), the over-training relation, the cap's corner case and
    the bounded range."""
    from ..symbolic.optimality import derive_served_tokens
    from ..symbolic.overtraining import derive_overtraining_relation
    from ..symbolic.smooth import derive_smooth_bounded_range, derive_smooth_condition

    try:
        served = derive_served_tokens(model)
        condition = derive_smooth_condition(model)
    except ValueError as error:
        raise InputError(f"model {name!r}: {error}") from None
    rows = [
        ("reduction", "t eliminated in closed form; smooth law: the optimum in (x, y) = "
                      "(log n, log d), two first-order conditions"),
        ("served tokens t*", sp.sstr(served.optimum)),
        ("per-token margin m(q)", sp.sstr(served.margin)),
        ("compute-optimal path", f"y = {sp.sstr(condition.frontier)}"),
        ("condition in x = log n", f"S_x = {sp.sstr(condition.balance[0])} = 0"),
        ("condition in y = log d", f"S_y = {sp.sstr(condition.balance[1])} = 0"),
        ("KKT case (d <= D binding)", f"y = {sp.sstr(condition.corner.log_bound)}, "
                                      f"S_x = 0, multiplier sign S_y >= 0"),
    ]
    try:
        relation = derive_overtraining_relation(model)
        rows.append(("over-training relation",
                     f"n q_n/(d q_d) = {sp.sstr(relation.ratio)} (1 at t* = 0: "
                     "compute-optimal)"))
    except (ValueError, AttributeError, TypeError):
        pass
    try:
        bounded = derive_smooth_bounded_range(model)
        lower = getattr(bounded, "lower", bounded)
        rows.append(("profit bounded iff", sp.sstr(sp.Gt(model.shape, lower))))
    except ValueError as error:
        rows.append(("profit bounded iff", f"not established: {error}"))
    return rows
