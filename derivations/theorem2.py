"""Theorem 2 (gamma = 0): n* = O(aE/rho), d* = O(aE), C*_train = O(a^2 E/rho)."""

from __future__ import annotations

import sympy as sp

from ..symbolic.symbols import E, a, alpha, beta, gamma, rho
from .calibration import COMPUTE_BOUND, growth, point
from .growth_steps import growth_steps
from .record import Assumption, Claim, Derivation, ExponentCheck, LocalExponentCheck, Role
from .text import number_latex

ID = "theorem2"

#: Theorem 2's bounds as the paper reports them, inside O(.): all linear in E.
REPORTED = {"n": a * E / rho, "d": a * E, "train_cost": a**2 * E / rho}
#: With log factors the local exponent converges like 1/log E; at E = 1e40..1e80 the
#: law k + m/log E is within this much of it.
LOG_RATE_TOLERANCE = sp.Rational(1, 200)
EXACT = sp.Rational(1, 10**6)


def derive() -> Derivation:
    """The gamma = 0 bound n_peak = omega alpha E/2 and the (E log E) rates beyond E_c."""
    g = growth("zero")
    at = point("zero")
    bound, limit = g.bound, g.limit
    e_c = number_latex(g.crossover.subs(dict(at)))
    window = (rf"linear while inference dominates, $E \ll E_c = {e_c}$ at the calibration "
              rf"point; as $E \to \infty$, "
              rf"$n^* \sim (E \log E)^{{{sp.latex(limit.law.exponent)}}}$")

    def quantity_claim(claim_id: str, statement: str, quantity: str, text: str,
                       local: bool) -> Claim:
        k_bound = bound.quantities[quantity].law.exponent
        k_limit = limit.quantities[quantity].law.exponent
        m_limit = limit.quantities[quantity].law.log_power
        reported_exponent = sp.simplify(E * sp.diff(sp.log(REPORTED[quantity]), E))
        checks = [
            ExponentCheck(f"{claim_id}-exponent", r"$E$-exponent of the bound vs the reported "
                          r"linear growth", k_bound, reported_exponent, at, EXACT),
            ExponentCheck(f"{claim_id}-is-rate", r"bound exponent vs the $E \to \infty$ rate",
                          k_bound, k_limit, at, EXACT, Role.TIGHTNESS),
        ]
        if local:
            checks.append(LocalExponentCheck(
                f"{claim_id}-limit-rate", r"local exponent vs the $(E \log E)$ law at large $E$",
                quantity, E, k_limit, m_limit, at, (40, 60, 80), LOG_RATE_TOLERANCE))
        return Claim(claim_id, statement, bound.quantities[quantity].law.expr(E),
                     tuple(checks), reported=REPORTED[quantity], reported_text=text,
                     kind="bound", window=window)

    claims = (
        quantity_claim("model-size", r"For $\gamma = 0$, $n^* = \mathcal{O}(aE/\rho)$.", "n",
                       r"$n^* = \mathcal{O}(aE/\rho)$", True),
        quantity_claim("tokens", r"For $\gamma = 0$, $d^* = \mathcal{O}(aE)$.", "d",
                       r"$d^* = \mathcal{O}(aE)$", True),
        quantity_claim("spend", r"For $\gamma = 0$, "
                       r"$C^*_{\mathrm{train}} = \mathcal{O}(a^2 E/\rho)$: linear in $E$.",
                       "train_cost",
                       r"$C^*_{\mathrm{train}} = \mathcal{O}(a^2 E/\rho)$", False),
    )
    return Derivation(
        ID, r"Compute-bound growth for $\gamma = 0$", "Theorem", "Theorem 2",
        r"With $f_0(q) = \log q$, $n^* < n_{\mathrm{peak}} = \omega\alpha E/2$: linear in $E$ "
        r"while inference dominates; beyond $E_c$, "
        rf"$n^* \sim (E \log E)^{{{sp.latex(limit.law.exponent)}}}$.",
        (COMPUTE_BOUND,
         Assumption("shape", r"$\gamma = 0$: $f_0(q) = \log q$.", sp.Eq(gamma, 0)),
         Assumption("example", r"$\beta = \alpha$, so $d^* \sim n^*$ (named choice).",
                    sp.Eq(beta, alpha))),
        growth_steps(g), claims,
        statement_math=(sp.Lt(sp.Symbol("n^{*}"), bound.law.expr(E)),
                        sp.Eq(sp.Symbol("n_{T}"), limit.law.expr(E))),
        notes=(r"$n_{\mathrm{peak}} = \omega\alpha E/2$ does not depend on $a$ or $\rho$: the "
               r"reported $a/\rho$ factor is not reproduced by the margin bound, which an "
               r"$\mathcal{O}$-bound may exceed.",
               r"The spend's $E \to \infty$ law is a power of $\log E$ only, so its local "
               r"exponent tends to $0$ like $1/\log E$.",))
