"""Doors that limit flow: people pass a door one after another at its specific flow.

A door of clear width ``w`` metres passes at most ``q x w`` persons per second (``q`` in
persons per metre per second; 1.3 after IMO MSC.1/Circ.1533, docs/assumptions.md). Each passage
takes ``1 / (q x w)`` seconds of the door; people who reach a busy door queue in order. A crowd
of ``N`` people at a door therefore clears it in ``N / (q x w)`` seconds: half the width,
twice the time.
"""

from __future__ import annotations

from collections.abc import Generator

import simpy


class Door:
    """A doorway of a given width with a specific flow (a simpy resource of one)."""

    def __init__(self, env: simpy.Environment, width: float, specific_flow: float):
        if width <= 0 or specific_flow <= 0:
            raise ValueError("door width and specific flow must be positive")
        self.env = env
        self.headway = 1.0 / (specific_flow * width)
        self._slot = simpy.Resource(env, capacity=1)

    def passage(self) -> Generator[simpy.Event, object, None]:
        """Pass the door: queue for it, then take one headway."""
        with self._slot.request() as turn:
            yield turn
            yield self.env.timeout(self.headway)
