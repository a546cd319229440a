"""Over-training: what serving tokens does to the mix of parameters and training tokens.

For any smooth law q(n, d) the first-order conditions of the concentrated problem

    Pi(n, d) = m(n, d)^2/(4 delta) - 6nd/E,   m = omega f(q) - 2n/E = 2 delta t*,

give, at an interior producing optimum (t* > 0),

    (n q_n) / (d q_d) = 1 + t*/(3 d*) = 1 + (2 n t*)/(6 n d*),

one plus the ratio kappa of inference to training compute.  On the compute-optimal path
(6nd least at fixed q) the ratio is 1 (the limit t* -> 0), so serving tokens tilts the
firm towards a smaller model trained on more tokens.  Nothing here is typed in: the law is
an undefined function q(n, d), the conditions are ``sp.diff`` of the model's concentrated
profit, and the demand link and omega are eliminated through t* = m/(2 delta).

For the CES family (r = 1: the additive law) the ratio of output elasticities is
alpha A n^(-alpha r) / (beta B d^(-beta r)), and the relation solves in closed form:

    d*/n* = rho_c(n*) (1 + kappa)^(1/(beta r)),   rho_c(n) = d_c(n)/n,

with d_c the compute-optimal tokens at the same model size; at the same d*, the model is
smaller than compute-optimal by (1 + kappa)^(-1/(alpha r)).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .algebra import unique_positive_root
from .costs import inference_flops, training_flops
from .optimality import derive_served_tokens
from .profit import ProfitModel
from .scaling import SmoothLaw
from .symbols import d, n, q, t

#: kappa = 2nt/(6nd) = t/(3d): inference compute over training compute.
COMPUTE_RATIO = sp.Symbol("kappa", positive=True)
#: A generic smooth law: quality as an undefined function of n and d.  No assumptions on
#: the function: a record's expressions are stored as srepr text, which keeps a Symbol's
#: assumptions but not an undefined function's, so a positive q(n, d) would not read back
#: equal.  (Positivity enters where it is needed, through q > 0 in the margin's terms.)
GENERIC_QUALITY = sp.Function("q")(n, d)


@dataclass(frozen=True)
class OvertrainingRelation:
    """The relation between output elasticities and served tokens, for a generic law."""

    concentrated: sp.Expr     # Pi(n, d) with q = q(n, d) generic
    focs: tuple[sp.Expr, sp.Expr]  # dPi/dn, dPi/dd (sp.diff)
    omega_at_optimum: sp.Expr  # omega solving t = t*(q): the margin is then 2 delta t
    marginal_qualities: tuple[sp.Expr, sp.Expr]  # q_n, q_d solving the two conditions
    ratio: sp.Expr            # n q_n/(d q_d) at the optimum, in n, d, t
    compute_ratio: sp.Expr    # 2nt/(6nd) from the cost terms
    compute_optimal: sp.Expr  # the ratio at t = 0 (a limit)


def derive_overtraining_relation(model: ProfitModel) -> OvertrainingRelation:
    """n q_n/(d q_d) = 1 + t*/(3d*) from dPi/dn = dPi/dd = 0 with t* = m/(2 delta) > 0.

    The conditions are solved for q_n and q_d (both linear in them); their ratio is free of
    f, omega, delta and E.  ValueError if SymPy does not find one solution of each.
    """
    served = derive_served_tokens(model)
    concentrated = served.concentrated.subs(q, GENERIC_QUALITY)
    focs = (sp.diff(concentrated, n), sp.diff(concentrated, d))
    omegas = sp.solve(sp.Eq(t, served.optimum.subs(q, GENERIC_QUALITY)), model.omega)
    if len(omegas) != 1:
        raise ValueError(f"t = t*(q) has {len(omegas)} solutions for omega")
    (omega_at,) = omegas
    solved = []
    for foc, variable in zip(focs, (n, d)):
        derivative = sp.Derivative(GENERIC_QUALITY, variable)
        roots = sp.solve(foc.subs(model.omega, omega_at), derivative)
        if len(roots) != 1:
            raise ValueError(f"dPi/d{variable} = 0 has {len(roots)} solutions for q_{variable}")
        solved.append(roots[0])
    ratio = sp.simplify(n * solved[0] / (d * solved[1]))
    compute_ratio = sp.simplify(inference_flops(n, t) / training_flops(n, d))
    compute_optimal = sp.limit(ratio, t, 0)
    return OvertrainingRelation(concentrated, focs, omega_at, tuple(solved), ratio,
                                compute_ratio, compute_optimal)


def elasticity_ratio(law: SmoothLaw, n_: sp.Expr = n, d_: sp.Expr = d) -> sp.Expr:
    """(n q_n/q) / (d q_d/q) for ``law`` (CES: alpha A n^(-alpha r) d^(beta r)/(beta B))."""
    e_n, e_d = law.output_elasticities(n_, d_)
    return sp.powsimp(sp.simplify(e_n / e_d), force=True)


@dataclass(frozen=True)
class TokensPerParameter:
    """d*/n* from the relation for one smooth law, against the compute-optimal path."""

    tokens: sp.Expr            # d(n, kappa) solving ratio = 1 + kappa
    compute_optimal: sp.Expr   # d_c(n): the law's frontier (kappa = 0)
    ratio: sp.Expr             # d(n, kappa)/n
    compute_optimal_ratio: sp.Expr  # rho_c(n) = d_c(n)/n
    factor: sp.Expr            # d(n, kappa)/d_c(n) at the same n: (1 + kappa)^(1/(beta r))
    size_factor: sp.Expr       # n(d, kappa)/n_c(d) at the same d: (1 + kappa)^(-1/(alpha r))
    slope: sp.Expr             # d log(d/n)/d kappa at fixed n


def derive_tokens_per_parameter(law: SmoothLaw, kappa: sp.Symbol = COMPUTE_RATIO
                                ) -> TokensPerParameter:
    """d*/n* = rho_c(n*) (1 + kappa)^(1/(beta r)) with kappa = t*/(3d*), by solving
    elasticity ratio = 1 + kappa for d (and, for the size factor, for n)."""
    ratio = elasticity_ratio(law)
    relation = sp.Eq(ratio, 1 + kappa)
    tokens = unique_positive_root(relation, d)
    size = unique_positive_root(relation, n)
    compute_optimal = law.frontier_tokens(n)
    size_optimal = law.frontier_parameters(d)
    factor = sp.simplify(sp.powsimp(tokens / compute_optimal, force=True))
    size_factor = sp.simplify(sp.powsimp(size / size_optimal, force=True))
    per_parameter = sp.powsimp(tokens / n, force=True)
    slope = sp.simplify(sp.diff(sp.expand_log(sp.log(per_parameter), force=True), kappa))
    return TokensPerParameter(tokens, compute_optimal, per_parameter,
                              sp.powsimp(compute_optimal / n, force=True), factor,
                              size_factor, slope)
