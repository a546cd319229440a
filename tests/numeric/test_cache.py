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


_SOLVE_MANY = ("import json, numpy as np; from profitopt.numeric.vectorized import solve_many; "
               "s = solve_many(alpha=0.3, beta=0.3, gamma=np.array([-0.5, 0.0, 0.5]), a=10.0, "
               "b=10.0, omega=1.0, delta=1e-12, E=1e20); "
               "print(json.dumps([s.n.tolist(), bool(s.certified.all())]))")


class TestNumbaCache:
    """numba's compiled loops live in the cache's private subfolder "numba"; truncated or
    garbage files there are replaced by a fresh compile and the answer is the same; with
    the cache off no such folder is made."""

    def _solve(self, folder: Path, **extra: str) -> list:
        env = {**os.environ, cache.ENV_DIR: str(folder), **extra}
        env.pop("NUMBA_CACHE_DIR", None)
        if cache.ENV_OFF not in extra:
            env.pop(cache.ENV_OFF, None)
        done = subprocess.run([sys.executable, "-c", _SOLVE_MANY], env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def test_private_then_damaged(self, tmp_path):
        folder = tmp_path / "cache"
        first = self._solve(folder)
        assert first[1]
        numba_folder = folder / "numba"
        assert numba_folder.stat().st_mode & 0o777 == 0o700
        files = [p for p in numba_folder.rglob("*") if p.suffix in (".nbi", ".nbc")]
        assert files, "numba wrote no cached loops"
        for damage in (lambda p: p.write_bytes(p.read_bytes()[:40]),
                       lambda p: p.write_bytes(b"not a pickle")):
            for path in [p for p in numba_folder.rglob("*") if p.suffix in (".nbi", ".nbc")]:
                damage(path)
            assert self._solve(folder) == first

    def test_cache_off_compiles_in_process(self, tmp_path):
        folder = tmp_path / "cache"
        self._solve(folder, **{cache.ENV_OFF: "1"})
        assert not (folder / "numba").exists()
