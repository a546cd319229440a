"""Growth analyses are reused only where every decision of the derivation comes out the same."""

from __future__ import annotations

import pytest
import sympy as sp

import profitopt.growth_store as store
from profitopt.numeric import cache
from profitopt.symbolic import symbols as S
from profitopt.symbolic.growth import derive_compute_bound_growth
from profitopt.symbolic.profit import ProfitModel

R = sp.Rational
MARKET = {S.a: sp.Float(10), S.b: sp.Float(10), S.omega: sp.Float(1), S.delta: sp.Float(1e-12)}


def _reference(gamma, alpha=R(3, 10), beta=R(3, 10)):
    return {S.alpha: alpha, S.beta: beta, S.gamma: gamma, **MARKET}


@pytest.fixture
def counted(tmp_path, monkeypatch):
    """A fresh cache, and a count of the derivations actually made."""
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path))
    monkeypatch.setattr(cache, "_enabled", True)
    calls = []
    real = store.derive_compute_bound_growth

    def derive(*args, **kwargs):
        calls.append(args[1][S.gamma])
        return real(*args, **kwargs)
    monkeypatch.setattr(store, "derive_compute_bound_growth", derive)
    return calls


class TestReuse:
    """Same decisions: the stored analysis; other decisions: a new derivation."""

    def test_same_region_is_reused_and_equal(self, counted):
        first = store.compute_bound_growth(_reference(R(-1)), S.gamma)
        second = store.compute_bound_growth(_reference(R(-1, 2), R(1, 4), R(2, 5)), S.gamma)
        assert counted == [R(-1)]
        direct = derive_compute_bound_growth(ProfitModel(), _reference(R(-1, 2), R(1, 4),
                                                                       R(2, 5)), S.gamma)
        assert second.training.law == direct.training.law == first.training.law
        assert second.inference.quantities == direct.inference.quantities
        assert second.has_peak == direct.has_peak

    def test_other_branch_is_derived(self, counted):
        store.compute_bound_growth(_reference(R(-1)), S.gamma)
        positive = store.compute_bound_growth(_reference(R(1, 2)), S.gamma)
        assert counted == [R(-1), R(1, 2)]
        direct = derive_compute_bound_growth(ProfitModel(), _reference(R(1, 2)), S.gamma)
        assert positive.training.law == direct.training.law

    def test_no_peak_region_is_its_own(self, counted):
        store.compute_bound_growth(_reference(R(-1)), S.gamma)
        beyond = store.compute_bound_growth(_reference(R(-22, 10), R(1, 2), R(1, 5)), S.gamma)
        assert len(counted) == 2 and beyond.has_peak is False

    def test_damaged_entry_is_rederived(self, counted, tmp_path):
        store.compute_bound_growth(_reference(R(-1)), S.gamma)
        (entry,) = tmp_path.glob("growth-nonzero-*.json")
        entry.write_text(entry.read_text().replace("Symbol", "__import__"))
        again = store.compute_bound_growth(_reference(R(-1)), S.gamma)
        assert len(counted) == 2
        assert again.training.law.exponent.subs({S.alpha: R(3, 10), S.beta: R(3, 10),
                                                 S.gamma: -1}) == R(5, 7)
