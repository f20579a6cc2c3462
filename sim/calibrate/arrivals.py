"""Arrivals as a non-homogeneous Poisson process: a rate per interval of the day, per day type.

The rate of interval *k* is the count over all days of the type divided by the exposure (days x
interval length), with the exact (Garwood) Poisson confidence interval. Two tests of the Poisson
assumption: the index of dispersion of the daily counts (variance = mean for Poisson), and the
conditional-uniform test of Brown et al. (JASA 2005, section 3.1): within an interval, Poisson
arrival times are uniform given their number, so the transformed gaps R_j are Exp(1).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.logs import ContactLog, day_type_of
from sim.units import HOUR


@dataclass(frozen=True)
class IntervalRate:
    """The arrival rate of one interval of the day."""

    start: float
    """Seconds after midnight."""
    length: float
    count: int
    """Arrivals over all days of the type."""
    days: int
    per_hour: float
    ci_low: float
    ci_high: float
    daily: tuple[int, ...]


@dataclass(frozen=True)
class PoissonTest:
    """A test of the Poisson assumption: its statistic, degrees of freedom or size, p-value."""

    name: str
    statistic: float
    size: int
    p_value: float


@dataclass(frozen=True)
class ArrivalFit:
    """Rates per interval for one group of clients on one day type, with Poisson tests."""

    group: str
    day_type: str
    dates: tuple[dt.date, ...]
    intervals: tuple[IntervalRate, ...]
    dispersion: PoissonTest
    uniform: PoissonTest

    def hourly(self) -> list[float]:
        """Rates per hour of day (intervals pooled to whole hours), clients per hour."""
        per_hour: dict[int, list[IntervalRate]] = {}
        for r in self.intervals:
            per_hour.setdefault(int(r.start // HOUR), []).append(r)
        return [
            sum(r.count for r in rs) / (rs[0].days * sum(r.length for r in rs) / HOUR)
            for _, rs in sorted(per_hour.items())
        ]

    def daily_totals(self) -> list[int]:
        """Arrivals on each date of the type, in date order."""
        return [sum(r.daily[d] for r in self.intervals) for d in range(len(self.dates))]


def poisson_ci(count: int, exposure: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval of a Poisson rate: ``count`` events over ``exposure``."""
    a = 1 - confidence
    low = stats.chi2.ppf(a / 2, 2 * count) / 2 if count > 0 else 0.0
    high = stats.chi2.ppf(1 - a / 2, 2 * count + 2) / 2
    return float(low) / exposure, float(high) / exposure


def fit_arrivals(
    log: ContactLog,
    day_type: str,
    window: tuple[float, float],
    interval: float = HOUR,
    group: str = "all",
) -> ArrivalFit:
    """Rates per ``interval`` between ``window`` (open, close) on every date of ``day_type``.

    ``log`` should already hold only the group's contacts (no-shows are left out here).
    """
    mask = (log.day_type() == day_type) & log.present
    dates = tuple(d for d in log.days() if _type_of(log, d) == day_type)
    starts = np.arange(window[0], window[1] - 1e-9, interval)
    day_index = {np.datetime64(d, "D"): i for i, d in enumerate(dates)}
    counts = np.zeros((len(dates), len(starts)), dtype=int)
    within: dict[tuple[int, int], list[float]] = {}
    for day, t in zip(log.day[mask], log.arrival[mask], strict=True):
        k = int((t - window[0]) // interval)
        if 0 <= k < len(starts) and t >= window[0]:
            d = day_index[day]
            counts[d, k] += 1
            within.setdefault((d, k), []).append(float(t - starts[k]))
    rates = []
    for k, start in enumerate(starts):
        length = min(interval, window[1] - start)
        exposure = len(dates) * length / HOUR
        total = int(counts[:, k].sum())
        low, high = poisson_ci(total, exposure)
        rates.append(
            IntervalRate(
                float(start),
                float(length),
                total,
                len(dates),
                total / exposure,
                low,
                high,
                tuple(int(c) for c in counts[:, k]),
            )
        )
    return ArrivalFit(
        group,
        day_type,
        dates,
        tuple(rates),
        dispersion_test(counts),
        uniform_test(within, interval),
    )


def _type_of(log: ContactLog, day: dt.date) -> str:
    return day_type_of(day, log.day_types)


def dispersion_test(counts: np.ndarray) -> PoissonTest:
    """Index-of-dispersion test over intervals: sum (N - mean)^2 / mean ~ chi2(sum(days - 1))."""
    stat, df = 0.0, 0
    for column in counts.T:
        mean = column.mean()
        if mean > 0 and len(column) > 1:
            stat += float(((column - mean) ** 2).sum() / mean)
            df += len(column) - 1
    p = float(stats.chi2.sf(stat, df)) if df else math.nan
    return PoissonTest("index of dispersion (chi-square)", stat, df, p)


def uniform_test(within: dict[tuple[int, int], list[float]], interval: float) -> PoissonTest:
    """Brown et al.'s test: R_j = (J + 1 - j) * -log((L - T_j) / (L - T_(j-1))) are Exp(1)."""
    values: list[float] = []
    for times in within.values():
        t = np.sort(np.asarray(times))
        t = t[t < interval]
        if len(t) == 0:
            continue
        prev = np.concatenate([[0.0], t[:-1]])
        j = np.arange(1, len(t) + 1)
        values.extend(((len(t) + 1 - j) * -np.log((interval - t) / (interval - prev))).tolist())
    if len(values) < 2:
        return PoissonTest("conditional uniform (Kolmogorov-Smirnov)", math.nan, 0, math.nan)
    res = stats.kstest(values, "expon")
    return PoissonTest(
        "conditional uniform (Kolmogorov-Smirnov)",
        float(res.statistic),
        len(values),
        float(res.pvalue),
    )


def opening_window(log: ContactLog, day_type: str, share: float = 0.8) -> tuple[float, float]:
    """Whole hours (open, close) spanning the hours with arrivals on at least ``share`` of days."""
    mask = (log.day_type() == day_type) & log.present
    days = np.unique(log.day[mask])
    hours = (log.arrival[mask] // HOUR).astype(int)
    seen = {(d, h) for d, h in zip(log.day[mask], hours, strict=True)}
    busy = [h for h in range(24) if sum((d, h) in seen for d in days) >= share * len(days)]
    if not busy:
        raise ValueError(f"no hour has arrivals on most {day_type} days")
    return busy[0] * HOUR, (busy[-1] + 1) * HOUR
