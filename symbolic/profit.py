"""A profit model as a value: pi = omega t f(q) - delta t^2 - (sum of its cost terms).

The paper's model, ``ProfitModel()``, has the Leontief law, the demand link
f_gamma, the costs (6nd + 2nt)/E and the optional data cap d <= D.  A variant is
the same value with other parts (see :mod:`.variants`); every derivation reads
the parts, never a fixed formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import sympy as sp

from ..paramspec import PAPER, ParamSpec
from .constraints import Cap
from .costs import CostTerm, compute_costs
from .demand import demand_link, stable_demand_link
from .scaling import Leontief, ScalingLaw
from .symbols import D, E, d, delta, gamma, log_coordinates, n, omega, parameter_symbol, t


class Regime(Enum):
    """Compute-bound: d is free.  Data-bound: d <= D."""

    COMPUTE_BOUND = "compute-bound"
    DATA_BOUND = "data-bound"


@dataclass(frozen=True)
class ProfitModel:
    """A monopolist choosing (n, d, t) under a scaling law and a demand link.

    Parts: ``law`` (quality q(n, d)); the demand link f_gamma of shape ``shape`` with
    linear inverse demand omega f(q) - delta t; ``costs`` (dollar cost terms); ``caps``
    (``variable <= bound`` constraints, each a KKT case); ``chosen`` (the firm's
    variables); ``parameters`` (every parameter declared once, in kernel order).
    ``efficiency`` is the FLOPs-per-dollar symbol that the compute costs divide by.
    """

    law: ScalingLaw = field(default_factory=Leontief)
    shape: sp.Expr = gamma
    omega: sp.Expr = omega
    delta: sp.Expr = delta
    efficiency: sp.Expr = E
    costs: tuple[CostTerm, ...] = field(default_factory=compute_costs)
    caps: tuple[Cap, ...] = (Cap(d, D, "data-bound", "available training data"),)
    chosen: tuple[sp.Symbol, ...] = (n, d, t)
    parameters: tuple[ParamSpec, ...] = PAPER
    name: str = "paper"

    def __post_init__(self) -> None:
        declared = set(self.symbols)
        used = set().union(*(term.expr.free_symbols for term in self.costs),
                           *({cap.bound} for cap in self.caps),
                           self.law.quality(n, d).free_symbols, {self.shape, self.omega,
                                                                 self.delta})
        undeclared = used - declared - set(self.chosen)
        if undeclared:
            raise ValueError(f"model {self.name!r} uses undeclared symbols "
                             f"{sorted(map(str, undeclared))}")

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        """The parameters' symbols, in kernel order."""
        return tuple(parameter_symbol(spec) for spec in self.parameters)

    @property
    def log_coordinates(self) -> dict[sp.Symbol, sp.Symbol]:
        """n -> x and each scale parameter -> its log coordinate."""
        return log_coordinates(self.parameters)

    @property
    def data_cap(self) -> sp.Expr:
        """The bound of the cap on training tokens d (ValueError if the model has none)."""
        for cap in self.caps:
            if cap.variable == d:
                return cap.bound
        raise ValueError(f"model {self.name!r} has no cap on d")

    def fixed_cost(self, n: sp.Expr, d: sp.Expr) -> sp.Expr:
        """The cost terms free of t (paid before serving), at (n, d)."""
        return sp.Add(*(term.expr.subs({_N: n, _D_TOKENS: d}, simultaneous=True)
                        for term in self.costs if not term.expr.has(t)))

    def serving_cost(self, n: sp.Expr, t: sp.Expr) -> sp.Expr:
        """The cost terms that grow with served tokens t, at (n, t)."""
        return sp.Add(*(term.expr.subs({_N: n, _T: t}, simultaneous=True)
                        for term in self.costs if term.expr.has(_T)))

    def cost(self, n: sp.Expr, d: sp.Expr, t: sp.Expr) -> sp.Expr:
        """Every cost term at (n, d, t)."""
        return sp.Add(*(term.expr.subs({_N: n, _D_TOKENS: d, _T: t}, simultaneous=True)
                        for term in self.costs))

    def link(self, quality: sp.Expr, *, stable: bool = False) -> sp.Expr:
        """f_gamma(q); ``stable`` selects the form finite at gamma = 0."""
        if stable:
            return stable_demand_link(quality, self.shape)
        return demand_link(quality, self.shape)

    def revenue(self, t: sp.Expr, quality: sp.Expr, *, stable: bool = False) -> sp.Expr:
        """R = omega t f(q) - delta t^2 (linear inverse demand)."""
        return self.omega * t * self.link(quality, stable=stable) - self.delta * t**2

    def objective_at_quality(self, n: sp.Expr, d: sp.Expr, t: sp.Expr, quality: sp.Expr,
                             *, stable: bool = False) -> sp.Expr:
        """pi with quality q given separately: R(t, q) - (6nd + 2nt)/E."""
        return self.revenue(t, quality, stable=stable) - self.cost(n, d, t)

    def objective(self, n: sp.Expr, d: sp.Expr, t: sp.Expr, *, stable: bool = False) -> sp.Expr:
        """pi(n, d, t) = omega t f(q(n, d)) - delta t^2 - costs (the paper: (6nd + 2nt)/E)."""
        return self.objective_at_quality(n, d, t, self.law.quality(n, d), stable=stable)

    def constraints(self, d: sp.Expr, regime: Regime) -> tuple[sp.Rel, ...]:
        """Feasible set beyond positivity: d <= D in the data-bound regime."""
        if regime is Regime.DATA_BOUND:
            return (sp.Le(d, self.data_cap),)
        return ()


_N, _D_TOKENS, _T = n, d, t
