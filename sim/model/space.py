"""The space simulation: a hybrid workforce coming in, finding desks, riding lifts, leaving.

Runs beside the client model in the same replication, on its own named random streams (so the
client results do not change when the space section does). Each simulated day, every employee
who comes in passes the outside door, looks for a desk under the desk policy, walks (and rides
a lift where that is the fastest way) to it, alternates spells at the desk and away, and at
departure frees the desk, goes back down and out through the door. Rooms are booked from the
teams' meeting demand. Everything is kept as plain records for ``sim.results.kpis_space``.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field

import simpy

from sim.model.crowding import Door
from sim.model.desks import NO_DESK, DeskPool
from sim.model.rooms import Booking, book_rooms
from sim.model.space_plan import RouteDoor, SpacePlan
from sim.model.trips import Trip, TripContext, day_trips, make_trip
from sim.model.vertical import LiftBank
from sim.model.workforce import Person, day_people
from sim.random_streams import Streams
from sim.scenario.space import Space


@dataclass(frozen=True)
class Visit:
    """One employee's day in the office (clock times in seconds after midnight)."""

    day: int
    team: str
    desk: int
    """Index into ``SpacePlan.desks``; NO_DESK when they found none (and went home)."""
    preferred: bool
    """Sat in the team's neighbourhood / on its level (True when the team has none)."""
    booked: bool
    arrival: float
    seated: float
    departure: float
    outside: float
    """When they were out of the outside door again."""
    lift_wait: float
    away: tuple[tuple[float, float], ...]


@dataclass
class SpaceRecords:
    """Everything the space simulation observed."""

    days: int
    visits: list[Visit] = field(default_factory=list)
    planned: list[int] = field(default_factory=list)
    """Employees who planned to come in, per day (booking policy: booked or walk-in)."""
    no_shows: list[int] = field(default_factory=list)
    bookings: list[list[Booking]] = field(default_factory=list)
    desk_refusals: list[int] = field(default_factory=list)
    """Booking policy: bookings refused because every desk was booked, per day."""
    lift_waits: list[float] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    """Trips between teams during the day (``movement.trips`` only)."""
    trips_skipped: list[int] = field(default_factory=list)
    """Per day: trips not made because nobody of one of the teams was in."""


@dataclass(frozen=True)
class _Ways:
    """The day's doors and lifts: the outside door, the inner doors and the lift banks."""

    outside: Door | None
    inner: list[Door]
    lifts: list[LiftBank]


@dataclass(frozen=True)
class _Today:
    """One simulated day of the floor: its clock, its number, its desks and its ways in."""

    env: simpy.Environment
    day: int
    pool: DeskPool
    ways: _Ways


def _walk(
    env: simpy.Environment,
    seconds: float,
    doors: tuple[RouteDoor, ...],
    ways: _Ways,
    forward: bool,
) -> Generator[simpy.Event, object, None]:
    """Walk ``seconds`` (away from the entrance when ``forward``), passing ``doors`` on the way.

    Door positions are walking seconds from the start of the walk going away from the entrance;
    walking back, they are met in reverse order at ``seconds`` minus that position.
    """
    marks = [(d.seconds, d.door) for d in doors]
    if not forward:
        marks = [(seconds - at, k) for at, k in reversed(marks)]
    done = 0.0
    for at, k in marks:
        if at > done:
            yield env.timeout(at - done)
            done = at
        yield from ways.inner[k].passage()
    yield env.timeout(max(seconds - done, 0.0))


class SpaceModel:
    """Simulate ``days`` days of the workforce on ``plan`` (deterministic given the streams)."""

    def __init__(self, spec: Space, plan: SpacePlan, days: int, streams: Streams):
        self.spec = spec
        self.plan = plan
        self.days = days
        self.streams = streams
        self.records = SpaceRecords(days)

    def simulate(self) -> SpaceRecords:
        """Run every day and return the records."""
        for day in range(self.days):
            self._day(day)
        return self.records

    def _day(self, day: int) -> None:
        env = simpy.Environment()
        spec, plan = self.spec, self.plan
        people = day_people(spec, day, self.streams)
        pool = DeskPool(plan, spec, self.streams("space:desk_choice"))
        if spec.desks.policy == "assigned":
            pool.assign_owners([p.team for p in people])
        refused = 0
        if spec.desks.policy == "booking":
            refused = self._bookings(pool, people)
        self.records.planned.append(sum(1 for p in people if p.comes or p.booked))
        self.records.no_shows.append(sum(1 for p in people if p.booked and not p.comes))
        self.records.desk_refusals.append(refused)
        door = None
        flow = spec.movement.door_flow
        if flow is not None and plan.door_width is not None:
            door = Door(env, plan.door_width, flow)
        inner = [Door(env, w, flow) for w in plan.inner_doors] if flow is not None else []
        lifts = [
            LiftBank(
                env,
                spec.movement.lifts.cars,
                spec.movement.lifts.capacity,
                spec.movement.lifts.door_time,
                spec.movement.lifts.per_level,
            )
            for _ in plan.lift_levels
        ]
        today = _Today(env, day, pool, _Ways(door, inner, lifts))
        for index, person in enumerate(people):
            if person.comes:
                env.process(self._person(today, index, person))
        trips = None
        if spec.movement.trips:
            rng = self.streams("space:trips")
            trips = TripContext(plan, spec, pool, lifts, rng, day)
            for when in day_trips(spec, rng):
                env.process(make_trip(env, trips, when))
        env.run()
        if trips is not None:
            self.records.trips.extend(trips.trips)
            self.records.trips_skipped.append(trips.skipped)
        self.records.bookings.append(book_rooms(plan, spec, self.streams))
        for bank in lifts:
            self.records.lift_waits.extend(bank.waits)

    def _bookings(self, pool: DeskPool, people: list[Person]) -> int:
        rng = self.streams("space:booking_order")
        bookers = [i for i, p in enumerate(people) if p.booked]
        rng.shuffle(bookers)
        release = self.spec.desks.auto_release
        refused = 0
        for i in bookers:
            p = people[i]
            until = p.departure if release is None else p.arrival + release
            if pool.book(i, p.team, until) == NO_DESK:
                refused += 1
        return refused

    def _ride(
        self, env: simpy.Environment, ways: _Ways, desk: int, up: bool
    ) -> Generator[simpy.Event, object, float]:
        """Move between the entrance and ``desk``; returns seconds waited for a lift."""
        leg = self.plan.lift_legs[desk]
        doors = self.plan.route_doors[desk] if self.plan.route_doors else ()
        if leg is None:
            yield from _walk(env, float(self.plan.entry_seconds[desk]), doors, ways, up)
            return 0.0
        first, last = (leg.walk_before, leg.walk_after) if up else (leg.walk_after, leg.walk_before)
        origin, destination = (leg.origin, leg.destination) if up else (leg.destination, leg.origin)
        bank = ways.lifts[leg.connector]
        before_lift = tuple(d for d in doors if not d.after_lift)
        after_lift = tuple(d for d in doors if d.after_lift)
        yield from _walk(env, first, before_lift if up else after_lift, ways, up)
        called = env.now
        before = len(bank.waits)
        yield bank.ride(origin, destination)
        waited = bank.waits[before] if len(bank.waits) > before else env.now - called
        yield from _walk(env, last, after_lift if up else before_lift, ways, up)
        return float(waited)

    def _person(
        self, today: _Today, index: int, person: Person
    ) -> Generator[simpy.Event, object, None]:
        env, day, pool, ways = today.env, today.day, today.pool, today.ways
        door = ways.outside
        yield env.timeout(person.arrival)
        if door is not None:
            yield from door.passage()
        desk, preferred = pool.claim(index, person.team, env.now)
        if desk == NO_DESK:
            self.records.visits.append(
                Visit(
                    day,
                    person.team,
                    NO_DESK,
                    False,
                    person.booked,
                    person.arrival,
                    env.now,
                    env.now,
                    env.now,
                    0.0,
                    (),
                )
            )
            return
        wait_in = yield from self._ride(env, ways, desk, up=True)
        seated = env.now
        yield env.timeout(max(person.departure - env.now, 0.0))
        pool.release(desk, person.team)
        leaving = env.now
        wait_out = yield from self._ride(env, ways, desk, up=False)
        if door is not None:
            yield from door.passage()
        away = tuple((max(a, seated), b) for a, b in person.away if b > seated)
        self.records.visits.append(
            Visit(
                day,
                person.team,
                desk,
                preferred,
                person.booked,
                person.arrival,
                seated,
                leaving,
                env.now,
                wait_in + wait_out,
                away,
            )
        )
