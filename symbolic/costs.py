"""Cost terms: FLOPs of training and inference, and their dollar cost at E FLOPs/$.

Training a model of n parameters on d tokens takes 6 n d FLOPs; serving t
tokens takes 2 n t FLOPs.  Dividing by E turns FLOPs into dollars.
"""

from __future__ import annotations

import sympy as sp

from .symbols import E

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
