"""Assemble a ``Floor`` from parsed features, deriving what the file left implicit.

Every format parses into the same raw records; this module fills in the spaces an opening joins
and the space a point sits in (from geometry), checks ids are unique, and reports what it could
not resolve as located problems rather than exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from sim.errors import Problem
from sim.layout.floor import Floor, Opening, PointKind, PointOfInterest, Space
from sim.layout.geometry import (
    WALL_TOLERANCE,
    adjacent_space_indices,
    coordinates_problem,
    fmt_xy,
)


@dataclass(frozen=True)
class RawOpening:
    """An opening as read from a file: spaces may be missing (derived from geometry)."""

    id: str
    geometry: LineString
    spaces: tuple[str, str | None] | None
    path: str


@dataclass(frozen=True)
class RawPoint:
    """A point of interest as read from a file: the space may be missing (derived)."""

    id: str
    kind: PointKind
    point: Point
    space: str | None
    path: str


def assemble_floor(
    name: str,
    spaces: Sequence[Space],
    openings: Sequence[RawOpening],
    points: Sequence[RawPoint],
    source: str,
    *,
    wall_tolerance: float = WALL_TOLERANCE,
) -> tuple[Floor, list[Problem]]:
    """Build the floor and list the problems found while resolving references."""
    problems: list[Problem] = []
    spaces, openings, points = _usable(spaces, openings, points, source, problems)
    problems += _duplicates([s.id for s in spaces], "space", source)
    problems += _duplicates([o.id for o in openings], "opening", source)
    problems += _duplicates([p.id for p in points], "point of interest", source)

    polygons = [s.polygon for s in spaces]
    built_openings: list[Opening] = []
    for raw in openings:
        joined = raw.spaces
        if joined is None:
            found = adjacent_space_indices(raw.geometry, polygons, wall_tolerance)
            if not found:
                problems.append(
                    Problem(
                        source,
                        raw.path,
                        f"opening {raw.id!r} at {fmt_xy(raw.geometry.centroid)} is not on the "
                        f"wall of any space (within {wall_tolerance} m)",
                    )
                )
                continue
            ids = [spaces[i].id for i in found]
            joined = (ids[0], ids[1] if len(ids) > 1 else None)
        built_openings.append(Opening(raw.id, joined, raw.geometry, float(raw.geometry.length)))

    provisional = Floor(name, tuple(spaces), (), ())
    built_points: list[PointOfInterest] = []
    for raw_point in points:
        space_id = raw_point.space
        if space_id is None:
            found_space = provisional.space_at(raw_point.point)
            if found_space is None:
                problems.append(
                    Problem(
                        source,
                        raw_point.path,
                        f"{raw_point.kind} {raw_point.id!r} at {fmt_xy(raw_point.point)} "
                        "is not inside any space",
                    )
                )
                continue
            space_id = found_space.id
        built_points.append(
            PointOfInterest(raw_point.id, raw_point.kind, space_id, raw_point.point)
        )
    floor = Floor(name, tuple(spaces), tuple(built_openings), tuple(built_points))
    return floor, problems


def _usable(
    spaces: Sequence[Space],
    openings: Sequence[RawOpening],
    points: Sequence[RawPoint],
    source: str,
    problems: list[Problem],
) -> tuple[list[Space], list[RawOpening], list[RawPoint]]:
    """The features whose coordinates are usable; a problem for each of the others."""

    def keep(where: str, geometry: BaseGeometry) -> bool:
        problem = coordinates_problem(geometry)
        if problem:
            problems.append(Problem(source, where, problem))
        return problem is None

    return (
        [s for s in spaces if keep(f"space {s.id!r}", s.polygon)],
        [o for o in openings if keep(o.path, o.geometry)],
        [p for p in points if keep(p.path, p.point)],
    )


def _duplicates(ids: Sequence[str], what: str, source: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for item in ids:
        if item in seen:
            problems.append(Problem(source, item, f"{what} id {item!r} is used more than once"))
        seen.add(item)
    return problems


def auto_id(prefix: str, index: int) -> str:
    """A generated id such as ``door3`` for features a file left unnamed."""
    return f"{prefix}{index}"
