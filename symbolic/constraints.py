"""Caps on the chosen inputs, a part of a model: ``variable <= bound``.

A cap is a KKT case of the firm's problem: either it is slack (the interior
solution) or it binds (``variable = bound``).  Each cap names the regime in
which it binds, so a solution reports which constraint decided it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Cap:
    """``variable <= bound``; where it binds the regime is ``regime``."""

    variable: sp.Symbol
    bound: sp.Symbol
    regime: str
    meaning: str

    def relation(self) -> sp.Rel:
        """The constraint as a SymPy relation."""
        return sp.Le(self.variable, self.bound)
