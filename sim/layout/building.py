"""Buildings with several floors: levels, the stairs and lifts joining them, and loading.

A ``Building`` is a stack of ``Level``s, each an ordinary ``Floor`` in the same local metre
coordinates, plus ``Connector``s (stair cores and lift shafts) with one stop per level they
serve. A stop is a point of interest of kind ``stairs`` or ``lift`` on that level's floor, so the
walking network of each floor reaches it like any desk. A plain one-floor plan is a building
with one level and no connectors.

Plans with levels come as GeoJSON (a ``level`` property on every feature; ``stairs`` and
``lift`` points with a ``connector`` property naming the core they belong to) or as IMDF
(``level.geojson`` with ordinals; ``elevator`` and ``stairs`` units on each level; units of one
kind whose footprints overlap from level to level form one connector).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from sim.errors import LayoutError, Problem
from sim.layout.floor import Floor, PointOfInterest

ConnectorKind = Literal["stairs", "lift"]
CONNECTOR_KINDS: tuple[str, ...] = ("stairs", "lift")

STOREY_HEIGHT = 3.5
"""Metres from one floor to the next when a plan does not say (assumption)."""


@dataclass(frozen=True)
class Level:
    """One floor of a building, at a position in the stack (0 = ground, negative = basement)."""

    id: str
    ordinal: int
    floor: Floor
    height: float = STOREY_HEIGHT

    @property
    def name(self) -> str:
        """The floor's name (as the plan gives it)."""
        return self.floor.name


@dataclass(frozen=True)
class Connector:
    """A stair core or a lift shaft: the point of interest where it stops on each level."""

    id: str
    kind: ConnectorKind
    stops: tuple[tuple[str, str], ...]
    """(level id, point id) pairs, one per level served, in level order."""


@dataclass(frozen=True, eq=False)
class Building:
    """Levels in stack order and the connectors between them."""

    name: str
    levels: tuple[Level, ...]
    connectors: tuple[Connector, ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.levels, key=lambda lv: lv.ordinal))
        object.__setattr__(self, "levels", ordered)
        object.__setattr__(self, "connectors", tuple(self.connectors))

    def __hash__(self) -> int:
        return id(self)

    @cached_property
    def _levels(self) -> Mapping[str, Level]:
        return {lv.id: lv for lv in self.levels}

    def level(self, level_id: str) -> Level:
        """The level with this id (``KeyError`` naming it if absent)."""
        try:
            return self._levels[level_id]
        except KeyError:
            known = ", ".join(self._levels)
            raise KeyError(f"no level {level_id!r} in {self.name!r}; levels: {known}") from None

    def has_level(self, level_id: str) -> bool:
        """True when a level with this id exists."""
        return level_id in self._levels

    @property
    def ground(self) -> Level:
        """The lowest level with an entrance (where people come in)."""
        for lv in self.levels:
            if lv.floor.points_of_kind("entrance"):
                return lv
        return self.levels[0]

    def elevation(self, level_id: str) -> float:
        """Metres of the level above the lowest level (sum of the storey heights below)."""
        total = 0.0
        for lv in self.levels:
            if lv.id == level_id:
                return total
            total += lv.height
        raise KeyError(f"no level {level_id!r} in {self.name!r}")

    @cached_property
    def fingerprint(self) -> str:
        """A content hash over every level and connector."""
        import hashlib

        digest = hashlib.sha256()
        for lv in self.levels:
            digest.update(f"L|{lv.id}|{lv.ordinal}|{lv.height}|{lv.floor.fingerprint}\n".encode())
        for c in self.connectors:
            digest.update(f"C|{c.id}|{c.kind}|{c.stops}\n".encode())
        return digest.hexdigest()


def single_level(floor: Floor) -> Building:
    """A one-floor plan as a building with one level (id ``"0"``) and no connectors."""
    return Building(floor.name, (Level("0", 0, floor),))


def connectors_from_points(
    levels: tuple[Level, ...], source: str, group: Mapping[tuple[str, str], str]
) -> tuple[tuple[Connector, ...], list[Problem]]:
    """Group the ``stairs``/``lift`` points of every level into connectors.

    ``group`` maps (level id, point id) to the connector id a stop belongs to. A connector must
    have one kind and stop on at least two levels.
    """
    stops: dict[str, list[tuple[int, str, PointOfInterest]]] = {}
    for lv in levels:
        for poi in lv.floor.points:
            if poi.kind in CONNECTOR_KINDS:
                cid = group.get((lv.id, poi.id), poi.id)
                stops.setdefault(cid, []).append((lv.ordinal, lv.id, poi))
    problems: list[Problem] = []
    connectors = []
    for cid, found in stops.items():
        kinds = {p.kind for _, _, p in found}
        if len(kinds) > 1:
            problems.append(
                Problem(source, cid, f"connector {cid!r} mixes {' and '.join(sorted(kinds))}")
            )
            continue
        served = sorted(found, key=lambda item: item[0])
        seen = [lid for _, lid, _ in served]
        if len(set(seen)) != len(seen):
            problems.append(Problem(source, cid, f"connector {cid!r} has two stops on one level"))
            continue
        if len(served) < 2:
            problems.append(
                Problem(
                    source,
                    cid,
                    f"connector {cid!r} stops on one level only; a stair or "
                    "lift must join at least two levels",
                )
            )
            continue
        kind: ConnectorKind = "lift" if "lift" in kinds else "stairs"
        connectors.append(Connector(cid, kind, tuple((lid, p.id) for _, lid, p in served)))
    return tuple(connectors), problems


def load_building(path: str | Path, *, validate: bool = True) -> Building:
    """Load a plan with levels (GeoJSON ``level`` properties or IMDF levels).

    A plan without levels loads as a one-level building. Every level is validated like a floor,
    with its stair and lift stops counting as ways in on levels without an entrance.
    """
    from sim.layout.formats.levels import read_levels

    building, problems = read_levels(Path(path))
    if validate:
        problems = [*problems, *check_building(building, str(path))]
    if problems:
        raise LayoutError(problems)
    return building


def check_building(building: Building, source: str) -> list[Problem]:
    """Problems of every level (as floors) and of the building as a whole."""
    from sim.layout.validate import check_floor

    problems: list[Problem] = []
    if not any(lv.floor.points_of_kind("entrance") for lv in building.levels):
        problems.append(Problem(source, "levels", "no level has an entrance point"))
    for lv in building.levels:
        floor = lv.floor
        if not floor.points_of_kind("entrance"):
            floor = _stops_as_entrances(floor)
        for p in check_floor(floor, source):
            problems.append(Problem(p.source, f"levels.{lv.id}.{p.path}".rstrip("."), p.message))
    reached = _levels_reached(building)
    for lv in building.levels:
        if lv.id not in reached:
            problems.append(
                Problem(
                    source,
                    f"levels.{lv.id}",
                    f"level {lv.id!r} cannot be reached from the entrance level: no stairs or "
                    "lift stop on it",
                )
            )
    return problems


def _stops_as_entrances(floor: Floor) -> Floor:
    """The floor with its stair and lift stops as entrances (for the reach check)."""
    extra = [
        PointOfInterest(f"{p.id}#way_in", "entrance", p.space, p.point)
        for p in floor.points
        if p.kind in CONNECTOR_KINDS
    ]
    return Floor(floor.name, floor.spaces, floor.openings, (*floor.points, *extra))


def _levels_reached(building: Building) -> set[str]:
    reached = {building.ground.id}
    changed = True
    while changed:
        changed = False
        for c in building.connectors:
            served = {lid for lid, _ in c.stops}
            if served & reached and not served <= reached:
                reached |= served
                changed = True
    return reached
