"""KPIs of the space simulation: desks, shortage per weekday, rooms, lifts, doors and rent.

Definitions (docs/results.md, "Space"):
- counts are per measured day; ``shortage_probability`` is the share of measured days on which
  at least one employee found no desk (per weekday: of that weekday's days);
- ``desk_peak_share`` is the most desks taken at once over the desks used, ``desk_mean_share``
  the time-average desks taken over the building hours; ``desk_utilisation`` counts only time
  someone is at the desk (not in meetings or away), as a desk sensor would;
- ``team_distance_m`` is the mean walking distance from a seated employee to the team-mates
  seated that day; ``seated_together_share`` the share of a team's seated employees in the
  space (zone) holding most of them;
- rooms: ``refusal_share`` of bookings, ``seat_utilisation`` = seat-hours used (people x hours)
  over seat-hours available in the building hours, ``ghost_share`` of booked room-hours held by
  ghost bookings;
- rent is the monthly rent of every level's area; ``rent_per_attendance`` divides it by the
  attendances of a month (mean attendance per day x days of the week x 52 / 12).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from sim.layout.travel import WALKING_SPEED
from sim.model.space import SpaceRecords, Visit
from sim.model.space_plan import SpacePlan
from sim.scenario.space import Space
from sim.units import HOUR

SPACE_METRICS: dict[str, tuple[str, str]] = {
    "attendance_per_day": ("people/day", "Employees who came in, per day"),
    "no_desk_per_day": ("people/day", "Employees who found no desk, per day"),
    "no_desk_share": ("share", "Share of employees coming in who found no desk"),
    "shortage_probability": ("share", "Share of days on which someone found no desk"),
    "outside_zone_share": ("share", "Share seated outside their neighbourhood / level"),
    "desk_peak_share": ("share", "Most desks taken at once over desks used"),
    "desk_mean_share": ("share", "Time-average desks taken over desks used (building hours)"),
    "desk_utilisation": ("share", "Time-average desks with someone at them over desks used"),
    "desks": ("desks", "Desks used"),
    "team_distance_m": ("m", "Mean walk from a seated employee to seated team-mates"),
    "seated_together_share": ("share", "Share of a team seated in its most-used space"),
    "booking_refused_per_day": ("bookings/day", "Desk bookings refused, per day"),
    "no_show_per_day": ("people/day", "Employees who booked a desk and did not come"),
    "refusal_share": ("share", "Share of room bookings refused"),
    "seat_utilisation": ("share", "Seat-hours used over seat-hours available"),
    "room_utilisation": ("share", "Room-hours booked over room-hours available"),
    "ghost_share": ("share", "Share of booked room-hours held by ghost bookings"),
    "bookings_per_day": ("bookings/day", "Room bookings requested, per day"),
    "lift_wait_mean_s": ("s", "Mean wait for a lift car"),
    "lift_wait_max_s": ("s", "Longest wait for a lift car"),
    "exit_clear_s": ("s", "Time from the first to the last employee out at day's end"),
    "trips_per_day": ("trips/day", "Trips made between teams during the day (movement.trips)"),
    "trips_skipped_per_day": ("trips/day", "Trips not made: nobody of one of the teams was in"),
    "trip_time_mean_s": ("s", "Mean time of a trip between teams, lift waits included"),
    "trip_lift_share": ("share", "Share of trips between teams that used a lift"),
    "trip_lift_wait_mean_s": ("s", "Mean lift wait on trips between teams that used a lift"),
    "rent_per_month": ("currency/month", "Rent of the building's floor area per month"),
    "rent_per_employee_month": ("currency/month", "Rent per employee per month"),
    "rent_per_attendance": ("currency", "Rent per employee-day in the office"),
    "desk_rent_per_month": ("currency/month", "Rent of the desk area used per month"),
    "interaction_walk_min_per_day": ("min/day", "Walking between teams that work together"),
}


def _coverage(intervals: list[tuple[float, float]], edges: np.ndarray) -> np.ndarray:
    """Seconds covered by ``intervals`` in each bin between consecutive ``edges``."""
    out = np.zeros(len(edges) - 1)
    if not intervals:
        return out
    arr = np.asarray(intervals, dtype=float)
    lo = np.maximum(arr[:, :1], edges[None, :-1])
    hi = np.minimum(arr[:, 1:], edges[None, 1:])
    return np.asarray(np.clip(hi - lo, 0.0, None).sum(axis=0))


def _at_desk(v: Visit) -> list[tuple[float, float]]:
    spans, t = [], v.seated
    for a, b in v.away:
        if a > t:
            spans.append((t, a))
        t = max(t, b)
    if v.departure > t:
        spans.append((t, v.departure))
    return spans


def _peak(visits: list[Visit]) -> int:
    events = sorted(
        [(v.seated, 1) for v in visits] + [(v.departure, -1) for v in visits],
        key=lambda e: (e[0], e[1]),
    )
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


def _team_spread(visits: list[Visit], plan: SpacePlan) -> tuple[list[float], list[float]]:
    by_team: dict[str, list[int]] = {}
    for v in visits:
        by_team.setdefault(v.team, []).append(v.desk)
    distances, together = [], []
    for desks in by_team.values():
        if len(desks) >= 2:
            m = plan.desk_metres[np.ix_(desks, desks)]
            distances.append(float(m.sum() / (len(desks) * (len(desks) - 1))))
        zones = Counter((plan.desks[d].level, plan.desks[d].space) for d in desks)
        together.append(zones.most_common(1)[0][1] / len(desks))
    return distances, together


def _desk_kpis(
    records: SpaceRecords, plan: SpacePlan, spec: Space, measured: list[int]
) -> tuple[dict[str, float], dict[str, list[float]]]:
    kpis: dict[str, float] = {}
    lo, hi = spec.hours
    edges = np.arange(lo, hi + 1e-9, HOUR)
    if edges[-1] < hi:
        edges = np.append(edges, hi)
    n_desks = max(len(plan.desks), 1)
    claimed = np.zeros(len(edges) - 1)
    occupied = np.zeros(len(edges) - 1)
    by_day: dict[int, list[Visit]] = {d: [] for d in measured}
    refused_by_day: dict[int, int] = {d: 0 for d in measured}
    for v in records.visits:
        if v.day in by_day:
            if v.desk >= 0:
                by_day[v.day].append(v)
            else:
                refused_by_day[v.day] += 1
    peaks, distances, together, outside, shortage = [], [], [], 0, {}
    area_time: dict[tuple[str, str], float] = {}
    for d in measured:
        seated = by_day[d]
        claimed += _coverage([(v.seated, v.departure) for v in seated], edges)
        spans = [s for v in seated for s in _at_desk(v)]
        occupied += _coverage(spans, edges)
        for v in seated:
            desk = plan.desks[v.desk]
            key = (desk.level, desk.space)
            area_time[key] = area_time.get(key, 0.0) + sum(b - a for a, b in _at_desk(v))
        peaks.append(_peak(seated))
        dist, tog = _team_spread(seated, plan)
        distances += dist
        together += tog
        outside += sum(1 for v in seated if not v.preferred)
        shortage[d] = refused_by_day[d] > 0
    days = len(measured)
    width = np.diff(edges)
    came = sum(len(by_day[d]) + refused_by_day[d] for d in measured)
    seated_total = sum(len(by_day[d]) for d in measured)
    kpis["space.desks"] = float(len(plan.desks))
    kpis["space.attendance_per_day"] = came / days
    kpis["space.no_desk_per_day"] = sum(refused_by_day.values()) / days
    kpis["space.no_desk_share"] = sum(refused_by_day.values()) / came if came else math.nan
    kpis["space.shortage_probability"] = sum(shortage.values()) / days
    kpis["space.outside_zone_share"] = outside / seated_total if seated_total else math.nan
    kpis["space.desk_peak_share"] = float(np.mean(peaks)) / n_desks
    kpis["space.desk_mean_share"] = float(claimed.sum() / (days * width.sum() * n_desks))
    kpis["space.desk_utilisation"] = float(occupied.sum() / (days * width.sum() * n_desks))
    kpis["space.team_distance_m"] = float(np.mean(distances)) if distances else math.nan
    kpis["space.seated_together_share"] = float(np.mean(together)) if together else math.nan
    for w, name in enumerate(spec.week):
        on = [d for d in measured if d % len(spec.week) == w]
        if not on:
            continue
        kpis[f"space.{name}.shortage_probability"] = sum(shortage[d] for d in on) / len(on)
        kpis[f"space.{name}.no_desk_per_day"] = sum(refused_by_day[d] for d in on) / len(on)
        kpis[f"space.{name}.attendance_per_day"] = sum(
            len(by_day[d]) + refused_by_day[d] for d in on
        ) / len(on)
        kpis[f"space.{name}.desk_peak_share"] = (
            float(np.mean([_peak(by_day[d]) for d in on])) / n_desks
        )
    desks_in: Counter[tuple[str, str]] = Counter((d.level, d.space) for d in plan.desks)
    for (level, space), count in sorted(desks_in.items()):
        kpis[f"space.area.{level}:{space}.desk_utilisation"] = area_time.get(
            (level, space), 0.0
        ) / (days * width.sum() * count)
    hourly = {
        "space.desk_claimed_share": list(claimed / (days * width * n_desks)),
        "space.desk_occupied_share": list(occupied / (days * width * n_desks)),
    }
    return kpis, hourly


def _room_kpis(
    records: SpaceRecords, plan: SpacePlan, spec: Space, measured: list[int]
) -> tuple[dict[str, float], dict[str, list[float]]]:
    kpis: dict[str, float] = {}
    hourly: dict[str, list[float]] = {}
    lo, hi = spec.hours
    edges = np.arange(lo, hi + 1e-9, HOUR)
    if edges[-1] < hi:
        edges = np.append(edges, hi)
    width = np.diff(edges)
    days = len(measured)
    for kind in sorted({r.kind for r in plan.rooms}):
        seats = sum(r.capacity for r in plan.rooms if r.kind == kind)
        count = sum(1 for r in plan.rooms if r.kind == kind)
        made = [b for d in measured for b in records.bookings[d] if b.kind == kind]
        got = [b for b in made if b.room >= 0]
        seat_spans = np.zeros(len(edges) - 1)
        for b in got:
            if not b.ghost:
                seat_spans += b.size * _coverage([(b.start, b.end)], edges)
        held = sum(b.held_until - b.start for b in got)
        ghost_held = sum(b.held_until - b.start for b in got if b.ghost)
        scope = f"space.rooms.{kind}"
        kpis[f"{scope}.bookings_per_day"] = len(made) / days
        kpis[f"{scope}.refusal_share"] = (len(made) - len(got)) / len(made) if made else math.nan
        kpis[f"{scope}.seat_utilisation"] = float(seat_spans.sum() / (days * width.sum() * seats))
        kpis[f"{scope}.room_utilisation"] = held / (days * (hi - lo) * count)
        kpis[f"{scope}.ghost_share"] = ghost_held / held if held > 0 else math.nan
        hourly[f"{scope}.seat_share"] = list(seat_spans / (days * width * seats))
        hourly[f"{scope}.room_share"] = list(
            _coverage([(b.start, b.held_until) for b in got], edges) / (days * width * count)
        )
    return kpis, hourly


def _rent_kpis(plan: SpacePlan, spec: Space, attendance_per_day: float) -> dict[str, float]:
    kpis: dict[str, float] = {}
    total = 0.0
    for level, area in plan.level_area.items():
        rate = spec.level_rent.get(level, spec.rent_per_m2_month)
        kpis[f"space.level.{level}.rent_per_month"] = area * rate
        total += area * rate
    kpis["space.rent_per_month"] = total
    kpis["space.rent_per_employee_month"] = total / spec.employees
    month_attendances = attendance_per_day * len(spec.week) * 52 / 12
    kpis["space.rent_per_attendance"] = (
        total / month_attendances if month_attendances > 0 else math.nan
    )
    kpis["space.desk_rent_per_month"] = (
        len(plan.desks) * plan.desk_area_per_desk * spec.rent_per_m2_month
    )
    return kpis


def _movement_kpis(records: SpaceRecords, measured: list[int]) -> dict[str, float]:
    kpis: dict[str, float] = {}
    if records.lift_waits:
        kpis["space.lift_wait_mean_s"] = float(np.mean(records.lift_waits))
        kpis["space.lift_wait_max_s"] = float(np.max(records.lift_waits))
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    keep = set(measured)
    for v in records.visits:
        if v.day in keep and v.desk >= 0:
            first[v.day] = min(first.get(v.day, math.inf), v.departure)
            last[v.day] = max(last.get(v.day, -math.inf), v.outside)
    if first:
        kpis["space.exit_clear_s"] = float(np.mean([last[d] - first[d] for d in first]))
    return kpis


def _trip_kpis(records: SpaceRecords, measured: list[int]) -> dict[str, float]:
    """Trips between teams during the day: how many, how long, how long waiting for a lift."""
    keep = set(measured)
    trips = [t for t in records.trips if t.day in keep]
    kpis = {
        "space.trips_per_day": len(trips) / max(len(measured), 1),
        "space.trips_skipped_per_day": float(
            np.mean([records.trips_skipped[d] for d in measured]) if measured else 0.0
        ),
    }
    if trips:
        kpis["space.trip_time_mean_s"] = float(np.mean([t.seconds for t in trips]))
        kpis["space.trip_lift_share"] = float(np.mean([t.by_lift for t in trips]))
        lifted = [t.lift_wait for t in trips if t.by_lift]
        if lifted:
            kpis["space.trip_lift_wait_mean_s"] = float(np.mean(lifted))
    return kpis


def _stack_kpis(plan: SpacePlan, spec: Space, records: SpaceRecords, measured: list[int]) -> float:
    """Minutes a day walked between teams that work together (adjacency trips x walk time)."""
    by_team: dict[str, list[int]] = {}
    keep = set(measured)
    for v in records.visits:
        if v.day in keep and v.desk >= 0:
            by_team.setdefault(v.team, []).append(v.desk)
    total = 0.0
    speed = WALKING_SPEED
    for a, row in spec.adjacency.items():
        for b, trips in row.items():
            da, db = by_team.get(a), by_team.get(b)
            if not da or not db:
                continue
            metres = float(plan.desk_metres[np.ix_(da, db)].mean())
            total += trips * metres / speed / 60.0
    return total


def space_kpis(
    records: SpaceRecords, plan: SpacePlan, spec: Space, warmup_days: int
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """KPIs and hour-of-day profiles of one replication's space simulation."""
    measured = list(range(warmup_days, records.days))
    kpis, hourly = _desk_kpis(records, plan, spec, measured)
    if spec.desks.policy == "booking":
        kpis["space.booking_refused_per_day"] = float(
            np.mean([records.desk_refusals[d] for d in measured])
        )
        kpis["space.no_show_per_day"] = float(np.mean([records.no_shows[d] for d in measured]))
    if plan.rooms:
        more, profiles = _room_kpis(records, plan, spec, measured)
        kpis.update(more)
        hourly.update(profiles)
    kpis.update(_rent_kpis(plan, spec, kpis["space.attendance_per_day"]))
    kpis.update(_movement_kpis(records, measured))
    if spec.movement.trips:
        kpis.update(_trip_kpis(records, measured))
    if spec.adjacency:
        kpis["space.interaction_walk_min_per_day"] = _stack_kpis(plan, spec, records, measured)
    return kpis, hourly
