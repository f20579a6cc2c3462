"""Staffing as observed: agents seen serving in each interval of each day, and their occupancy.

The log does not say who was on duty, only who served whom: an agent counts in an interval when
one of their services overlaps it. That is an upper bound on the capacity the office had (an
agent seen in an hour may have worked only part of it, or been slow to take the next call).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim.logs import ContactLog, day_type_of
from sim.units import HOUR


@dataclass(frozen=True)
class ObservedStaffing:
    """Agents seen and busy time per interval, for the dates of one day type."""

    day_type: str
    dates: tuple[dt.date, ...]
    starts: tuple[float, ...]
    length: float
    agents: np.ndarray
    """Agents seen serving: one row per date, one column per interval."""
    busy: np.ndarray
    """Seconds of service in each (date, interval)."""

    def mean_agents(self) -> np.ndarray:
        """Mean agents seen per interval over the dates."""
        return self.agents.mean(axis=0)

    def occupancy(self) -> np.ndarray:
        """Busy time over (agents seen x interval length), per interval over all dates."""
        on = self.agents.sum(axis=0) * self.length
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(on > 0, self.busy.sum(axis=0) / on, np.nan)


def observe_staffing(
    log: ContactLog, day_type: str, window: tuple[float, float], interval: float = HOUR
) -> ObservedStaffing:
    """Count the agents seen serving per interval on every date of ``day_type``."""
    dates = tuple(d for d in log.days() if day_type_of(d, log.day_types) == day_type)
    starts = np.arange(window[0], window[1] - 1e-9, interval)
    seen: list[list[set[str]]] = [[set() for _ in starts] for _ in dates]
    busy = np.zeros((len(dates), len(starts)))
    index = {np.datetime64(d, "D"): i for i, d in enumerate(dates)}
    sel = log.served & (log.agent != "")
    for day, arr, wait, svc, agent in zip(
        log.day[sel], log.arrival[sel], log.wait[sel], log.service[sel], log.agent[sel], strict=True
    ):
        d = index.get(day)
        if d is None:
            continue
        a = arr + wait
        b = a + svc
        for k, s in enumerate(starts):
            overlap = min(b, s + interval) - max(a, s)
            if overlap > 0:
                seen[d][k].add(agent)
                busy[d, k] += overlap
    agents = np.array([[len(c) for c in row] for row in seen], dtype=float)
    return ObservedStaffing(
        day_type, dates, tuple(float(s) for s in starts), interval, agents, busy
    )


def stacked_shifts(
    counts: list[int], starts: list[float], length: float
) -> list[tuple[float, float, int]]:
    """A staffing profile as shifts of continuous members: (start, end, count).

    Member *j* works every stretch where the profile has at least *j* people, so nobody leaves
    and comes back within an hour; identical stretches are merged into one shift.
    """
    out: dict[tuple[float, float], int] = {}
    for level in range(1, max(counts, default=0) + 1):
        run_start: float | None = None
        for k, c in enumerate([*counts, 0]):
            if c >= level and run_start is None:
                run_start = starts[k]
            elif c < level and run_start is not None:
                end = starts[k - 1] + length
                out[(run_start, end)] = out.get((run_start, end), 0) + 1
                run_start = None
    return sorted((a, b, n) for (a, b), n in out.items())
