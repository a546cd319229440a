"""Thin jinja2 renderer: LaTeX-safe delimiters, a view of the reports, nothing computed.

The view turns verified reports into plain strings and lists (LaTeX of every
expression, escaped text, formatted tolerances); the templates in
``report_templates/`` lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import jinja2

from . import __version__
from .derivations.verification import ClaimReport, Report
from .derivations.record import ThetaCheck
from .notation import escape_text, format_equation, order_latex, to_latex


@dataclass(frozen=True)
class FigureView:
    """A figure file (relative to the figures folder) and its caption."""

    id: str
    file: str
    caption: str


def environment() -> jinja2.Environment:
    """Templates use \\BLOCK{...}, \\VAR{...}, %% lines and %# comments beside TeX braces."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("profitopt.report_templates"))),
        block_start_string=r"\BLOCK{", block_end_string="}",
        variable_start_string=r"\VAR{", variable_end_string="}",
        comment_start_string=r"\#{", comment_end_string="}",
        line_statement_prefix="%%", line_comment_prefix="%#",
        trim_blocks=True, lstrip_blocks=True, autoescape=False,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    env.filters["latex"] = to_latex
    env.filters["tex"] = escape_text
    return env


def _tolerance(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


def _order(claim) -> str:
    """Theta for claims compared up to constants, O for bounds, nothing for exact forms."""
    if any(isinstance(check, ThetaCheck) for check in claim.checks):
        return "Theta"
    return "O" if claim.kind == "bound" and claim.reported is not None \
        and not claim.reported.is_number else ""


def _claim(derivation_id: str, report: ClaimReport) -> dict[str, object]:
    claim = report.claim
    return {
        "id": f"{derivation_id}/{claim.id}",
        "status": report.status.value,
        "statement": claim.statement,
        "reported_text": claim.reported_text,
        "reported_latex": "" if claim.reported is None else order_latex(_order(claim),
                                                                          claim.reported),
        "window": claim.window,
        "derived": format_equation(claim.derived),
        "results": [{"id": r.id, "role": r.role.value, "evidence": r.evidence
                     + (f" ({r.samples} samples, seed {r.seed})" if r.seed is not None else ""),
                     "tolerance": _tolerance(r.tolerance),
                     "result": "pass" if r.passed else "fail"} for r in report.results],
    }


def derivation_view(report: Report) -> dict[str, object]:
    """Everything the templates need about one derivation, as strings and lists."""
    d = report.derivation
    return {
        "id": d.id, "title": d.title, "environment": d.kind.lower(),
        "source": d.source or "profitopt", "statement": d.statement,
        "statement_math": [format_equation(expr) for expr in d.statement_math],
        "assumptions": [{"statement": a.statement, "expr_latex": to_latex(a.expr)}
                        for a in d.assumptions],
        "steps": [{"rule": s.rule.value, "justification": s.justification,
                   "equation": format_equation(s.expr)} for s in d.steps],
        "notes": list(d.notes),
        "claims": [_claim(d.id, c) for c in report.claims],
    }


def summary_rows(reports: tuple[Report, ...]) -> list[dict[str, str]]:
    """One row per claim: id, the derivation it belongs to, statement, status."""
    return [{"id": f"{r.derivation.id}/{c.claim.id}", "derivation": r.derivation.id,
             "statement": c.claim.statement, "status": c.status.value}
            for r in reports for c in r.claims]


def render_appendix(reports: tuple[Report, ...], figures: tuple[FigureView, ...] = ()
                    ) -> tuple[str, str]:
    """(appendix.tex, appendix-body.tex)."""
    env = environment()
    body = env.get_template("appendix-body.tex.j2").render(
        version=__version__, summary=summary_rows(reports),
        derivations=[derivation_view(r) for r in reports], figures=list(figures))
    standalone = env.get_template("appendix.tex.j2").render(version=__version__)
    return standalone, body


def render_derivation(report: Report) -> str:
    """The body section of one derivation alone (used for golden files)."""
    env = environment()
    return env.get_template("appendix-body.tex.j2").render(
        version=__version__, summary=summary_rows((report,)),
        derivations=[derivation_view(report)], figures=[])
