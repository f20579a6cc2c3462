"""Cheap accumulators for the hot path: time-weighted levels, per-client records, counters.

Levels keep only a running integral (area under the curve) and a maximum; any window's mean is a
difference of integrals taken at snapshot times, so nothing per event is stored. Client records
are appended as one tuple per client (one call on the hot path) and become numpy columns once,
at the end of the run.
"""

from __future__ import annotations

import itertools

import numpy as np


class Level:
    """A piecewise-constant quantity over time (queue length, busy staff) and its integral."""

    __slots__ = ("area", "last", "max", "value")

    def __init__(self) -> None:
        self.value = 0
        self.last = 0.0
        self.area = 0.0
        self.max = 0

    def change(self, now: float, delta: int) -> None:
        """Add ``delta`` to the level at time ``now``."""
        value = self.value
        self.area += value * (now - self.last)
        self.last = now
        value += delta
        self.value = value
        if value > self.max:
            self.max = value

    def area_at(self, now: float) -> float:
        """The integral of the level from time zero up to ``now``."""
        return self.area + self.value * (now - self.last)

    def reset_max(self) -> None:
        """Forget the maximum so far (at the end of a warm-up)."""
        self.max = self.value


OUTCOME_SERVED = 0
OUTCOME_BALKED = 1
OUTCOME_RENEGED = 2

CLIENT_COLUMNS = ("cls", "arrival", "outcome", "wait", "time_in_system", "walked", "crowd_delay")
_DTYPES = (np.int32, float, np.int8, float, float, float, float)


class ClientRecords:
    """One row per client who has left: class, arrival time, outcome, waiting and system time,
    metres walked inside the office (zero without a floor plan) and the seconds those walks took
    beyond the free walking speed (zero unless walking speed falls with density)."""

    __slots__ = ("delays", "rows")

    def __init__(self) -> None:
        self.rows: list[tuple[int, float, int, float, float, float]] = []
        self.delays: dict[int, float] = {}
        """Crowd delay by row, only for rows where it is not zero."""

    def add(
        self, cls: int, arrival: float, outcome: int, wait: float, tis: float, walked: float = 0.0
    ) -> None:
        """Record one client who left (served, balked or reneged)."""
        self.rows.append((cls, arrival, outcome, wait, tis, walked))

    def delay_last(self, seconds: float) -> None:
        """The client recorded last walked ``seconds`` longer than at their free speed."""
        self.delays[len(self.rows) - 1] = seconds

    def __len__(self) -> int:
        return len(self.rows)

    def as_numpy(self) -> dict[str, np.ndarray]:
        """The records as numpy arrays, one per column."""
        names, dtypes = CLIENT_COLUMNS[:-1], _DTYPES[:-1]
        flat = itertools.chain.from_iterable(self.rows)
        count = len(self.rows) * len(names)
        table = np.fromiter(flat, dtype=float, count=count).reshape(len(self.rows), len(names))
        out = {
            name: table[:, j].astype(dtype)
            for j, (name, dtype) in enumerate(zip(names, dtypes, strict=True))
        }
        delay = np.zeros(len(self.rows))
        for row, seconds in self.delays.items():
            delay[row] = seconds
        out["crowd_delay"] = delay
        return out


class Recorder:
    """What the front office counts in one replication, beside the per-client records."""

    __slots__ = (
        "arrived",
        "deflected",
        "inside",
        "left",
        "measure_from",
        "overtime",
        "records",
        "staff_walks",
        "total_wait",
    )

    def __init__(self, measure_from: float) -> None:
        self.measure_from = measure_from
        self.records = ClientRecords()
        self.arrived = 0
        self.deflected = 0
        self.inside = 0
        self.left = 0
        self.total_wait = 0.0
        self.overtime: dict[str, float] = {}
        """Seconds worked past scheduled shift ends, per crew scope."""
        self.staff_walks: dict[str, float] = {}
        """Seconds staff walked (lookups, carrying paper) per crew scope, or 'runner'."""

    def staff_walk(self, scope: str, now: float, seconds: float) -> None:
        """Count a staff walk of crew ``scope`` (or ``runner``) for the walking KPIs."""
        if now >= self.measure_from and seconds > 0:
            self.staff_walks[scope] = self.staff_walks.get(scope, 0.0) + seconds
