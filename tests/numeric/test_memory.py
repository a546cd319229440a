"""The solver keeps freed heap memory for reuse: set once per process, on glibc."""

from __future__ import annotations

import platform

import pytest

from profitopt.numeric import memory


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                    reason="mallopt thresholds exist only in glibc")
def test_thresholds_are_set_on_glibc():
    memory.keep_freed_memory.cache_clear()
    assert memory.keep_freed_memory() is True


def test_applied_once_per_process(monkeypatch):
    memory.keep_freed_memory.cache_clear()
    first = memory.keep_freed_memory()
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda name: pytest.fail("mallopt called twice"))
    assert memory.keep_freed_memory() is first
