"""Output files: checked before any work starts, written so that a failure never leaves
one half-written, and never replacing anything but a regular file.

Policy for a file named by ``--out`` (``profitopt sweep``):

- the directory it goes into must exist and be writable;
- an existing regular file is replaced only with ``--force``;
- a directory, device, pipe or socket is refused, never replaced;
- a symbolic link is followed: a link to a regular file counts as that file (the link
  is kept and its target replaced, with ``--force``); a dangling link or one to
  anything else is refused.

An output directory (``profitopt reproduce --out DIR``) is created with its parents
when missing; anything else at that path is refused.  An empty path is refused
(it would silently mean the current directory).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterator, TextIO

from .errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def output_path(text: str, flag: str = "--out") -> Path:
    """The path given to ``flag``; an empty one is refused (it would mean '.')."""
    if not text:
        raise InputError(f"{flag} is empty; name a path")
    return Path(text)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check_writable_directory(directory: Path, flag: str) -> None:
    """``directory`` exists, is a directory, and a file can be created in it."""
    if not directory.exists():
        raise InputError(f"{flag}: directory {directory} does not exist")
    if not directory.is_dir():
        raise InputError(f"{flag}: {directory} is not a directory")
    try:
        handle, probe = tempfile.mkstemp(dir=directory, prefix=".profitopt-probe.")
    except OSError as error:
        raise InputError(f"{flag}: cannot write in {directory}: {error.strerror}") from None
    os.close(handle)
    os.unlink(probe)


def check_output_file(path: Path, *, force: bool, flag: str = "--out") -> Path:
    """Refuse (InputError) an output file ``path`` the policy above does not allow.

    Returns the file to write: ``path``, or the regular file a symbolic link points to.
    """
    target = path
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.exists():
            raise InputError(f"{flag} {path} is a symbolic link to nothing ({target})")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise InputError(f"{flag} {path}: {error.strerror}") from None
    if mode is not None:
        if not stat.S_ISREG(mode):
            raise InputError(f"{flag} {path} is {_kind(mode)}; only a regular file is "
                             "written or replaced")
        if not force:
            raise InputError(f"{flag} {path} exists; pass --force to replace it")
    _check_writable_directory(target.parent, flag)
    return target


def prepare_output_directory(path: Path, subdirectories: tuple[str, ...] = (),
                             flag: str = "--out") -> None:
    """Create the output directory ``path`` (and parents) or refuse it (InputError).

    An existing ``path``, or any of its ``subdirectories``, must be a directory.
    """
    for folder in (path, *(path / name for name in subdirectories)):
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{flag} {folder} exists and is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{flag}: cannot create directory {path}: "
                         f"{error.strerror}") from None
    _check_writable_directory(path, flag)


@contextlib.contextmanager
def atomic_writer(path: Path, binary: bool = False) -> Iterator[TextIO]:
    """A text (or ``binary``) stream to a temporary file beside ``path``, renamed onto it.

    Never a half-written file; never replaces anything but a regular file (InputError).
    An OSError while writing (full disk, permissions) is an InputError naming the path.
    """
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
    try:
        with (os.fdopen(handle, "wb") if binary else
              os.fdopen(handle, "w", encoding="utf-8", newline="\n")) as stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())
        with contextlib.suppress(FileNotFoundError):
            mode = os.lstat(path).st_mode
            if not stat.S_ISREG(mode):
                raise InputError(f"{path} is {_kind(mode)}; only a regular file is replaced")
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through :func:`atomic_writer`."""
    with atomic_writer(path) as stream:
        stream.write(text)
