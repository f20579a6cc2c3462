"""Staffing as observed: agents working in each interval of each day, and their occupancy.

The log does not say who was on duty, only who served whom. Two estimates: agents *seen*
serving in an interval (an upper bound on capacity: an agent seen in an hour may have worked
only part of it), and agents *present*, each counted for the share of the interval between the
first and last of a run of services without a long idle gap (breaks and other work excluded).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim.logs import ContactLog, day_type_of


@dataclass(frozen=True)
class ObservedStaffing:
    """Agents seen and busy time per interval, for the dates of one day type."""

    day_type: str
    dates: tuple[dt.date, ...]
    starts: tuple[float, ...]
    length: float
    agents: np.ndarray
    """Agents working (seen or present, see ``method``): one row per date, one per interval."""
    busy: np.ndarray
    """Seconds of service in each (date, interval)."""
    method: str = "present"

    def mean_agents(self) -> np.ndarray:
        """Mean agents per interval over the dates."""
        return self.agents.mean(axis=0)

    def occupancy(self) -> np.ndarray:
        """Busy time over (agents x interval length), per interval over all dates."""
        on = self.agents.sum(axis=0) * self.length
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(on > 0, self.busy.sum(axis=0) / on, np.nan)


STAFFING_METHODS = ("present", "seen")
IDLE_GAP = 300.0
"""An agent with no call for longer than this (seconds) is taken as away (break, other work)."""
SLOT = 900.0
"""Staffing is estimated per quarter hour, so that partial hours of presence are kept."""


def observe_staffing(
    log: ContactLog,
    day_type: str,
    window: tuple[float, float],
    interval: float = SLOT,
    method: str = "present",
    idle_gap: float = IDLE_GAP,
) -> ObservedStaffing:
    """Agents per interval on every date of ``day_type``, estimated from who served when.

    ``seen`` counts every agent with a service overlapping the interval (an upper bound);
    ``present`` counts each agent for the part of the interval they were working: from the
    start of a service to the end of the last one of a run of services with gaps of at most
    ``idle_gap`` between them.
    """
    dates = tuple(d for d in log.days() if day_type_of(d, log.day_types) == day_type)
    starts = np.arange(window[0], window[1] - 1e-9, interval)
    agents = np.zeros((len(dates), len(starts)))
    busy = np.zeros((len(dates), len(starts)))
    sel = log.served & (log.agent != "")
    for d, date in enumerate(dates):
        on_day = sel & (log.day == np.datetime64(date, "D"))
        for agent in np.unique(log.agent[on_day]):
            mine = on_day & (log.agent == agent)
            begin = log.arrival[mine] + log.wait[mine]
            spans = np.column_stack([begin, begin + log.service[mine]])
            spans = spans[np.argsort(spans[:, 0])]
            busy[d] += _overlaps(spans, starts, interval)
            if method == "seen":
                agents[d] += _overlaps(spans, starts, interval) > 0
            else:
                agents[d] += _overlaps(_sessions(spans, idle_gap), starts, interval) / interval
    return ObservedStaffing(
        day_type, dates, tuple(float(s) for s in starts), interval, agents, busy, method
    )


def _sessions(spans: np.ndarray, gap: float) -> np.ndarray:
    """Merge time-ordered (start, end) spans separated by at most ``gap``."""
    out = [list(spans[0])]
    for a, b in spans[1:]:
        if a - out[-1][1] > gap:
            out.append([a, b])
        else:
            out[-1][1] = max(out[-1][1], b)
    return np.array(out)


def _overlaps(spans: np.ndarray, starts: np.ndarray, length: float) -> np.ndarray:
    """Seconds of the spans inside each interval."""
    lo = np.maximum(spans[:, :1], starts[None, :])
    hi = np.minimum(spans[:, 1:], starts[None, :] + length)
    return np.clip(hi - lo, 0, None).sum(axis=0)


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
