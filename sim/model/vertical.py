"""Lifts as simpy processes: cars with a capacity that collect waiting riders and carry them.

A lift connector has ``cars`` cars, each carrying at most ``capacity`` persons. An idle car
goes to the level of the longest-waiting rider, opens its doors (``door_time``), takes up to
``capacity`` riders waiting there, and visits their destinations nearest first, spending
``per_level`` seconds per level passed and ``door_time`` at every stop. A rider's time is
waiting for a car plus the ride; with an idle car already at the rider's level it is
``2 x door_time + levels x per_level``, the travel table's lift time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import simpy


@dataclass
class _Rider:
    origin: int
    destination: int
    called: float
    done: simpy.Event
    boarded: float = field(default=float("nan"))


class LiftBank:
    """The cars of one lift connector, serving levels by position 0..n-1 in the stack."""

    def __init__(
        self,
        env: simpy.Environment,
        cars: int,
        capacity: int,
        door_time: float,
        per_level: float,
        home: int = 0,
    ):
        self.env = env
        self.capacity = capacity
        self.door_time = door_time
        self.per_level = per_level
        self.waiting: list[_Rider] = []
        self._wake = env.event()
        self.waits: list[float] = []
        for _ in range(cars):
            env.process(self._car(home))

    def ride(self, origin: int, destination: int) -> simpy.Event:
        """An event that fires when a rider called at ``origin`` steps out at ``destination``."""
        rider = _Rider(origin, destination, self.env.now, self.env.event())
        self.waiting.append(rider)
        if not self._wake.triggered:
            self._wake.succeed()
        return rider.done

    def _car(self, level: int):  # type: ignore[no-untyped-def]
        env = self.env
        while True:
            while not self.waiting:
                if self._wake.triggered:
                    self._wake = env.event()
                yield self._wake
            target = self.waiting[0].origin
            if target != level:
                yield env.timeout(abs(target - level) * self.per_level)
                level = target
            here = [r for r in self.waiting if r.origin == level][: self.capacity]
            if not here:
                continue
            for r in here:
                self.waiting.remove(r)
                r.boarded = env.now
                self.waits.append(env.now - r.called)
            yield env.timeout(self.door_time)
            for stop in sorted({r.destination for r in here}, key=lambda d: abs(d - level)):
                yield env.timeout(abs(stop - level) * self.per_level + self.door_time)
                level = stop
                for r in here:
                    if r.destination == stop:
                        r.done.succeed()
