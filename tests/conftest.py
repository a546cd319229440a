"""Shared test configuration: Hypothesis profiles and mpmath state isolation.

Profiles (select with ``HYPOTHESIS_PROFILE=<name>``; ``ci`` is the default):

- ``ci``: 25 examples per property, no deadline (50-digit mpmath and the
  first kernel compilation are slow), derandomized so that a run is
  reproducible and no example database is written.
- ``dev``: 300 randomized examples per property, for a thorough local hunt.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings
from mpmath import mp

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          database=None, print_blob=True)
settings.register_profile("dev", max_examples=300, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    """The suite keeps its derived-expression cache in a folder of its own, not the user's."""
    import tempfile

    if "PROFITOPT_CACHE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="profitopt-test-cache-")
        os.environ["PROFITOPT_CACHE_DIR"] = config._profitopt_cache = folder  # type: ignore


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the suite's own cache folder (one the caller named is left alone)."""
    import shutil

    folder = getattr(config, "_profitopt_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("PROFITOPT_CACHE_DIR", None)


@pytest.fixture(autouse=True)
def _restore_mpmath_precision():
    """Every test starts and ends with the same mpmath precision (mp.prec and mp.dps).

    mpmath keeps its precision in a process-wide context; a test that sets it
    and fails would otherwise leak the setting into every later test.
    """
    saved_prec = mp.prec  # mp.dps is derived from mp.prec, so this restores both
    yield
    mp.prec = saved_prec


class AppendixBuilds:
    """Compile a copy of a reproduce output folder as the standalone appendix or with its
    body inside a host document; each returns the folder it built in and the LaTeX log."""

    #: A default article (345 pt line) with a theorem environment of its own.
    HOST = ("\\documentclass{article}\n"
            "\\usepackage{amsmath,amssymb,amsthm,graphicx,booktabs}\n"
            "\\newtheorem{theorem}{Theorem}[section]\n"
            "\\begin{document}\n\\section{Host}\n\\begin{theorem}Host's.\\end{theorem}\n"
            "{extra}\\appendix\n\\input{appendix-body}\n\\end{document}\n")

    def __init__(self, tmp_path) -> None:
        self.tmp_path = tmp_path

    def standalone(self, outputs):
        """(the built PDF, the log) of appendix.tex in a copy of ``outputs``."""
        from profitopt.pdf import compile_pdf

        folder, build = self._copy(outputs, "standalone")
        (folder / "appendix.pdf").unlink()
        pdf = compile_pdf(folder, build_dir=build)
        return pdf, (build / "appendix.log").read_text(errors="replace")

    def in_host(self, outputs, extra: str = ""):
        """(the host's folder, the log) of HOST, with ``extra`` text before the appendix."""
        from profitopt.pdf import compile_pdf

        folder, build = self._copy(outputs, "host")
        (folder / "host.tex").write_text(self.HOST.replace("{extra}", extra))
        assert compile_pdf(folder, "host", build_dir=build).exists()
        return folder, (build / "host.log").read_text(errors="replace")

    def _copy(self, outputs, name):
        import shutil

        folder, build = self.tmp_path / name, self.tmp_path / f"{name}-build"
        shutil.copytree(outputs, folder)
        return folder, build


@pytest.fixture
def appendix_builds(tmp_path) -> AppendixBuilds:
    """Builds of a reproduce output folder's appendix, alone and in a host document."""
    return AppendixBuilds(tmp_path)
