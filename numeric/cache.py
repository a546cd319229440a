"""On-disk cache of derived expressions: data keyed by a fingerprint, written atomically.

What SymPy derives for the model (the kernels' expressions, as ``srepr`` text)
is stored as one JSON file per fingerprint in the user's cache directory:

- ``$PROFITOPT_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/profitopt``, else
  ``~/.cache/profitopt``; created private to the user (mode 0700), and used only
  while it is owned by the user and writable by no one else;
- ``PROFITOPT_NO_CACHE=1`` (or :func:`disable`, as ``--no-cache`` does) turns
  reading and writing off for the process.

An entry holds data only: JSON with the fingerprint, the format version and a
SHA-256 of its payload.  A truncated, corrupt, foreign or stale entry fails
those checks and is rebuilt, never trusted.  Writes go to a temporary file
renamed into place, so two processes building the same entry both succeed.
The payload's expressions are read back by a restricted reader
(``profitopt.symbolic.serialize.from_text``), never evaluated as Python.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

#: Bumped whenever the layout of an entry changes.
FORMAT = 1
ENV_DIR = "PROFITOPT_CACHE_DIR"
ENV_OFF = "PROFITOPT_NO_CACHE"

_enabled = os.environ.get(ENV_OFF, "") in ("", "0")


def disable() -> None:
    """Neither read nor write the cache in this process (``--no-cache``)."""
    global _enabled
    _enabled = False


def enabled() -> bool:
    """Whether the cache is read and written in this process."""
    return _enabled


def directory() -> Path:
    """The cache directory (not created here)."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "profitopt"


def fingerprint(*parts: str) -> str:
    """SHA-256 of the parts: what an entry depends on (versions, model source)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def source_fingerprint(versions: tuple[str, ...], sources: list[Path]) -> str:
    """fingerprint of the versions, the entry format and each source file (name and text):
    an entry derived from code is stale as soon as that code or a version changes."""
    return fingerprint(*versions, str(FORMAT),
                       *(f"{p.name}\n{p.read_text(encoding='utf-8')}" for p in sorted(sources)))


def _checksum(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _path(name: str, key: str) -> Path:
    return directory() / f"{name}-{key[:32]}.json"


def private_folder(name: str) -> Path | None:
    """The cache's subfolder ``name`` for a library's own files (numba's compiled loops),
    created private to the user (0700); None when the cache is off or the folder, or the
    cache directory, is not ours alone (owned by us, writable by no one else)."""
    if not _enabled:
        return None
    folder = directory() / name
    with contextlib.suppress(OSError):
        directory().mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
    return folder if _trusted(directory()) and _trusted(folder) else None


def _trusted(folder: Path) -> bool:
    """The folder is ours alone: owned by this user, not writable by group or others.

    An entry is data, but wrong data gives wrong answers: a folder someone else can
    write to is neither read nor written.
    """
    try:
        status = folder.stat()
    except OSError:
        return False
    owner = getattr(os, "getuid", lambda: status.st_uid)()
    return status.st_uid == owner and not status.st_mode & 0o022


def load(name: str, key: str) -> object | None:
    """The payload stored under (name, key), or None if absent, off, or not intact."""
    if not _enabled or not _trusted(directory()):
        return None
    try:
        entry = json.loads(_path(name, key).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT \
            or entry.get("key") != key or "payload" not in entry \
            or entry.get("sha256") != _checksum(entry["payload"]):
        return None
    return entry["payload"]


def store(name: str, key: str, payload: object) -> None:
    """Write the payload under (name, key) atomically; a cache that cannot be written is
    skipped (the work is redone next time), never an error."""
    if not _enabled:
        return
    folder = directory()
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(folder):
            return
        text = json.dumps({"format": FORMAT, "key": key, "sha256": _checksum(payload),
                           "payload": payload}, sort_keys=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, _path(name, key))
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        for stale in folder.glob(f"{name}-*.json"):  # older versions' entries of this name
            if stale != _path(name, key):
                with contextlib.suppress(OSError):
                    stale.unlink()


def cached(name: str, key: str, build: Callable[[], object],
           decode: Callable[[object], object]) -> object:
    """``decode`` of the stored payload if it is intact and decodes, else of ``build()``.

    ``build`` returns the payload (JSON data), which is stored for next time; ``decode``
    turns a payload into what the caller uses and raises ValueError (or TypeError,
    KeyError) on one it cannot trust, which is then rebuilt.
    """
    payload = load(name, key)
    if payload is not None:
        try:
            return decode(payload)
        except (ValueError, TypeError, KeyError):
            pass
    payload = build()
    store(name, key, payload)
    return decode(payload)
