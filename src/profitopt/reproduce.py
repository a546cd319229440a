"""profitopt reproduce: verify every record; write claims.json, the appendix, figures, PDF."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .claims import claims_document
from .derivations.record import Derivation
from .derivations.verification import Report, verify
from .files import prepare_output_directory, write_atomically
from .record_store import records
from .rendering import render_appendix

Progress = Callable[[int, int, str], None]
#: Figures (one stage each), rendering and the PDF, after one stage per derivation.
EXTRA_STAGES = 7


@dataclass(frozen=True)
class Outcome:
    """What a reproduce run produced."""

    reports: tuple[Report, ...]
    files: tuple[Path, ...]  # every file written, appendix.pdf included when it was built
    pdf: Path | None
    pdf_skipped_reason: str


def run_checks(progress: Progress | None = None, total: int | None = None,
               derivations: tuple[Derivation, ...] | None = None) -> tuple[Report, ...]:
    """Verify every derivation record (default: the paper's) in appendix order."""
    derivations = records() if derivations is None else derivations
    total = total or len(derivations)
    reports = []
    for index, derivation in enumerate(derivations):
        if progress:
            progress(index, total, f"checking {derivation.id}")
        reports.append(verify(derivation))
    return tuple(reports)


def reproduce(out: Path, *, pdf: bool = True, progress: Progress | None = None,
              model: str = "paper") -> Outcome:
    """Write claims.json, appendix.tex, appendix-body.tex, figures/*.pdf and appendix.pdf.

    ``model`` names a registered model (built in, or read by
    :func:`profitopt.models.loader.load`; KeyError if unknown).  The paper's gets the
    paper's appendix; any other gets the generic records derived from its own parts
    (:func:`~profitopt.derivations.registry.model_derivations`, derived anew each run and
    checked against its compiled problem) and one figure, its n* and d* against E.
    """
    if model != "paper":  # an unknown model is refused before anything is written
        from .symbolic.variants import model_named

        model_named(model)
    # --out: created (with parents) or refused before the checks run
    prepare_output_directory(out, subdirectories=("figures",))
    if model == "paper":
        derivations = records()
    else:
        from .derivations.registry import model_derivations

        derivations = model_derivations(model)
    total = len(derivations) + EXTRA_STAGES
    reports = run_checks(progress, total, derivations)
    out.mkdir(parents=True, exist_ok=True)
    done = len(reports)

    def figure_progress(name: str) -> None:
        nonlocal done
        if progress:
            progress(done, total, f"figure {name}")
        done += 1

    if model == "paper":
        from .figures import make_figures

        figures = make_figures(out / "figures", reports, figure_progress)
    else:
        from .figures import MODEL_FIGURE, make_model_figures

        figure_progress(MODEL_FIGURE)
        figures = make_model_figures(out / "figures", model_curves(model))
    if progress:
        progress(done, total, "rendering")
    standalone, body = render_appendix(reports, figures, model)
    claims = json.dumps(claims_document(reports, model), indent=2, ensure_ascii=False) + "\n"
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


#: Points of a model's figure (log-spaced over the sampled range of E).
MODEL_FIGURE_POINTS = 33


def model_curves(name: str):
    """n*, d* of the model ``name`` against E (the calibration's range, 10^14 to 10^22) at
    its figure point (:func:`~profitopt.derivations.model_sampling.figure_point`: defaults,
    else the middle of each sampled range, optional caps absent), from the float64 kink
    solver (the (log n, log d) solver for a smooth law); None for a model without E."""
    import math

    import numpy as np

    from .derivations.model_sampling import CALIBRATION, figure_point, point_latex
    from .figures import ModelCurves
    from .notation import escape_text
    from .numeric.kernels import is_smooth, problem
    from .numeric.parameters import parameters_class
    from .numeric.smooth_optimum import locate as smooth_locate
    from .numeric.solver import SHUTDOWN, solve_log
    from .symbolic.variants import model_named

    model = model_named(name)
    point = figure_point(model)
    if "E" not in point:
        return None
    lo, hi, _ = CALIBRATION["E"]
    cls, smooth = parameters_class(name), is_smooth(name)
    rows = []
    for value in np.logspace(float(lo), float(hi), MODEL_FIGURE_POINTS):
        values = {key: None if v is None else float(v) for key, v in point.items()}
        params = cls(**{**values, "E": float(value)})
        if smooth:  # the (log n, log d) solver, certified points only
            regime, x, y, certified = smooth_locate(params)
            if regime != SHUTDOWN and certified:
                rows.append((float(value), math.exp(x), math.exp(y)))
            continue
        located = solve_log(params)
        if located.regime != SHUTDOWN:
            n_star = math.exp(located.x)
            tokens = problem(name).tokens.numpy
            rows.append((float(value), n_star, float(tokens(n_star, *params.natural()))))
    columns = np.array(rows).T if rows else np.empty((3, 0))
    where = point_latex(model, {k: v for k, v in point.items() if k != "E"})
    return ModelCurves(escape_text(name), *columns, where,
                       "float64 smooth-law solver" if smooth else "float64 kink solver")
