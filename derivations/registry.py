"""All derivation records, in the order of the appendix."""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ..symbolic.profit import ProfitModel
from ..symbolic.variants import model_named
from . import (compute_optimal_sigma, data_bound, data_price, demand_link, efficiency,
               inference_frontier, kink_lemma, model_kink, model_optimum, model_reduced,
               model_served_tokens, overtraining, parameter_efficiency, reduced_problem,
               served_tokens, smooth_exponents, substitution_elasticity, theorem1, theorem2,
               tracking, trends)
from .record import Claim, DerivableCheck, Derivation

#: The paper's results, a variant's, then Appendix B and the smooth laws beyond the kink.
MODULES = (demand_link, served_tokens, kink_lemma, reduced_problem, theorem1, theorem2, tracking,
           efficiency, parameter_efficiency, data_bound, data_price, trends,
           substitution_elasticity, compute_optimal_sigma, overtraining, inference_frontier,
           smooth_exponents)


@lru_cache(maxsize=1)
def all_derivations() -> tuple[Derivation, ...]:
    """Every record, built once per process; ids equal module names."""
    records = tuple(module.derive() for module in MODULES)
    for module, record in zip(MODULES, records):
        if record.id != module.__name__.rsplit(".", 1)[-1]:
            raise ValueError(f"record id {record.id!r} differs from its module name")
    return records


#: The generic records, derived from any model's own parts, in the order of its appendix.
MODEL_MODULES = (model_served_tokens, model_kink, model_reduced, model_optimum)


def model_derivations(name: str) -> tuple[Derivation, ...]:
    """The records that apply to the registered model ``name`` (KeyError if unknown), each
    derived from the model's parts and naming it (``Derivation.model``).

    The kink lemma and the reduced problem are left out for a law that is not a minimum of
    two arms (a smooth law); a record SymPy
    cannot derive for the model is kept as a claim that it was not established (a failing
    :class:`~.record.DerivableCheck`), never dropped or shown as verified.
    """
    model = model_named(name)
    records = []
    for module in MODEL_MODULES:
        # the kink lemma and the reduction to one variable on the kink concern a law that
        # is a minimum of two arms; a smooth law's optimum is in (n, d) (see model_optimum)
        if module in (model_kink, model_reduced) and not model_kink.applies(model):
            continue
        try:
            records.append(module.derive(model))
        except ValueError as error:
            records.append(_not_established(module, model, error))
    return tuple(records)


#: The derived value shown for a claim that SymPy could not establish.
NOT_ESTABLISHED = sp.Symbol(r"\text{not established}")


def _not_established(module, model: ProfitModel, error: ValueError) -> Derivation:
    """The record of ``module`` for ``model`` as one claim that SymPy could not establish."""
    check = DerivableCheck("derived", "SymPy derives this result for the model", str(error))
    return Derivation(module.ID, module.TITLE, "Proposition", "",
                      "SymPy could not derive this result for the model.", (), (),
                      (Claim("derived", "The result holds for the model.", NOT_ESTABLISHED,
                             (check,)),), model=model.name)
