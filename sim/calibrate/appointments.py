"""Booked clients: the no-show rate (with its exact binomial interval) and punctuality."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.logs import ContactLog


@dataclass(frozen=True)
class AppointmentFit:
    """No-shows and arrival offsets (arrival - booked time; negative = early) of booked clients."""

    group: str
    booked: int
    no_shows: int
    no_show: float
    no_show_ci: tuple[float, float]
    offset_mean: float
    offset_sd: float
    offset_mean_ci: tuple[float, float]


def fit_appointments(log: ContactLog, group: str = "all") -> AppointmentFit | None:
    """No-show rate and punctuality of the log's booked contacts (None without any)."""
    booked = np.isfinite(log.booked)
    n = int(booked.sum())
    if n == 0:
        return None
    k = int((booked & log.no_show).sum())
    ci = stats.binomtest(k, n).proportion_ci(0.95)
    offset = (log.arrival - log.booked)[booked & ~log.no_show]
    mean = float(offset.mean()) if len(offset) else math.nan
    sd = float(offset.std(ddof=1)) if len(offset) > 1 else math.nan
    half = (
        float(stats.t.ppf(0.975, len(offset) - 1)) * sd / math.sqrt(len(offset))
        if len(offset) > 1
        else math.nan
    )
    return AppointmentFit(
        group, n, k, k / n, (float(ci.low), float(ci.high)), mean, sd, (mean - half, mean + half)
    )
