"""Service times: maximum-likelihood fits of lognormal, gamma and exponential, chosen by AIC.

The empirical mean and standard deviation (with a t interval for the mean) sit beside the fits,
and the quantile pairs of a QQ plot against the chosen family are kept for the report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.calibrate.mle import Fit, Sample, fit_best

QQ_POINTS = 99
SHORT = 10.0
"""Services shorter than this (seconds) are transfers and hang-ups at pick-up: a spike of their
own that no single lognormal, gamma or exponential follows (Brown et al., JASA 2005, 4.3)."""


@dataclass(frozen=True)
class ServiceFit:
    """Fitted service-time distributions of one group, best first."""

    group: str
    n: int
    mean: float
    sd: float
    mean_ci: tuple[float, float]
    fits: tuple[Fit, ...]
    qq: tuple[tuple[float, ...], tuple[float, ...]]
    """(fitted quantiles, observed quantiles) at probabilities 1%..99%, seconds."""
    short_share: float
    """Share of services under ``SHORT`` seconds (transfers, hang-ups at pick-up)."""
    body: tuple[Fit, ...]
    """The same families fitted to the services of ``SHORT`` seconds or more, best first."""

    @property
    def best(self) -> Fit:
        return self.fits[0]


def fit_service(times: np.ndarray, group: str = "all") -> ServiceFit:
    """Fit service durations (seconds, all > 0): all of them, and the body without the spike.

    The scenario takes the best fit to *all* services, which keeps the observed mean (the MLE of
    an exponential or gamma mean is the sample mean); the body's fits show the shape.
    """
    x = np.asarray(times, dtype=float)
    x = x[np.isfinite(x) & (x > 0)]
    if len(x) < 5:
        raise ValueError(f"only {len(x)} service times for {group!r}: at least 5 are needed")
    fits = tuple(fit_best(Sample(x)))
    mean, sd = float(x.mean()), float(x.std(ddof=1))
    half = float(stats.t.ppf(0.975, len(x) - 1)) * sd / math.sqrt(len(x))
    p = np.arange(1, QQ_POINTS + 1) / (QQ_POINTS + 1)
    fitted = fits[0].frozen().ppf(p)  # type: ignore[attr-defined]
    observed = np.quantile(x, p)
    return ServiceFit(
        group,
        len(x),
        mean,
        sd,
        (mean - half, mean + half),
        fits,
        (tuple(float(v) for v in fitted), tuple(float(v) for v in observed)),
        float((x < SHORT).mean()),
        tuple(fit_best(Sample(x[x >= SHORT]))) if (x >= SHORT).sum() >= 5 else (),
    )
