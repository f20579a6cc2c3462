"""Compact YAML plans a planner can write by hand in a few lines.

```yaml
name: Small branch
spaces:
  hall: {category: lobby, rect: [0, 0, 10, 6]}
  back: {category: back_office, rect: [10, 0, 5, 6]}
doors:
  - {between: [outside, hall], at: [5, 0], width: 1.2}
  - {between: [hall, back], at: [10, 3]}
desks:
  - row: {from: [11, 1], to: [11, 5], count: 3, prefix: B}
entrances: [{id: entrance, at: [5, 0.6]}]
```
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import cast

from shapely.geometry import Point, Polygon

from sim.errors import LayoutError, Problem
from sim.layout.build import RawOpening, RawPoint, assemble_floor, auto_id
from sim.layout.floor import ACCESS_LEVELS, Access, Floor, PointKind, Space, default_access
from sim.layout.formats.common import (
    ProblemList,
    number,
    parse_yaml,
    read_text,
    require_mapping,
    xy,
)
from sim.layout.geometry import coordinates_problem, door_on_wall
from sim.limits import PLAN_FEATURES, PLAN_POINTS
from sim.spelling import did_you_mean

DEFAULT_DOOR_WIDTH = 0.9
TOP_KEYS = ("name", "units", "spaces", "doors", "desks", "counters", "seats", "entrances", "exits")
SPACE_KEYS = ("name", "category", "access", "rect", "polygon", "holes", "attributes")
DOOR_KEYS = ("id", "between", "at", "width")
POINT_KEYS = ("id", "at", "space", "row")
ROW_KEYS = ("from", "to", "count", "prefix", "start", "space")
POINT_SECTIONS: dict[str, PointKind] = {
    "desks": "desk",
    "counters": "counter",
    "seats": "seat",
    "entrances": "entrance",
    "exits": "exit",
}


def read_shorthand(path: Path) -> tuple[Floor, list[Problem]]:
    """Parse a shorthand YAML plan file into a floor and the problems found."""
    source = str(path)
    data = parse_yaml(read_text(path), source)
    return floor_from_shorthand(data, source, name=path.stem)


def floor_from_shorthand(
    data: object, source: str = "<layout>", *, name: str | None = None
) -> tuple[Floor, list[Problem]]:
    """Build a floor from shorthand data already parsed into Python objects."""
    plan = require_mapping(data, source, "a mapping with 'spaces', 'doors', 'desks', ...")
    problems = ProblemList(source)
    _unknown_keys(plan, TOP_KEYS, "", problems)
    if plan.get("units", "m") != "m":
        problems.add("units", f"only metres ('m') are supported, got {plan.get('units')!r}")
    features = sum(len(v) for k in ("spaces", "doors") if isinstance(v := plan.get(k), list | dict))
    if PLAN_FEATURES.exceeded(features):
        raise LayoutError.single(source, "spaces", PLAN_FEATURES.message(features))
    spaces = _spaces(plan.get("spaces"), problems)
    # A space with unusable coordinates is reported by assemble_floor; no door is put on it.
    polygons = {s.id: s.polygon for s in spaces if coordinates_problem(s.polygon) is None}
    unusable = {s.id for s in spaces} - set(polygons)
    openings = _doors(plan.get("doors") or [], polygons, problems, unusable)
    points: list[RawPoint] = []
    for section, kind in POINT_SECTIONS.items():
        points += _points(plan.get(section) or [], section, kind, problems)
        if PLAN_POINTS.exceeded(len(points)):
            raise LayoutError.single(source, section, PLAN_POINTS.message(len(points)))
    title = str(plan.get("name") or name or "floor")
    floor, more = assemble_floor(title, spaces, openings, points, source)
    return floor, [*problems, *more]


def _unknown_keys(
    mapping: Mapping[str, object], known: tuple[str, ...], path: str, problems: ProblemList
) -> None:
    for key in mapping:
        if key not in known:
            where = f"{path}.{key}" if path else str(key)
            problems.add(
                where,
                f"unknown key {key!r}"
                + (did_you_mean(str(key), known) or f"; expected one of {', '.join(known)}"),
            )


def _spaces(value: object, problems: ProblemList) -> list[Space]:
    if not isinstance(value, Mapping) or not value:
        problems.add("spaces", "expected a mapping of space id to {category, rect|polygon, ...}")
        return []
    spaces = []
    for key, spec in value.items():
        path = f"spaces.{key}"
        if not isinstance(spec, Mapping):
            problems.add(path, "expected a mapping such as {category: office, rect: [x, y, w, h]}")
            continue
        _unknown_keys(spec, SPACE_KEYS, path, problems)
        polygon = _polygon(spec, path, problems)
        if polygon is None:
            continue
        category = str(spec.get("category") or "office")
        access = spec.get("access") or default_access(category)
        if access not in ACCESS_LEVELS:
            problems.add(f"{path}.access", f"expected 'public' or 'staff', got {access!r}")
            access = default_access(category)
        attributes = spec.get("attributes") or {}
        if not isinstance(attributes, Mapping):
            problems.add(f"{path}.attributes", "expected a mapping")
            attributes = {}
        name = str(spec.get("name") or str(key).replace("_", " ").capitalize())
        spaces.append(
            Space(str(key), name, category, cast(Access, access), polygon, _given(attributes))
        )
    return spaces


def _polygon(spec: Mapping[str, object], path: str, problems: ProblemList) -> Polygon | None:
    holes = []
    raw_holes = spec.get("holes") or []
    if not isinstance(raw_holes, list):
        problems.add(f"{path}.holes", "expected a list of polygons [[x, y], ...]")
        raw_holes = []
    for i, hole in enumerate(raw_holes):
        ring = _ring(hole, f"{path}.holes[{i}]", problems)
        if ring is not None:
            holes.append(ring)
    if "rect" in spec:
        rect = spec["rect"]
        values = [number(v) for v in rect] if isinstance(rect, list) and len(rect) == 4 else []
        if len(values) != 4 or any(v is None for v in values):
            problems.add(f"{path}.rect", f"expected [x, y, width, height] in metres, got {rect!r}")
            return None
        x, y, w, h = (cast(float, v) for v in values)
        if w <= 0 or h <= 0:
            problems.add(f"{path}.rect", f"width and height must be positive, got {w} x {h}")
            return None
        return Polygon([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], holes)
    if "polygon" in spec:
        ring = _ring(spec["polygon"], f"{path}.polygon", problems)
        return None if ring is None else Polygon(ring, holes)
    problems.add(path, "needs 'rect: [x, y, w, h]' or 'polygon: [[x, y], ...]'")
    return None


def _ring(value: object, path: str, problems: ProblemList) -> list[tuple[float, float]] | None:
    pairs = [xy(v) for v in value] if isinstance(value, list) else []
    if len(pairs) < 3 or any(p is None for p in pairs):
        problems.add(path, "expected a list of at least three [x, y] points")
        return None
    return [cast(tuple[float, float], p) for p in pairs]


def _doors(
    value: object,
    polygons: Mapping[str, Polygon],
    problems: ProblemList,
    unusable: Collection[str] = (),
) -> list[RawOpening]:
    """The doors of a plan; a door of an ``unusable`` space (reported elsewhere) is left out."""
    if not isinstance(value, list):
        problems.add("doors", "expected a list of {between: [a, b], at: [x, y], width: 0.9}")
        return []
    doors = []
    for i, entry in enumerate(value):
        path = f"doors[{i}]"
        spec = entry.get("door") if isinstance(entry, Mapping) and "door" in entry else entry
        if not isinstance(spec, Mapping):
            problems.add(path, "expected {between: [a, b], at: [x, y], width: 0.9}")
            continue
        _unknown_keys(spec, DOOR_KEYS, path, problems)
        between = spec.get("between")
        at = xy(spec.get("at"))
        width = number(spec.get("width", DEFAULT_DOOR_WIDTH))
        if not isinstance(between, list) or len(between) != 2:
            problems.add(f"{path}.between", "expected two space ids (or 'outside')")
            continue
        inside = [str(s) for s in between if s != "outside"]
        if any(s in unusable for s in inside):
            continue
        unknown = [s for s in inside if s not in polygons]
        for s in unknown:
            problems.add(f"{path}.between", f"unknown space {s!r}{did_you_mean(s, polygons)}")
        if unknown or not inside:
            if not inside:
                problems.add(f"{path}.between", "a door must touch at least one space")
            continue
        if at is None:
            problems.add(f"{path}.at", "expected the door position [x, y] on the wall")
            continue
        far = coordinates_problem(Point(at))
        if far is not None:
            problems.add(f"{path}.at", far)
            continue
        if width is None or width <= 0:
            problems.add(f"{path}.width", f"expected a positive width in metres, got {width!r}")
            continue
        line = door_on_wall([polygons[s] for s in inside], Point(at), width)
        door_id = str(spec.get("id") or auto_id("door", i + 1))
        joined = (inside[0], inside[1] if len(inside) > 1 else None)
        doors.append(RawOpening(door_id, line, joined, path))
    return doors


def _points(value: object, section: str, kind: PointKind, problems: ProblemList) -> list[RawPoint]:
    if not isinstance(value, list):
        problems.add(section, "expected a list of {id, at: [x, y]} or {row: {...}}")
        return []
    points: list[RawPoint] = []
    for i, spec in enumerate(value):
        path = f"{section}[{i}]"
        if not isinstance(spec, Mapping):
            problems.add(path, "expected {id: X1, at: [x, y]} or {row: {from, to, count, prefix}}")
            continue
        _unknown_keys(spec, POINT_KEYS, path, problems)
        space = str(spec["space"]) if spec.get("space") else None
        if "row" in spec:
            points += _row(spec["row"], f"{path}.row", kind, space, problems)
            continue
        at = xy(spec.get("at"))
        if at is None:
            problems.add(f"{path}.at", "expected a position [x, y] in metres")
            continue
        point_id = str(spec.get("id") or auto_id(kind, len(points) + 1))
        points.append(RawPoint(point_id, kind, Point(at), space, path))
    return points


def _row(
    value: object, path: str, kind: PointKind, space: str | None, problems: ProblemList
) -> list[RawPoint]:
    if not isinstance(value, Mapping):
        problems.add(path, "expected {from: [x, y], to: [x, y], count: n, prefix: X}")
        return []
    _unknown_keys(value, ROW_KEYS, path, problems)
    start, end = xy(value.get("from")), xy(value.get("to"))
    count = value.get("count")
    first = value.get("start", 1)
    if start is None or end is None:
        problems.add(path, "a row needs 'from: [x, y]' and 'to: [x, y]'")
        return []
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        problems.add(f"{path}.count", f"expected a whole number of at least 1, got {count!r}")
        return []
    if PLAN_POINTS.exceeded(count):
        problems.add(f"{path}.count", PLAN_POINTS.message(count))
        return []
    if not isinstance(first, int) or isinstance(first, bool):
        problems.add(f"{path}.start", f"expected a whole number, got {first!r}")
        return []
    prefix = str(value.get("prefix") or kind[0].upper())
    space = str(value["space"]) if value.get("space") else space
    points = []
    for k in range(count):
        t = k / (count - 1) if count > 1 else 0.5
        x = start[0] + (end[0] - start[0]) * t
        y = start[1] + (end[1] - start[1]) * t
        points.append(RawPoint(f"{prefix}{first + k}", kind, Point(x, y), space, path))
    return points


def _given(attributes: Mapping[str, object]) -> dict[str, object]:
    """A space's attributes without those left empty (``rent_per_m2: null``), as in GeoJSON."""
    return {k: v for k, v in attributes.items() if v is not None}
