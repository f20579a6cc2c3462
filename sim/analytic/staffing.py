"""Hour-by-hour staffing requirements from queueing theory: the optimiser's starting point.

For each role and opening hour, the clients the role serves arrive at the scenario's hourly rate
(walk-ins at the mean day factor, plus booked slots that show up); with each class's mean
service time (``spec.mean()``) this gives an offered load *a* in Erlangs. The requirement is
the smallest staff count meeting the service-level target by Erlang C (waits as in M/M/c) and,
when clients are impatient and the scenario caps abandonment, the abandonment target by
Erlang A; the square-root staffing rule ``a + β√a`` is reported beside them as a quick check.
Roles with shifts get the cheapest shift counts covering every hour's requirement (a small
integer programme). Breaks, routing across roles and non-exponential times are left to the
simulation-based search that follows.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from sim.analytic import (
    beta_for_delay_probability,
    min_servers_erlang_a,
    min_servers_erlang_c,
    square_root_staffing,
)
from sim.scenario.spec import OpeningHours, Scenario
from sim.units import HOUR

MAX_TARGET_LEVEL = 0.999
"""A service-level target of 100% is unreachable with random arrivals; plan for this instead."""


@dataclass(frozen=True)
class HourRequirement:
    """One role's load and staff requirement in one opening hour."""

    hour: int
    """Opening hour number (0 = the first)."""
    arrivals_per_hour: float
    mean_service_s: float
    offered_erlangs: float
    sqrt_staffing: int
    erlang_c: int
    erlang_a: int | None
    required: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)


def primary_roles(scenario: Scenario) -> dict[str, str]:
    """Skill → the role that mainly serves it (the one listing it earliest among its skills)."""
    out: dict[str, str] = {}
    rank: dict[str, int] = {}
    for name, role in scenario.staff.items():
        for pos, skill in enumerate(role.skills):
            if skill not in rank or pos < rank[skill]:
                out[skill], rank[skill] = name, pos
    return out


def _hourly_arrivals(scenario: Scenario, cls_name: str) -> np.ndarray:
    """Expected arrivals per opening hour of one class on an average day."""
    s = scenario
    cc = s.client_classes[cls_name]
    n = s.hours.n_hours
    lam = np.zeros(n)
    if cc.arrivals is not None:
        factor = float(np.mean(cc.arrivals.day_factors)) if cc.arrivals.day_factors else 1.0
        lam += np.asarray(cc.arrivals.hourly(n), dtype=float) * factor
    if cc.appointments is not None:
        ap = cc.appointments
        for t in ap.slot_times():
            h = int((t - s.hours.open) // HOUR)
            if 0 <= h < n:
                lam[h] += ap.per_slot * (1.0 - ap.no_show)
    return lam


def role_requirements(scenario: Scenario) -> dict[str, list[HourRequirement]]:
    """Per role with client work, the hour-by-hour requirement (see the module docstring)."""
    s = scenario
    n = s.hours.n_hours
    owner = primary_roles(s)
    # role → list of (hourly arrivals, mean service s, mean patience s or None)
    streams: dict[str, list[tuple[np.ndarray, float, float | None]]] = {}
    reception_lam = np.zeros(n)
    for name, cc in s.client_classes.items():
        lam = _hourly_arrivals(s, name)
        patience = cc.patience.mean() if cc.patience is not None else None
        streams.setdefault(owner[cc.skill], []).append((lam, cc.service.mean(), patience))
        if s.reception is not None and cc.reception:
            reception_lam += lam
    if s.reception is not None and reception_lam.any() and s.reception.skill in owner:
        streams.setdefault(owner[s.reception.skill], []).append(
            (reception_lam, s.reception.service.mean(), None)
        )
    level = min(s.targets.service_level, MAX_TARGET_LEVEL)
    beta = beta_for_delay_probability(1.0 - level) if level > 0.0 else 0.0
    out: dict[str, list[HourRequirement]] = {}
    for role, parts in streams.items():
        rows = []
        for h in range(n):
            rate = float(sum(float(p[0][h]) for p in parts))
            if rate <= 0:
                rows.append(HourRequirement(h, 0.0, 0.0, 0.0, 0, 0, None, 0))
                continue
            mean_s = float(sum(float(p[0][h]) * p[1] for p in parts)) / rate
            mu = HOUR / mean_s
            a = rate / mu
            c_sl = min_servers_erlang_c(rate, mu, s.targets.wait / HOUR, level)
            c_ab = _erlang_a(rate, mu, parts, h, s.targets.max_abandonment)
            required = max(c_sl, c_ab or 0)
            rows.append(
                HourRequirement(
                    h, rate, mean_s, a, square_root_staffing(a, beta), c_sl, c_ab, required
                )
            )
        out[role] = rows
    return out


def _erlang_a(
    lam: float,
    mu: float,
    parts: list[tuple[np.ndarray, float, float | None]],
    h: int,
    max_abandon: float | None,
) -> int | None:
    """Erlang A requirement for the abandonment cap, when the clients are impatient."""
    weights = [(float(p[0][h]), p[2]) for p in parts if p[2] is not None and p[0][h] > 0]
    if not weights or max_abandon is None or not 0.0 < max_abandon < 1.0:
        return None
    patience = sum(w * m for w, m in weights if m is not None) / sum(w for w, _ in weights)
    if patience <= 0:
        return None
    return min_servers_erlang_a(lam, mu, HOUR / patience, max_abandon)


def hour_coverage(hours: OpeningHours, start: float, end: float) -> list[float]:
    """Share of each opening hour that a shift from ``start`` to ``end`` covers (0..1)."""
    out = []
    for h in range(hours.n_hours):
        a = hours.open + h * HOUR
        b = min(a + HOUR, hours.close)
        out.append(max(0.0, min(b, end) - max(a, start)) / (b - a))
    return out


def cover_shifts(
    required: list[int], hours: OpeningHours, shifts: list[tuple[float, float]]
) -> list[int]:
    """Fewest staff hours of the given shifts meeting each hour's requirement (at least one).

    An integer programme: minimise Σ length_s · x_s subject to Σ_s coverage[h, s] · x_s >=
    max(1, required[h]) for every opening hour h, x_s >= 0 integer. Hours no shift touches
    are left uncovered.
    """
    cover = np.array([hour_coverage(hours, a, b) for a, b in shifts], dtype=float).T
    need = np.array([max(1, r) for r in required], dtype=float)
    reachable = cover.sum(axis=1) > 0
    cover, need = cover[reachable], need[reachable]
    lengths = np.array([max(b - a, 1.0) / HOUR for a, b in shifts])
    if cover.size == 0:
        return [0] * len(shifts)
    res = milp(
        c=lengths,
        constraints=LinearConstraint(cover, lb=need, ub=np.inf),
        integrality=np.ones(len(shifts)),
        bounds=Bounds(0, np.inf),
    )
    if res.x is None:
        top = int(need.max())
        return [top] * len(shifts)
    return [math.ceil(float(v) - 1e-6) for v in res.x]
