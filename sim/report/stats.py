"""Confidence bands of hour-of-day profiles across replications (vectorised Student t)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.results.summary import t_quantile

CONFIDENCE = 0.95

Band = tuple[list[float], list[float], list[float]]
"""Per hour: mean, CI low, CI high (NaN where undefined)."""


def band(rows: np.ndarray, confidence: float = CONFIDENCE) -> Band:
    """Mean and Student-t CI per column of a (replications × hours) array, NaNs left out."""
    x = np.asarray(rows, dtype=float)
    if x.ndim != 2 or x.shape[0] == 0:
        return [], [], []
    ok = ~np.isnan(x)
    n = ok.sum(axis=0)
    total = np.where(ok, x, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        dev = np.where(ok, x - mean, 0.0)
        sd = np.sqrt((dev**2).sum(axis=0) / (n - 1))
        t = t_quantile(0.5 + confidence / 2, np.maximum(n - 1, 1))
        half = np.where(n >= 2, t * sd / np.sqrt(n), np.nan)
    return mean.tolist(), (mean - half).tolist(), (mean + half).tolist()


def hourly_rows(replications: Sequence[Mapping[str, Any]], key: str) -> np.ndarray:
    """One hourly series of every replication as a (replications × hours) array."""
    rows = [r.get("hourly", {}).get(key) for r in replications]
    rows = [r for r in rows if r is not None]
    if not rows:
        return np.zeros((0, 0))
    width = max(len(r) for r in rows)
    return np.array(
        [[np.nan if v is None else v for v in r] + [np.nan] * (width - len(r)) for r in rows],
        dtype=float,
    )


def hourly_band(replications: Sequence[Mapping[str, Any]], key: str) -> Band:
    """The mean and CI band of one hourly series across replications."""
    return band(hourly_rows(replications, key))


def ratio_band(replications: Sequence[Mapping[str, Any]], num: str, den: str) -> Band:
    """Per hour, the CI band of ``num / den`` computed within each replication (e.g. busy/on)."""
    a, b = hourly_rows(replications, num), hourly_rows(replications, den)
    if a.shape != b.shape or a.size == 0:
        return [], [], []
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(b > 1e-9, a / b, np.nan)
    return band(ratio)
