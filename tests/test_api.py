"""The public API: lazy import, thin wrappers over the toolkit, values that display themselves."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import tomllib
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np
import pytest

import profitopt
from profitopt import api, display
from profitopt.derivations.demand_link import derive as derive_demand_link
from profitopt.derivations.verification import verify
from profitopt.errors import InputError
from profitopt.analysis.exponents import exponent_report
from profitopt.notation import to_latex
from profitopt.numeric import optimum, vectorized
from profitopt.numeric.parameters import Parameters
from profitopt.reproduce import Outcome

ROOT = Path(__file__).resolve().parents[1]
#: The README's worked market (alpha = beta = 0.3, gamma = -1, E = 1e18 FLOPs per dollar).
MARKET = dict(alpha=0.3, beta=0.3, gamma=-1.0, a=10.0, b=10.0, omega=1.0, delta=1e-12)


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True, cwd=ROOT).stdout.strip()


class TestPackageSurface:
    """``import profitopt`` is cheap; the API names resolve to the functions of profitopt.api."""

    def test_import_loads_no_numerics(self):
        loaded = _python("import sys, profitopt; profitopt.__version__; "
                         "print(sorted(m for m in ('sympy', 'numpy', 'numba', 'mpmath') "
                         "if m in sys.modules))")
        assert loaded == "[]"

    def test_version_is_the_project_version(self):
        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        assert profitopt.__version__ == project["version"]

    @pytest.mark.parametrize("name", ["solve", "solve_many", "sweep", "exponents", "trends",
                                      "derivations", "reproduce"])
    def test_names_are_the_api_functions(self, name):
        assert getattr(profitopt, name) is getattr(api, name)
        assert name in profitopt.__all__ and name in dir(profitopt)

    def test_submodules_do_not_shadow_functions(self):
        # importing the modules of the same names (and the exponent analysis) must leave the
        # functions in place
        shown = _python("import profitopt.analysis.exponents, profitopt.reproduce, "
                        "profitopt.derivations.registry, profitopt.sweep; import profitopt; "
                        "print(profitopt.exponents.__module__, profitopt.reproduce.__module__, "
                        "profitopt.derivations.__module__, profitopt.sweep.__module__)")
        assert shown == "profitopt.api profitopt.api profitopt.api profitopt.api"

    def test_unknown_name_is_an_attribute_error(self):
        with pytest.raises(AttributeError, match="no attribute 'solver'"):
            profitopt.solver  # noqa: B018

    @pytest.mark.parametrize("function", [api.solve, api.solve_many, api.sweep, api.exponents,
                                          api.trends, api.derivations, api.reproduce],
                             ids=lambda f: f.__name__)
    def test_docstring_names_every_parameter(self, function):
        doc = inspect.getdoc(function)
        missing = [p for p in inspect.signature(function).parameters
                   if not re.search(rf"``{re.escape(p)}``|\b{p}\b", doc)]
        assert missing == []


class TestSolve:
    """api.solve is numeric.optimum.solve plus its parameters, shown as a table."""

    def test_same_optimum_as_the_solver(self):
        solution = api.solve(**MARKET, E=1e18)
        reference = optimum.solve(Parameters(**MARKET, E=1e18))
        assert {f.name: getattr(solution, f.name) for f in fields(reference)} == asdict(reference)
        assert solution.parameters == Parameters(**MARKET, E=1e18)
        assert solution.as_dict() == reference.as_dict()

    def test_numpy_scalars_are_numbers(self):
        solution = api.solve(**{**MARKET, "alpha": np.float32(0.3)}, E=np.float64(1e18))
        assert solution.regime == "compute-bound"

    def test_table_shows_every_quantity(self):
        solution = api.solve(**MARKET, E=1e18, D=1e9)
        table = solution._repr_html_()
        assert table.startswith("<table") and "data-bound" in table
        for value in (solution.n, solution.d, solution.t, solution.profit, solution.train_cost):
            assert f">{display.number(value, 10)}</td>" in table
        assert "FLOPs" in table and "dollars" in table and "$D = 10^{9}$" in table

    @pytest.mark.parametrize("bad", [
        pytest.param({"alpha": -0.3}, id="negative-alpha"),
        pytest.param({"gamma": -10.0}, id="unbounded-gamma"),
        pytest.param({"a": "10"}, id="string"),
    ])
    def test_invalid_input(self, bad):
        with pytest.raises(InputError):
            api.solve(**{**MARKET, **bad}, E=1e18)


class TestSolveMany:
    """api.solve_many keeps numpy's broadcast shape and the vectorized solver's values."""

    def test_shape_and_values(self):
        gamma = np.array([-1.0, 0.0, 0.5])
        E = np.geomspace(1e10, 1e30, 4)[:, None]
        grid = api.solve_many(**{**MARKET, "gamma": gamma}, E=E)
        flat = vectorized.solve_many(**{**MARKET, "gamma": gamma}, E=E)
        assert grid.shape == (4, 3) and grid.n.shape == (4, 3) and grid.regime.shape == (4, 3)
        for f in fields(flat):
            np.testing.assert_array_equal(getattr(grid, f.name).ravel(), getattr(flat, f.name))
        assert grid.certified.all()

    def test_summary_table(self):
        grid = api.solve_many(**MARKET, E=np.geomspace(1e10, 1e30, 5), D=1e12)
        table = grid._repr_html_()
        assert table.startswith("<table") and "5 optima, shape (5,)" in table
        counts = {name: int(np.sum(grid.regime == name)) for name in set(grid.regime)}
        for name, count in counts.items():
            assert f"{count} {name}" in table


@pytest.fixture(scope="module")
def demand_link() -> api.Record:
    return api.derivations("demand_link")["demand_link"]


class TestRecords:
    """A record shows its heading, statement, closed forms (SymPy's LaTeX) and every status."""

    def test_wraps_the_verified_report(self, demand_link):
        report = verify(derive_demand_link())
        assert demand_link.report == report
        assert demand_link.statuses == {c.claim.id: c.status.value for c in report.claims}

    def test_latex_has_statement_forms_and_statuses(self, demand_link):
        latex = demand_link._repr_latex_()
        assert demand_link.statement in latex and demand_link.title in latex
        assert demand_link.statement_math
        for expr in demand_link.statement_math:
            assert to_latex(expr) in latex
        for claim in demand_link.claims:
            assert f"Claim {claim.claim.id} ({claim.status.value}): {claim.claim.statement}" \
                in latex

    def test_html_has_a_row_per_claim(self, demand_link):
        page = demand_link._repr_html_()
        assert page.count("<tr>") == len(demand_link.claims) + 1  # header + one per claim
        for claim in demand_link.claims:
            assert f">{claim.status.value}</span>" in page

    def test_records_index_by_id_and_position(self, demand_link):
        records = api.Records((demand_link,))
        assert records["demand_link"] is records[0] is demand_link
        assert records.ids == ("demand_link",) and len(records[:1]) == 1
        with pytest.raises(KeyError, match="records: demand_link"):
            records["theorem9"]
        assert "demand_link/" in records._repr_html_()

    def test_unknown_id_is_an_input_error(self):
        with pytest.raises(InputError, match="unknown record 'theorem9'"):
            api.derivations("theorem9")


class TestExponents:
    """api.exponents is the exponent report of ``profitopt exponents``, with the CLI defaults."""

    def test_same_document_as_the_report(self):
        result = api.exponents("n", "E", **MARKET, start=1e8, stop=1e40, points=2)
        document = exponent_report(Parameters(**MARKET, E=1e8), "n", "E", 1e8, 1e40, 2)
        assert result.as_dict() == document
        assert str(result) == display.format_table(document)
        assert [row["x"] for row in result.local] == pytest.approx([1e8, 1e40])

    def test_displays_each_regime(self):
        result = api.exponents("train_cost", "E", **MARKET, points=2)
        latex, page = result._repr_latex_(), result._repr_html_()
        for regime in result.regimes:
            assert regime["exponent_latex"] in latex
            assert regime["name"] in page

    def test_wrt_d_needs_e(self):
        with pytest.raises(InputError, match="needs --E"):
            api.exponents("n", "D", **MARKET, D=1e9)


class TestReproduce:
    """api.reproduce passes its arguments through and wraps every report as a Record."""

    def test_wraps_the_outcome(self, monkeypatch, tmp_path, demand_link):
        calls = []

        def fake(out, *, pdf, progress):
            calls.append((out, pdf, progress))
            return Outcome((demand_link.report,), (out / "claims.json",), None, "--no-pdf")

        monkeypatch.setattr(api, "_reproduce", fake)
        result = api.reproduce(str(tmp_path), pdf=False)
        assert calls == [(tmp_path, False, None)]
        assert result.records.ids == ("demand_link",) and result.consistent
        assert result.files == (tmp_path / "claims.json",) and result.pdf is None
        assert "PDF skipped: --no-pdf" in result._repr_html_()


class TestTrends:
    """profitopt.trends is the document ``profitopt trends --json`` prints."""

    def test_one_scenario(self):
        report = profitopt.trends("hardware-stagnation")
        assert {row["name"] for row in report["scenarios"]} == {"hardware-stagnation"}
        # E stalled: FLOPs and spend grow alike
        for row in report["scenarios"]:
            for kind in ("bound", "tight"):
                permitted = row["permitted"][kind]
                assert permitted["train_flops"] == pytest.approx(permitted["train_cost"],
                                                                 rel=1e-15)

    def test_unknown_scenario(self):
        with pytest.raises(InputError, match="unknown scenario"):
            profitopt.trends("nope")
