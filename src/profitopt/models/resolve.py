"""Which model a command runs: a built-in name, or a model file read, checked and derived.

Every command resolves its ``--model`` here, the paper's included: ``paper`` is read
from ``paper.toml`` by the same loader as a user's file, so the built-in commands and
a user's copy of the file take one path.  A model file is then derived (its Problem
compiled: served tokens, the kink reduction, the reduced condition, the bounded range
of the demand shape, the caps' KKT cases) under a time budget, before any command
uses it; a model SymPy cannot derive, or cannot derive in time, is refused with the
reason.  The data-price and size-cap variants are built in code (symbolic.variants)
as the paper's model plus one part each.
"""

from __future__ import annotations

import math
import os
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..paramspec import MODELS

#: Seconds the symbolic derivation of a model file may take (environment variable
#: PROFITOPT_DERIVE_SECONDS overrides it; 0 means no limit).
DEFAULT_BUDGET_SECONDS = 120.0
BUDGET_VARIABLE = "PROFITOPT_DERIVE_SECONDS"


class DerivationTimeout(InputError):
    """A model's symbolic derivation took longer than its time budget."""


def budget_seconds() -> float:
    """The time budget for deriving a model file, from PROFITOPT_DERIVE_SECONDS or the
    default (InputError when the variable is not a number >= 0)."""
    text = os.environ.get(BUDGET_VARIABLE, "").strip()
    if not text:
        return DEFAULT_BUDGET_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise InputError(f"{BUDGET_VARIABLE} must be a number of seconds >= 0, got {text!r}")
    return seconds


@contextmanager
def time_budget(seconds: float, what: str) -> Iterator[None]:
    """Run the block for at most ``seconds`` (0: no limit), else DerivationTimeout.

    The limit is a real-time interval timer (SIGALRM), so it applies in the main thread
    of the process, where the command line runs; elsewhere the block runs unlimited.
    SymPy is pure Python, so the signal interrupts it between two bytecodes.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise DerivationTimeout(f"{what}: the symbolic derivation did not finish within "
                                f"{seconds:g} s and was stopped (SymPy cannot handle this "
                                f"model in time; simplify it, or raise {BUDGET_VARIABLE})")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def is_model_file(text: str) -> bool:
    """True when ``text`` names a file rather than a built-in model."""
    return text.endswith(".toml") or os.sep in text or "/" in text


def resolve(text: str, *, budget: float | None = None) -> str:
    """The name under which the model ``text`` names is known, derived and checked.

    ``paper`` is read from the package's paper.toml; the other built-in names are
    returned as they are; a path is read as a model file (see :mod:`.loader`), made
    known by its name, and derived within ``budget`` seconds (default
    :func:`budget_seconds`).  InputError, naming the file, for anything else.
    """
    from .loader import load, paper_file

    if text == "paper":
        return load(paper_file())
    if text in MODELS:
        return text
    if not is_model_file(text):
        raise InputError(f"unknown model {text!r}: a built-in one ({', '.join(MODELS)}) or a "
                         ".toml model file")
    name = load(text)
    derive(name, Path(text).name, budget_seconds() if budget is None else budget)
    return name


def derive(name: str, source: str, budget: float) -> None:
    """Derive model ``name``'s Problem within ``budget`` seconds and check the defaults the
    file gives against the derived bounded range; InputError with the reason if SymPy
    cannot derive it, cannot do so in time, or a default lies outside the domain."""
    from ..numeric.kernels import problem

    try:
        with time_budget(budget, source):
            problem(name)
    except DerivationTimeout:
        raise
    except (ValueError, TypeError, NotImplementedError, ZeroDivisionError,
            RecursionError) as error:
        reason = " ".join(str(error).split())  # SymPy's messages span lines
        if len(reason) > 300:
            reason = reason[:297] + "..."
        raise InputError(f"{source}: the model cannot be derived: {reason}") from None
    check_defaults(name, source)


def check_defaults(name: str, source: str) -> None:
    """Refuse a file whose default demand shape lies outside the bounded range derived for
    it at its default exponents (when the file gives all of them): the model's Domain
    check, on the defaults."""
    from ..numeric.parameters import parameters_class

    domain = parameters_class(name).domain
    defaults = {spec.name: spec.default for spec in MODELS[name]}
    shape, exponents = domain.shape, domain.exponents
    if defaults[shape] is None or any(defaults[e] is None for e in exponents):
        return
    lower = float(domain.gamma_lower_kernel()(*(defaults[e] for e in exponents)))
    if not defaults[shape] > lower:
        at = ", ".join(f"{e} = {defaults[e]:g}" for e in exponents)
        raise InputError(f"{source}: parameters.{shape}: default {defaults[shape]:g} is outside "
                         f"the bounded range {shape} > {lower:.6g} derived for this model at "
                         f"{at}: profit is unbounded there")
