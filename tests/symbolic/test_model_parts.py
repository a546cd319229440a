"""A model is a value made of parts; the generic derivation reads the parts.

Invariants: the paper's model is ProfitModel(); a variant differs only in its parts; each
derivation step either holds for the parts it is given or raises ValueError saying which
step is not established.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import sympy as sp

from profitopt.paramspec import DATA_PRICE, MODELS, SIZE_CAP
from profitopt.symbolic.algebra import log_of_positive_sum, logaddexp, to_log_coordinates
from profitopt.symbolic.costs import CostTerm
from profitopt.symbolic.domain import derive_bounded_range
from profitopt.symbolic.kkt import derive_cap_cases
from profitopt.symbolic.optimality import (check_kink_reduction, derive_reduced_problem,
                                           derive_served_tokens)
from profitopt.symbolic.profit import ProfitModel
from profitopt.symbolic.symbols import (D, E, a, alpha, b, beta, d, n, parameter_symbol, t,
                                        x)
from profitopt.symbolic.variants import BUILDERS, data_price, model_named, size_cap

C_D, N_CAP = parameter_symbol(DATA_PRICE), parameter_symbol(SIZE_CAP)


class TestParts:
    """Each built-in model declares exactly the parameters paramspec.MODELS lists for it."""

    @pytest.mark.parametrize("name", sorted(BUILDERS))
    def test_declared_parameters(self, name):
        model = model_named(name)
        assert model.name == name and model.parameters == MODELS[name]

    def test_data_price_adds_one_cost(self):
        assert sp.simplify(data_price().objective(n, d, t) - ProfitModel().objective(n, d, t)
                           + C_D * d) == 0

    def test_size_cap_adds_one_cap(self):
        assert [cap.relation() for cap in size_cap().caps] == [sp.Le(d, D), sp.Le(n, N_CAP)]

    def test_undeclared_symbol_is_refused(self):
        stray = sp.Symbol("c_stray", positive=True)
        with pytest.raises(ValueError, match="undeclared"):
            replace(ProfitModel(), costs=(CostTerm("stray", "stray cost", stray * d),))

    def test_fixed_and_serving_costs_split_on_t(self):
        model = data_price()
        assert sp.simplify(model.fixed_cost(n, d) - (6 * n * d / E + C_D * d)) == 0
        assert sp.simplify(model.serving_cost(n, t) - 2 * n * t / E) == 0


class TestGenericSteps:
    """Derivation steps follow the parts, and refuse parts they cannot handle."""

    def test_data_price_cost_slope(self):
        reduced = derive_reduced_problem(data_price())
        paper = derive_reduced_problem(ProfitModel())
        extra = sp.simplify(reduced.training_slope - paper.training_slope)
        assert sp.simplify(extra - C_D * sp.diff(paper.tokens, n)) == 0

    def test_kink_lemma_fails_for_a_subsidy_on_tokens(self):
        subsidy = replace(data_price(), costs=(*ProfitModel().costs,
                                               CostTerm("data_cost", "subsidy", -C_D * d)))
        with pytest.raises(ValueError, match="kink lemma is not established"):
            check_kink_reduction(subsidy)

    def test_served_tokens_need_a_concave_t_problem(self):
        cubic = replace(ProfitModel(), costs=(*ProfitModel().costs,
                                              CostTerm("odd", "odd serving cost", -t**3 / E)))
        with pytest.raises(ValueError, match="no unique closed-form"):
            derive_served_tokens(cubic)

    def test_bounded_range_uses_fastest_cost(self):
        assert derive_bounded_range(data_price()).lower == derive_bounded_range(
            ProfitModel()).lower

    def test_cap_cases(self):
        data_case, size_case = derive_cap_cases(size_cap())
        assert data_case.cap.regime == "data-bound" and size_case.cap.regime == "size-bound"
        # the data cap's image lies on the kink: a n_D^alpha = b D^beta
        assert sp.simplify(a * data_case.parameters**alpha - b * D**beta) == 0
        assert size_case.parameters == N_CAP


class TestLogOfPositiveSum:
    """One term is its log coordinates; several fold with logaddexp, whose derivative is a
    share."""

    def test_single_term_is_log_coordinates(self):
        expr = 6 * n * D / E
        assert log_of_positive_sum(expr) == to_log_coordinates(expr)

    def test_sum_folds_and_agrees(self):
        expr = 6 * n / E + 3 * n**2
        folded = log_of_positive_sum(expr)
        assert folded.has(logaddexp)
        values = {x: 2.5, sp.Symbol("log_E", real=True): 1.25}
        exact = sp.log(expr).subs({n: sp.exp(2.5), E: sp.exp(1.25)})
        assert abs(float(folded.subs(values).rewrite(sp.log)) - float(exact)) < 1e-12

    def test_negative_term_refused(self):
        with pytest.raises(ValueError, match="positive"):
            log_of_positive_sum(6 * n / E - 3 * n**2)

    def test_derivative_is_share(self):
        u, v = sp.symbols("u v", real=True)
        share = sp.diff(logaddexp(u, v), u).rewrite(sp.log)
        assert sp.simplify(share - sp.exp(u) / (sp.exp(u) + sp.exp(v))) == 0
