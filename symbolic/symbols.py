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

from ..paramspec import PAPER, ParamSpec

n, d, t = sp.symbols("n d t", positive=True)
q = sp.Symbol("q", positive=True)
E, D = sp.symbols("E D", positive=True)
a, b = sp.symbols("a b", positive=True)
alpha, beta = sp.symbols("alpha beta", positive=True)
omega, delta = sp.symbols("omega delta", positive=True)
gamma = sp.Symbol("gamma", real=True)
rho = sp.Symbol("rho", positive=True)
# Smooth laws (the additive Chinchilla law and its CES family): coefficients A, B of the
# reducible loss A n^-alpha + B d^-beta, and the CES curvature r (r = 1: additive).
A, B = sp.symbols("A B", positive=True)
r = sp.Symbol("r", positive=True)

# Log-space coordinates: x = log n and the logs of the positive parameters.
x = sp.Symbol("x", real=True)
log_E, log_D = sp.symbols("log_E log_D", real=True)
log_a, log_b = sp.symbols("log_a log_b", real=True)
log_omega, log_delta = sp.symbols("log_omega log_delta", real=True)




def parameter_symbol(spec: ParamSpec) -> sp.Symbol:
    """The SymPy symbol of a declared parameter: its name, positive or real by its domain
    (the paper's parameters are this module's symbols of the same name)."""
    if spec.positive:
        return sp.Symbol(spec.name, positive=True)
    return sp.Symbol(spec.name, real=True)


def kernel_symbol(spec: ParamSpec) -> sp.Symbol:
    """The symbol a kernel takes for ``spec``: log_name for a scale, the symbol itself for
    an exponent or a real parameter."""
    if spec.logarithmic:
        return sp.Symbol(f"log_{spec.name}", real=True)
    return parameter_symbol(spec)


def log_coordinates(specs: tuple[ParamSpec, ...]) -> dict[sp.Symbol, sp.Symbol]:
    """Positive symbol -> log coordinate, for n and the scales among ``specs``."""
    return {n: x, **{parameter_symbol(spec): kernel_symbol(spec)
                     for spec in specs if spec.logarithmic}}


#: Model parameters in the order every kernel takes them: the declared parameters
#: (:mod:`profitopt.paramspec`), each this module's symbol of the same name.
PARAMETERS: tuple[sp.Symbol, ...] = tuple(parameter_symbol(spec) for spec in PAPER)
#: The same parameters in log-space coordinates (exponents stay as they are).
LOG_PARAMETERS: tuple[sp.Symbol, ...] = tuple(kernel_symbol(spec) for spec in PAPER)
#: Positive symbol -> its log-space coordinate, for the paper's model.
LOG_COORDINATES: dict[sp.Symbol, sp.Symbol] = log_coordinates(PAPER)
