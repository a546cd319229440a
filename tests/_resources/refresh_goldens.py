"""Rewrite the golden LaTeX files after an intentional change to the templates or records.

Run from the repository root:  python tests/_resources/refresh_goldens.py
"""

from __future__ import annotations

from pathlib import Path

from profitopt.derivations import demand_link, served_tokens
from profitopt.derivations.verification import verify
from profitopt.rendering import render_derivation

#: Records with symbolic checks only, so their rendering is the same on every machine.
GOLDEN_MODULES = (demand_link, served_tokens)
FOLDER = Path(__file__).resolve().parent / "golden"


def render(module) -> str:
    return render_derivation(verify(module.derive()))


if __name__ == "__main__":
    FOLDER.mkdir(exist_ok=True)
    for module in GOLDEN_MODULES:
        path = FOLDER / f"{module.ID}.tex"
        path.write_text(render(module), encoding="utf-8")
        print(f"wrote {path}")
