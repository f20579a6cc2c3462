"""Validation of a floor: every problem at once, each naming the feature and where it is.

Checks geometry (valid, non-overlapping polygons), openings (on a wall the two spaces share, or
on the outer wall for doors to the outside), points (inside the space they claim), and reach
(an entrance exists, every space can be reached from it, and clients never have to cross a
staff-only space to reach a public one).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import shapely
from shapely.validation import explain_validity

from sim.errors import Problem
from sim.layout.floor import LOCATE_TOLERANCE, Floor
from sim.layout.geometry import WALL_TOLERANCE, fmt_xy
from sim.layout.plausibility import extent_problems
from sim.spelling import did_you_mean

if TYPE_CHECKING:
    import networkx as nx

OVERLAP_TOLERANCE = 0.05
"""Square metres two spaces may share (drawing slop) before it counts as an overlap."""

OUTSIDE = "<outside>"


def check_floor(
    floor: Floor, source: str = "<layout>", *, wall_tolerance: float = WALL_TOLERANCE
) -> list[Problem]:
    """All problems with ``floor``; an empty list means the floor can be simulated."""
    implausible = extent_problems(floor, source)
    if implausible:
        return implausible
    problems: list[Problem] = []
    problems += _check_polygons(floor, source)
    problems += _check_overlaps(floor, source)
    problems += _check_openings(floor, source, wall_tolerance)
    problems += _check_points(floor, source)
    problems += _check_reach(floor, source)
    problems += _check_attributes(floor, source)
    return problems


def _check_polygons(floor: Floor, source: str) -> list[Problem]:
    problems = []
    for space in floor.spaces:
        where = f"spaces.{space.id}"
        if not space.polygon.is_valid:
            reason = explain_validity(space.polygon)
            problems.append(
                Problem(source, where, f"space {space.name!r} has an invalid polygon: {reason}")
            )
        elif space.polygon.area <= 0:
            problems.append(Problem(source, where, f"space {space.name!r} has no area"))
    return problems


NUMERIC_ATTRIBUTES = {
    "rent_per_m2": (0.0, "a monthly rent per m² of 0 or more"),
    "capacity": (1.0, "a number of seats of 1 or more"),
}
"""Space attributes the model reads as numbers: the least value allowed, and what is expected."""


def _check_attributes(floor: Floor, source: str) -> list[Problem]:
    """Attributes the model computes with (rent, room capacity) must be finite numbers."""
    problems = []
    for space in floor.spaces:
        for key, (least, expected) in NUMERIC_ATTRIBUTES.items():
            if key not in space.attributes:
                continue
            value = space.attributes[key]
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not (number and math.isfinite(value) and value >= least):  # type: ignore[arg-type,operator]
                where = f"spaces.{space.id}.attributes.{key}"
                problems.append(Problem(source, where, f"is {value!r}; expected {expected}"))
    return problems


def _check_overlaps(floor: Floor, source: str) -> list[Problem]:
    valid = [s for s in floor.spaces if s.polygon.is_valid]
    if len(valid) < 2:
        return []
    tree = shapely.STRtree([s.polygon for s in valid])
    left, right = tree.query([s.polygon for s in valid], predicate="intersects")
    problems = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        a, b = valid[i], valid[j]
        shared = a.polygon.intersection(b.polygon)
        if shared.area > OVERLAP_TOLERANCE:
            problems.append(
                Problem(
                    source,
                    f"spaces.{a.id}",
                    f"space {a.id!r} overlaps space {b.id!r} by {shared.area:.2f} m² "
                    f"around {fmt_xy(shared.centroid)}",
                )
            )
    return problems


def _check_openings(floor: Floor, source: str, tolerance: float) -> list[Problem]:
    problems = []
    valid = [s.polygon for s in floor.spaces if s.polygon.is_valid]
    outline = shapely.unary_union([p.buffer(tolerance / 2) for p in valid]).buffer(-tolerance / 2)
    outer = outline.boundary
    for opening in floor.openings:
        where = f"openings.{opening.id}"
        mid = opening.midpoint
        if opening.width <= 0:
            problems.append(Problem(source, where, f"opening {opening.id!r} has no width"))
        named = [s for s in opening.spaces if s is not None]
        missing = [s for s in named if not floor.has_space(s)]
        for s in missing:
            hint = did_you_mean(s, [sp.id for sp in floor.spaces])
            problems.append(
                Problem(source, where, f"opening {opening.id!r} names unknown space {s!r}{hint}")
            )
        if missing:
            continue
        far = [s for s in named if floor.space(s).polygon.distance(mid) > tolerance]
        if far:
            joined = " and ".join(repr(s) for s in named) + (
                " and the outside" if opening.is_outside else ""
            )
            problems.append(
                Problem(
                    source,
                    where,
                    f"opening {opening.id!r} at {fmt_xy(mid)} is not on a wall shared by "
                    f"{joined}: it is {floor.space(far[0]).polygon.distance(mid):.2f} m from "
                    f"{far[0]!r} (tolerance {tolerance} m)",
                )
            )
        elif opening.is_outside and outer.distance(mid) > tolerance:
            problems.append(
                Problem(
                    source,
                    where,
                    f"opening {opening.id!r} at {fmt_xy(mid)} leads outside but is not on the "
                    f"outer wall of the floor (it is {outer.distance(mid):.2f} m inside)",
                )
            )
    return problems


def _check_points(floor: Floor, source: str) -> list[Problem]:
    problems = []
    for poi in floor.points:
        where = f"points.{poi.id}"
        found = floor.space_at(poi.point)
        label = f"{poi.kind} {poi.id!r} at {fmt_xy(poi.point)}"
        if not floor.has_space(poi.space):
            hint = did_you_mean(poi.space, [s.id for s in floor.spaces])
            problems.append(
                Problem(source, where, f"{label} names unknown space {poi.space!r}{hint}")
            )
        elif found is None:
            problems.append(Problem(source, where, f"{label} is not inside any space"))
        elif floor.space(poi.space).polygon.distance(poi.point) > LOCATE_TOLERANCE:
            problems.append(
                Problem(
                    source,
                    where,
                    f"{label} is declared in space {poi.space!r} but lies in {found.id!r}",
                )
            )
    return problems


def space_graph(floor: Floor, *, public_only: bool = False) -> nx.Graph:
    """Spaces joined by openings (plus an ``<outside>`` node), optionally public spaces only."""
    import networkx as nx  # on first use: a scenario without a floor plan never loads it

    graph = nx.Graph()
    for space in floor.spaces:
        if not public_only or space.is_public:
            graph.add_node(space.id)
    graph.add_node(OUTSIDE)
    for opening in floor.openings:
        a, b = opening.spaces
        other = OUTSIDE if b is None else b
        if a in graph and other in graph:
            graph.add_edge(a, other, opening=opening.id)
    return graph


def _check_reach(floor: Floor, source: str) -> list[Problem]:
    import networkx as nx

    entrances = floor.entrances()
    if not entrances:
        return [Problem(source, "points", "the plan has no entrance point (kind 'entrance')")]
    starts = {p.space for p in entrances if floor.has_space(p.space)}
    full = space_graph(floor)
    public = space_graph(floor, public_only=True)
    reach_all = _reach(full, starts)
    reach_public = _reach(public, {s for s in starts if s in public})
    problems = []
    for space in floor.spaces:
        where = f"spaces.{space.id}"
        if space.id not in reach_all:
            problems.append(
                Problem(
                    source,
                    where,
                    f"space {space.id!r} ({space.name}) cannot be reached from any entrance: "
                    "add a door",
                )
            )
        elif space.is_public and space.id not in reach_public:
            path = min(
                (nx.shortest_path(full, s, space.id) for s in starts if s in full),
                key=len,
            )
            staff = [s for s in path if s != OUTSIDE and not floor.space(s).is_public]
            problems.append(
                Problem(
                    source,
                    where,
                    f"public space {space.id!r} ({space.name}) can only be reached through "
                    f"staff-only space(s) {', '.join(repr(s) for s in staff)}: clients would "
                    "walk through them; add a public route or make the space staff-only",
                )
            )
    return problems


def _reach(graph: nx.Graph, starts: Iterable[str]) -> set[str]:
    import networkx as nx

    found: set[str] = set()
    for start in starts:
        if start in graph and start not in found:
            found |= nx.node_connected_component(graph, start)
    return found


def check_references(
    floor: Floor,
    source: str = "<scenario>",
    *,
    desk_ids: Iterable[str] = (),
    space_ids: Iterable[str] = (),
    point_ids: Iterable[str] = (),
    path: str = "",
) -> list[Problem]:
    """Problems for desks, spaces or points a scenario names but the floor lacks."""
    problems = []
    desks = [p.id for p in floor.desks()]
    spaces = [s.id for s in floor.spaces]
    points = [p.id for p in floor.points]
    for wanted, have, what in (
        (desk_ids, desks, "desk"),
        (space_ids, spaces, "space"),
        (point_ids, points, "point"),
    ):
        for item in wanted:
            if item not in have:
                problems.append(
                    Problem(
                        source,
                        path,
                        f"floor {floor.name!r} has no {what} {item!r}{did_you_mean(item, have)}",
                    )
                )
    return problems
