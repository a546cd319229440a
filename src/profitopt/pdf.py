"""Compile the appendix with latexmk (pdflatex) when a LaTeX engine is on the machine."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from .errors import ProfitoptError

HOW_TO_INSTALL = ("install a LaTeX engine to get appendix.pdf, e.g. on Debian/Ubuntu: "
                  "apt-get install latexmk texlive-latex-base texlive-latex-recommended")
TIMEOUT_SECONDS = 240


class LatexFailed(ProfitoptError):
    """pdflatex reported errors; the message holds them in one readable block."""


def engine_available() -> bool:
    """latexmk and pdflatex both on PATH."""
    return shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None


def _errors(log: str) -> list[str]:
    """LaTeX error lines ("! ...") with the line that follows each, and undefined refs."""
    lines = log.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.startswith("!"):
            found.append(" ".join(x.strip() for x in lines[i:i + 3]))
        elif re.search(r"(Reference|Citation) `[^']*' .* undefined", line):
            found.append(line.strip())
    return found


def compile_pdf(folder: Path, name: str = "appendix") -> Path:
    """latexmk -pdf NAME.tex in ``folder``; LatexFailed with the errors if it does not build."""
    command = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", f"{name}.tex"]
    run = subprocess.run(command, cwd=folder, capture_output=True, text=True,
                         timeout=TIMEOUT_SECONDS, check=False)
    log_path = folder / f"{name}.log"
    log = log_path.read_text(errors="replace") if log_path.exists() else run.stdout
    problems = _errors(log)
    if run.returncode != 0 or problems:
        block = "\n  ".join(problems or run.stdout.splitlines()[-15:])
        raise LatexFailed(f"LaTeX could not build {name}.pdf:\n  {block}")
    return folder / f"{name}.pdf"
