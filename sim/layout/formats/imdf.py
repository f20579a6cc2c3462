"""Apple IMDF (OGC Community Standard 20-094): a zip or folder of GeoJSON files in WGS84.

Reads ``unit.geojson`` (spaces), ``opening.geojson`` (doors, adjacency derived from geometry)
and optionally ``amenity.geojson`` (desks, counters, seats) and ``level.geojson`` (the name);
projects longitude/latitude to local metres around the plan's centre. Structural units (walls,
columns, open-to-below) are not walkable and are skipped.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely import transform
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from sim.errors import LayoutError, Problem
from sim.layout.build import RawOpening, RawPoint, assemble_floor, auto_id
from sim.layout.floor import (
    Access,
    Floor,
    PointKind,
    PointOfInterest,
    Space,
    default_access,
)
from sim.layout.formats.common import ProblemList, geometry_from, parse_json
from sim.layout.geometry import as_polygon
from sim.limits import ARCHIVE_BYTES, ARCHIVE_MEMBERS
from sim.safe_read import TooLarge, read_file_limited, read_stream_limited

WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563

UNIT_CATEGORIES: dict[str, str] = {
    "office": "office",
    "lobby": "lobby",
    "conferenceroom": "meeting",
    "huddleroom": "meeting",
    "phoneroom": "meeting",
    "nonpublic": "back_office",
    "walkway": "corridor",
    "walkway.island": "corridor",
    "storage": "storage",
    "serverroom": "server_room",
    "waitingroom": "waiting",
    "mailroom": "back_office",
    "kitchen": "back_office",
    "lounge": "waiting",
    "room": "office",
}
NOT_WALKABLE = frozenset(
    {
        "brick",
        "column",
        "concrete",
        "drywall",
        "glass",
        "opentobelow",
        "structure",
        "wood",
        "elevator",
        "escalator",
        "stairs",
        "steps",
        "vegetation",
    }
)
ENTRANCE_SETBACK = 0.5
"""Metres inside an outside door where a derived entrance point is placed."""
RESTRICTED = frozenset({"employeesonly", "restricted"})
AMENITY_KINDS: dict[str, PointKind] = {
    "seating": "seat",
    "seat": "seat",
    "information": "desk",
    "desk": "desk",
    "ticketing": "counter",
    "counter": "counter",
    "entrance": "entrance",
    "exit": "exit",
}


def local_projection(lon0: float, lat0: float) -> Callable[[float, float], tuple[float, float]]:
    """Longitude/latitude (degrees) to metres east/north of (lon0, lat0) on the WGS84 ellipsoid.

    Uses the ellipsoid's meridional and prime-vertical radii of curvature at lat0; over a
    building (a few hundred metres) the error is far below 0.1%.
    """
    e2 = WGS84_F * (2 - WGS84_F)
    phi = math.radians(lat0)
    w = math.sqrt(1 - e2 * math.sin(phi) ** 2)
    meridional = WGS84_A * (1 - e2) / w**3
    prime_vertical = WGS84_A / w
    kx = math.radians(1) * prime_vertical * math.cos(phi)
    ky = math.radians(1) * meridional

    def project(lon: float, lat: float) -> tuple[float, float]:
        return ((lon - lon0) * kx, (lat - lat0) * ky)

    return project


def read_imdf(path: Path) -> tuple[Floor, list[Problem]]:
    """Read an IMDF archive (.zip) or unpacked folder into a floor and its problems.

    All units go on one floor; :func:`sim.layout.building.load_building` splits them by level.
    """
    source = str(path)
    archive = read_archive(path)
    name = next((n for _, p, _ in archive.levels if (n := _name(p))), None) or path.stem
    return imdf_floor(archive, source, name, None)


@dataclass(frozen=True)
class ImdfArchive:
    """The feature files of an IMDF archive, parsed, with a projection to local metres."""

    units: list[tuple[str, dict[str, object], BaseGeometry]]
    openings: list[tuple[str, dict[str, object], BaseGeometry]]
    amenities: list[tuple[str, dict[str, object], BaseGeometry]]
    levels: list[tuple[str, dict[str, object], BaseGeometry]]
    project: Callable[[float, float], tuple[float, float]]

    def to_metres(self, geometry: BaseGeometry) -> BaseGeometry:
        """A geometry in metres east/north of the archive's centre."""
        project = self.project
        return transform(geometry, lambda xy: [list(project(float(x), float(y))) for x, y in xy])


def read_archive(path: Path) -> ImdfArchive:
    """Parse the feature files of an IMDF archive (every level)."""
    source = str(path)
    files = _files(path)
    if "manifest.json" not in files:
        raise LayoutError.single(source, "", "not an IMDF archive: manifest.json is missing")
    if "unit.geojson" not in files:
        raise LayoutError.single(source, "", "IMDF archive has no unit.geojson")
    units = _features(files, "unit.geojson", source)
    openings = _features(files, "opening.geojson", source) if "opening.geojson" in files else []
    amenities = _features(files, "amenity.geojson", source) if "amenity.geojson" in files else []
    levels = _features(files, "level.geojson", source) if "level.geojson" in files else []
    geoms = [g for _, _, g in units]
    if not geoms:
        raise LayoutError.single(source, "unit.geojson", "no units")
    minx = min(g.bounds[0] for g in geoms)
    maxx = max(g.bounds[2] for g in geoms)
    miny = min(g.bounds[1] for g in geoms)
    maxy = max(g.bounds[3] for g in geoms)
    project = local_projection((minx + maxx) / 2, (miny + maxy) / 2)
    return ImdfArchive(units, openings, amenities, levels, project)


def _on_level(props: Mapping[str, object], level_id: str | None) -> bool:
    return level_id is None or str(props.get("level_id")) == level_id


def imdf_floor(
    archive: ImdfArchive, source: str, name: str, level_id: str | None
) -> tuple[Floor, list[Problem]]:
    """The floor of one IMDF level (``level_id``), or of every unit when it is None."""
    problems = ProblemList(source)
    spaces: list[Space] = []
    unit_ids: dict[str, str] = {}
    for path_, props, geometry in archive.units:
        category = str(props.get("category") or "unspecified")
        if category in NOT_WALKABLE or not _on_level(props, level_id):
            continue
        polygon = as_polygon(archive.to_metres(geometry))
        if polygon is None or not isinstance(polygon, Polygon):
            problems.add(path_, "unit is not a polygon with area")
            continue
        space_id = _label(props) or str(props.get("_feature_id") or auto_id("unit", len(spaces)))
        unit_ids[str(props.get("_feature_id"))] = space_id
        ours = _category(category)
        access = _access(props, ours)
        if access is None:
            problems.add(
                f"{path_}.properties.restriction",
                "expected an IMDF restriction category (text, e.g. 'employeesonly') or null, "
                f"got {type(props.get('restriction')).__name__}",
            )
            continue
        attributes = {"imdf_category": category, "imdf_id": props.get("_feature_id")}
        spaces.append(Space(space_id, _name(props) or space_id, ours, access, polygon, attributes))

    raw_openings = []
    for k, (path_, props, geometry) in enumerate(archive.openings):
        if not _on_level(props, level_id):
            continue
        line = archive.to_metres(geometry)
        if not isinstance(line, LineString):
            problems.add(path_, f"opening must be a LineString, got {line.geom_type}")
            continue
        opening_id = _label(props) or auto_id("opening", k + 1)
        raw_openings.append(RawOpening(opening_id, line, None, path_))

    points = []
    for k, (path_, props, geometry) in enumerate(archive.amenities):
        kind = AMENITY_KINDS.get(str(props.get("category")))
        if kind is None:
            continue
        linked = props.get("unit_ids")
        space = None
        if isinstance(linked, list) and linked and str(linked[0]) in unit_ids:
            space = unit_ids[str(linked[0])]
        elif level_id is not None:
            continue
        point = archive.to_metres(geometry)
        if not isinstance(point, Point):
            problems.add(path_, f"amenity must be a Point, got {point.geom_type}")
            continue
        points.append(RawPoint(_label(props) or auto_id(kind, k + 1), kind, point, space, path_))

    floor, more = assemble_floor(name, spaces, raw_openings, points, source)
    return _with_entrances(floor), [*problems, *more]


def _with_entrances(floor: Floor) -> Floor:
    """Add an entrance just inside each outside door when the archive marks none."""
    if floor.entrances():
        return floor
    added = []
    for opening in floor.openings:
        if not opening.is_outside or not floor.has_space(opening.spaces[0]):
            continue
        polygon = floor.space(opening.spaces[0]).polygon
        inner = polygon.buffer(-ENTRANCE_SETBACK)
        target = inner if not inner.is_empty else polygon
        spot = nearest_points(target, opening.midpoint)[0]
        added.append(PointOfInterest(f"entrance_{opening.id}", "entrance", opening.spaces[0], spot))
    return Floor(floor.name, floor.spaces, floor.openings, (*floor.points, *added))


def _access(props: Mapping[str, object], category: str) -> Access | None:
    """Who may use a unit: staff only when IMDF restricts it, else as its category says; None
    when its ``restriction`` is neither text nor null."""
    restriction = props.get("restriction")
    if restriction is not None and not isinstance(restriction, str):
        return None
    return "staff" if restriction in RESTRICTED else default_access(category)


def _category(imdf_category: str) -> str:
    if imdf_category.startswith("restroom"):
        return "restroom"
    return UNIT_CATEGORIES.get(imdf_category, imdf_category)


def _name(props: Mapping[str, object]) -> str | None:
    name = props.get("name")
    if isinstance(name, Mapping) and name:
        return str(name.get("en") or next(iter(name.values())))
    return str(name) if isinstance(name, str) else None


def _label(props: Mapping[str, object]) -> str | None:
    """The short id a planner gave a feature (IMDF ``alt_name``), else None."""
    alt = props.get("alt_name")
    if isinstance(alt, Mapping) and alt:
        return str(alt.get("en") or next(iter(alt.values())))
    return str(alt) if isinstance(alt, str) else None


IMDF_SUFFIXES = (".json", ".geojson")
"""The archive members officesim reads; images and other attachments are skipped unread."""


def _files(path: Path) -> dict[str, bytes]:
    """The JSON members of an IMDF folder or zip, each read within the archive limits."""
    source = str(path)
    try:
        if path.is_dir():
            members = [p for p in path.iterdir() if p.is_file() and _wanted(p.name)]
            _check_counts(source, len(members), sum(p.stat().st_size for p in members))
            return {p.name: read_file_limited(p, ARCHIVE_BYTES) for p in members}
        with path.open("rb") as raw, zipfile.ZipFile(raw) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and _wanted(i.filename)]
            _check_counts(source, len(infos), sum(i.file_size for i in infos))
            out: dict[str, bytes] = {}
            for info in infos:
                with archive.open(info) as member:
                    out[Path(info.filename).name] = read_stream_limited(member, ARCHIVE_BYTES)
            return out
    except TooLarge as exc:
        raise LayoutError.single(source, "", f"an archive member {exc.message}") from None
    except FileNotFoundError:
        raise LayoutError.single(source, "", "file not found") from None
    # zipfile raises NotImplementedError for a compression method it cannot unpack (e.g.
    # PPMd): a damaged or foreign archive, so a message like the others.
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        raise LayoutError.single(source, "", f"cannot read IMDF archive: {exc}") from None


def _wanted(name: str) -> bool:
    return name.lower().endswith(IMDF_SUFFIXES)


def _check_counts(source: str, members: int, declared_bytes: int) -> None:
    """Refuse an archive by its declared sizes before unpacking anything (a zip bomb)."""
    if ARCHIVE_MEMBERS.exceeded(members):
        raise LayoutError.single(source, "", ARCHIVE_MEMBERS.message(members))
    if ARCHIVE_BYTES.exceeded(declared_bytes):
        raise LayoutError.single(source, "", f"unpacks to {ARCHIVE_BYTES.message(declared_bytes)}")


def _features(
    files: Mapping[str, bytes], name: str, source: str
) -> list[tuple[str, dict[str, object], BaseGeometry]]:
    where = f"{source}/{name}"
    try:
        text = files[name].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LayoutError.single(where, "", "not UTF-8 text") from None
    data = parse_json(text, where)
    features = data.get("features") if isinstance(data, Mapping) else None
    if not isinstance(features, list):
        raise LayoutError.single(where, "features", "expected a GeoJSON FeatureCollection")
    out = []
    for i, feature in enumerate(features):
        path = f"{name}.features[{i}]"
        if not isinstance(feature, Mapping):
            raise LayoutError.single(source, path, "expected a Feature object")
        raw = feature.get("properties")
        if raw is not None and not isinstance(raw, Mapping):
            raise LayoutError.single(
                source, f"{path}.properties", "expected an object (or null) of properties"
            )
        props = dict(raw or {})
        props["_feature_id"] = feature.get("id")
        try:
            geometry = geometry_from(feature.get("geometry"))
        except ValueError as exc:
            raise LayoutError.single(source, f"{path}.geometry", str(exc)) from None
        off = _off_the_globe(geometry)
        if off:
            raise LayoutError.single(source, f"{path}.geometry", off)
        out.append((path, props, geometry))
    return out


def _off_the_globe(geometry: BaseGeometry) -> str | None:
    """Why a feature's coordinates are not WGS84 longitude/latitude in degrees, or None.

    IMDF places features by longitude and latitude; a coordinate beyond ±180 / ±90 (or not a
    finite number) would put the projection centre, and every distance, out of range.
    """
    coordinates = shapely.get_coordinates(geometry)
    if not coordinates.size:
        return None
    lon, lat = coordinates[:, 0], coordinates[:, 1]
    if not (np.isfinite(coordinates).all() and (abs(lon) <= 180).all() and (abs(lat) <= 90).all()):
        return "coordinates must be longitude and latitude in degrees (within ±180 and ±90)"
    return None
