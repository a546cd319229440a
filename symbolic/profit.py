"""The firm's objective pi(n, d, t) = omega t f(q) - delta t^2 - (6nd + 2nt)/E."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import sympy as sp

from .costs import inference_cost, training_cost
from .demand import demand_link, stable_demand_link
from .scaling import Leontief, ScalingLaw
from .symbols import D, E, delta, gamma, omega


class Regime(Enum):
    """Compute-bound: d is free.  Data-bound: d <= D."""

    COMPUTE_BOUND = "compute-bound"
    DATA_BOUND = "data-bound"


@dataclass(frozen=True)
class ProfitModel:
    """A monopolist choosing (n, d, t) under a scaling law and a demand link."""

    law: ScalingLaw = field(default_factory=Leontief)
    shape: sp.Expr = gamma
    omega: sp.Expr = omega
    delta: sp.Expr = delta
    efficiency: sp.Expr = E
    data_cap: sp.Expr = D

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
        return (self.revenue(t, quality, stable=stable)
                - training_cost(n, d, self.efficiency)
                - inference_cost(n, t, self.efficiency))

    def objective(self, n: sp.Expr, d: sp.Expr, t: sp.Expr, *, stable: bool = False) -> sp.Expr:
        """pi(n, d, t) = omega t f(q(n, d)) - delta t^2 - (6nd + 2nt)/E."""
        return self.objective_at_quality(n, d, t, self.law.quality(n, d), stable=stable)

    def constraints(self, d: sp.Expr, regime: Regime) -> tuple[sp.Rel, ...]:
        """Feasible set beyond positivity: d <= D in the data-bound regime."""
        if regime is Regime.DATA_BOUND:
            return (sp.Le(d, self.data_cap),)
        return ()
