"""The laws whose yearly growth the trend analysis reports, one per kind and regime.

- ``bound``: the derived upper bound (the margin bound n* < n_peak, Theorems 1-2 as
  the toolkit derives them), which is also the inference-dominated rate;
- ``tight``: the rate as E -> infinity (training-dominated where that balance holds);
- ``reported``: the paper's bounds as it states them (Theorem 1 for gamma != 0,
  Theorem 2 at gamma = 0, Theorem 3 when data bind), with rho = (a/b)^(1/alpha), the
  Leontief law's tokens per parameter at alpha = beta (the paper's rho).

In the data-bound regime the corner d* = D is exact (a Theta law): bound and tight are
the same law.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ..symbolic.costs import training_cost
from ..symbolic.growth import ComputeBoundGrowth, RateRegime
from ..symbolic.scaling import Leontief
from ..symbolic.symbols import D, E, n, rho
from ..symbolic.trends import RATES, Permitted, flops_from_spend, log_growth, permitted
from . import data_bound, theorem1, theorem2

#: The kinds of law, in the order tables show them.
KINDS = ("bound", "tight", "reported")
#: Each kind in words (plain text, for tables and JSON).
KIND_TEXT = {"bound": "derived bound (margin peak)", "tight": "tight rate as E grows",
             "reported": "the paper's bound as reported"}
#: The name given to the reported laws.
REPORTED_NAME = {"compute-bound": {True: "Theorem 2 as reported", False: "Theorem 1 as reported"},
                 "data-bound": {True: "Theorem 3 as reported", False: "Theorem 3 as reported"}}


@lru_cache(maxsize=1)
def tokens_per_parameter() -> sp.Expr:
    """rho = (a/b)^(1/alpha): the Leontief kink's tokens per parameter at alpha = beta."""
    return Leontief().tokens_per_parameter()


def reported_spend(regime: str, zero: bool) -> sp.Expr:
    """The training spend the paper's stated bound gives, in a, b, E (and D).

    Theorem 1's n* bound is turned into spend 6 n d/E on the kink d = rho n (the
    paper's own "d* of the same order"); Theorems 2 and 3 state the spend."""
    if regime == "data-bound":
        spend = data_bound.REPORTED_SPEND
    elif zero:
        spend = theorem2.REPORTED["train_cost"]
    else:
        bound = theorem1.REPORTED_BOUND
        spend = training_cost(n, rho * n, E).subs(n, bound)
    return sp.powsimp(spend.subs(rho, tokens_per_parameter()), force=True)


def reported_permitted(regime: str, zero: bool, rates=RATES) -> Permitted:
    """The log yearly growth of the paper's stated spend bound and of its FLOPs."""
    spend = log_growth(reported_spend(regime, zero), rates)
    return Permitted(REPORTED_NAME[regime][zero], spend, flops_from_spend(spend, rates),
                     sp.S.Zero)


def compute_bound_laws(growth: ComputeBoundGrowth, rates=RATES) -> dict[str, Permitted]:
    """bound, tight and reported log rates of one branch of gamma (compute-bound)."""
    zero = growth.shape == 0
    return {"bound": permitted(growth.bound, E, rates),
            "tight": permitted(growth.limit, E, rates),
            "reported": reported_permitted("compute-bound", zero, rates)}


def data_bound_laws(corner: RateRegime, rates=RATES) -> dict[str, Permitted]:
    """bound, tight (the same corner law) and reported log rates when d* = D."""
    law = permitted(corner, D, rates)
    return {"bound": law, "tight": law, "reported": reported_permitted("data-bound", False,
                                                                       rates)}
