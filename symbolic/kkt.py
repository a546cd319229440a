"""Caps as KKT cases of the reduced problem on the kink.

On the kink every chosen input is a function of n, so a cap ``v <= V`` on
either input is a cap on n: ``n <= n_V`` with n_V = V for v = n and
n_V = n(V), the frontier's inverse, for v = d.  The KKT cases are the
interior optimum (every cap slack) and, for each cap, the corner n* = n_V with
Pi'(n_V) >= 0.  Which case holds is decided numerically per parameter set
(the solver compares the caps' images with the interior root); here each
case's image is derived, in natural and in log coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .algebra import to_log_coordinates
from .constraints import Cap
from .profit import ProfitModel
from .symbols import d, n


@dataclass(frozen=True)
class CapCase:
    """The KKT case in which ``cap`` binds: n* = ``parameters`` on the kink."""

    cap: Cap
    parameters: sp.Expr      # n_V, the cap's image on the kink
    log_parameters: sp.Expr  # log n_V in log coordinates


def derive_cap_cases(model: ProfitModel) -> tuple[CapCase, ...]:
    """One case per cap of ``model``: its image n_V on the kink (ValueError for a cap on a
    variable that is not an input on the kink)."""
    cases = []
    for cap in model.caps:
        if cap.variable == n:
            image = cap.bound
        elif cap.variable == d:
            image = model.law.frontier_parameters(cap.bound)
        else:
            raise ValueError(f"model {model.name!r}: a cap on {cap.variable} is not a cap "
                             "on the kink's inputs")
        cases.append(CapCase(cap, image, to_log_coordinates(image, model.log_coordinates)))
    return tuple(cases)
