"""Rendered LaTeX of fixed records matches the golden files byte for byte."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parents[1] / "_resources"
REFRESH = "python tests/_resources/refresh_goldens.py"

_spec = importlib.util.spec_from_file_location("refresh_goldens",
                                               RESOURCES / "refresh_goldens.py")
refresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refresh)


class TestGoldenLatex:
    """A change in the LaTeX of these records must be intended: refresh the goldens if so."""

    @pytest.mark.parametrize("module", refresh.GOLDEN_MODULES, ids=lambda m: m.ID)
    def test_matches(self, module):
        golden = RESOURCES / "golden" / f"{module.ID}.tex"
        assert golden.exists(), f"missing {golden}; create it with `{REFRESH}`"
        assert refresh.render(module) == golden.read_text(encoding="utf-8"), (
            f"{module.ID}.tex differs from its golden file; if the change is intended, run "
            f"`{REFRESH}` and review the diff")
