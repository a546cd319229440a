"""Compile the appendix with latexmk (pdflatex) when a LaTeX engine is on the machine.

The build runs in a separate folder (latexmk -outdir): the source folder receives
the PDF alone, moved in atomically.  The build folder (log, .aux, .fls,
.fdb_latexmk) is removed after a clean build unless the caller named it, and
kept, and named in the error, after a failed one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ProfitoptError
from .files import atomic_writer

HOW_TO_INSTALL = ("install a LaTeX engine to get appendix.pdf, e.g. on Debian/Ubuntu: "
                  "apt-get install latexmk texlive-latex-base texlive-latex-recommended")
TIMEOUT_SECONDS = 240


class LatexFailed(ProfitoptError):
    """pdflatex reported errors; the message holds them in one readable block."""


def engine_available() -> bool:
    """latexmk and pdflatex both on PATH."""
    return shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None


def _errors(log: str) -> list[str]:
    """LaTeX errors ("! ..." or file:line: ...) with the lines that follow; without any,
    the references still undefined after the last pass."""
    lines = log.splitlines()
    errors = [" ".join(x.strip() for x in lines[i:i + 3]) for i, line in enumerate(lines)
              if (line.startswith("!") or re.match(r"^\S+\.tex:\d+: ", line))
              and line.strip() != "!" and "==> Fatal error occurred" not in line]
    return errors or [line.strip() for line in lines
                      if re.search(r"(Reference|Citation) `[^']*' .* undefined", line)]


def overfull_boxes(log: str) -> list[str]:
    """Every 'Overfull \\hbox' / '\\vbox' warning of a LaTeX log, with the line that follows."""
    lines = log.splitlines()
    return [" ".join(x.strip() for x in lines[i:i + 2]) for i, line in enumerate(lines)
            if line.startswith("Overfull \\")]


def _move_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` onto ``target`` through a renamed temporary: never a half-written PDF."""
    with atomic_writer(target, binary=True) as stream, source.open("rb") as built:
        shutil.copyfileobj(built, stream)


def compile_pdf(folder: Path, name: str = "appendix", build_dir: Path | None = None) -> Path:
    """Build ``folder/NAME.pdf`` from ``folder/NAME.tex`` with latexmk (pdflatex).

    Auxiliary files go to ``build_dir`` (kept), or to a temporary folder that is
    removed after a clean build; LatexFailed names the kept folder and the errors.
    """
    keep = build_dir is not None
    build = Path(build_dir) if keep else Path(tempfile.mkdtemp(prefix=f"profitopt-{name}-"))
    build.mkdir(parents=True, exist_ok=True)
    command = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", f"-outdir={build.resolve()}", f"{name}.tex"]
    try:
        run = subprocess.run(command, cwd=folder, capture_output=True, text=True,
                             timeout=TIMEOUT_SECONDS, check=False)
        output = run.stdout
        failed = run.returncode != 0
    except subprocess.TimeoutExpired as error:
        output, failed = str(error.stdout or ""), True
    log_path = build / f"{name}.log"
    log = log_path.read_text(errors="replace") if log_path.exists() else output
    problems = _errors(log)
    built = build / f"{name}.pdf"
    if failed or problems or not built.exists():
        block = "\n  ".join(problems or output.splitlines()[-15:])
        raise LatexFailed(f"LaTeX could not build {name}.pdf (log and auxiliary files kept in "
                          f"{build}):\n  {block}")
    target = Path(folder) / f"{name}.pdf"
    _move_atomically(built, target)
    if not keep:
        shutil.rmtree(build, ignore_errors=True)
    return target
