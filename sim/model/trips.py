"""Trips between teams during the day, across levels by stairs or lift (``movement.trips``).

Each day, every pair of teams in ``space.adjacency`` makes a Poisson number of trips (mean: the
trips per day given) at times uniform over the building day (``space.hours``). A trip starts at
the desk of a member of the first team who is seated at that moment, chosen at random, and goes
to the desk of a seated member of the second team, chosen at random; with nobody of either team
in, it is not made (counted as skipped). On one level it is a walk; between levels it goes by the
stairs or by a lift as ``movement.vertical`` says (``fastest``: the lift when its ride without
waiting beats the stairs), and a lift trip calls a car of the same lift banks the arrivals and
departures use, so it waits like them. A trip is one way (the way back is another trip when
the adjacency lists it).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import simpy

from sim.model.desks import DeskPool
from sim.model.space_plan import SpacePlan
from sim.model.vertical import LiftBank
from sim.scenario.space import Space


@dataclass(frozen=True)
class Trip:
    """One trip made: when, how long it took, the lift wait, and whether it used a lift."""

    day: int
    origin_team: str
    destination_team: str
    start: float
    seconds: float
    lift_wait: float
    by_lift: bool


@dataclass(frozen=True)
class Route:
    """How a trip goes: walking (and stairs) seconds, or a lift with the walks either side."""

    walk: float
    lift: int | None = None
    before: float = 0.0
    after: float = 0.0


def day_trips(spec: Space, rng: np.random.Generator) -> list[tuple[float, str, str]]:
    """The day's trips as (clock time, origin team, destination team), in time order."""
    start, end = spec.hours
    out: list[tuple[float, str, str]] = []
    for a, row in spec.adjacency.items():
        for b, rate in row.items():
            count = int(rng.poisson(rate))
            out += [(float(t), a, b) for t in rng.uniform(start, end, count)]
    return sorted(out)


def route(plan: SpacePlan, spec: Space, i: int, j: int) -> Route:
    """The way from desk ``i`` to desk ``j`` under ``movement.vertical``."""
    assert plan.trip_seconds is not None and plan.desk_to_lift is not None
    stairs = float(plan.trip_seconds[i, j])
    levels = abs(plan.position_of(i) - plan.position_of(j))
    mode = spec.movement.vertical
    if levels == 0 or mode == "stairs":
        return Route(stairs)
    lifts = spec.movement.lifts
    ride = 2 * lifts.door_time + levels * lifts.per_level
    best: Route | None = None
    for c in range(plan.desk_to_lift.shape[1]):
        before, after = float(plan.desk_to_lift[i, c]), float(plan.desk_to_lift[j, c])
        usable = math.isfinite(before) and math.isfinite(after)
        if usable and (best is None or before + after < best.before + best.after):
            best = Route(before + ride + after, c, before, after)
    if best is None or (mode == "fastest" and best.walk > stairs):
        return Route(stairs)
    return best


def make_trip(
    env: simpy.Environment,
    context: TripContext,
    when: tuple[float, str, str],
) -> Generator[simpy.Event, object, None]:
    """One trip (a simpy process): at its time, from a seated member's desk to a colleague's."""
    start, a, b = when
    yield env.timeout(max(start - env.now, 0.0))
    pool, rng = context.pool, context.rng
    origins = sorted(pool.seated_by_team.get(a, ()))
    if not origins:
        context.skipped += 1
        return
    i = origins[int(rng.integers(len(origins)))]
    targets = [d for d in sorted(pool.seated_by_team.get(b, ())) if d != i]
    if not targets:
        context.skipped += 1
        return
    j = targets[int(rng.integers(len(targets)))]
    way = route(context.plan, context.spec, i, j)
    left = env.now
    waited = 0.0
    if way.lift is None:
        yield env.timeout(way.walk)
    else:
        bank = context.lifts[way.lift]
        yield env.timeout(way.before)
        called, before = env.now, len(bank.waits)
        yield bank.ride(context.plan.position_of(i), context.plan.position_of(j))
        waited = bank.waits[before] if len(bank.waits) > before else env.now - called
        yield env.timeout(way.after)
    context.trips.append(
        Trip(context.day, a, b, left, env.now - left, waited, way.lift is not None)
    )


class TripContext:
    """What the day's trips share: the plan, the desk pool, the lifts, the draws and records."""

    def __init__(
        self,
        plan: SpacePlan,
        spec: Space,
        pool: DeskPool,
        lifts: list[LiftBank],
        rng: np.random.Generator,
        day: int,
    ) -> None:
        self.plan = plan
        self.spec = spec
        self.pool = pool
        self.lifts = lifts
        self.rng = rng
        self.day = day
        self.trips: list[Trip] = []
        self.skipped = 0
