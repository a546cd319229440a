"""The built-in models: the paper's and variants that differ from it only in parts.

- ``data-price``: a price c_D per training token, the cost term c_D d;
- ``size-cap``: a cap n <= N on model size (optional, like the data cap);
- ``additive`` and ``ces``: the scaling law replaced by a smooth one (Appendix B's
  additive law, and the CES family that holds it and the Leontief law as a limit).

Each is a :class:`~.profit.ProfitModel` value; nothing downstream knows which one
it is given.  Their parameters are declared in :data:`profitopt.paramspec.MODELS`.
"""

from __future__ import annotations

from dataclasses import replace

from ..paramspec import DATA_PRICE, MODEL_SUMMARIES, MODELS, SIZE_CAP
from .constraints import Cap
from .costs import data_price_cost
from .profit import ProfitModel
from .scaling import CES, additive
from .symbols import n, parameter_symbol


def paper() -> ProfitModel:
    """The paper's model."""
    return ProfitModel()


def data_price() -> ProfitModel:
    """The paper's model with the cost term c_D d added."""
    base = ProfitModel()
    return replace(base, name="data-price", parameters=MODELS["data-price"],
                   costs=(*base.costs, data_price_cost(parameter_symbol(DATA_PRICE))))


def size_cap() -> ProfitModel:
    """The paper's model with the constraint n <= N added."""
    base = ProfitModel()
    cap = Cap(n, parameter_symbol(SIZE_CAP), "size-bound", "largest model size")
    return replace(base, name="size-cap", parameters=MODELS["size-cap"],
                   caps=(*base.caps, cap))


def additive_law() -> ProfitModel:
    """The paper's model under the additive (Chinchilla) law q = 1/(A n^-alpha + B d^-beta)."""
    return replace(ProfitModel(), name="additive", parameters=MODELS["additive"],
                   law=additive())


def ces_law() -> ProfitModel:
    """The paper's model under the CES law q = (A n^(-alpha r) + B d^(-beta r))^(-1/r)."""
    return replace(ProfitModel(), name="ces", parameters=MODELS["ces"], law=CES())


#: Each built-in model's builder, by name (the same names as paramspec.MODELS).
BUILDERS = {"paper": paper, "data-price": data_price, "size-cap": size_cap,
            "additive": additive_law, "ces": ces_law}
#: The built-in models whose law is smooth (no kink: solved in (log n, log d)).
SMOOTH = ("additive", "ces")


def model_named(name: str) -> ProfitModel:
    """The built-in model called ``name`` (KeyError if there is none)."""
    return BUILDERS[name]()


def register(model: ProfitModel, summary: str) -> str:
    """Make ``model`` (a model file's) known by its name to everything that looks models up
    by name (the compiled Problem, the Parameters class, the command line); returns the
    name.  ValueError if a different model already has the name."""
    if model.name in BUILDERS and BUILDERS[model.name]() != model:
        raise ValueError(f"a different model is already called {model.name!r}")
    BUILDERS[model.name] = lambda: model
    MODELS[model.name] = model.parameters
    MODEL_SUMMARIES[model.name] = summary
    return model.name
