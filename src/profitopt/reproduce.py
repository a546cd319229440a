"""profitopt reproduce: verify every record and write claims.json and derivations.tex."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable

from .claims import claims_document
from .derivations.registry import MODULES, all_derivations
from .derivations.verification import Report, verify
from .errors import InputError
from .rendering import render_derivations

Progress = Callable[[int, int, str], None]


def run_checks(progress: Progress | None = None) -> tuple[Report, ...]:
    """Verify every derivation record in appendix order."""
    derivations = all_derivations()
    reports = []
    for index, derivation in enumerate(derivations):
        if progress:
            progress(index, len(MODULES), derivation.id)
        reports.append(verify(derivation))
    if progress:
        progress(len(MODULES), len(MODULES), "done")
    return tuple(reports)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def reproduce(out: Path, progress: Progress | None = None) -> tuple[Report, ...]:
    """Write ``out/claims.json`` and ``out/derivations.tex``; return the reports."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a directory")
    reports = run_checks(progress)
    claims = json.dumps(claims_document(reports), indent=2, ensure_ascii=False) + "\n"
    tex = render_derivations(reports)
    out.mkdir(parents=True, exist_ok=True)
    _write_atomically(out / "claims.json", claims)
    _write_atomically(out / "derivations.tex", tex)
    return reports
