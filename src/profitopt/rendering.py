"""Thin jinja2 renderer: LaTeX-safe delimiters, a view of the reports, nothing computed.

The view turns verified reports into strings and lists (LaTeX of every
expression, the records' LaTeX text as it is, tolerances and sampling stated
in words); the templates in ``report_templates/`` lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import jinja2

from . import __version__
from .derivations.record import ThetaCheck
from .derivations.verification import CheckResult, ClaimReport, Report
from .notation import (escape_text, format_equation, identifier, number_latex, order_latex,
                       text_math, to_latex)


@dataclass(frozen=True)
class FigureView:
    """A figure file (relative to the figures folder) and its caption (LaTeX text mode)."""

    id: str
    file: str
    caption: str


#: amsthm environment (defined by the body, numbered within the section) of each record kind.
ENVIRONMENTS = {"Theorem": "profitopttheorem", "Lemma": "profitoptlemma",
                "Proposition": "profitoptproposition", "Definition": "profitoptdefinition"}

#: How each kind of check is judged: "exact" (symbolic), "relative" or "absolute" (a
#: numeric tolerance), or a word for checks decided by a sign or a count.
TOLERANCE_RULES = {
    "IdentityCheck": "exact", "SignCheck": "exact", "ThetaCheck": "exact",
    "SpotCheck": "relative", "SolverCheck": "relative", "PrecisionCheck": "relative",
    "ElasticityCheck": "relative", "ExponentCheck": "absolute",
    "LocalExponentCheck": "absolute", "OffKinkCheck": "strict sign",
    "ConcavityCheck": "strict sign", "SwitchCheck": "no mismatch",
    "CapCaseCheck": "no mismatch", "DerivableCheck": "derived",
    "IsoquantCheck": "absolute", "OptimumRelationCheck": "relative",
    "FrontierOptimumCheck": "relative", "SmoothExponentCheck": "absolute",
    "SmoothExponentRangeCheck": "within range",
}


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
    env.filters["textmath"] = text_math
    env.filters["id"] = identifier
    return env


def tolerance_latex(result: CheckResult) -> str:
    """The tolerance in words and math: 'relative $10^{-9}$', 'exact', 'strict sign'."""
    rule = TOLERANCE_RULES.get(result.kind, "")
    if rule in ("relative", "absolute"):
        if result.tolerance is None:
            return rule
        return f"{rule} ${number_latex(result.tolerance)}$"
    return rule


def sampling_latex(result: CheckResult) -> str:
    """How the evidence was produced: sample size, seed and working precision."""
    parts = []
    if result.samples and result.seed is not None:
        parts.append(f"{result.samples} parameter set{'s' if result.samples > 1 else ''} "
                     f"drawn with seed {result.seed}")
    elif result.samples:
        parts.append(f"{result.samples} point{'s' if result.samples > 1 else ''}")
    if result.dps is not None:
        parts.append(f"{result.dps}-digit arithmetic")
    return "; ".join(parts)


def evidence_latex(result: CheckResult) -> str:
    """The typeset evidence; the plain evidence, escaped, while a record has none."""
    typeset = getattr(result, "evidence_latex", "")
    return typeset if typeset else escape_text(result.evidence)


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
        "results": [{"id": r.id, "role": r.role.value, "description": r.description,
                     "evidence": evidence_latex(r), "sampling": sampling_latex(r),
                     "tolerance": tolerance_latex(r), "passed": r.passed}
                    for r in report.results],
    }


def derivation_view(report: Report) -> dict[str, object]:
    """Everything the templates need about one derivation, as strings and lists."""
    d = report.derivation
    return {
        "id": d.id, "title": d.title, "kind": d.kind, "environment": ENVIRONMENTS[d.kind],
        "source": d.source, "statement": d.statement,
        "statement_math": [format_equation(expr) for expr in d.statement_math],
        "assumptions": [{"statement": a.statement,
                         "expr_latex": "" if a.expr is None else to_latex(a.expr)}
                        for a in d.assumptions],
        "steps": [{"rule": s.rule.value, "justification": s.justification,
                   "equation": format_equation(s.expr)} for s in d.steps],
        "notes": list(d.notes),
        "claims": [_claim(d.id, c) for c in report.claims],
    }


def summary_groups(reports: tuple[Report, ...]) -> list[dict[str, object]]:
    """One group per result (kind, label, the paper's name, title) with a row per claim."""
    return [{"derivation": r.derivation.id, "kind": r.derivation.kind,
             "source": r.derivation.source, "title": r.derivation.title,
             "rows": [{"id": f"{r.derivation.id}/{c.claim.id}", "statement": c.claim.statement,
                       "status": c.status.value} for c in r.claims]}
            for r in reports]


def model_view(name: str) -> dict[str, str]:
    """The model an appendix is about, as LaTeX text: its name and its one-line summary."""
    from .paramspec import MODEL_SUMMARIES

    return {"name": escape_text(name), "summary": escape_text(MODEL_SUMMARIES.get(name, ""))}


def render_appendix(reports: tuple[Report, ...], figures: tuple[FigureView, ...] = (),
                    model: str = "paper") -> tuple[str, str]:
    """(appendix.tex, appendix-body.tex); for a model other than the paper's, the title and
    the introduction name it and say that its results are the toolkit's, not the paper's."""
    env = environment()
    about = None if model == "paper" else model_view(model)
    body = env.get_template("appendix-body.tex.j2").render(
        version=__version__, summary=summary_groups(reports),
        derivations=[derivation_view(r) for r in reports], figures=list(figures),
        model=about)
    standalone = env.get_template("appendix.tex.j2").render(version=__version__, model=about)
    return standalone, body


def render_derivation(report: Report) -> str:
    """The body section of one derivation alone (used for golden files)."""
    env = environment()
    about = None if report.derivation.model == "paper" else model_view(report.derivation.model)
    return env.get_template("appendix-body.tex.j2").render(
        version=__version__, summary=summary_groups((report,)),
        derivations=[derivation_view(report)], figures=[], model=about)
