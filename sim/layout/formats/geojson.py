"""GeoJSON plans in local metres (what QGIS writes): one feature per space, opening or point.

Feature ``properties.type`` says what a feature is: ``space``, ``opening`` (alias ``door``),
``desk``, ``counter``, ``seat``, ``entrance`` or ``exit``. Properties other than the known keys
of a space become its attributes (rent_per_m2, noise_class, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import cast

import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from sim.errors import LayoutError, Problem
from sim.layout.build import RawOpening, RawPoint, assemble_floor, auto_id
from sim.layout.floor import (
    ACCESS_LEVELS,
    POINT_KINDS,
    Access,
    Floor,
    PointKind,
    Space,
    default_access,
)
from sim.layout.formats.common import (
    ProblemList,
    geometry_from,
    number,
    parse_json,
    read_text,
    require_mapping,
)
from sim.layout.geometry import door_on_wall, looks_like_degrees
from sim.limits import PLAN_FEATURES, PLAN_POINTS
from sim.spelling import did_you_mean

FEATURE_TYPES = ("space", "opening", "door", *POINT_KINDS)
SPACE_KEYS = frozenset({"type", "id", "name", "category", "access"})
DEGREES_MESSAGE = (
    "coordinates look like longitude/latitude degrees (the plan spans {w:.5f} x {h:.5f} units); "
    "officesim expects a plan in local metres: export the layer in a projected metre CRS "
    "(e.g. your national grid or UTM) or ship the plan as IMDF, which officesim projects itself"
)


def read_geojson(path: Path) -> tuple[Floor, list[Problem]]:
    """Parse a GeoJSON plan file into a floor and the problems found."""
    source = str(path)
    data = parse_json(read_text(path), source)
    return floor_from_geojson(data, source, name=path.stem)


def floor_from_geojson(
    data: object, source: str = "<layout>", *, name: str | None = None
) -> tuple[Floor, list[Problem]]:
    """Build a floor from a GeoJSON FeatureCollection already parsed into Python objects."""
    collection = require_mapping(data, source, "a GeoJSON FeatureCollection object")
    if collection.get("type") != "FeatureCollection":
        raise LayoutError.single(
            source, "type", f"expected 'FeatureCollection', got {collection.get('type')!r}"
        )
    features = collection.get("features")
    if not isinstance(features, list):
        raise LayoutError.single(source, "features", "expected a list of features")
    levels = {
        str(f["properties"]["level"])
        for f in features
        if isinstance(f, Mapping)
        and isinstance(f.get("properties"), Mapping)
        and f["properties"].get("level") is not None
    }
    if len(levels) > 1:
        raise LayoutError.single(
            source,
            "features",
            f"the plan has {len(levels)} levels ({', '.join(sorted(levels))}); a floor for the "
            "client model is one level: use the plan as 'space.layout' (a building)",
        )
    problems = ProblemList(source)
    parsed = [_parse_feature(f, i, problems) for i, f in enumerate(features)]
    geometries = [g for _, _, g in (p for p in parsed if p is not None)]
    if geometries:
        bounds = shapely.GeometryCollection(geometries).bounds
        if looks_like_degrees(bounds):
            w, h = bounds[2] - bounds[0], bounds[3] - bounds[1]
            raise LayoutError.single(source, "features", DEGREES_MESSAGE.format(w=w, h=h))

    spaces: list[Space] = []
    openings: list[tuple[str, Mapping[str, object], BaseGeometry]] = []
    points: list[RawPoint] = []
    for item in parsed:
        if item is None:
            continue
        path, props, geometry = item
        kind = str(props.get("type") or _default_type(geometry))
        if kind == "space":
            space = _space(path, props, geometry, len(spaces) + 1, problems)
            if space is not None:
                spaces.append(space)
        elif kind in ("opening", "door"):
            openings.append((path, props, geometry))
        else:
            point = _point(path, props, geometry, cast(PointKind, kind), len(points), problems)
            if point is not None:
                points.append(point)
    if PLAN_POINTS.exceeded(len(points)):
        raise LayoutError.single(source, "features", PLAN_POINTS.message(len(points)))
    if PLAN_FEATURES.exceeded(len(spaces) + len(openings)):
        raise LayoutError.single(
            source, "features", PLAN_FEATURES.message(len(spaces) + len(openings))
        )
    raw_openings = [
        _opening(p, pr, g, i, spaces, problems) for i, (p, pr, g) in enumerate(openings)
    ]
    title = str(collection.get("name") or name or "floor")
    floor, more = assemble_floor(
        title, spaces, [o for o in raw_openings if o is not None], points, source
    )
    return floor, [*problems, *more]


def _default_type(geometry: BaseGeometry) -> str:
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return "space"
    if isinstance(geometry, LineString):
        return "opening"
    return ""


def _parse_feature(
    feature: object, index: int, problems: ProblemList
) -> tuple[str, Mapping[str, object], BaseGeometry] | None:
    path = f"features[{index}]"
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        problems.add(path, "expected a GeoJSON Feature object")
        return None
    props = feature.get("properties") or {}
    if not isinstance(props, Mapping):
        problems.add(f"{path}.properties", "expected an object")
        return None
    props = {k: v for k, v in props.items() if v is not None}
    if "id" not in props and feature.get("id") is not None:
        props["id"] = feature["id"]
    label = props.get("id") or props.get("name")
    if label is not None:
        path = f"{path}({label})"
    kind = props.get("type")
    if kind is not None and kind not in FEATURE_TYPES:
        problems.add(
            f"{path}.properties.type",
            f"unknown feature type {kind!r}"
            + (
                did_you_mean(str(kind), FEATURE_TYPES)
                or f"; expected one of {', '.join(FEATURE_TYPES)}"
            ),
        )
        return None
    try:
        geometry = geometry_from(feature.get("geometry"))
    except ValueError as exc:
        problems.add(f"{path}.geometry", str(exc))
        return None
    if geometry.is_empty:
        problems.add(f"{path}.geometry", "geometry is empty")
        return None
    if kind is None and not _default_type(geometry):
        problems.add(
            f"{path}.properties.type", f"missing; expected one of {', '.join(FEATURE_TYPES)}"
        )
        return None
    return path, props, geometry


def _space(
    path: str, props: Mapping[str, object], geometry: BaseGeometry, n: int, problems: ProblemList
) -> Space | None:
    if isinstance(geometry, MultiPolygon):
        if len(geometry.geoms) != 1:
            problems.add(
                f"{path}.geometry",
                f"space has {len(geometry.geoms)} separate parts; draw one polygon per space",
            )
            return None
        geometry = geometry.geoms[0]
    if not isinstance(geometry, Polygon):
        problems.add(f"{path}.geometry", f"a space must be a Polygon, got {geometry.geom_type}")
        return None
    space_id = str(props.get("id") or auto_id("space", n))
    category = str(props.get("category") or "office")
    access = props.get("access") or default_access(category)
    if access not in ACCESS_LEVELS:
        problems.add(f"{path}.properties.access", f"expected 'public' or 'staff', got {access!r}")
        access = default_access(category)
    attributes = {k: v for k, v in props.items() if k not in SPACE_KEYS}
    name = str(props.get("name") or space_id)
    return Space(space_id, name, category, cast(Access, access), geometry, attributes)


def _point(
    path: str,
    props: Mapping[str, object],
    geometry: BaseGeometry,
    kind: PointKind,
    n: int,
    problems: ProblemList,
) -> RawPoint | None:
    if not kind:
        problems.add(f"{path}.properties.type", "missing feature type")
        return None
    if not isinstance(geometry, Point):
        problems.add(f"{path}.geometry", f"a {kind} must be a Point, got {geometry.geom_type}")
        return None
    point_id = str(props.get("id") or auto_id(kind, n + 1))
    space = props.get("space")
    return RawPoint(point_id, kind, geometry, str(space) if space else None, path)


def _opening(
    path: str,
    props: Mapping[str, object],
    geometry: BaseGeometry,
    n: int,
    spaces: list[Space],
    problems: ProblemList,
) -> RawOpening | None:
    opening_id = str(props.get("id") or auto_id("door", n + 1))
    joined = _joined(path, props.get("spaces"), problems)
    if isinstance(geometry, Point):
        width = number(props.get("width"))
        if width is None or width <= 0:
            problems.add(f"{path}.properties.width", "a Point opening needs a positive width (m)")
            return None
        named = {s for s in (joined or ()) if s}
        polygons = [s.polygon for s in spaces if s.id in named] or [s.polygon for s in spaces]
        if not polygons:
            problems.add(path, "opening given before any space exists")
            return None
        geometry = door_on_wall(polygons, geometry, width)
    if not isinstance(geometry, LineString) or geometry.length <= 0:
        problems.add(f"{path}.geometry", "an opening must be a LineString of positive length")
        return None
    return RawOpening(opening_id, geometry, joined, path)


def _joined(path: str, value: object, problems: ProblemList) -> tuple[str, str | None] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) not in (1, 2):
        problems.add(f"{path}.properties.spaces", "expected a list of one or two space ids")
        return None
    ids = [None if v in (None, "outside") else str(v) for v in value]
    inside = [i for i in ids if i is not None]
    if not inside:
        problems.add(f"{path}.properties.spaces", "an opening must touch at least one space")
        return None
    return (inside[0], inside[1] if len(inside) > 1 else None)
