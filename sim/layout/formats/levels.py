"""Reading plans with several levels: GeoJSON with a ``level`` property, IMDF levels, and a
building file listing one plan per floor (``sim.layout.formats.floors``: DXF drawings per floor
or per-floor layers of one drawing).

GeoJSON: every feature carries ``level`` (a level id; numbers are ordinals). An optional
top-level ``levels`` list gives each level's ``id``, ``ordinal``, ``name`` and storey ``height``
in metres. Points of type ``stairs`` or ``lift`` are where a core stops on a level; their
``connector`` property names the core (stops with the same name on different levels are one
stair or one lift). A file without any ``level`` property is a one-level building.

IMDF: ``level.geojson`` gives ids, ordinals and names; units, openings and (through their
units) amenities are split by ``level_id``. Units of category ``elevator`` or ``stairs`` are
not walkable; each gets a stop just outside it in the nearest walkable space, and units of one
kind whose footprints overlap on different levels form one connector.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from shapely.geometry import Polygon
from shapely.ops import nearest_points

from sim.errors import LayoutError, Problem
from sim.layout.building import (
    STOREY_HEIGHT,
    Building,
    Connector,
    ConnectorKind,
    Level,
    connectors_from_points,
    single_level,
)
from sim.layout.floor import Floor, PointOfInterest
from sim.layout.formats.common import number, parse_json, parse_yaml, read_text
from sim.layout.formats.floors import building_from_floor_list, is_floor_list
from sim.layout.formats.geojson import floor_from_geojson
from sim.layout.geometry import as_polygon

STOP_SETBACK = 0.3
"""Metres inside the walkable space where an IMDF lift or stair stop is placed."""

IMDF_CONNECTORS: dict[str, ConnectorKind] = {"elevator": "lift", "stairs": "stairs"}


def read_levels(path: Path) -> tuple[Building, list[Problem]]:
    """Parse a plan into a building (one level for plans without levels) and its problems."""
    source = str(path)
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".zip":
        return _imdf_building(path)
    if suffix in (".geojson", ".json"):
        data = parse_json(read_text(path), source)
        if isinstance(data, Mapping) and data.get("type") == "FeatureCollection":
            return geojson_building(data, source, name=path.stem)
        if is_floor_list(data):
            return building_from_floor_list(data, path)
    if suffix in (".yaml", ".yml"):
        data = parse_yaml(read_text(path), source)
        if is_floor_list(data):
            return building_from_floor_list(data, path)
    from sim.layout.load import read_floor

    floor, problems = read_floor(path)
    return single_level(floor), problems


def _level_of(feature: object) -> str | None:
    if not isinstance(feature, Mapping):
        return None
    props = feature.get("properties")
    if not isinstance(props, Mapping) or props.get("level") is None:
        return None
    return str(props["level"])


def geojson_building(
    data: Mapping[str, object], source: str, *, name: str
) -> tuple[Building, list[Problem]]:
    """A building from a GeoJSON FeatureCollection whose features carry ``level``."""
    features = data.get("features")
    if not isinstance(features, list):
        raise LayoutError.single(source, "features", "expected a list of features")
    ids = [_level_of(f) for f in features]
    title = str(data.get("name") or name)
    if all(i is None for i in ids):
        floor, found = floor_from_geojson(data, source, name=title)
        return single_level(floor), found
    problems: list[Problem] = []
    missing = [k for k, i in enumerate(ids) if i is None]
    for k in missing:
        problems.append(
            Problem(
                source,
                f"features[{k}].properties.level",
                "missing; every feature of a plan with levels needs one",
            )
        )
    meta = _level_meta(data.get("levels"), source, problems)
    order = list(dict.fromkeys(i for i in ids if i is not None))
    levels = []
    group: dict[tuple[str, str], str] = {}
    for position, level_id in enumerate(order):
        chosen = [f for f, i in zip(features, ids, strict=True) if i == level_id]
        info = meta.get(level_id, {})
        ordinal = _ordinal(level_id, info, position)
        label = str(info.get("name") or f"{title} level {level_id}")
        floor, more = floor_from_geojson(
            {"type": "FeatureCollection", "features": chosen},
            f"{source} (level {level_id})",
            name=label,
        )
        problems += more
        height = number(info.get("height")) or STOREY_HEIGHT
        levels.append(Level(level_id, ordinal, floor, height))
        for f in chosen:
            props = f.get("properties") or {}
            if props.get("type") in ("stairs", "lift") and props.get("connector") is not None:
                pid = props.get("id") or f.get("id")
                if pid is not None:
                    group[(level_id, str(pid))] = str(props["connector"])
    connectors, more = connectors_from_points(tuple(levels), source, group)
    return Building(title, tuple(levels), connectors), [*problems, *more]


def _level_meta(
    value: object, source: str, problems: list[Problem]
) -> dict[str, Mapping[str, object]]:
    if value is None:
        return {}
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        problems.append(Problem(source, "levels", "expected a list of objects with 'id'"))
        return {}
    return {str(v.get("id")): v for v in value}


def _ordinal(level_id: str, info: Mapping[str, object], position: int) -> int:
    given = number(info.get("ordinal"))
    if given is not None:
        return int(given)
    try:
        return int(level_id)
    except ValueError:
        return position


def _imdf_building(path: Path) -> tuple[Building, list[Problem]]:
    from sim.layout.formats.imdf import _name, imdf_floor, read_archive

    source = str(path)
    archive = read_archive(path)
    if not archive.levels:
        floor, found = imdf_floor(archive, source, path.stem, None)
        return single_level(floor), found
    problems: list[Problem] = []
    levels = []
    cores: list[tuple[str, ConnectorKind, Polygon]] = []
    for k, (_, props, _geometry) in enumerate(archive.levels):
        level_id = str(props.get("_feature_id") or k)
        ordinal = int(number(props.get("ordinal")) or 0)
        label = _name(props) or f"{path.stem} level {ordinal}"
        floor, more = imdf_floor(archive, source, label, level_id)
        problems += more
        for _, uprops, geometry in archive.units:
            kind = IMDF_CONNECTORS.get(str(uprops.get("category")))
            if kind is None or str(uprops.get("level_id")) != level_id:
                continue
            polygon = as_polygon(archive.to_metres(geometry))
            if isinstance(polygon, Polygon):
                cores.append((level_id, kind, polygon))
        levels.append(Level(level_id, ordinal, floor))
    levels, connectors = _imdf_connectors(levels, cores, source, problems)
    return Building(path.stem, tuple(levels), connectors), problems


def _imdf_connectors(
    levels: list[Level],
    cores: list[tuple[str, ConnectorKind, Polygon]],
    source: str,
    problems: list[Problem],
) -> tuple[list[Level], tuple[Connector, ...]]:
    """Stops next to each lift or stair unit, grouped by overlapping footprints."""
    groups: list[list[int]] = []
    for i, (_, kind, polygon) in enumerate(cores):
        for members in groups:
            _, other_kind, other = cores[members[0]]
            if other_kind == kind and polygon.intersection(other).area > 0:
                members.append(i)
                break
        else:
            groups.append([i])
    added: dict[str, list[PointOfInterest]] = {lv.id: [] for lv in levels}
    group: dict[tuple[str, str], str] = {}
    by_id = {lv.id: lv for lv in levels}
    for g, members in enumerate(groups):
        cid = f"{cores[members[0]][1]}{g + 1}"
        for i in members:
            level_id, kind, polygon = cores[i]
            stop = _stop_beside(by_id[level_id].floor, polygon, f"{cid}@{level_id}", kind)
            if stop is None:
                problems.append(
                    Problem(
                        source,
                        cid,
                        f"{kind} on level {level_id!r} has no walkable space next to it",
                    )
                )
                continue
            added[level_id].append(stop)
            group[(level_id, stop.id)] = cid
    out = [
        Level(
            lv.id,
            lv.ordinal,
            Floor(
                lv.floor.name, lv.floor.spaces, lv.floor.openings, (*lv.floor.points, *added[lv.id])
            ),
            lv.height,
        )
        for lv in levels
    ]
    connectors, more = connectors_from_points(tuple(out), source, group)
    problems += more
    return out, connectors


def _stop_beside(
    floor: Floor, core: Polygon, stop_id: str, kind: ConnectorKind
) -> PointOfInterest | None:
    if not floor.spaces:
        return None
    space = min(floor.spaces, key=lambda s: float(s.polygon.distance(core)))
    if float(space.polygon.distance(core)) > 1.0:
        return None
    inner = space.polygon.buffer(-STOP_SETBACK)
    target = inner if not inner.is_empty else space.polygon
    spot = nearest_points(target, core.centroid)[0]
    return PointOfInterest(stop_id, kind, space.id, spot)
