"""The derived-expression cache: data only, checked on every read, rebuilt when not intact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from profitopt.numeric import cache


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_enabled", True)
    return tmp_path / "cache"


def _decode(payload):
    if not isinstance(payload, dict) or "value" not in payload:
        raise ValueError("bad payload")
    return payload["value"]


class TestEntries:
    """Stored payloads come back; anything else is rebuilt, never trusted, never a crash."""

    def test_round_trip_and_private_folder(self, folder):
        builds = []
        build = lambda: builds.append(1) or {"value": 42}  # noqa: E731
        assert cache.cached("t", "k" * 64, build, _decode) == 42
        assert cache.cached("t", "k" * 64, build, _decode) == 42
        assert builds == [1]
        assert oct(folder.stat().st_mode & 0o777) == "0o700"

    @pytest.mark.parametrize("damage", [
        pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
        pytest.param(lambda text: "\x00\xff garbage", id="garbage"),
        pytest.param(lambda text: text.replace('"value": 42', '"value": 43'), id="tampered"),
        pytest.param(lambda text: text.replace('"format": 1', '"format": 0'), id="old-format"),
        pytest.param(lambda text: "", id="empty"),
    ])
    def test_damaged_entry_is_rebuilt(self, folder, damage):
        cache.cached("t", "k" * 64, lambda: {"value": 42}, _decode)
        (entry,) = folder.glob("t-*.json")
        entry.write_text(damage(entry.read_text()), encoding="latin-1")
        assert cache.cached("t", "k" * 64, lambda: {"value": 42}, _decode) == 42
        assert json.loads(entry.read_text())["payload"] == {"value": 42}

    def test_payload_that_does_not_decode_is_rebuilt(self, folder):
        cache.store("t", "k" * 64, {"other": 1})
        assert cache.cached("t", "k" * 64, lambda: {"value": 7}, _decode) == 7

    def test_new_key_replaces_the_stale_entry(self, folder):
        cache.cached("t", "a" * 64, lambda: {"value": 1}, _decode)
        cache.cached("t", "b" * 64, lambda: {"value": 2}, _decode)
        cache.cached("u", "a" * 64, lambda: {"value": 3}, _decode)
        assert sorted(p.name[:2] for p in folder.glob("*.json")) == ["t-", "u-"]
        assert cache.load("t", "b" * 64) == {"value": 2}

    def test_other_key_is_not_read(self, folder):
        cache.cached("t", "a" * 64, lambda: {"value": 1}, _decode)
        assert cache.load("t", "b" * 64) is None

    def test_folder_others_can_write_is_not_used(self, folder):
        cache.cached("t", "k" * 64, lambda: {"value": 42}, _decode)
        folder.chmod(0o777)
        try:
            assert cache.load("t", "k" * 64) is None
            assert cache.cached("t", "k" * 64, lambda: {"value": 9}, _decode) == 9
        finally:
            folder.chmod(0o700)
        assert cache.load("t", "k" * 64) == {"value": 42}  # the planted-able write was skipped

    def test_disabled_reads_and_writes_nothing(self, folder, monkeypatch):
        monkeypatch.setattr(cache, "_enabled", False)
        assert cache.cached("t", "k" * 64, lambda: {"value": 5}, _decode) == 5
        assert not folder.exists()

    def test_unwritable_folder_is_skipped(self, tmp_path, monkeypatch):
        blocker = tmp_path / "file"
        blocker.write_text("x")
        monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))
        monkeypatch.setattr(cache, "_enabled", True)
        assert cache.cached("t", "k" * 64, lambda: {"value": 5}, _decode) == 5


_SOLVE = ("from profitopt.cli import main; raise SystemExit(main(['solve', '--json', "
          "'--alpha', '0.3', '--beta', '0.3', '--a', '10', '--b', '10', '--omega', '1', "
          "'--delta', '1e-12', '--gamma', '-1', '--E', '1e18']))")


class TestModelCache:
    """Two processes on an empty cache both solve; a corrupted model entry gives the same answer."""

    def _run(self, folder: Path, count: int = 2) -> list[subprocess.Popen]:
        env = {**os.environ, cache.ENV_DIR: str(folder)}
        env.pop(cache.ENV_OFF, None)
        return [subprocess.Popen([sys.executable, "-c", _SOLVE], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(count)]

    def test_concurrent_then_corrupted(self, tmp_path):
        folder = tmp_path / "cache"
        outputs = [p.communicate(timeout=600) + (p.returncode,) for p in self._run(folder)]
        assert [code for _, _, code in outputs] == [0, 0], outputs
        first = json.loads(outputs[0][0])
        assert json.loads(outputs[1][0])["n"] == first["n"]
        entries = sorted(folder.glob("model-*.json"))
        assert len(entries) == 1 and not list(folder.glob(".*.tmp"))
        entries[0].write_text(entries[0].read_text()[:1000])
        (process,) = self._run(folder, 1)
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        assert json.loads(out)["n"] == first["n"]
