"""Rewrite the golden LaTeX files after an intentional change to the templates or records.

Run from the repository root:  python tests/_resources/refresh_goldens.py
"""

from __future__ import annotations

import json
from pathlib import Path

import sympy as sp

from profitopt.derivations import demand_link, served_tokens
from profitopt.derivations.verification import verify
from profitopt.rendering import render_derivation

#: Records with symbolic checks only, so their rendering is the same on every machine.
GOLDEN_MODULES = (demand_link, served_tokens)
FOLDER = Path(__file__).resolve().parent / "golden"


def render(module) -> str:
    return render_derivation(verify(module.derive()))


def paper_claims() -> str:
    """paper-claims.json: per claim of the paper's appendix, its status, its derived closed
    form (srepr) and each check's outcome (machine-independent: no numeric evidence)."""
    from profitopt.record_store import records

    out = {}
    for derivation in records():
        for claim in verify(derivation).claims:
            derived = claim.claim.derived
            out[f"{derivation.id}/{claim.claim.id}"] = {
                "status": claim.status.value,
                "derived": None if derived is None else sp.srepr(derived),
                "checks": {result.id: result.passed for result in claim.results}}
    return json.dumps(out, indent=1, sort_keys=True)


if __name__ == "__main__":
    FOLDER.mkdir(exist_ok=True)
    for module in GOLDEN_MODULES:
        path = FOLDER / f"{module.ID}.tex"
        path.write_text(render(module), encoding="utf-8")
        print(f"wrote {path}")
    path = FOLDER / "paper-claims.json"
    path.write_text(paper_claims(), encoding="utf-8")
    print(f"wrote {path}")
