"""Records are immutable values whose ids match their modules."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from profitopt.derivations.record import Claim, Derivation, Role
from profitopt.derivations.registry import MODULES, all_derivations


class TestRecordsAreValues:
    """Every derivation is frozen, picklable and named after its module."""

    def test_ids_equal_module_names(self):
        assert [d.id for d in all_derivations()] == [m.__name__.rsplit(".", 1)[-1] for m in MODULES]

    @pytest.mark.parametrize("derivation", all_derivations(), ids=lambda d: d.id)
    def test_frozen(self, derivation: Derivation):
        with pytest.raises(dataclasses.FrozenInstanceError):
            derivation.title = "changed"  # type: ignore[misc]

    @pytest.mark.parametrize("derivation", all_derivations(), ids=lambda d: d.id)
    def test_pickle_round_trip(self, derivation: Derivation):
        assert pickle.loads(pickle.dumps(derivation)) == derivation


class TestClaimsCarryEvidence:
    """Each claim has checks; each claim with a reported form is compared with it."""

    claims = [(d.id, c) for d in all_derivations() for c in d.claims]

    @pytest.mark.parametrize("owner,claim", claims, ids=[f"{o}/{c.id}" for o, c in claims])
    def test_has_checks(self, owner: str, claim: Claim):
        assert claim.checks, f"{owner}/{claim.id} has no checks"

    @pytest.mark.parametrize("owner,claim", claims, ids=[f"{o}/{c.id}" for o, c in claims])
    def test_steps_reference_earlier_steps(self, owner: str, claim: Claim):
        derivation = next(d for d in all_derivations() if d.id == owner)
        seen: set[str] = set()
        for step in derivation.steps:
            assert set(step.uses) <= seen, f"{step.id} uses a later or unknown step"
            seen.add(step.id)

    def test_reported_forms_are_compared(self):
        uncompared = [f"{d.id}/{c.id}" for d in all_derivations() for c in d.claims
                      if c.reported is not None
                      and not any(k.role is Role.REPORTED for k in c.checks)]
        assert uncompared == []

    def test_reported_checks_have_a_reported_statement(self):
        """A claim compared with the paper says what the paper reports (words or formula)."""
        silent = [f"{d.id}/{c.id}" for d in all_derivations() for c in d.claims
                  if any(k.role is Role.REPORTED for k in c.checks)
                  and c.reported is None and not c.reported_text]
        assert silent == []

    def test_numeric_elasticities_sample_several_parameter_sets(self):
        """A central-difference check rests on at least three seeded draws, not one point."""
        from profitopt.derivations.record import ElasticityCheck
        thin = [f"{d.id}/{c.id}/{k.id}" for d in all_derivations() for c in d.claims
                for k in c.checks if isinstance(k, ElasticityCheck) and k.box.samples < 3]
        assert thin == []
