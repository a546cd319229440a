"""What the labelled-sweep and store tests share: the paper's grid and a bitwise equality."""

from __future__ import annotations

import numpy as np


def axes(n1: int, n2: int) -> dict[str, np.ndarray]:
    """The paper's sweep: E log-spaced over 20 decades, gamma from -1 to 0.5."""
    return {"E": np.geomspace(1e10, 1e30, n1), "gamma": np.linspace(-1, 0.5, n2)}


def assert_same_bits(actual, expected, what: str) -> None:
    """Same dtype, shape and bytes (NaN payloads and signed zeros included)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert actual.tobytes() == expected.tobytes(), f"{what}: values differ"
