"""KPI definitions: turn one replication's records and level integrals into named numbers.

Definitions (documented in docs/results.md):
- counts are per measured day (days after the warm-up);
- waiting times are those of served clients; ``service_level`` is the share of *arriving* clients
  served within the target wait (a lost client is not served within it);
- queue and waiting-area means are time averages over opening hours;
- utilisation is busy time over on-duty time (overtime after closing included).
"""

from __future__ import annotations

import math

import numpy as np

from sim.layout import Floor
from sim.model.metrics import OUTCOME_BALKED, OUTCOME_RENEGED, OUTCOME_SERVED
from sim.model.records import OfficeRecords
from sim.results.kpis_backoffice import BACKOFFICE_METRICS, backoffice_kpis, cost_kpis
from sim.results.kpis_blending import BLENDING_METRICS, blending_kpis
from sim.results.kpis_channels import CHANNEL_METRICS, channel_kpis
from sim.results.kpis_information import INFORMATION_METRICS, contact_checks, information_kpis
from sim.results.kpis_space import SPACE_METRICS
from sim.results.segments import client_segments, target_wait
from sim.scenario.base import Crew
from sim.scenario.spec import Scenario
from sim.units import DAY, HOUR, MINUTE

METRICS: dict[str, tuple[str, str]] = {
    "arrivals_per_day": ("clients/day", "Clients who came in, per day"),
    "served_per_day": ("clients/day", "Clients served, per day"),
    "balked_per_day": ("clients/day", "Clients turned away by a full waiting area, per day"),
    "reneged_per_day": ("clients/day", "Clients who left after waiting too long, per day"),
    "lost_share": ("share", "Share of clients lost (balked or reneged)"),
    "abandonment_share": ("share", "Share of clients who reneged"),
    "balked_share": ("share", "Share of clients who balked"),
    "waited_share": ("share", "Share of admitted clients who had to wait at all"),
    "service_level": ("share", "Share of clients served within the target wait"),
    "wait_mean_min": ("min", "Mean wait of served clients"),
    "wait_p50_min": ("min", "Median wait of served clients"),
    "wait_p90_min": ("min", "90th percentile wait of served clients"),
    "wait_p95_min": ("min", "95th percentile wait of served clients"),
    "wait_max_min": ("min", "Longest wait of a served client"),
    "time_in_system_mean_min": ("min", "Mean time from arrival to leaving, served clients"),
    "walk_distance_mean_m": ("m", "Mean distance a client walked inside the office"),
    "walk_time_mean_min": ("min", "Mean time a client spent walking inside the office"),
    "walk_hours_per_day": ("h/day", "Staff hours walking (lookups, carrying paper) per day"),
    "walk_distance_per_day_m": ("m/day", "Metres staff walked (lookups, carrying paper) per day"),
    "length_mean": ("clients", "Time-average queue length over opening hours"),
    "length_max": ("clients", "Longest queue"),
    "occupancy_mean": ("clients", "Time-average clients waiting over opening hours"),
    "occupancy_max": ("clients", "Most clients waiting at once"),
    "seat_occupancy_mean": (
        "share",
        "Time-average share of the waiting seats taken, opening hours",
    ),
    "stood_share": ("share", "Share of waits that began with every seat taken (client stood)"),
    "utilization": ("share", "Busy time over on-duty time"),
    "on_duty_hours_per_day": ("h/day", "Staff hours on duty per day (all members)"),
    "busy_hours_per_day": ("h/day", "Staff hours serving clients per day"),
    "overtime_hours_per_day": ("h/day", "Staff hours past scheduled shift ends per day"),
    "staff_cost_per_day": ("currency/day", "Staff cost of on-duty hours per day"),
    "self_served_per_day": ("clients/day", "Requests handled by self-service, per day"),
    "queue_length_mean": ("tasks", "Time-average task steps waiting for the team (open hours)"),
    "queue_length_max": ("tasks", "Most task steps waiting for the team"),
    **BACKOFFICE_METRICS,
    **CHANNEL_METRICS,
    **BLENDING_METRICS,
    **SPACE_METRICS,
    **INFORMATION_METRICS,
}


def metric_of(key: str) -> str:
    """The metric part of a KPI key (``class.walk_in.wait_mean_min`` → ``wait_mean_min``)."""
    return key.rsplit(".", 1)[-1]


def unit_of(key: str) -> str:
    """The unit of a KPI key, from its metric."""
    return METRICS.get(metric_of(key), ("", ""))[0]


def kpi_bounds(key: str) -> tuple[float, float]:
    """The values a KPI can take: shares lie in [0, 1]; every other catalogued KPI (counts,
    times, distances, hours, costs) is ≥ 0; an uncatalogued key is unbounded."""
    unit = unit_of(key)
    if unit == "share":
        return 0.0, 1.0
    if metric_of(key) in METRICS:
        return 0.0, math.inf
    return -math.inf, math.inf


def compute_kpis(
    scenario: Scenario, records: OfficeRecords, floor: Floor | None = None
) -> tuple[dict[str, float], dict[str, list[float]], dict[str, float]]:
    """KPIs, hour-of-day profiles and consistency checks of a finished replication.

    ``floor`` (the scenario's floor plan, if any) prices the rent of its spaces.
    """
    s = scenario
    rec = dict(records.clients)
    days = s.days - s.warmup_days
    measured = rec["arrival"] >= records.measure_from
    target = s.targets.wait
    kpis: dict[str, float] = {}
    speeds = records.class_speeds
    rec["walk_time"] = (
        rec["walked"] / speeds[rec["cls"]] + rec["crowd_delay"]
        if len(rec["cls"])
        else rec["walked"]
    )
    _client_kpis(kpis, "all", rec, measured, days, target)
    for index, name in enumerate(records.class_names):
        _client_kpis(kpis, f"class.{name}", rec, measured & (rec["cls"] == index), days, target)
    _segment_kpis(s, records, kpis, rec, measured)
    channel_kpis(records, kpis, days, target)
    snaps = _Snapshots(s, records)
    _level_kpis(kpis, records, snaps)
    _staff_kpis(kpis, s, records, snaps, days)
    blending_kpis(records, kpis)
    if s.it.deflection > 0 or records.deflected:
        kpis["all.self_served_per_day"] = records.deflected / days
    open_mean = math.nan
    names = records.levels.names
    if "tasks_open" in names:
        col = names.index("tasks_open")
        window = snaps.area_at(col, s.days * DAY) - snaps.area_at(col)
        open_mean = window / (s.days * DAY - records.measure_from)
    backoffice_kpis(s, records, kpis, open_mean)
    cost_kpis(s, records, kpis, floor)
    information_kpis(s, records, kpis)

    waiting_area = records.levels.area_at_end["waiting"]
    little_gap = abs(waiting_area - records.total_wait) / max(1.0, records.total_wait)
    checks = {
        "arrived": float(records.arrived),
        "left": float(records.left),
        "inside_at_end": float(records.inside),
        "little_law_relative_gap": little_gap,
        **contact_checks(records),
    }
    hourly = _hourly(s, records, snaps, rec, measured)
    return kpis, hourly, checks


def _level_kpis(kpis: dict[str, float], records: OfficeRecords, snaps: _Snapshots) -> None:
    """Time-average and longest queues and waiting-area occupancy over opening hours."""
    levels = records.levels
    open_time = sum(b - a for a, b in snaps.open_hour_windows())
    for i, name in enumerate(levels.names):
        if name == "waiting":
            kpis["waiting_area.occupancy_mean"] = snaps.integral(i) / open_time
            kpis["waiting_area.occupancy_max"] = float(levels.maxima[name])
        elif name == "seats_taken" and records.seats is not None:
            seats = records.seats
            kpis["waiting_area.seat_occupancy_mean"] = snaps.integral(i) / open_time / seats.seats
            waits = seats.sat + seats.stood
            kpis["waiting_area.stood_share"] = seats.stood / waits if waits else math.nan
        elif name.startswith("queue.team:"):
            team = name.removeprefix("queue.team:")
            kpis[f"team.{team}.queue_length_mean"] = snaps.integral(i) / open_time
            kpis[f"team.{team}.queue_length_max"] = float(levels.maxima[name])
        elif name.startswith("queue."):
            kpis[f"{name}.length_mean"] = snaps.integral(i) / open_time
            kpis[f"{name}.length_max"] = float(levels.maxima[name])


def crews(s: Scenario) -> dict[str, Crew]:
    """Every crew of the scenario by scope: ``role.<name>`` then ``team.<name>``."""
    out: dict[str, Crew] = {f"role.{r}": role for r, role in s.staff.items()}
    teams = s.back_office.teams if s.back_office else {}
    out.update({f"team.{t}": team for t, team in teams.items()})
    return out


def _staff_kpis(
    kpis: dict[str, float], s: Scenario, records: OfficeRecords, snaps: _Snapshots, days: int
) -> None:
    """Utilisation, hours, overtime, cost and walking of every crew."""
    levels = records.levels
    names = levels.names
    staff_cost = 0.0
    for scope, crew in crews(s).items():
        busy = levels.area_at_end[f"busy.{scope}"] - snaps.area_at(names.index(f"busy.{scope}"))
        on = levels.area_at_end[f"on.{scope}"] - snaps.area_at(names.index(f"on.{scope}"))
        cost = on / HOUR * crew.cost_per_hour / days
        staff_cost += cost
        # busy <= on exactly (a member is busy only on duty); both are differences of running
        # integrals, so a crew busy all the time can come out a rounding error above 1
        kpis[f"{scope}.utilization"] = min(busy / on, 1.0) if on > 0 else math.nan
        kpis[f"{scope}.on_duty_hours_per_day"] = on / HOUR / days
        kpis[f"{scope}.busy_hours_per_day"] = busy / HOUR / days
        kpis[f"{scope}.overtime_hours_per_day"] = records.overtime.get(scope, 0.0) / HOUR / days
        kpis[f"{scope}.staff_cost_per_day"] = cost
    kpis["all.staff_cost_per_day"] = staff_cost
    speed = s.walking.staff_speed
    for scope, seconds in sorted(records.staff_walks.items()):
        kpis[f"{scope}.walk_hours_per_day"] = seconds / HOUR / days
        kpis[f"{scope}.walk_distance_per_day_m"] = seconds * speed / days


def _client_kpis(
    kpis: dict[str, float],
    scope: str,
    rec: dict[str, np.ndarray],
    mask: np.ndarray,
    days: int,
    target: float,
) -> None:
    outcome = rec["outcome"][mask]
    wait = rec["wait"][mask]
    tis = rec["time_in_system"][mask]
    served = outcome == OUTCOME_SERVED
    n = len(outcome)
    n_served = int(served.sum())
    n_balked = int((outcome == OUTCOME_BALKED).sum())
    n_reneged = int((outcome == OUTCOME_RENEGED).sum())
    admitted = n - n_balked
    kpis[f"{scope}.arrivals_per_day"] = n / days
    kpis[f"{scope}.served_per_day"] = n_served / days
    kpis[f"{scope}.balked_per_day"] = n_balked / days
    kpis[f"{scope}.reneged_per_day"] = n_reneged / days
    kpis[f"{scope}.lost_share"] = (n_balked + n_reneged) / n if n else math.nan
    kpis[f"{scope}.abandonment_share"] = n_reneged / n if n else math.nan
    kpis[f"{scope}.balked_share"] = n_balked / n if n else math.nan
    waited = (wait > 0) | (outcome == OUTCOME_RENEGED)
    kpis[f"{scope}.waited_share"] = (
        float(waited[outcome != OUTCOME_BALKED].sum()) / admitted if admitted else math.nan
    )
    kpis[f"{scope}.service_level"] = float((served & (wait <= target)).sum()) / n if n else math.nan
    w = wait[served] / MINUTE
    if n_served:
        p50, p90, p95 = np.percentile(w, [50, 90, 95])
        stats = (float(w.mean()), float(p50), float(p90), float(p95), float(w.max()))
        tis_mean = float(tis[served].mean()) / MINUTE
    else:
        stats = (math.nan,) * 5
        tis_mean = math.nan
    for name, value in zip(("mean", "p50", "p90", "p95", "max"), stats, strict=True):
        kpis[f"{scope}.wait_{name}_min"] = value
    kpis[f"{scope}.time_in_system_mean_min"] = tis_mean
    entered = outcome != OUTCOME_BALKED
    if admitted:
        kpis[f"{scope}.walk_distance_mean_m"] = float(rec["walked"][mask][entered].mean())
        kpis[f"{scope}.walk_time_mean_min"] = float(rec["walk_time"][mask][entered].mean()) / MINUTE
    else:
        kpis[f"{scope}.walk_distance_mean_m"] = math.nan
        kpis[f"{scope}.walk_time_mean_min"] = math.nan


def _segment_kpis(
    s: Scenario,
    records: OfficeRecords,
    kpis: dict[str, float],
    rec: dict[str, np.ndarray],
    measured: np.ndarray,
) -> None:
    """Client KPIs of every specific client target: its classes, arrival window and wait."""
    days = s.days - s.warmup_days
    index = {name: i for i, name in enumerate(records.class_names)}
    clock = rec["arrival"] % DAY
    for scope, t in client_segments(s).items():
        start, end = t.window(s.hours.open, s.hours.close)
        mask = measured & (clock >= start) & (clock < end)
        covered = t.covered(s.client_classes)
        if covered is not None:
            mask &= np.isin(rec["cls"], [index[c] for c in covered])
        _client_kpis(kpis, scope, rec, mask, days, target_wait(t, s))


class _Snapshots:
    """Level integrals recorded at opening-hour boundaries: window integrals by differences."""

    def __init__(self, scenario: Scenario, records: OfficeRecords):
        self.scenario = scenario
        self.measure_from = records.measure_from
        self.areas = records.levels.areas
        self.rows = {t: i for i, t in enumerate(records.levels.snap_times)}
        windows = self.open_hour_windows()
        starts = np.array([self.rows[a] for a, _ in windows], dtype=int)
        ends = np.array([self.rows[b] for _, b in windows], dtype=int)
        self.lengths = np.array([b - a for a, b in windows], dtype=float)
        self.diffs = self.areas[ends] - self.areas[starts] if windows else np.zeros((0, 0))
        """Each measured opening hour's integral of every level (hours x levels)."""

    def area_at(self, column: int, t: float | None = None) -> float:
        """A level's integral up to ``t`` (default: the end of the warm-up)."""
        t = self.measure_from if t is None else t
        return float(self.areas[self.rows[t], column])

    def open_hour_windows(self) -> list[tuple[float, float]]:
        """Each measured opening hour as (start, end) in absolute seconds."""
        s = self.scenario
        out = []
        for day in range(s.warmup_days, s.days):
            base = day * DAY
            for h in range(s.hours.n_hours):
                start = s.hours.open + h * HOUR
                out.append((base + start, base + min(start + HOUR, s.hours.close)))
        return out

    def integral(self, column: int) -> float:
        """A level's integral over the measured opening hours."""
        return float(self.diffs[:, column].sum())


def _hourly(
    s: Scenario,
    records: OfficeRecords,
    snaps: _Snapshots,
    rec: dict[str, np.ndarray],
    measured: np.ndarray,
) -> dict[str, list[float]]:
    """Per opening hour, averaged over measured days: arrivals, queue, busy and on-duty staff."""
    names = records.levels.names
    n_hours = s.hours.n_hours
    days = s.days - s.warmup_days
    means = (snaps.diffs / snaps.lengths[:, None]).reshape(days, n_hours, len(names)).mean(axis=0)
    out: dict[str, list[float]] = {name: means[:, i].tolist() for i, name in enumerate(names)}
    clock = rec["arrival"][measured] % DAY
    hour = np.floor((clock - s.hours.open) / HOUR).astype(int)
    ok = (hour >= 0) & (hour < n_hours)
    out["arrivals"] = (np.bincount(hour[ok], minlength=n_hours)[:n_hours] / days).tolist()
    out.update(_hourly_outcomes(rec, measured, hour, ok, n_hours))
    for index, name in enumerate(records.class_names):
        sel = ok & (rec["cls"][measured] == index)
        out[f"arrivals.{name}"] = (
            np.bincount(hour[sel], minlength=n_hours)[:n_hours] / days
        ).tolist()
    return out


def _hourly_outcomes(
    rec: dict[str, np.ndarray], measured: np.ndarray, hour: np.ndarray, ok: np.ndarray, n: int
) -> dict[str, list[float]]:
    """Per opening hour of arrival: abandonment share and mean wait of the served (NaN if none).

    These are what a call or ticket log shows per hour, so a calibrated model can be checked
    against its data hour by hour.
    """
    outcome = rec["outcome"][measured][ok]
    wait = rec["wait"][measured][ok]
    h = hour[ok]
    arrived = np.bincount(h, minlength=n)[:n].astype(float)
    reneged = np.bincount(h, weights=outcome == OUTCOME_RENEGED, minlength=n)[:n]
    served = outcome == OUTCOME_SERVED
    n_served = np.bincount(h[served], minlength=n)[:n].astype(float)
    wait_sum = np.bincount(h[served], weights=wait[served], minlength=n)[:n]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(arrived > 0, reneged / arrived, np.nan)
        mean_wait = np.where(n_served > 0, wait_sum / n_served / MINUTE, np.nan)
    return {"abandonment_share": share.tolist(), "wait_mean_min": mean_wait.tolist()}
