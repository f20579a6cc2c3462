"""Crowding: doors that limit flow, and walking speed that falls with density.

A door of clear width ``w`` metres passes at most ``q x w`` persons per second (``q`` in
persons per metre per second; 1.3 after IMO MSC.1/Circ.1533, docs/assumptions.md). Each passage
takes ``1 / (q x w)`` seconds of the door; people who reach a busy door queue in order. A crowd
of ``N`` people at a door therefore clears it in ``N / (q x w)`` seconds: half the width,
twice the time.

Walking speed may also fall with density (``CrowdSpeed``): Weidmann's speed-density relation,
docs/assumptions.md.
"""

from __future__ import annotations

import math
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


WEIDMANN_GAMMA = 1.913
"""Persons per m2: the shape parameter of Weidmann's speed-density relation."""

WEIDMANN_JAM_DENSITY = 5.4
"""Persons per m2 at which Weidmann's relation reaches standstill."""

CREEP_SPEED = 0.1
"""m/s: the slowest a client moves in a jam (assumption: a crowd at standstill still creeps
forward as people ahead leave)."""


def weidmann_factor(density: float) -> float:
    """The share of the free walking speed kept at ``density`` persons per m2.

    Weidmann (1992) in Kladek's form: v(rho) = v0 x [1 - exp(-gamma x (1/rho - 1/rho_max))],
    gamma = 1.913 /m2, rho_max = 5.4 /m2; divided by v0 so that each person keeps their own free
    speed scaled by it. 1 at zero density, 0 at rho_max and above.
    """
    if density <= 0:
        return 1.0
    if density >= WEIDMANN_JAM_DENSITY:
        return 0.0
    return 1.0 - math.exp(-WEIDMANN_GAMMA * (1.0 / density - 1.0 / WEIDMANN_JAM_DENSITY))


class CrowdSpeed:
    """Walking speed in a public area of ``area`` m2 holding a number of people.

    Every walk is taken at the speed of the density when it starts (the people inside divided
    by the area), never below ``CREEP_SPEED`` (unless the free speed itself is lower).
    """

    __slots__ = ("area",)

    def __init__(self, area: float) -> None:
        if area <= 0:
            raise ValueError("the public area must be positive")
        self.area = area

    def speed(self, free_speed: float, people: int) -> float:
        """m/s for someone of ``free_speed`` among ``people`` persons (themselves included)."""
        slowed = free_speed * weidmann_factor(people / self.area)
        return max(slowed, min(free_speed, CREEP_SPEED))
