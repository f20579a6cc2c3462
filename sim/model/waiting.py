"""The waiting area: how many clients it holds, and who counts against it.

Clients waiting in a queue count (the dispatcher's ``waiting`` level), and so do clients on their
way to a seat. A client who finds nobody free and the area full turns round (balks).
"""

from __future__ import annotations

from sim.model.metrics import Level


class WaitingArea:
    """Capacity of the waiting area (None: unlimited) and clients walking to a seat."""

    __slots__ = ("capacity", "to_seat", "waiting")

    def __init__(self, capacity: int | None, waiting: Level) -> None:
        self.capacity = capacity
        self.waiting = waiting
        self.to_seat = 0
        """Clients walking to the waiting area (they count against its capacity)."""

    def full(self) -> bool:
        """True when no further client fits."""
        return self.capacity is not None and self.waiting.value + self.to_seat >= self.capacity
