"""The project's exceptions: one base, and the two kinds a caller acts on."""

from __future__ import annotations


class ProfitoptError(Exception):
    """Base of every error raised on purpose by profitopt."""


class InputError(ProfitoptError):
    """A parameter outside the model's domain or a malformed request (CLI exit 2)."""


class OutOfRange(InputError):
    """A valid parameter set whose optimum cannot be carried in a double (refused, not clipped)."""


class VerificationFailed(ProfitoptError):
    """Two independent computations of the same quantity disagree."""
