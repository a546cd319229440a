"""Yearly growth that a law of the optimum permits when its inputs grow exponentially.

Let each input v (hardware efficiency E, parameter efficiency a, data efficiency b,
available data D) grow by the factor e^(l_v) a year.  A quantity whose law is

    x ~ C(a, b, ...) v^k (log v)^m

then grows each year by the factor e^(L) with

    L = sum_v (d log x / d log v) l_v,

the sum of the law's elasticities weighted by the inputs' log growth rates.  A
factor (log E)^m adds m log(1 + l_E/log E) a year, which vanishes as E grows: the
yearly factor of the leading-order law is e^(L) with that term left out, and the
records say so where m != 0.

Training FLOPs are spend times E (6nd = E * 6nd/E), so their log rate is the spend's
plus l_E, whatever the law.  The break-even shape gamma solves L(gamma) = l_obs;
on each branch of gamma the laws' exponents are rational in gamma, so SymPy solves
it in closed form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy as sp

from .asymptotics import PowerLaw
from .growth import RateRegime
from .symbols import D, E, a, b, gamma

#: The inputs that may grow, each with the symbol of its log yearly growth rate.
RATES: dict[sp.Symbol, sp.Symbol] = {
    v: sp.Symbol(rf"\ell_{{{v.name}}}", real=True) for v in (E, a, b, D)
}
#: The log yearly growth rate of the observed quantity.
OBSERVED_RATE = sp.Symbol(r"\ell_{\mathrm{obs}}", real=True)
#: The quantities whose permitted growth is reported.
GROWING = ("train_cost", "train_flops")


def log_growth(expr: sp.Expr, rates: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """sum_v (v d log(expr)/dv) * rates[v]: the log yearly growth of ``expr`` (a product
    of powers of the inputs) when each input v grows by e^(rates[v]) a year."""
    logged = sp.expand_log(sp.log(expr), force=True)
    total = sum((v * sp.diff(logged, v) * rate for v, rate in rates.items()), sp.S.Zero)
    return sp.cancel(sp.together(total))


def law_log_growth(law: PowerLaw, variable: sp.Symbol,
                   rates: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """The log yearly growth of x ~ C variable^k (log variable)^m at leading order: the
    (log variable)^m factor's m log(1 + l/log variable) is left out (it tends to 0)."""
    return log_growth(law.coefficient * variable**law.exponent, rates)


@dataclass(frozen=True)
class Permitted:
    """Log yearly growth of training spend and FLOPs under one law of the optimum."""

    regime: str                 # the law's name ("margin bound", "training-dominated", ...)
    train_cost: sp.Expr         # L for 6nd/E
    train_flops: sp.Expr        # L for 6nd
    log_power: sp.Expr          # m of the spend's law: a (log E)^m factor left out when != 0

    def of(self, quantity: str) -> sp.Expr:
        """The log rate of ``quantity`` (one of GROWING)."""
        return getattr(self, quantity)


def permitted(regime: RateRegime, variable: sp.Symbol,
              rates: Mapping[sp.Symbol, sp.Expr] = RATES) -> Permitted:
    """The log yearly growth of spend and FLOPs under ``regime``'s laws in ``variable``."""
    spend = regime.quantities["train_cost"].law
    flops = regime.quantities["train_flops"].law
    return Permitted(regime.name, law_log_growth(spend, variable, rates),
                     law_log_growth(flops, variable, rates), spend.log_power)


def flops_from_spend(spend: sp.Expr, rates: Mapping[sp.Symbol, sp.Expr] = RATES) -> sp.Expr:
    """The log rate of 6nd = E (6nd/E): the spend's plus E's."""
    return spend + rates[E]


#: b grows as a does: rho = (a/b)^(1/alpha) held fixed (a substitution in the log rates).
RHO_FIXED = {RATES[b]: RATES[a]}


def break_even(log_rate: sp.Expr, observed: sp.Expr = OBSERVED_RATE,
               shape: sp.Symbol = gamma) -> list[sp.Expr]:
    """Every closed-form root in ``shape`` of log_rate = observed (SymPy's solve).

    Raises NotImplementedError where SymPy finds no closed form; the caller then
    brackets a root numerically.
    """
    roots = sp.solve(sp.Eq(sp.together(log_rate - observed), 0), shape)
    return [sp.simplify(root) for root in roots]
