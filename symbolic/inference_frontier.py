"""The inference-aware frontier (Sardana et al. 2024, "Beyond Chinchilla-Optimal").

Minimize lifetime compute 6nd + 2nT over (n, d) at fixed quality q(n, d) = q_bar and fixed
lifetime inference tokens T.  With multiplier lambda the Lagrangian is

    L = 6nd + 2nT - lambda (q(n, d) - q_bar),

and its conditions 6d + 2T = lambda q_n, 6n = lambda q_d give (lambda eliminated)

    n q_n / (d q_d) = 1 + T/(3d),

the relation the profit-maximizing firm satisfies with T = t* (:mod:`.overtraining`).  The
finding, for the CES family (r = 1 additive): along the frontier at fixed q_bar,
dn/dT < 0 and dd/dT > 0 -- more inference demand means a smaller model trained on more
tokens.  It is proved by implicit differentiation of the system

    G1 = A n^(-alpha r) + B d^(-beta r) - q_bar^(-r) = 0        (quality)
    G2 = 3d alpha A n^(-alpha r) - (3d + T) beta B d^(-beta r) = 0   (tangency)

(dn/dT, dd/dT) = -J^(-1) dG/dT, with A eliminated through G2 so that every factor is a
positive symbol and SymPy decides the signs.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .costs import inference_flops, training_flops
from .overtraining import GENERIC_QUALITY, elasticity_ratio
from .scaling import CES
from .symbols import d, n

#: Lifetime inference tokens T (Sardana et al.'s D_inf).
LIFETIME_TOKENS = sp.Symbol("T", positive=True)
#: The fixed quality target q_bar.
TARGET_QUALITY = sp.Symbol("q_bar", positive=True)
#: The Lagrange multiplier on the quality constraint.
MULTIPLIER = sp.Symbol("lambda", positive=True)


def lifetime_compute(n_: sp.Expr = n, d_: sp.Expr = d, T: sp.Expr = LIFETIME_TOKENS
                     ) -> sp.Expr:
    """C = 6nd + 2nT: training plus lifetime inference FLOPs (the model's cost terms)."""
    return training_flops(n_, d_) + inference_flops(n_, T)


@dataclass(frozen=True)
class FrontierConditions:
    """The Lagrange conditions for a generic smooth law q(n, d)."""

    lagrangian: sp.Expr
    conditions: tuple[sp.Expr, sp.Expr, sp.Expr]  # dL/dn, dL/dd, dL/dlambda
    multiplier: sp.Expr   # lambda solving dL/dd = 0: 6n/q_d
    ratio: sp.Expr        # n q_n/(d q_d) solving dL/dn = 0 with that lambda


def derive_frontier_conditions(quality: sp.Expr = GENERIC_QUALITY) -> FrontierConditions:
    """dL/dn = 6d + 2T - lambda q_n, dL/dd = 6n - lambda q_d, and their consequence
    n q_n/(d q_d) = 1 + T/(3d).  ValueError if SymPy finds no unique solution."""
    lagrangian = lifetime_compute() - MULTIPLIER * (quality - TARGET_QUALITY)
    conditions = (sp.diff(lagrangian, n), sp.diff(lagrangian, d),
                  sp.diff(lagrangian, MULTIPLIER))
    multipliers = sp.solve(conditions[1], MULTIPLIER)
    if len(multipliers) != 1:
        raise ValueError(f"dL/dd = 0 has {len(multipliers)} solutions for lambda")
    q_n = sp.Derivative(quality, n)
    roots = sp.solve(conditions[0].subs(MULTIPLIER, multipliers[0]), q_n)
    if len(roots) != 1:
        raise ValueError(f"dL/dn = 0 has {len(roots)} solutions for q_n")
    ratio = sp.simplify(n * roots[0] / (d * sp.Derivative(quality, d)))
    return FrontierConditions(lagrangian, conditions, multipliers[0], ratio)


@dataclass(frozen=True)
class FrontierStatics:
    """dn/dT and dd/dT along the frontier of a CES law at fixed quality."""

    system: tuple[sp.Expr, sp.Expr]   # (G1, G2)
    jacobian: sp.Matrix               # d(G1, G2)/d(n, d)
    size_slope: sp.Expr               # dn/dT (Cramer's rule; A as given)
    token_slope: sp.Expr              # dd/dT
    eliminated: sp.Expr               # A solving G2 = 0
    size_slope_signed: sp.Expr        # dn/dT with A eliminated: a signed product
    token_slope_signed: sp.Expr       # dd/dT with A eliminated


def derive_frontier_statics(law: CES, T: sp.Symbol = LIFETIME_TOKENS) -> FrontierStatics:
    """Implicit differentiation of (G1, G2) = 0 in T: J (dn/dT, dd/dT) = -dG/dT.

    G2 is the numerator of (elasticity ratio) - (1 + T/(3d)), the ratio taken from the law
    (:func:`~.overtraining.elasticity_ratio`), so the tangency is derived, not typed in.
    """
    g1 = law.reducible_loss(n, d) - TARGET_QUALITY**(-law.r)
    g2 = sp.numer(sp.together(elasticity_ratio(law) - 1 - T / (3 * d)))
    system = sp.Matrix([g1, g2])
    jacobian = system.jacobian([n, d])
    slopes = jacobian.LUsolve(-system.diff(T))
    size_slope, token_slope = (sp.simplify(s) for s in slopes)
    eliminated = sp.solve(g2, law.A)
    if len(eliminated) != 1:
        raise ValueError(f"G2 = 0 has {len(eliminated)} solutions for A")
    (a_value,) = eliminated
    signed = tuple(sp.factor(sp.simplify(sp.powsimp(s.subs(law.A, a_value), force=True)))
                   for s in (size_slope, token_slope))
    return FrontierStatics((g1, g2), jacobian, size_slope, token_slope, a_value, *signed)
