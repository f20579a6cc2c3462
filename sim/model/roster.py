"""Staff rosters: who is on duty when, as absolute model times, computed once before a run.

A role's shifts repeat every day; each member takes the role's breaks (staggered by the member's
place in its shift). Back-to-back duty across midnight (a 00:00-24:00 shift) merges into one
period, so a 24-hour office runs without artificial shift changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.scenario.base import Crew
from sim.scenario.checks import role_periods
from sim.scenario.spec import OpeningHours
from sim.units import DAY


@dataclass
class DutyPeriod:
    """One stretch of duty: start and scheduled end (absolute seconds) and breaks in between."""

    start: float
    end: float
    breaks: list[tuple[float, float]] = field(default_factory=list)
    """(start, duration) of each break, in time order."""
    closes: bool = False
    """True when the period ends at or after closing: the member stays until no client waits."""


@dataclass
class MemberPlan:
    """The duty periods of one staff member over the whole run."""

    role: str
    index: int
    """Number of the member within the role (0-based)."""
    periods: list[DutyPeriod]


def plan_role(
    name: str, role: Crew, hours: OpeningHours, days: int, *, serves_clients: bool = True
) -> list[MemberPlan]:
    """Duty periods of every member of ``role`` over ``days`` days.

    Members serving clients whose duty runs to closing stay until everyone inside is served;
    back-office teams simply end their shift.
    """
    shifts = [(start, end) for start, end, count in role_periods(role, hours) for _ in range(count)]
    breaks = member_breaks(role, shifts)
    plans: list[MemberPlan] = []
    for k, (start, end) in enumerate(shifts):
        periods: list[DutyPeriod] = []
        for day in range(days):
            base = day * DAY
            own = [(base + b, length) for b, length in breaks[k]]
            period = DutyPeriod(
                base + start, base + end, own, serves_clients and end >= hours.close
            )
            prev = periods[-1] if periods else None
            if prev is not None and prev.end >= period.start:
                prev.end = period.end
                prev.breaks.extend(period.breaks)
                prev.closes = period.closes
            else:
                periods.append(period)
        plans.append(MemberPlan(name, k, periods))
    return plans


def member_breaks(role: Crew, shifts: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Each member's breaks as (start, length) after midnight, given members' (start, end).

    A break applies to the members on duty at its start time; they go one after another,
    ``stagger`` apart, in member order.
    """
    out: list[list[tuple[float, float]]] = [[] for _ in shifts]
    for br in role.breaks:
        on_duty = [k for k, (start, end) in enumerate(shifts) if start <= br.start < end]
        for j, k in enumerate(on_duty):
            out[k].append((br.start + j * br.stagger, br.duration))
    for own in out:
        own.sort()
    return out
