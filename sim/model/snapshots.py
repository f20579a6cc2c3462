"""Snapshots of every level's integral at fixed times (opening-hour boundaries, day ends, the end
of the warm-up), from which the results layer takes window means by differences.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.model.metrics import Level
from sim.units import DAY

if TYPE_CHECKING:
    from sim.model.backoffice import BackOfficeRuntime


class Snapshots:
    """Integrals of ``levels`` at the snapshot times, and the open tasks at each day end."""

    def __init__(
        self,
        levels: Mapping[str, Level],
        backoffice: BackOfficeRuntime | None,
        measure_from: float,
    ) -> None:
        self._levels = list(levels.values())
        self._backoffice = backoffice
        self._measure_from = measure_from
        self.times: list[float] = []
        self.areas: list[list[float]] = []
        self.backlog_at_day_end: list[tuple[float, int]] = []

    def run(
        self, env: simpy.Environment, times: Sequence[float]
    ) -> Generator[simpy.Event, None, None]:
        """Take a snapshot at each of ``times`` (sorted); reset maxima at the end of warm-up."""
        levels = self._levels
        bo = self._backoffice
        for t in times:
            if t > env.now:
                yield env.timeout(t - env.now)
            if t == self._measure_from:
                for lv in levels:
                    lv.reset_max()
            self.times.append(t)
            self.areas.append([lv.area_at(t) for lv in levels])
            if bo is not None and t % DAY == 0 and t > 0:
                self.backlog_at_day_end.append((t, bo.open_tasks.value))

    def area_table(self) -> np.ndarray:
        """The snapshots as an array: one row per time, one column per level."""
        return np.asarray(self.areas, dtype=float).reshape(len(self.areas), len(self._levels))
