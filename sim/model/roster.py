"""Staff rosters: who is on duty when, as absolute model times, computed once before a run.

A role's shifts repeat every day; each member takes the role's breaks (staggered by the member's
place in its shift). Back-to-back duty across midnight (a 00:00-24:00 shift) merges into one
period, so a 24-hour office runs without artificial shift changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.checks import role_periods
from sim.scenario import OpeningHours, StaffRole
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


def plan_role(name: str, role: StaffRole, hours: OpeningHours, days: int) -> list[MemberPlan]:
    """Duty periods of every member of ``role`` over ``days`` days."""
    plans: list[MemberPlan] = []
    for start, end, count in role_periods(role, hours):
        for k in range(count):
            periods: list[DutyPeriod] = []
            for day in range(days):
                base = day * DAY
                breaks = []
                for br in role.breaks:
                    b = br.start + k * br.stagger
                    if start <= b and b + br.duration <= end:
                        breaks.append((base + b, br.duration))
                period = DutyPeriod(base + start, base + end, breaks, end >= hours.close)
                prev = periods[-1] if periods else None
                if prev is not None and prev.end >= period.start:
                    prev.end = period.end
                    prev.breaks.extend(period.breaks)
                    prev.closes = period.closes
                else:
                    periods.append(period)
            plans.append(MemberPlan(name, len(plans), periods))
    return plans
