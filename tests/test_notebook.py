"""examples/tour.ipynb runs from top to bottom and shows what it says it shows.

The notebook is executed in a fresh kernel (ipykernel, through nbclient) on this
interpreter, so it cannot drift from the API: about 30-60 s, most of it the first
build of the solver's kernels and the symbolic exponents.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TOUR = ROOT / "examples" / "tour.ipynb"
#: Seconds any one cell may take (the first solve builds the kernels, ~15 s on 2 cores).
CELL_TIMEOUT = 300
KERNEL = "profitopt-tour"


@pytest.fixture(scope="module")
def executed(tmp_path_factory, monkeypatch_module) -> nbformat.NotebookNode:
    """The tour after a run in a kernel of this interpreter (a kernelspec in a temp dir)."""
    from ipykernel.kernelspec import install

    prefix = tmp_path_factory.mktemp("kernels")
    install(kernel_name=KERNEL, prefix=str(prefix))  # argv: sys.executable -m ipykernel_launcher
    monkeypatch_module.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    monkeypatch_module.setenv("JUPYTER_PLATFORM_DIRS", "1")
    notebook = nbformat.read(TOUR, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(TOUR.parent)}})
    client.execute()
    return notebook


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _tagged(notebook: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    cells = [c for c in notebook.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}"
    return cells[0]


def _data(cell: nbformat.NotebookNode, mime: str) -> str:
    shown = [o["data"][mime] for o in cell.outputs
             if o["output_type"] in ("execute_result", "display_data") and mime in o["data"]]
    assert len(shown) == 1, f"expected one {mime} output, got {len(shown)}"
    return shown[0]


class TestStored:
    """The stored tour has no outputs (diffs stay reviewable) and is a valid notebook."""

    def test_no_outputs_stored(self):
        notebook = nbformat.read(TOUR, as_version=4)
        nbformat.validate(notebook)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert code and all(c.outputs == [] and c.execution_count is None for c in code)


class TestExecuted:
    """Every cell runs without an error or a warning, and each tagged cell shows its value."""

    def test_every_code_cell_ran_cleanly(self, executed):
        code = [c for c in executed.cells if c.cell_type == "code"]
        assert all(c.execution_count is not None for c in code)
        problems = [o for c in code for o in c.outputs
                    if o["output_type"] == "error"
                    or (o["output_type"] == "stream" and o["name"] == "stderr")]
        assert problems == []

    def test_solution_table(self, executed):
        table = _data(_tagged(executed, "solution"), "text/html")
        assert table.startswith("<table") and "compute-bound" in table
        assert "parameters $n^*$" in table and "3.144070855e+21" in table  # README's n*

    def test_sweep_summary(self, executed):
        summary = _data(_tagged(executed, "sweep"), "text/html")
        assert "800 optima, shape (200, 4)" in summary and "800 certified" in summary

    def test_plot_with_labelled_axes(self, executed):
        cell = _tagged(executed, "plot")
        assert _data(cell, "image/png")
        assert 'ax.set_xlabel("hardware efficiency $E$ (FLOPs per dollar)")' in cell.source

    def test_record_latex(self, executed):
        cell = _tagged(executed, "record")
        latex = _data(cell, "text/latex")
        assert latex.startswith("Theorem (data_bound):")
        assert r"n^{*} = \left(\frac{D^{\beta} b}{a}\right)^{\frac{1}{\alpha}}" in latex
        assert "Claim falls-with-data-efficiency (refuted):" in latex
        assert "refuted" in _data(cell, "text/html")

    def test_exponents(self, executed):
        latex = _data(_tagged(executed, "exponents"), "text/latex")
        assert r"\frac{1}{\alpha \gamma + 1} = 1.42857" in latex
        assert r"\frac{\beta}{2 \alpha \beta \gamma + \alpha + \beta} = 0.714286" in latex

