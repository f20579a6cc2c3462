"""Cheap accumulators for the hot path: time-weighted levels and per-client records.

Levels keep only a running integral (area under the curve) and a maximum; any window's mean is a
difference of integrals taken at snapshot times, so nothing per event is stored. Client records
go into compact typed arrays (8 bytes per value) so long runs stay small in memory.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

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
        self.area += self.value * (now - self.last)
        self.last = now
        self.value += delta
        if self.value > self.max:
            self.max = self.value

    def area_at(self, now: float) -> float:
        """The integral of the level from time zero up to ``now``."""
        return self.area + self.value * (now - self.last)

    def reset_max(self) -> None:
        """Forget the maximum so far (at the end of a warm-up)."""
        self.max = self.value


OUTCOME_SERVED = 0
OUTCOME_BALKED = 1
OUTCOME_RENEGED = 2


@dataclass
class ClientRecords:
    """One row per client who has left: class, arrival time, outcome, waiting and system time."""

    cls: array = field(default_factory=lambda: array("i"))
    arrival: array = field(default_factory=lambda: array("d"))
    outcome: array = field(default_factory=lambda: array("b"))
    wait: array = field(default_factory=lambda: array("d"))
    time_in_system: array = field(default_factory=lambda: array("d"))
    walked: array = field(default_factory=lambda: array("d"))
    """Metres walked inside the office (zero without a floor plan)."""

    def add(
        self, cls: int, arrival: float, outcome: int, wait: float, tis: float, walked: float = 0.0
    ) -> None:
        """Record one client who left (served, balked or reneged)."""
        self.cls.append(cls)
        self.arrival.append(arrival)
        self.outcome.append(outcome)
        self.wait.append(wait)
        self.time_in_system.append(tis)
        self.walked.append(walked)

    def as_numpy(self) -> dict[str, np.ndarray]:
        """The records as numpy arrays, one per column."""
        return {
            "cls": np.asarray(self.cls, dtype=np.int32),
            "arrival": np.asarray(self.arrival, dtype=float),
            "outcome": np.asarray(self.outcome, dtype=np.int8),
            "wait": np.asarray(self.wait, dtype=float),
            "time_in_system": np.asarray(self.time_in_system, dtype=float),
            "walked": np.asarray(self.walked, dtype=float),
        }
