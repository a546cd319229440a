"""Imports run one way: symbolic is pure SymPy; numeric touches SymPy in one module;
analysis computes and never presents; figures draw and never compute; the command line
parses and prints."""

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


PACKAGE = ROOT / "src" / "profitopt"


def _module_name(path: Path) -> str:
    """The dotted name of a module under src/profitopt (profitopt.analysis.exponents)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolved_imports(tree: ast.AST, module: str, is_package: bool = False,
                      top_level: bool = False) -> set[str]:
    """Absolute dotted names ``module`` imports, relative imports resolved; for
    ``from X import y`` both X and X.y (y may be a submodule).  ``top_level``: only the
    imports that run when the module is imported (not those inside functions)."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    names: set[str] = set()
    nodes: list[ast.AST] = [tree]
    while nodes:
        node = nodes.pop()
        if top_level and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        nodes.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package[:len(package) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return names


def _imports_of(path: Path, top_level: bool = False) -> set[str]:
    return _resolved_imports(ast.parse(path.read_text()), _module_name(path),
                             path.name == "__init__.py", top_level)


def _offending(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    """The imported names that are, or lie inside, a forbidden module."""
    return sorted(n for n in names for f in forbidden if n == f or n.startswith(f + "."))


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


#: What only computes may not present: no plotting, templates, argument parsing or output.
PRESENTATION = ("matplotlib", "jinja2", "argparse", "profitopt.cli", "profitopt.figures",
                "profitopt.rendering", "profitopt.display")
#: What only draws may not compute: no solver, no SymPy.
COMPUTATION = ("profitopt.numeric", "profitopt.symbolic", "sympy")
#: What ``import profitopt.cli`` may not load (``profitopt --version`` stays fast): the
#: solver, SymPy and the analyses are imported by the command that needs them.
HEAVY = ("profitopt.numeric", "profitopt.symbolic", "profitopt.analysis",
         "profitopt.derivations", "sympy", "numpy", "numba", "mpmath")


class TestPresentationApartFromAnalysis:
    """analysis computes and never presents; figures draw the data they are given; the
    command line imports no solver, SymPy or analysis at module level."""

    @pytest.mark.parametrize("path", sorted((PACKAGE / "analysis").glob("*.py")),
                             ids=lambda p: p.name)
    def test_analysis_does_not_present(self, path):
        assert _offending(_imports_of(path), PRESENTATION) == []

    def test_figures_do_not_compute(self):
        assert _offending(_imports_of(PACKAGE / "figures.py"), COMPUTATION) == []

    def test_cli_loads_no_solver_at_import(self):
        assert _offending(_imports_of(PACKAGE / "cli.py", top_level=True), HEAVY) == []

    def test_analysis_folder_holds_the_analyses(self):
        names = {p.name for p in (PACKAGE / "analysis").glob("*.py")}
        assert {"exponents.py", "figure_data.py"} <= names
        assert not (PACKAGE / "exponents.py").exists()


class TestImportResolution:
    """The checker above sees relative, absolute, lazy and submodule imports."""

    @pytest.mark.parametrize("source, module, top_level, expected", [
        pytest.param("from ..numeric.solver import x", "profitopt.analysis.figure_data", False,
                     ["profitopt.numeric.solver", "profitopt.numeric.solver.x"], id="relative"),
        pytest.param("from . import cli", "profitopt.analysis.exponents", False,
                     ["profitopt.analysis", "profitopt.analysis.cli"], id="sibling"),
        pytest.param("from .. import cli", "profitopt.analysis.exponents", False,
                     ["profitopt", "profitopt.cli"], id="parent-submodule"),
        pytest.param("import matplotlib.pyplot as plt", "profitopt.analysis.x", False,
                     ["matplotlib.pyplot"], id="absolute"),
        pytest.param("def f():\n    import sympy", "profitopt.cli", False, ["sympy"],
                     id="lazy-counts"),
        pytest.param("def f():\n    import sympy", "profitopt.cli", True, [],
                     id="lazy-is-not-top-level"),
        pytest.param("try:\n    import numpy\nexcept ImportError:\n    pass", "profitopt.cli",
                     True, ["numpy"], id="guarded-top-level"),
    ])
    def test_resolves(self, source, module, top_level, expected):
        assert sorted(_resolved_imports(ast.parse(source), module, top_level=top_level)) == \
            expected

    @pytest.mark.parametrize("names, forbidden, offending", [
        pytest.param({"profitopt.numeric.vectorized"}, COMPUTATION,
                     ["profitopt.numeric.vectorized"], id="inside"),
        pytest.param({"profitopt.numerics"}, COMPUTATION, [], id="prefix-is-not-inside"),
        pytest.param({"sympy"}, COMPUTATION, ["sympy"], id="exact"),
    ])
    def test_offending(self, names, forbidden, offending):
        assert _offending(names, forbidden) == offending
