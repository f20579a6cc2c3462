"""Shared numeric helpers and argument checks of the queueing formulas."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_TAIL_EPS = 1e-15
"""Relative mass (and first moment) below which the tail of an infinite chain is dropped."""

_ERLANG_A_DEFAULT_MAX_STATES = 2_000_000
"""Largest truncation level tried by :func:`erlang_a` when ``n_max`` is not given."""


# --------------------------------------------------------------------------- validation helpers


def _finite(name: str, value: float) -> float:
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return x


def _nonneg(name: str, value: float) -> float:
    x = _finite(name, value)
    if x < 0.0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return x


def _positive(name: str, value: float) -> float:
    x = _finite(name, value)
    if x <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return x


def _count(name: str, value: float, minimum: int) -> int:
    """An integer >= ``minimum``; integral floats such as ``3.0`` are accepted."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, int | np.integer):
        n = int(value)
    else:
        x = float(value)
        if not (math.isfinite(x) and x.is_integer()):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        n = int(x)
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return n
