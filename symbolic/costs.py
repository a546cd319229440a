"""Cost terms: FLOPs of training and inference, and their dollar cost at E FLOPs/$.

Training a model of n parameters on d tokens takes 6 n d FLOPs; serving t
tokens takes 2 n t FLOPs.  Dividing by E turns FLOPs into dollars.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .symbols import E, d, n, t

TRAINING_FLOPS_PER_PARAM_TOKEN = sp.Integer(6)
INFERENCE_FLOPS_PER_PARAM_TOKEN = sp.Integer(2)


def training_flops(n: sp.Expr, d: sp.Expr) -> sp.Expr:
    """C_train^FLOP = 6 n d."""
    return TRAINING_FLOPS_PER_PARAM_TOKEN * n * d


def inference_flops(n: sp.Expr, t: sp.Expr) -> sp.Expr:
    """C_infer^FLOP = 2 n t."""
    return INFERENCE_FLOPS_PER_PARAM_TOKEN * n * t


def training_cost(n: sp.Expr, d: sp.Expr, efficiency: sp.Expr = E) -> sp.Expr:
    """C_train = 6 n d / E dollars."""
    return training_flops(n, d) / efficiency


def inference_cost(n: sp.Expr, t: sp.Expr, efficiency: sp.Expr = E) -> sp.Expr:
    """C_infer = 2 n t / E dollars."""
    return inference_flops(n, t) / efficiency


@dataclass(frozen=True)
class CostTerm:
    """One dollar cost of the firm, a part of a model.

    ``expr`` is in the chosen variables (n, d, t) and the model's parameters; ``field`` is
    its name in solutions and JSON; ``flops`` (optional) the FLOP count it prices, reported
    as ``flops_field``.  A term free of t is paid once, before serving (a fixed cost of the
    t-subproblem); a term with t is paid per served token.
    """

    field: str
    meaning: str
    expr: sp.Expr
    flops: sp.Expr | None = None
    flops_field: str | None = None
    flops_meaning: str | None = None


def compute_costs(efficiency: sp.Expr = E) -> tuple[CostTerm, CostTerm]:
    """The paper's costs: training 6nd/E (its FLOPs 6nd reported) and serving 2nt/E."""
    return (CostTerm("train_cost", "training cost", training_cost(n, d, efficiency),
                     training_flops(n, d), "train_flops", "training FLOPs"),
            CostTerm("infer_cost", "inference cost", inference_cost(n, t, efficiency)))


def data_price_cost(price: sp.Expr) -> CostTerm:
    """c_D d: training tokens bought at ``price`` dollars each."""
    return CostTerm("data_cost", "data cost", price * d)
