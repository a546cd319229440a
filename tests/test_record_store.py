"""Records read back from the cache are the records SymPy derives, value for value."""

from __future__ import annotations

import pytest

import profitopt.record_store as store
from profitopt.derivations.registry import all_derivations
from profitopt.numeric import cache


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path))
    monkeypatch.setattr(cache, "_enabled", True)
    store.records.cache_clear()
    yield tmp_path
    store.records.cache_clear()


class TestRecords:
    """Stored, read back, equal; a damaged entry is derived again."""

    def test_round_trip(self, fresh):
        first = store.records()
        store.records.cache_clear()
        (entry,) = fresh.glob("records-*.json")
        again = store.records()
        assert again == first == all_derivations()
        assert again is not first

    @pytest.mark.parametrize("damage", [
        pytest.param(lambda text: text[:-100], id="truncated"),
        pytest.param(lambda text: text.replace('"Role.REPORTED"', '"Role.EVAL"'), id="enum"),
        pytest.param(lambda text: text.replace("Symbol(", "__import__("), id="code"),
    ])
    def test_damaged(self, fresh, damage):
        store.records()
        store.records.cache_clear()
        (entry,) = fresh.glob("records-*.json")
        entry.write_text(damage(entry.read_text()))
        assert store.records() == all_derivations()

    def test_planted_code_with_a_valid_checksum_is_not_run(self, fresh, tmp_path):
        marker = tmp_path / "ran"
        planted = {"tuple": [{"sympy": f"__import__('pathlib').Path({str(marker)!r}).touch()"}]}
        cache.store("records", store.fingerprint(), planted)
        assert store.records() == all_derivations()
        assert not marker.exists()
