"""Result objects: one replication's KPIs, and an experiment's replications with a summary.

KPIs are flat ``"scope.metric"`` keys (``all.wait_mean_min``, ``class.walk_in.served_per_day``,
``role.teller.utilization``) so that they tabulate, compare and serialise without special cases.
"""

from __future__ import annotations

import functools
import importlib
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.results.kpis import kpi_bounds


@dataclass(frozen=True)
class ReplicationResult:
    """The KPIs of one replication, hour-of-day profiles, and internal consistency checks."""

    replication: int
    kpis: dict[str, float]
    hourly: dict[str, list[float]]
    checks: dict[str, float]
    wall_time: float = 0.0
    traffic: dict[str, float] = field(default_factory=dict)
    """Client walks per network edge (``"u|v"``) per measured day; empty without a plan."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (NaN becomes None)."""
        return {
            "replication": self.replication,
            "wall_time_s": round(self.wall_time, 4),
            "kpis": {k: _clean(v) for k, v in self.kpis.items()},
            "checks": {k: _clean(v) for k, v in self.checks.items()},
            "hourly": {k: [_clean(x) for x in v] for k, v in self.hourly.items()},
            "traffic": self.traffic,
        }


@dataclass(frozen=True)
class Estimate:
    """A KPI across replications: mean, sample sd, and a Student-t confidence interval."""

    mean: float
    sd: float
    ci_low: float
    ci_high: float
    n: int

    @property
    def half_width(self) -> float:
        """Half the confidence interval's width."""
        return (self.ci_high - self.ci_low) / 2

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (NaN becomes None)."""
        return {
            "mean": _clean(self.mean),
            "sd": _clean(self.sd),
            "ci_low": _clean(self.ci_low),
            "ci_high": _clean(self.ci_high),
            "n": self.n,
        }


UNBOUNDED = (-math.inf, math.inf)


def estimate(
    values: list[float] | np.ndarray,
    confidence: float = 0.95,
    *,
    bounds: tuple[float, float] = UNBOUNDED,
) -> Estimate:
    """Mean and confidence interval of independent replication values.

    The interval is Student t (mean ± t·sd/√n), kept within the KPI's ``bounds``: a share
    (bounds 0 and 1) gets the logit-transformed interval — the same t interval built on the
    log-odds scale by the delta method and mapped back, so it stays inside (0, 1) and is close to
    the plain one away from the bounds; any other bounded KPI (counts, times, costs are ≥ 0) gets
    the t interval clipped to its bounds. Replications where a KPI is undefined (NaN, e.g. a mean
    wait with nobody served) are left out; with fewer than two values the interval is undefined
    (NaN). See docs/results.md.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan, 0)
    mean = float(x.mean())
    if n == 1:
        return Estimate(mean, math.nan, math.nan, math.nan, 1)
    sd = float(x.std(ddof=1))
    t = _t_value(0.5 + confidence / 2, n - 1)
    low, high = bounded_interval(mean, t * sd / math.sqrt(n), bounds)
    return Estimate(mean, sd, low, high, n)


def t_quantile(p: float, df: Any) -> Any:
    """Student t quantile: the value ``scipy.stats.t.ppf(p, df)`` gives, floats or arrays.

    Taken from ``scipy.special`` (what ``scipy.stats.t`` calls inside) because importing
    ``scipy.stats`` costs every command about 45 MB of memory and a quarter of a second.
    """
    from scipy.special import stdtrit

    return stdtrit(df, p)


@functools.lru_cache(maxsize=256)
def _t_value(p: float, df: int) -> float:
    """:func:`t_quantile` of one probability and whole degrees of freedom, kept: a summary asks
    for it once per KPI (hundreds of times), nearly always with the same ``df``."""
    return float(t_quantile(p, df))


def warm_up() -> None:
    """Import what summaries need (scipy.special), for a caller that has time to spare now,
    e.g. while worker processes run the replications to be summarised."""
    importlib.import_module("scipy.special")


def bounded_interval(
    mean: float, half: float, bounds: tuple[float, float] = UNBOUNDED
) -> tuple[float, float]:
    """``mean ± half`` kept within ``bounds`` (logit-transformed for shares, else clipped)."""
    lo, hi = bounds
    if half == 0:
        return mean, mean
    if (lo, hi) == (0.0, 1.0) and 0.0 < mean < 1.0:
        # Delta method: se(logit m) = se(m) / (m (1 − m)).
        centre = math.log(mean / (1.0 - mean))
        width = half / (mean * (1.0 - mean))
        return _expit(centre - width), _expit(centre + width)
    return max(lo, mean - half), min(hi, mean + half)


def _expit(z: float) -> float:
    """The inverse of the logit, written to avoid overflow for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class ExperimentResult:
    """All replications of one scenario and the summary across them."""

    scenario_name: str
    seed: int
    replications: list[ReplicationResult]
    summary: dict[str, Estimate] = field(default_factory=dict)
    hourly: dict[str, list[float]] = field(default_factory=dict)
    traffic: dict[str, float] = field(default_factory=dict)
    """Mean client walks per network edge per measured day, across replications."""

    @classmethod
    def from_replications(
        cls, scenario_name: str, seed: int, reps: list[ReplicationResult]
    ) -> ExperimentResult:
        """Summarise replications (in replication order) into estimates with CIs."""
        reps = sorted(reps, key=lambda r: r.replication)
        keys = list(dict.fromkeys(k for r in reps for k in r.kpis))  # in order of appearance
        summary = {
            k: estimate([r.kpis.get(k, math.nan) for r in reps], bounds=kpi_bounds(k)) for k in keys
        }
        hourly: dict[str, list[float]] = {}
        for k in reps[0].hourly if reps else []:
            rows = np.array([r.hourly[k] for r in reps], dtype=float)
            with warnings.catch_warnings():  # an hour without any value stays NaN, quietly
                warnings.simplefilter("ignore", RuntimeWarning)
                hourly[k] = [float(v) for v in np.nanmean(rows, axis=0)] if rows.size else []
        traffic: dict[str, float] = {}
        for r in reps:
            for edge, n in r.traffic.items():
                traffic[edge] = traffic.get(edge, 0.0) + n / len(reps)
        return cls(scenario_name, seed, reps, summary, hourly, traffic)

    def kpi(self, key: str) -> Estimate:
        """The estimate of one KPI, e.g. ``result.kpi("all.wait_mean_min")``."""
        try:
            return self.summary[key]
        except KeyError:
            raise KeyError(f"no KPI {key!r}; known: {', '.join(sorted(self.summary))}") from None

    def values(self, key: str) -> np.ndarray:
        """One KPI's value in every replication, in replication order."""
        return np.array([r.kpis.get(key, math.nan) for r in self.replications], dtype=float)

    def to_dataframe(self) -> Any:
        """The summary as a pandas DataFrame: one row per KPI (needs pandas)."""
        return dataframe(
            [{"kpi": k, **e.to_dict()} for k, e in self.summary.items()],
            ["kpi", "mean", "sd", "ci_low", "ci_high", "n"],
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "summary": {k: e.to_dict() for k, e in self.summary.items()},
            "hourly_mean": {k: [_clean(x) for x in v] for k, v in self.hourly.items()},
            "edge_traffic": self.traffic,
            "replications": [r.to_dict() for r in self.replications],
        }


def dataframe(rows: list[dict[str, Any]], columns: list[str] | None = None) -> Any:
    """A pandas DataFrame of plain records (None becomes NaN); pandas is imported on demand."""
    try:
        pd = importlib.import_module("pandas")
    except ImportError:
        raise ImportError("to_dataframe() needs pandas: pip install pandas") from None
    return pd.DataFrame.from_records(rows, columns=columns)


def _clean(value: float) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)
