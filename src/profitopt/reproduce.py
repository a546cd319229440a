"""profitopt reproduce: verify every record; write claims.json, the appendix, figures, PDF."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .claims import claims_document
from .derivations.verification import Report, verify
from .files import prepare_output_directory, write_atomically
from .record_store import records
from .rendering import render_appendix

Progress = Callable[[int, int, str], None]
#: Figures, rendering and the PDF, after one stage per derivation.
EXTRA_STAGES = 6


@dataclass(frozen=True)
class Outcome:
    """What a reproduce run produced."""

    reports: tuple[Report, ...]
    files: tuple[Path, ...]  # every file written, appendix.pdf included when it was built
    pdf: Path | None
    pdf_skipped_reason: str


def run_checks(progress: Progress | None = None, total: int | None = None) -> tuple[Report, ...]:
    """Verify every derivation record in appendix order."""
    derivations = records()
    total = total or len(derivations)
    reports = []
    for index, derivation in enumerate(derivations):
        if progress:
            progress(index, total, f"checking {derivation.id}")
        reports.append(verify(derivation))
    return tuple(reports)


def reproduce(out: Path, *, pdf: bool = True, progress: Progress | None = None) -> Outcome:
    """Write claims.json, appendix.tex, appendix-body.tex, figures/*.pdf and appendix.pdf."""
    # --out: created (with parents) or refused before the checks run
    prepare_output_directory(out, subdirectories=("figures",))
    total = len(records()) + EXTRA_STAGES
    reports = run_checks(progress, total)
    out.mkdir(parents=True, exist_ok=True)
    done = len(reports)

    def figure_progress(name: str) -> None:
        nonlocal done
        if progress:
            progress(done, total, f"figure {name}")
        done += 1

    from .figures import make_figures

    figures = make_figures(out / "figures", reports, figure_progress)
    if progress:
        progress(done, total, "rendering")
    standalone, body = render_appendix(reports, figures)
    claims = json.dumps(claims_document(reports), indent=2, ensure_ascii=False) + "\n"
    written = []
    for name, text in (("claims.json", claims), ("appendix.tex", standalone),
                       ("appendix-body.tex", body)):
        write_atomically(out / name, text)
        written.append(out / name)
    written += [out / "figures" / f.file for f in figures]
    built, reason = None, ""
    if pdf:
        from .pdf import HOW_TO_INSTALL, compile_pdf, engine_available

        if engine_available():
            if progress:
                progress(total - 1, total, "compiling PDF")
            built = compile_pdf(out)
            written.append(built)
        else:
            reason = f"no LaTeX engine (latexmk, pdflatex) on PATH; {HOW_TO_INSTALL}"
    else:
        reason = "--no-pdf"
    if progress:
        progress(total, total, "done")
    return Outcome(reports, tuple(written), built, reason)
