"""Verification reports as JSON-ready data (claims.json)."""

from __future__ import annotations

import sympy as sp

from . import __version__
from .derivations.record import Status
from .derivations.verification import CheckResult, ClaimReport, Report
from .notation import to_latex

PAPER = "Hao & Merrill (2026), A Theory of Training Profit-Optimal LLMs, arXiv 2605.16430"


def _expr(expr: sp.Basic | None) -> dict[str, str] | None:
    if expr is None:
        return None
    return {"latex": to_latex(expr), "srepr": sp.srepr(expr)}


def _reported(claim) -> dict[str, object] | None:
    """What the paper (or its source) reports: words and, when it gives one, a formula.

    The appendix prints the same two fields, so the two outputs cannot disagree:
    ``null`` only when the record reports nothing at all.
    """
    if claim.reported is None and not claim.reported_text:
        return None
    formula = _expr(claim.reported) or {"latex": None, "srepr": None}
    return {"text": claim.reported_text, **formula}


def _check(result: CheckResult) -> dict[str, object]:
    return {
        "id": result.id, "kind": result.kind, "role": result.role.value,
        "description": result.description, "passed": result.passed,
        "evidence": result.evidence, "evidence_latex": result.evidence_latex,
        "max_error": result.max_error,
        "tolerance": result.tolerance, "samples": result.samples, "seed": result.seed,
        "dps": result.dps,
    }


def _claim(derivation_id: str, report: ClaimReport) -> dict[str, object]:
    claim = report.claim
    return {
        "id": f"{derivation_id}/{claim.id}",
        "statement": claim.statement,
        "kind": claim.kind,
        "status": report.status.value,
        "window": claim.window,
        "reported": _reported(claim),
        "derived": _expr(claim.derived),
        "evidence": [_check(r) for r in report.results],
    }


def _derivation(report: Report) -> dict[str, object]:
    d = report.derivation
    return {
        "id": d.id, "title": d.title, "kind": d.kind, "source": d.source,
        "statement": d.statement,
        "statement_math": [_expr(expr) for expr in d.statement_math],
        "assumptions": [{"id": a.id, "statement": a.statement,
                         **(_expr(a.expr) or {"latex": None, "srepr": None})}
                        for a in d.assumptions],
        "steps": [{"id": s.id, "rule": s.rule.value, "justification": s.justification,
                   "uses": list(s.uses), **_expr(s.expr)} for s in d.steps],
        "claims": [_claim(d.id, c) for c in report.claims],
        "notes": list(d.notes),
        "consistent": report.consistent,
    }


def claims_document(reports: tuple[Report, ...], model: str = "paper") -> dict[str, object]:
    """Every record with its status and evidence, plus a status summary; for a model other
    than the paper's, ``model`` names it (and its summary)."""
    from .paramspec import MODEL_SUMMARIES

    statuses = [c.status.value for r in reports for c in r.claims]
    about = {} if model == "paper" else {
        "model": {"name": model, "summary": MODEL_SUMMARIES.get(model, "")}}
    return {
        "tool": "profitopt", "version": __version__, "paper": PAPER, **about,
        "summary": {s.value: statuses.count(s.value) for s in Status},
        "consistent": all(r.consistent for r in reports),
        "derivations": [_derivation(r) for r in reports],
    }
