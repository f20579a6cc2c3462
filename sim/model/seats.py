"""Waiting seats as a resource: a client takes the nearest free seat, or stands.

A client who has to wait walks to the free seat of the waiting spaces nearest to where they
are (by their walking distance on the plan; ties go to the seat listed first) and keeps it
until a member calls them (or they give up): then the seat is free again. When every seat is
taken the client stands beside the nearest seat, inside the waiting space, until called; a
standing client does not move to a seat freed later (the share who stood is the share who
found no seat on arrival in the waiting area).

The seats taken are a time-weighted level (from the moment the client sits down to the moment
they are called), so its mean over opening hours divided by the number of seats is the seat
occupancy.
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.model.metrics import Level

STANDING = -1
"""``take`` found no free seat: the client stands."""


class SeatBank:
    """The waiting seats of the plan (point indices), which are free, and who stood."""

    __slots__ = ("_free", "_order", "distance", "level", "sat", "seats", "stood")

    def __init__(self, seats: Sequence[int], distance: Sequence[Sequence[float]]) -> None:
        self.seats = tuple(seats)
        self.distance = distance
        """Client metres between points, ``distance[a][b]``."""
        self._free = [True] * len(self.seats)
        self._order: dict[int, tuple[int, ...]] = {}
        """Seat slots by distance from each point clients have waited from (see ``take``)."""
        self.level = Level()
        """Seats taken by seated clients."""
        self.sat = 0
        """Measured clients who found a seat."""
        self.stood = 0
        """Measured clients who found every seat taken and stood."""

    def take(self, here: int, measured: bool) -> tuple[int, int]:
        """Reserve the free seat nearest to point ``here``.

        Returns (seat slot, point to walk to): the slot is ``STANDING`` when no seat is free,
        and the point is then the nearest seat, beside which the client stands.
        """
        order = self._order.get(here)
        if order is None:
            order = self._order[here] = self._by_distance(here)
        free = self._free
        for slot in order:
            if free[slot]:
                free[slot] = False
                if measured:
                    self.sat += 1
                return slot, self.seats[slot]
        if measured:
            self.stood += 1
        return STANDING, self.seats[order[0]]

    def _by_distance(self, here: int) -> tuple[int, ...]:
        """Seat slots from the nearest to point ``here`` to the farthest (ties: listed first).

        Worked out once per point clients wait from, so a take is a scan of the seats nearer
        than the first free one, not of every seat.
        """
        row = self.distance[here]
        return tuple(sorted(range(len(self.seats)), key=lambda slot: (row[self.seats[slot]], slot)))

    def sit(self, now: float, slot: int) -> None:
        """The client holding ``slot`` sits down now."""
        if slot != STANDING:
            self.level.change(now, 1)

    def release(self, now: float, slot: int, seated: bool) -> None:
        """The client holding ``slot`` leaves it now (``seated``: they had sat down)."""
        if slot == STANDING:
            return
        self._free[slot] = True
        if seated:
            self.level.change(now, -1)
