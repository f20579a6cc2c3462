"""Patience from censored waits: Kaplan-Meier survival and censored maximum likelihood.

A client who abandoned after waiting *w* shows a patience of exactly *w*; a served client's
patience was longer than their wait (right-censored at *w*); a ticket called after its client had
left shows only that the patience was shorter than the wait (left-censored). Fitting the abandoned
waits alone ignores the served clients' evidence and underestimates patience — the ``naive`` fit
is kept to show by how much. Right-censored zero waits carry no information and are left out.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.calibrate.mle import Fit, Sample, fit_best, fit_family
from sim.units import MINUTE


@dataclass(frozen=True)
class Survival:
    """Kaplan-Meier estimate of P(patience > t) with its 95% pointwise interval."""

    t: tuple[float, ...]
    sf: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]


@dataclass(frozen=True)
class PatienceFit:
    """Patience of one group: survival curve, censored fits (best first), hazard, naive fit."""

    group: str
    n: int
    abandoned: int
    km: Survival
    fits: tuple[Fit, ...]
    naive: Fit
    """Exponential fit to abandoned waits only (censoring ignored), for comparison."""
    hazard: tuple[tuple[float, float, int], ...]
    """(wait from, abandonments per minute of waiting, abandonments) per one-minute bin."""

    @property
    def best(self) -> Fit:
        return self.fits[0]


def patience_sample(wait: np.ndarray, served: np.ndarray, exact_leave: np.ndarray) -> Sample:
    """Censored sample of patience from waits and outcomes."""
    wait = np.asarray(wait, dtype=float)
    left_q = ~served
    exact = wait[left_q & exact_leave & (wait > 0)]
    left = wait[left_q & ~exact_leave & (wait > 0)]
    right = wait[served & (wait > 0)]
    return Sample(exact, right, left)


def fit_patience(
    wait: np.ndarray, served: np.ndarray, exact_leave: np.ndarray, group: str = "all"
) -> PatienceFit:
    """Fit patience from the waits of abandoned and served contacts."""
    sample = patience_sample(wait, served, exact_leave)
    if len(sample.exact) + len(sample.left) < 5:
        raise ValueError(f"only {len(sample.exact)} abandonments for {group!r}: at least 5 needed")
    fits = tuple(fit_best(sample))
    naive = fit_family("exponential", Sample(np.concatenate([sample.exact, sample.left])))
    return PatienceFit(
        group,
        sample.n,
        len(sample.exact) + len(sample.left),
        kaplan_meier(sample),
        fits,
        naive,
        hazard(sample),
    )


def kaplan_meier(sample: Sample) -> Survival:
    """The survival function via ``scipy.stats.ecdf`` on the censored sample."""
    data = stats.CensoredData(uncensored=sample.exact, right=sample.right)
    res = stats.ecdf(data)
    with warnings.catch_warnings():
        # Undefined at the last times (no one left at risk): those bounds become 0 and 1.
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = res.sf.confidence_interval(0.95)
    return Survival(
        tuple(float(v) for v in res.sf.quantiles),
        tuple(float(v) for v in res.sf.probabilities),
        tuple(float(v) for v in np.nan_to_num(ci.low.probabilities, nan=0.0)),
        tuple(float(v) for v in np.nan_to_num(ci.high.probabilities, nan=1.0)),
    )


def hazard(
    sample: Sample, width: float = MINUTE, bins: int = 10
) -> tuple[tuple[float, float, int], ...]:
    """Abandonments per minute of waiting, per bin of waiting time (the abandonment hazard)."""
    waits = np.concatenate([sample.exact, sample.right])
    out = []
    for k in range(bins):
        a, b = k * width, (k + 1) * width
        exposure = float(np.clip(waits - a, 0, width).sum())
        events = int(((sample.exact >= a) & (sample.exact < b)).sum())
        rate = events / (exposure / MINUTE) if exposure > 0 else math.nan
        out.append((a, rate, events))
    return tuple(out)
