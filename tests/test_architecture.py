"""Imports run one way: symbolic is pure SymPy; numeric touches SymPy in one module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = (node.module or "").split(".")[0]
            names.add("." * node.level + base if node.level else base)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).glob("*.py"))


class TestLayers:
    """symbolic imports no numerics; numeric imports SymPy only in kernels.py."""

    @pytest.mark.parametrize("path", _modules("symbolic"), ids=lambda p: p.name)
    def test_symbolic_is_pure(self, path):
        assert not _imports(path) & {"numpy", "mpmath", "jinja2", "scipy"}

    @pytest.mark.parametrize("path", _modules("symbolic"), ids=lambda p: p.name)
    def test_symbolic_has_no_float_literals(self, path):
        floats = [n.value for n in ast.walk(ast.parse(path.read_text()))
                  if isinstance(n, ast.Constant) and isinstance(n.value, float)]
        assert floats == []

    @pytest.mark.parametrize("path", [p for p in _modules("numeric") if p.name != "kernels.py"],
                             ids=lambda p: p.name)
    def test_numeric_does_not_touch_sympy(self, path):
        assert "sympy" not in _imports(path)

    @pytest.mark.parametrize("path", _modules("derivations"), ids=lambda p: p.name)
    def test_only_verification_reaches_numeric(self, path):
        modules = {node.module or "" for node in ast.walk(ast.parse(path.read_text()))
                   if isinstance(node, ast.ImportFrom)}
        reaches = any(m.split(".")[0] == "numeric" or ".numeric" in f".{m}" for m in modules)
        assert reaches == (path.name == "verification.py")

    def test_templates_folder_holds_templates(self):
        files = sorted(p.name for p in (ROOT / "report_templates").iterdir()
                       if p.is_file() and p.name != "__init__.py")
        assert files and all(name.endswith(".tex.j2") for name in files)



class TestNoCliBelow:
    """symbolic, numeric and derivations never import the command line."""

    @pytest.mark.parametrize("path", [p for folder in ("symbolic", "numeric", "derivations")
                                      for p in _modules(folder)], ids=lambda p: p.name)
    def test_no_cli_import(self, path):
        modules = {node.module or "" for node in ast.walk(ast.parse(path.read_text()))
                   if isinstance(node, ast.ImportFrom)}
        modules |= {alias.name for node in ast.walk(ast.parse(path.read_text()))
                    if isinstance(node, ast.Import) for alias in node.names}
        assert not any(m == "cli" or m.endswith(".cli") or m.startswith("cli.")
                       or m == "profitopt.cli" for m in modules)


class TestParametersDeclaredOnce:
    """No module of the package spells out the list of parameter names."""

    def test_no_name_lists(self):
        import re
        pattern = re.compile(r"""["']alpha["'],\s*["']beta["'],\s*["']gamma["']"""
                             r"""|["']a["'],\s*["']b["'],\s*["']omega["']""")
        folders = ("symbolic", "numeric", "derivations", "src/profitopt", "bench")
        offenders = [str(p.relative_to(ROOT)) for folder in folders
                     for p in sorted((ROOT / folder).rglob("*.py"))
                     if pattern.search(p.read_text()) and p.name != "paramspec.py"]
        assert offenders == []
