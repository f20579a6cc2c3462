"""The floor model: spaces, openings and points of interest in local metres, all immutable.

A ``Floor`` is what every loader produces and what validation, the walking network and drawing
consume. It knows geometry and access levels only; it knows nothing of clients or staff.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Literal

from shapely import STRtree
from shapely.geometry import LineString, Point, Polygon

Access = Literal["public", "staff"]
PointKind = Literal["desk", "counter", "seat", "entrance", "exit", "stairs", "lift"]

KNOWN_CATEGORIES: frozenset[str] = frozenset(
    {
        "entrance",
        "lobby",
        "reception",
        "waiting",
        "service",
        "office",
        "open_plan",
        "back_office",
        "meeting",
        "server_room",
        "corridor",
        "storage",
        "restroom",
    }
)
"""Categories officesim knows; other category names are allowed and kept as written."""

STAFF_CATEGORIES: frozenset[str] = frozenset({"back_office", "server_room", "storage"})
"""Categories whose access defaults to ``staff`` when a plan does not say."""

POINT_KINDS: tuple[str, ...] = ("desk", "counter", "seat", "entrance", "exit", "stairs", "lift")
"""Point kinds; ``stairs`` and ``lift`` mark where a stair core or lift stops on a level."""
ACCESS_LEVELS: tuple[str, ...] = ("public", "staff")

LOCATE_TOLERANCE = 0.05
"""Metres within which a point on a wall still counts as inside the space."""


def default_access(category: str) -> Access:
    """The access level a space gets when the plan does not state one."""
    return "staff" if category in STAFF_CATEGORIES else "public"


def _freeze(mapping: Mapping[str, object] | None) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Space:
    """A room or zone: a polygon with a category and an access level."""

    id: str
    name: str
    category: str
    access: Access
    polygon: Polygon
    attributes: Mapping[str, object] = field(default_factory=lambda: _freeze(None))

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", _freeze(self.attributes))

    @property
    def area(self) -> float:
        """Floor area in square metres."""
        return float(self.polygon.area)

    @property
    def is_public(self) -> bool:
        """True when clients may enter the space."""
        return self.access == "public"


@dataclass(frozen=True)
class Opening:
    """A door or open passage between two spaces, or between a space and the outside (None)."""

    id: str
    spaces: tuple[str, str | None]
    geometry: LineString
    width: float

    @property
    def midpoint(self) -> Point:
        """The middle of the opening, where the walking network passes through it."""
        return self.geometry.interpolate(0.5, normalized=True)

    @property
    def is_outside(self) -> bool:
        """True for a door to the outside of the floor."""
        return self.spaces[1] is None


@dataclass(frozen=True)
class PointOfInterest:
    """A desk, counter, seat, entrance or exit: a point inside one space."""

    id: str
    kind: PointKind
    space: str
    point: Point

    @property
    def xy(self) -> tuple[float, float]:
        """The point's coordinates in metres."""
        return (float(self.point.x), float(self.point.y))


@dataclass(frozen=True, eq=False)
class Floor:
    """One floor: spaces, openings and points of interest, with lookups by id.

    Equality is identity so a floor can key caches cheaply; compare ``fingerprint`` for content.
    """

    name: str
    spaces: tuple[Space, ...]
    openings: tuple[Opening, ...] = ()
    points: tuple[PointOfInterest, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "spaces", tuple(self.spaces))
        object.__setattr__(self, "openings", tuple(self.openings))
        object.__setattr__(self, "points", tuple(self.points))

    def __hash__(self) -> int:
        return id(self)

    @cached_property
    def _space_index(self) -> Mapping[str, Space]:
        return MappingProxyType({s.id: s for s in self.spaces})

    @cached_property
    def _point_index(self) -> Mapping[str, PointOfInterest]:
        return MappingProxyType({p.id: p for p in self.points})

    @cached_property
    def _opening_index(self) -> Mapping[str, Opening]:
        return MappingProxyType({o.id: o for o in self.openings})

    @cached_property
    def _tree(self) -> STRtree:
        return STRtree([s.polygon for s in self.spaces])

    def space(self, space_id: str) -> Space:
        """The space with this id (``KeyError`` naming the id if absent)."""
        try:
            return self._space_index[space_id]
        except KeyError:
            raise KeyError(f"no space {space_id!r} on floor {self.name!r}") from None

    def point(self, point_id: str) -> PointOfInterest:
        """The point of interest with this id (``KeyError`` naming the id if absent)."""
        try:
            return self._point_index[point_id]
        except KeyError:
            raise KeyError(f"no point of interest {point_id!r} on floor {self.name!r}") from None

    def opening(self, opening_id: str) -> Opening:
        """The opening with this id (``KeyError`` naming the id if absent)."""
        try:
            return self._opening_index[opening_id]
        except KeyError:
            raise KeyError(f"no opening {opening_id!r} on floor {self.name!r}") from None

    def has_space(self, space_id: str) -> bool:
        """True when a space with this id exists."""
        return space_id in self._space_index

    def has_point(self, point_id: str) -> bool:
        """True when a point of interest with this id exists."""
        return point_id in self._point_index

    def points_of_kind(self, kind: str) -> tuple[PointOfInterest, ...]:
        """All points of one kind, in plan order."""
        return tuple(p for p in self.points if p.kind == kind)

    def desks(self) -> tuple[PointOfInterest, ...]:
        """All desks (staff workplaces where clients may be served)."""
        return self.points_of_kind("desk")

    def counters(self) -> tuple[PointOfInterest, ...]:
        """All counters (service points without a fixed workplace)."""
        return self.points_of_kind("counter")

    def seats(self) -> tuple[PointOfInterest, ...]:
        """All seats on the floor."""
        return self.points_of_kind("seat")

    def entrances(self) -> tuple[PointOfInterest, ...]:
        """All entrance points."""
        return self.points_of_kind("entrance")

    def exits(self) -> tuple[PointOfInterest, ...]:
        """All exit points (entrances double as exits when a plan has no exit)."""
        found = self.points_of_kind("exit")
        return found if found else self.entrances()

    def points_in(self, space_id: str, kind: str | None = None) -> tuple[PointOfInterest, ...]:
        """Points of interest inside one space, optionally of one kind."""
        self.space(space_id)
        return tuple(
            p for p in self.points if p.space == space_id and (kind is None or p.kind == kind)
        )

    def seats_in(self, space_id: str) -> tuple[PointOfInterest, ...]:
        """Seats inside one space (its seating capacity is the length)."""
        return self.points_in(space_id, "seat")

    def spaces_of(self, category: str) -> tuple[Space, ...]:
        """All spaces of one category."""
        return tuple(s for s in self.spaces if s.category == category)

    def waiting_capacity(self, space_ids: Iterable[str] | None = None) -> int:
        """Number of seats in the given spaces, or in all ``waiting`` spaces by default."""
        ids = [s.id for s in self.spaces_of("waiting")] if space_ids is None else list(space_ids)
        return sum(len(self.seats_in(i)) for i in ids)

    def area(self, space_id: str) -> float:
        """Area of one space in square metres."""
        return self.space(space_id).area

    def space_at(self, point: Point | tuple[float, float]) -> Space | None:
        """The space containing a point (within a few centimetres of its walls), or None."""
        pt = point if isinstance(point, Point) else Point(point)
        best: Space | None = None
        best_distance = LOCATE_TOLERANCE
        for index in self._tree.query(pt, predicate="dwithin", distance=LOCATE_TOLERANCE):
            space = self.spaces[int(index)]
            if not space.polygon.is_valid:
                continue
            d = float(space.polygon.distance(pt))
            if d == 0.0:
                return space
            if d <= best_distance:
                best, best_distance = space, d
        return best

    def openings_of(self, space_id: str) -> tuple[Opening, ...]:
        """Openings that lead into or out of one space."""
        return tuple(o for o in self.openings if space_id in o.spaces)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) over all spaces."""
        xs0, ys0, xs1, ys1 = zip(*(s.polygon.bounds for s in self.spaces), strict=True)
        return (min(xs0), min(ys0), max(xs1), max(ys1))

    @cached_property
    def fingerprint(self) -> str:
        """A content hash: equal for floors with the same spaces, openings and points."""
        import hashlib

        digest = hashlib.sha256()
        for s in self.spaces:
            digest.update(f"S|{s.id}|{s.category}|{s.access}|{s.polygon.wkt}\n".encode())
        for o in self.openings:
            digest.update(f"O|{o.id}|{o.spaces}|{o.geometry.wkt}\n".encode())
        for p in self.points:
            digest.update(f"P|{p.id}|{p.kind}|{p.space}|{p.point.wkt}\n".encode())
        return digest.hexdigest()
