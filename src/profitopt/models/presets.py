"""Named scaling-law presets (``laws.toml``): fitted coefficients with their sources.

Each preset gives the additive law's ``E0``, ``A``, ``B``, ``alpha`` and ``beta``, read
exactly (decimal text -> SymPy Rational, by the restricted expression reader), so a
preset's numbers enter derivations without rounding.  They are inputs: fitted values
from the literature, not results the toolkit checks.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import sympy as sp

from ..errors import InputError
from ..symbolic.expressions import read_expression

#: The coefficients every preset gives.
COEFFICIENTS = ("E0", "A", "B", "alpha", "beta")


@dataclass(frozen=True)
class Preset:
    """A fitted additive law L = E0 + A n^-alpha + B d^-beta, exact, with its source."""

    name: str
    summary: str
    source: str
    E0: sp.Rational
    A: sp.Rational
    B: sp.Rational
    alpha: sp.Rational
    beta: sp.Rational

    def values(self) -> dict[str, float]:
        """The coefficients as floats, by name (for the numeric solvers)."""
        return {name: float(getattr(self, name)) for name in COEFFICIENTS}


@lru_cache(maxsize=1)
def presets() -> dict[str, Preset]:
    """Every preset of ``laws.toml``, by name, in file order."""
    text = resources.files(__package__).joinpath("laws.toml").read_text(encoding="utf-8")
    found = {}
    for name, table in tomllib.loads(text).items():
        numbers = {key: read_expression(table[key], {}, field=f"laws.toml: {name}.{key}")
                   for key in COEFFICIENTS}
        for key, value in numbers.items():
            if not (value.is_Rational and value > 0):
                raise ValueError(f"laws.toml: {name}.{key} must be a positive number")
        found[name] = Preset(name, table["summary"], table["source"], **numbers)
    return found


def preset(name: str) -> Preset:
    """The preset called ``name`` (InputError listing the known ones otherwise)."""
    known = presets()
    if name not in known:
        raise InputError(f"unknown preset {name!r}; presets: {', '.join(known)}")
    return known[name]
