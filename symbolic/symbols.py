"""Every symbol of the profit model, declared once with its assumptions.

Decision variables ``n`` (parameters), ``d`` (training tokens), ``t`` (served
tokens); market and technology parameters ``omega`` (willingness-to-pay
scale), ``delta`` (slope of inverse demand), ``E`` (FLOPs per dollar),
``D`` (available data); scaling-law parameters ``a``, ``b`` (parameter and
data efficiency), ``alpha``, ``beta`` (exponents); demand-link shape
``gamma``.  Log-space variables carry a ``log_`` prefix: ``x = log n``.
"""

from __future__ import annotations

import sympy as sp

from ..paramspec import PAPER

n, d, t = sp.symbols("n d t", positive=True)
q = sp.Symbol("q", positive=True)
E, D = sp.symbols("E D", positive=True)
a, b = sp.symbols("a b", positive=True)
alpha, beta = sp.symbols("alpha beta", positive=True)
omega, delta = sp.symbols("omega delta", positive=True)
gamma = sp.Symbol("gamma", real=True)
rho = sp.Symbol("rho", positive=True)

# Log-space coordinates: x = log n and the logs of the positive parameters.
x = sp.Symbol("x", real=True)
log_E, log_D = sp.symbols("log_E log_D", real=True)
log_a, log_b = sp.symbols("log_a log_b", real=True)
log_omega, log_delta = sp.symbols("log_omega log_delta", real=True)

#: Positive symbol -> its log-space coordinate.
LOG_COORDINATES: dict[sp.Symbol, sp.Symbol] = {
    n: x,
    E: log_E,
    D: log_D,
    a: log_a,
    b: log_b,
    omega: log_omega,
    delta: log_delta,
}

#: Model parameters in the order every kernel takes them: the declared parameters
#: (:mod:`profitopt.paramspec`), each this module's symbol of the same name.
PARAMETERS: tuple[sp.Symbol, ...] = tuple(globals()[spec.name] for spec in PAPER)
#: The same parameters in log-space coordinates (exponents stay as they are).
LOG_PARAMETERS: tuple[sp.Symbol, ...] = tuple(
    LOG_COORDINATES[symbol] if spec.logarithmic else symbol
    for spec, symbol in zip(PAPER, PARAMETERS))
