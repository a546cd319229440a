"""profitopt: derive, verify and typeset the theory of profit-optimal LLM training.

The public API, loaded on first use so that ``import profitopt`` (and
``profitopt --version``) does not import SymPy, numpy or numba:

- ``solve(alpha=, beta=, gamma=, a=, b=, omega=, delta=, E=, D=None, model="paper")`` --
  the optimum (n, d, t) of one market, checked at 50 digits (``model``: the paper's or
  a variant, "data-price" with ``c_D=`` or "size-cap" with ``N=``);
- ``solve_many(...)`` -- the same for arrays of parameters (numpy broadcasting);
- ``exponents(of, wrt, ...)`` -- d log Q* / d log E (or D), per regime and local;
- ``sweep(model="paper", chunks=None, **parameters)`` -- a grid as a labelled
  ``xarray.Dataset``, in-process or lazy on Dask (the extra ``profitopt[distributed]``);
- ``trends(scenario=None, file=None)`` -- permitted against observed growth of training
  spend and compute, per scenario and gamma;
- ``derivations(*ids)`` -- the derivation records, verified;
- ``reproduce(out)`` -- claims.json, the LaTeX appendix, figures and PDF.

Their docstrings (in :mod:`profitopt.api`) give parameters, units and fields.

Two of these names are also modules of the package (``profitopt.reproduce``,
``profitopt.derivations``).  Importing a submodule normally binds it as an
attribute of the package; here the package keeps the public function under the
name instead, so ``profitopt.reproduce`` is always the function.  The modules
stay importable by their full names (``from profitopt.reproduce import
Progress``); the exponent analysis is :mod:`profitopt.analysis.exponents`.
"""

from __future__ import annotations

import sys
import types

__version__ = "0.1.0"

__all__ = ["__version__", "solve", "solve_many", "sweep", "exponents", "trends",
           "derivations", "reproduce"]
_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> object:
    """Load the public API on first access (PEP 562)."""
    if name in _API:
        from . import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API)


class _Package(types.ModuleType):
    """The package module: a submodule named like a public function does not replace it."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
