"""The building as the space simulation needs it: desks, rooms, routes and areas, as numbers.

Built once per plan and scenario (like ``FloorPlan`` for the client model): desks come from the
plan's desk points or are generated at a density in every open-plan space; the desks used are
the first ``round(ratio x employees)`` in an order that takes one desk from each space in turn,
so that fewer desks thin every area rather than empty one. Routes from the entrance to every
desk are split into walking legs and, when the fastest way uses a lift, a lift ride the engine
simulates with waiting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from shapely.geometry import Point

from sim.errors import Problem, ScenarioError
from sim.layout.building import Building, Level
from sim.layout.building_travel import BuildingTravel, Vertical
from sim.layout.floor import Floor, PointOfInterest
from sim.layout.travel import travel_distances
from sim.scenario.space import RoomKind, Space

DESK_MARGIN = 0.6
"""Metres kept between generated desks and the walls of their space."""


@dataclass(frozen=True)
class Desk:
    """A desk of the plan: level, point id, space id and coordinates."""

    level: str
    id: str
    space: str
    xy: tuple[float, float]


@dataclass(frozen=True)
class Room:
    """A bookable room: its space, kind and seats."""

    level: str
    id: str
    kind: RoomKind
    capacity: int


@dataclass(frozen=True)
class LiftLeg:
    """The lift part of a route: which connector, from which level position to which."""

    connector: int
    origin: int
    destination: int
    walk_before: float
    """Seconds walking from the entrance to the lift on the entrance level."""
    walk_after: float
    """Seconds walking from the lift to the desk on the desk's level."""


@dataclass(frozen=True)
class RouteDoor:
    """An inner door on a desk's route: on which walk, how far into it, and which door."""

    after_lift: bool
    """False: on the walk from the entrance (the whole route without a lift); True: on the
    walk from the lift to the desk."""
    seconds: float
    """Walking seconds from the start of that walk to the door."""
    door: int
    """Index into ``SpacePlan.inner_doors``."""


@dataclass(frozen=True)
class SpacePlan:
    """Everything the space engine reads about the building, as plain numbers."""

    building: Building
    desks: tuple[Desk, ...]
    desk_metres: np.ndarray
    """Walking metres between used desks (across levels by stairs)."""
    entry_seconds: np.ndarray
    """Seconds from the entrance to each desk by the fastest route, lifts without waiting."""
    lift_legs: tuple[LiftLeg | None, ...]
    """Per desk: the lift part of its fastest route, or None when it is walked (or stairs)."""
    lift_levels: tuple[tuple[str, ...], ...]
    """Per lift connector: the level ids it serves, in order."""
    rooms: tuple[Room, ...]
    preferred: Mapping[str, frozenset[int]]
    """Per team: desks in its neighbourhood and on its level (empty = no preference)."""
    level_area: Mapping[str, float]
    desk_area_per_desk: float
    """Square metres of desk space per desk on the plan (area of desk spaces / plan desks)."""
    plan_desks: int
    door_width: float | None
    """Width of the outside door nearest the entrance, in metres (None: no such door)."""
    trip_seconds: np.ndarray | None = None
    """Seconds between used desks walking and by stairs (``movement.trips`` only)."""
    desk_to_lift: np.ndarray | None = None
    """Seconds from each used desk to each lift connector's stop on its level (inf where the
    lift does not stop there; ``movement.trips`` only)."""
    inner_doors: tuple[float, ...] = ()
    """Widths of the inner doors that limit flow (empty unless ``movement.inner_doors``)."""
    route_doors: tuple[tuple[RouteDoor, ...], ...] = ()
    """Per desk: the inner doors its route from the entrance passes, in walking order (empty
    unless ``movement.inner_doors``)."""

    def level_of(self, desk: int) -> str:
        """The level id of a desk."""
        return self.desks[desk].level

    def position_of(self, desk: int) -> int:
        """The position of a desk's level in the stack (0 = lowest), as lifts number them."""
        level = self.desks[desk].level
        return next(k for k, lv in enumerate(self.building.levels) if lv.id == level)


def generated_desks(floor: Floor, m2_per_desk: float) -> Floor:
    """The floor with desks generated on a grid at ``m2_per_desk`` in every open-plan space."""
    added: list[PointOfInterest] = []
    for space in floor.spaces_of("open_plan"):
        want = int(space.area // m2_per_desk)
        if want < 1:
            continue
        region = space.polygon.buffer(-DESK_MARGIN)
        if region.is_empty:
            continue
        step = math.sqrt(region.area / want)
        spots: list[Point] = []
        while len(spots) < want and step > 0.5:
            x0, y0, x1, y1 = region.bounds
            spots = [
                Point(x, y)
                for y in np.arange(y0 + step / 2, y1, step)
                for x in np.arange(x0 + step / 2, x1, step)
                if region.contains(Point(x, y))
            ]
            step *= 0.9
        keep = np.unique(np.linspace(0, len(spots) - 1, min(want, len(spots))).round().astype(int))
        for k, i in enumerate(keep):
            added.append(PointOfInterest(f"{space.id}_desk{k + 1}", "desk", space.id, spots[i]))
    kept = tuple(p for p in floor.points if p.kind != "desk")
    return Floor(floor.name, floor.spaces, floor.openings, (*kept, *added))


def _with_generated(building: Building, spec: Space) -> Building:
    if spec.desks.source != "density":
        return building
    levels = tuple(
        Level(lv.id, lv.ordinal, generated_desks(lv.floor, spec.desks.m2_per_desk), lv.height)
        for lv in building.levels
    )
    return Building(building.name, levels, building.connectors)


def _round_robin(desks: list[Desk]) -> list[Desk]:
    by_space: dict[tuple[str, str], list[Desk]] = {}
    for d in desks:
        by_space.setdefault((d.level, d.space), []).append(d)
    queues = list(by_space.values())
    out: list[Desk] = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


def _rooms(building: Building, spec: Space) -> tuple[Room, ...]:
    rooms = []
    for lv in building.levels:
        for kind, categories in spec.rooms.categories.items():
            for space in lv.floor.spaces:
                if space.category not in categories:
                    continue
                given = space.attributes.get("capacity")
                seats = len(lv.floor.seats_in(space.id))
                if isinstance(given, int | float) and given >= 1:
                    capacity = int(given)
                elif seats:
                    capacity = seats
                else:
                    capacity = max(1, int(space.area // spec.rooms.m2_per_seat))
                rooms.append(Room(lv.id, space.id, kind, capacity))
    return tuple(rooms)


def _door_width(building: Building) -> float | None:
    ground = building.ground.floor
    entrances = ground.entrances()
    outside = [o for o in ground.openings if o.is_outside]
    if not entrances or not outside:
        return None
    spot = entrances[0].point
    return min(outside, key=lambda o: float(o.geometry.distance(spot))).width


def build_space_plan(building: Building, spec: Space, source: str = "<scenario>") -> SpacePlan:
    """Check the space section against the building and build the engine's tables."""
    building = _with_generated(building, spec)
    every = [Desk(lv.id, p.id, p.space, p.xy) for lv in building.levels for p in lv.floor.desks()]
    problems = _problems(building, spec, every, source)
    if problems:
        raise ScenarioError(problems)
    ordered = _round_robin(every)
    n = len(ordered) if spec.desks.ratio is None else round(spec.desks.ratio * spec.employees)
    desks = tuple(ordered[:n])
    vertical = Vertical(
        mode=spec.movement.vertical,
        stair_speed=spec.movement.stair_speed,
        lift_door_time=spec.movement.lifts.door_time,
        lift_per_level=spec.movement.lifts.per_level,
    )
    ground = building.ground
    entrance = (ground.id, ground.floor.entrances()[0].id)
    keys = [entrance, *((d.level, d.id) for d in desks)]
    travel = BuildingTravel(building, keys, replace(vertical, mode="stairs"))
    fastest = BuildingTravel(building, keys, vertical)
    entry = fastest.seconds[0, 1:].copy()
    legs, lift_levels = _lift_legs(building, desks, entrance, vertical, entry)
    inner: tuple[float, ...] = ()
    route_doors: tuple[tuple[RouteDoor, ...], ...] = ()
    if spec.movement.inner_doors and spec.movement.door_flow is not None:
        inner, route_doors = _route_doors(building, fastest, entrance, legs, entry)
    trip_seconds = desk_to_lift = None
    if spec.movement.trips:
        trip_seconds = travel.seconds[1:, 1:].copy()
        desk_to_lift = _desk_to_lift(building, desks, vertical)
    desk_spaces = {(d.level, d.space) for d in every}
    desk_area = sum(building.level(lv).floor.area(s) for lv, s in desk_spaces)
    return SpacePlan(
        building=building,
        desks=desks,
        desk_metres=travel.metres[1:, 1:].copy(),
        entry_seconds=entry,
        lift_legs=legs,
        lift_levels=lift_levels,
        rooms=_rooms(building, spec),
        preferred=_preferred(building, spec, desks),
        level_area={lv.id: sum(s.area for s in lv.floor.spaces) for lv in building.levels},
        desk_area_per_desk=desk_area / max(len(every), 1),
        plan_desks=len(every),
        door_width=_door_width(building),
        trip_seconds=trip_seconds,
        desk_to_lift=desk_to_lift,
        inner_doors=inner,
        route_doors=route_doors,
    )


def _desk_to_lift(building: Building, desks: tuple[Desk, ...], vertical: Vertical) -> np.ndarray:
    """Walking seconds from every desk to every lift connector's stop on the desk's level."""
    lifts = [c for c in building.connectors if c.kind == "lift"]
    out = np.full((len(desks), len(lifts)), np.inf)
    by_level: dict[str, list[int]] = {}
    for i, d in enumerate(desks):
        by_level.setdefault(d.level, []).append(i)
    for c_index, c in enumerate(lifts):
        for level_id, stop in c.stops:
            members = by_level.get(level_id, [])
            if not members:
                continue
            floor = building.level(level_id).floor
            table = travel_distances(floor, "staff", ids=[stop, *(desks[i].id for i in members)])
            for i in members:
                out[i, c_index] = table.time(stop, desks[i].id, vertical.walking_speed)
    return out


def _route_doors(
    building: Building,
    fastest: BuildingTravel,
    entrance: tuple[str, str],
    legs: tuple[LiftLeg | None, ...],
    entry: np.ndarray,
) -> tuple[tuple[float, ...], tuple[tuple[RouteDoor, ...], ...]]:
    """The inner doors on every desk's fastest route, and their widths.

    A door on a route with a lift lies on the entrance level (before the lift, at its seconds
    from the entrance) or on the desk's level (after it, at the same seconds before the desk).
    """
    widths: dict[tuple[str, str], int] = {}
    sizes: list[float] = []
    per_desk: list[tuple[RouteDoor, ...]] = []
    found = fastest.doors_from(entrance)[1:]
    for i, doors in enumerate(found):
        leg = legs[i]
        marks = []
        for seconds, level_id, opening_id in doors:
            opening = building.level(level_id).floor.opening(opening_id)
            if opening.is_outside:
                continue
            key = (level_id, opening_id)
            if key not in widths:
                widths[key] = len(sizes)
                sizes.append(opening.width)
            after = leg is not None and level_id != entrance[0]
            at = leg.walk_after - (float(entry[i]) - seconds) if after and leg else seconds
            marks.append(RouteDoor(after, max(at, 0.0), widths[key]))
        per_desk.append(tuple(marks))
    return tuple(sizes), tuple(per_desk)


def _lift_legs(
    building: Building,
    desks: tuple[Desk, ...],
    entrance: tuple[str, str],
    vertical: Vertical,
    entry: np.ndarray,
) -> tuple[tuple[LiftLeg | None, ...], tuple[tuple[str, ...], ...]]:
    """For each desk, the lift leg of its route when a lift is the fastest way there."""
    lifts = [c for c in building.connectors if c.kind == "lift"]
    lift_levels = tuple(tuple(lid for lid, _ in c.stops) for c in lifts)
    legs: list[LiftLeg | None] = [None] * len(desks)
    if vertical.mode == "stairs" or not lifts:
        return tuple(legs), lift_levels
    position = {lv.id: k for k, lv in enumerate(building.levels)}
    by_level: dict[str, list[int]] = {}
    for i, d in enumerate(desks):
        by_level.setdefault(d.level, []).append(i)
    ground_floor = building.level(entrance[0]).floor
    for level_id, members in by_level.items():
        if level_id == entrance[0]:
            continue
        floor = building.level(level_id).floor
        for c_index, c in enumerate(lifts):
            stops = dict(c.stops)
            if entrance[0] not in stops or level_id not in stops:
                continue
            down = travel_distances(ground_floor, "staff", ids=[entrance[1], stops[entrance[0]]])
            before = down.time(entrance[1], stops[entrance[0]], vertical.walking_speed)
            ids = [stops[level_id], *(desks[i].id for i in members)]
            up = travel_distances(floor, "staff", ids=ids)
            ride = vertical.lift_ride(position[level_id] - position[entrance[0]])
            for i in members:
                after = up.time(stops[level_id], desks[i].id, vertical.walking_speed)
                if before + ride + after <= entry[i] + 1e-6:
                    legs[i] = LiftLeg(
                        c_index, position[entrance[0]], position[level_id], before, after
                    )
    return tuple(legs), lift_levels


def _preferred(
    building: Building, spec: Space, desks: tuple[Desk, ...]
) -> dict[str, frozenset[int]]:
    out = {}
    for name, team in spec.teams.items():
        zone = set(team.neighbourhood or [])
        chosen = {
            i
            for i, d in enumerate(desks)
            if (not zone or d.space in zone) and (team.level is None or d.level == team.level)
        }
        out[name] = frozenset(chosen) if (zone or team.level is not None) else frozenset()
    return out


def _problems(building: Building, spec: Space, desks: list[Desk], source: str) -> list[Problem]:
    problems = []
    need = None if spec.desks.ratio is None else round(spec.desks.ratio * spec.employees)
    if not desks:
        problems.append(Problem(source, "space.desks", "the plan has no desks"))
    elif need is not None and need > len(desks):
        problems.append(
            Problem(
                source,
                "space.desks.ratio",
                f"{spec.desks.ratio:g} desks per employee needs {need} desks; the plan has "
                f"{len(desks)}",
            )
        )
    spaces = {s.id for lv in building.levels for s in lv.floor.spaces}
    for name, team in spec.teams.items():
        for sid in team.neighbourhood or []:
            if sid not in spaces:
                problems.append(
                    Problem(source, f"space.teams.{name}.neighbourhood", f"no space {sid!r}")
                )
        if team.level is not None and not building.has_level(team.level):
            known = ", ".join(lv.id for lv in building.levels)
            problems.append(
                Problem(
                    source, f"space.teams.{name}.level", f"no level {team.level!r}; has {known}"
                )
            )
    if spec.desks.policy == "neighbourhoods" and not any(
        t.neighbourhood for t in spec.teams.values()
    ):
        problems.append(
            Problem(
                source,
                "space.desks.policy",
                "'neighbourhoods' needs a neighbourhood on at least one team",
            )
        )
    return problems
