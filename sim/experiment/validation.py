"""Validation of a calibrated model against the data: simulated vs observed, per hour and overall.

The calibrated scenario runs with the staffing the office had in the validated period (as the
calibration estimates it from who served when), and its KPIs — arrivals, abandonment share,
mean wait of the served, share served within the target wait — are set beside the same figures computed from the log. Observed figures
carry a Student-t interval over the period's days, simulated ones over replications. With
``holdout`` the model is fitted on the dates before it and validated on the dates from it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from sim.calibrate import CalibrateOptions, Calibration, calibrate_contacts, observe_staffing
from sim.calibrate.writer import build_scenario
from sim.experiment.api import run
from sim.logs import ContactLog
from sim.results.summary import Estimate, ExperimentResult, estimate
from sim.scenario.spec import Scenario
from sim.units import HOUR, MINUTE

METRICS: dict[str, tuple[str, str]] = {
    "arrivals_per_day": ("clients/day", "Contacts per day"),
    "abandonment_share": ("share", "Share who abandoned"),
    "wait_mean_min": ("min", "Mean wait of the served"),
    "service_level": ("share", "Share served within the target wait"),
}
HOURLY = ("abandonment_share", "wait_mean_min")


@dataclass(frozen=True)
class Row:
    """One figure, observed and simulated, with the relative error of the simulation."""

    scope: str
    """``overall`` or the hour, ``07-08``."""
    metric: str
    observed: Estimate
    simulated: Estimate

    @property
    def relative_error(self) -> float:
        """(simulated - observed) / observed (NaN when nothing was observed)."""
        obs = self.observed.mean
        if not obs or math.isnan(obs):
            return math.nan
        return (self.simulated.mean - obs) / obs


@dataclass(frozen=True)
class Validation:
    """The comparison of one calibrated scenario with the period it is validated on."""

    scenario: Scenario
    fitted_on: tuple[dt.date, ...]
    validated_on: tuple[dt.date, ...]
    holdout: dt.date | None
    overall: tuple[Row, ...]
    hourly: tuple[Row, ...]
    result: ExperimentResult

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data for ``calibration.json`` (the report reads it)."""

        def est(e: Estimate) -> dict[str, Any]:
            return e.to_dict()

        def rows(rs: tuple[Row, ...]) -> list[dict[str, Any]]:
            return [
                {
                    "scope": r.scope,
                    "metric": r.metric,
                    "observed": est(r.observed),
                    "simulated": est(r.simulated),
                    "relative_error": _finite(r.relative_error),
                }
                for r in rs
            ]

        return {
            "scenario": self.scenario.name,
            "replications": len(self.result.replications),
            "fitted_on": [d.isoformat() for d in self.fitted_on],
            "validated_on": [d.isoformat() for d in self.validated_on],
            "holdout": self.holdout.isoformat() if self.holdout else None,
            "overall": rows(self.overall),
            "hourly": rows(self.hourly),
        }

    def row(self, metric: str, scope: str = "overall") -> Row:
        """The row of ``metric`` for ``scope``."""
        for r in (*self.overall, *self.hourly):
            if r.metric == metric and r.scope == scope:
                return r
        raise KeyError(f"no validation row {scope}/{metric}")


@dataclass(frozen=True)
class ValidateOptions:
    """How to validate: holdout date, replications, seed, worker processes."""

    holdout: dt.date | None = None
    replications: int = 20
    seed: int = 1
    jobs: int | None = 1


def _period(log: ContactLog, cal: Calibration, holdout: dt.date | None) -> ContactLog:
    mask = log.day_type() == cal.day_type
    if holdout is not None:
        mask &= log.day >= np.datetime64(holdout, "D")
    grouped = log.select(mask)
    return replace(grouped, cls=np.full(len(grouped), "all", dtype=object))


def observed(log: ContactLog, window: tuple[float, float], target: float) -> dict[str, np.ndarray]:
    """Per date: arrivals, abandonment share, mean wait (min) and service level within window."""
    came = log.present & (log.arrival >= window[0]) & (log.arrival < window[1])
    out: dict[str, list[float]] = {m: [] for m in METRICS}
    for day in np.unique(log.day[came]):
        sel = came & (log.day == day)
        n = int(sel.sum())
        served = sel & log.served
        out["arrivals_per_day"].append(float(n))
        out["abandonment_share"].append(float((sel & ~log.served).sum() / n))
        w = log.wait[served]
        out["wait_mean_min"].append(float(w.mean() / MINUTE) if len(w) else math.nan)
        out["service_level"].append(float((w <= target).sum() / n))
    return {k: np.asarray(v) for k, v in out.items()}


def observed_hourly(log: ContactLog, window: tuple[float, float]) -> dict[str, list[Estimate]]:
    """Per hour of arrival: abandonment share and mean wait, pooled over dates, CI over dates."""
    came = log.present
    hours = range(int(window[0] // HOUR), math.ceil(window[1] / HOUR))
    out: dict[str, list[Estimate]] = {m: [] for m in HOURLY}
    hour = (log.arrival // HOUR).astype(int)
    days = np.unique(log.day[came])
    for h in hours:
        sel = came & (hour == h)
        share = [_share(sel & (log.day == d), log) for d in days]
        waits = [_mean_wait(sel & (log.day == d) & log.served, log) for d in days]
        out["abandonment_share"].append(
            _pooled(float((sel & ~log.served).sum()) / max(1, int(sel.sum())), share)
        )
        w = log.wait[sel & log.served]
        out["wait_mean_min"].append(
            _pooled(float(w.mean() / MINUTE) if len(w) else math.nan, waits)
        )
    return out


def _share(sel: np.ndarray, log: ContactLog) -> float:
    n = int(sel.sum())
    return float((sel & ~log.served).sum() / n) if n else math.nan


def _mean_wait(sel: np.ndarray, log: ContactLog) -> float:
    w = log.wait[sel]
    return float(w.mean() / MINUTE) if len(w) else math.nan


def _pooled(value: float, daily: list[float]) -> Estimate:
    """The pooled figure, with the spread of the daily figures as its interval."""
    e = estimate(daily)
    half = e.half_width if e.n > 1 else math.nan
    return Estimate(value, e.sd, value - half, value + half, e.n)


def validate(
    log: ContactLog,
    calibrate: CalibrateOptions | None = None,
    options: ValidateOptions | None = None,
) -> tuple[Calibration, Validation]:
    """Calibrate on ``log`` (before the holdout date) and validate on its data (from it)."""
    opts = options or ValidateOptions()
    cal_opts = replace(calibrate or CalibrateOptions(), before=opts.holdout)
    cal = calibrate_contacts(log, cal_opts)
    period = _period(log, cal, opts.holdout)
    staffing = observe_staffing(period, cal.day_type, cal.window, method=cal.options.staffing)
    scenario = build_scenario(cal, staffing)
    scenario = scenario.model_copy(update={"replications": opts.replications, "seed": opts.seed})
    result = run(scenario, jobs=opts.jobs)
    obs = observed(period, cal.window, cal.options.target_wait)
    overall = []
    for metric in METRICS:
        daily = obs[metric]
        pooled = _pooled_overall(period, cal.window, cal.options.target_wait, metric, daily)
        overall.append(Row("overall", metric, pooled, result.kpi(f"all.{metric}")))
    hourly = []
    obs_h = observed_hourly(period, cal.window)
    first = int(cal.window[0] // HOUR)
    for metric in HOURLY:
        rows = np.array([r.hourly[metric] for r in result.replications], dtype=float)
        for k, o in enumerate(obs_h[metric]):
            label = f"{first + k:02d}-{first + k + 1:02d}"
            hourly.append(Row(label, metric, o, estimate(rows[:, k])))
    return cal, Validation(
        scenario, cal.dates, staffing.dates, opts.holdout, tuple(overall), tuple(hourly), result
    )


def _pooled_overall(
    log: ContactLog, window: tuple[float, float], target: float, metric: str, daily: np.ndarray
) -> Estimate:
    came = log.present & (log.arrival >= window[0]) & (log.arrival < window[1])
    served = came & log.served
    n = int(came.sum())
    value = {
        "arrivals_per_day": n / max(1, len(daily)),
        "abandonment_share": float((came & ~log.served).sum() / n) if n else math.nan,
        "wait_mean_min": float(log.wait[served].mean() / MINUTE) if served.any() else math.nan,
        "service_level": float((log.wait[served] <= target).sum() / n) if n else math.nan,
    }[metric]
    return _pooled(value, list(daily))


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
