"""Theorem 2 (gamma = 0): n* = O(aE/rho), d* = O(aE), C*_train = O(a^2 E/rho)."""

from __future__ import annotations

import sympy as sp

from ..symbolic.symbols import E, alpha, beta, gamma
from .calibration import growth, point
from .growth_steps import growth_steps
from .record import Assumption, Claim, Derivation, ExponentCheck, LocalExponentCheck, Role

ID = "theorem2"

#: Reported E-exponents of Theorem 2 (all linear in E).
REPORTED_LINEAR = sp.Integer(1)
#: With log factors the local exponent converges like 1/log E; at E = 1e40..1e80 the
#: law k + m/log E is within this much of it.
LOG_RATE_TOLERANCE = sp.Rational(1, 200)
EXACT = sp.Rational(1, 10**6)


def derive() -> Derivation:
    """The gamma = 0 bound n_peak = omega alpha E/2 and the (E log E) rates beyond E_c."""
    g = growth("zero")
    at = point("zero")
    bound, limit = g.bound, g.limit
    e_c = sp.sstr(sp.N(g.crossover.subs(dict(at)), 3))
    window = (f"linear while inference dominates, E << E_c = {e_c} at the calibration point; "
              f"as E -> infinity n* ~ (E log E)^{sp.sstr(limit.law.exponent)}")

    def quantity_claim(claim_id: str, statement: str, quantity: str, text: str,
                       local: bool) -> Claim:
        k_bound = bound.quantities[quantity].law.exponent
        k_limit = limit.quantities[quantity].law.exponent
        m_limit = limit.quantities[quantity].law.log_power
        checks = [
            ExponentCheck(f"{claim_id}-exponent", "E-exponent of the bound vs linear",
                          k_bound, REPORTED_LINEAR, at, EXACT),
            ExponentCheck(f"{claim_id}-is-rate", "bound exponent vs the E -> infinity rate",
                          k_bound, k_limit, at, EXACT, Role.TIGHTNESS),
        ]
        if local:
            checks.append(LocalExponentCheck(
                f"{claim_id}-limit-rate", "local exponent vs (E log E) law at large E",
                quantity, E, k_limit, m_limit, at, (40, 60, 80), LOG_RATE_TOLERANCE))
        return Claim(claim_id, statement, bound.quantities[quantity].law.expr(E),
                     tuple(checks), reported=REPORTED_LINEAR, reported_text=text,
                     kind="bound", window=window)

    claims = (
        quantity_claim("model-size", "For gamma = 0, n* = O(aE/rho).", "n", "n* = O(aE/rho)",
                       True),
        quantity_claim("tokens", "For gamma = 0, d* = O(aE).", "d", "d* = O(aE)", True),
        quantity_claim("spend", "For gamma = 0, C*_train = O(a^2 E/rho): linear in E.",
                       "train_cost", "C*_train = O(a^2 E/rho)", False),
    )
    return Derivation(
        ID, "Compute-bound growth for gamma = 0", "Theorem", "Theorem 2",
        "With f = log q, n* < n_peak = omega alpha E/2: linear in E while inference "
        "dominates; beyond E_c, n* ~ (E log E)^(beta/(alpha+beta)).",
        (Assumption("compute-bound", "d is free (no data cap).", sp.Eq(sp.Symbol("D"), sp.oo)),
         Assumption("shape", "gamma = 0: f(q) = log q.", sp.Eq(gamma, 0)),
         Assumption("example", "beta = alpha, so d* ~ n* (named choice).", sp.Eq(beta, alpha))),
        growth_steps(g), claims,
        statement_math=(sp.Lt(sp.Symbol("n^{*}"), bound.law.expr(E)),
                        sp.Eq(sp.Symbol("n_{T}"), limit.law.expr(E))),
        notes=("n_peak = omega alpha E/2 does not depend on a or rho: the reported a/rho "
               "factor is not reproduced by the margin bound, which an O-bound may exceed.",
               "The spend's E -> infinity law is a power of log E only, so its local exponent "
               "tends to 0 like 1/log E.",))
