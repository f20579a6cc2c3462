"""DXF drawings via ezdxf (optional extra ``officesim[dxf]``), mapped by layer names.

Closed polylines and hatches on space layers become spaces; TEXT/MTEXT inside a space names it;
LINEs or block INSERTs on a door layer become openings (snapped onto the nearest wall); POINTs or
INSERTs on desk, counter, seat, entrance, exit, stairs and lift layers become points of interest
(a stairs or lift point is where that core stops on the floor). Drafting
offices name layers differently, so the layer map is editable: a ``<plan>.layers.yaml`` (or
``.json``) sidecar next to the drawing, or an explicit file, extends the default map.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from shapely import STRtree, affinity
from shapely.geometry import LineString, Point, shape

from sim.errors import LayoutError, Problem
from sim.layout.build import RawOpening, RawPoint, assemble_floor, auto_id
from sim.layout.floor import (
    ACCESS_LEVELS,
    KNOWN_CATEGORIES,
    Access,
    Floor,
    PointKind,
    Space,
    default_access,
)
from sim.layout.formats.common import ProblemList, parse_json, parse_yaml, read_text
from sim.layout.geometry import as_polygon, nearest_wall_direction
from sim.limits import PLAN_BYTES, PLAN_POINTS

POINT_LAYERS: dict[str, PointKind] = {
    "desks": "desk",
    "counters": "counter",
    "seats": "seat",
    "entrances": "entrance",
    "exits": "exit",
    "stairs": "stairs",
    "lifts": "lift",
}
ID_TAGS = ("ID", "NAME", "TAG", "NUMBER")

DEFAULT_LAYER_MAP: dict[str, Any] = {
    "spaces": {
        **{f"SPACE-{c.upper()}": c for c in sorted(KNOWN_CATEGORIES)},
        **{f"A-AREA-{c.upper()}": c for c in sorted(KNOWN_CATEGORIES)},
    },
    "doors": ["DOOR", "DOORS", "A-DOOR"],
    "desks": ["DESK", "DESKS", "A-FURN-DESK"],
    "counters": ["COUNTER", "COUNTERS"],
    "seats": ["SEAT", "SEATS", "A-FURN-SEAT"],
    "entrances": ["ENTRANCE", "ENTRANCES"],
    "exits": ["EXIT", "EXITS"],
    "stairs": ["STAIRS", "STAIR", "A-FLOR-STRS"],
    "lifts": ["LIFT", "LIFTS", "ELEVATOR", "ELEVATORS", "A-FLOR-EVTR"],
}


def load_layer_map(path: Path | None, plan: Path) -> dict[str, Any]:
    """The default layer map extended by a sidecar or explicit YAML/JSON file."""
    layer_map: dict[str, Any] = {
        k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in DEFAULT_LAYER_MAP.items()
    }
    candidates = (
        [path]
        if path is not None
        else [
            plan.with_suffix(".layers.yaml"),
            plan.with_suffix(".layers.yml"),
            plan.with_suffix(".layers.json"),
        ]
    )
    for candidate in candidates:
        if candidate is None or (path is None and not candidate.exists()):
            continue
        text = read_text(candidate)
        data = (
            parse_json(text, str(candidate))
            if candidate.suffix == ".json"
            else parse_yaml(text, str(candidate))
        )
        if not isinstance(data, Mapping):
            raise LayoutError.single(str(candidate), "", "expected a mapping of layer sections")
        for key, value in data.items():
            if key not in DEFAULT_LAYER_MAP:
                raise LayoutError.single(
                    str(candidate),
                    str(key),
                    f"unknown section; expected one of {', '.join(DEFAULT_LAYER_MAP)}",
                )
            if key == "spaces":
                if not isinstance(value, Mapping):
                    raise LayoutError.single(str(candidate), key, "expected layer: category")
                layer_map["spaces"].update(value)
            else:
                layer_map[key] = [str(v) for v in (value if isinstance(value, list) else [value])]
        break
    return layer_map


def _match(layer: str, patterns: Any) -> str | None:
    for pattern in patterns:
        if fnmatch.fnmatchcase(layer.upper(), str(pattern).upper()):
            return str(pattern)
    return None


def read_dxf(
    path: Path, *, layer_map: Path | None = None, layer_prefix: str = ""
) -> tuple[Floor, list[Problem]]:
    """Read a DXF plan into a floor and the problems found.

    With ``layer_prefix`` (one drawing holding every floor, e.g. layers ``L1-SPACE-OFFICE``,
    ``L1-DOOR``), only entities on layers starting with it are read, and the prefix is removed
    before the layer map applies.
    """
    doc = _open_drawing(path)
    reader = _DrawingReader(doc, load_layer_map(layer_map, path), str(path), layer_prefix)
    spaces = reader.spaces()
    openings = reader.doors([s.polygon for s in spaces])
    points = reader.points()
    floor, more = assemble_floor(path.stem, spaces, openings, points, reader.source)
    return floor, [*reader.problems, *more]


def _open_drawing(path: Path) -> Any:
    """The ezdxf document of ``path``, after the checks that keep a bad file from reaching it."""
    source = str(path)
    try:
        import ezdxf
    except ImportError:
        raise LayoutError.single(
            source, "", "reading DXF needs ezdxf: pip install 'officesim[dxf]'"
        ) from None
    if not path.exists():
        raise LayoutError.single(source, "", "file not found")
    if not path.is_file():
        raise LayoutError.single(source, "", "is not a regular file; expected a DXF drawing")
    if PLAN_BYTES.exceeded(path.stat().st_size):
        raise LayoutError.single(source, "", f"file of {PLAN_BYTES.message(path.stat().st_size)}")
    try:
        return ezdxf.readfile(path)
    except Exception as exc:  # ezdxf raises IOError or DXFStructureError for bad files
        raise LayoutError.single(source, "", f"not a readable DXF file: {exc}") from None


class _DrawingReader:
    """Spaces, doors and points of one drawing's model space, scaled to metres."""

    def __init__(self, doc: Any, mapping: Mapping[str, Any], source: str, prefix: str = ""):
        from ezdxf import units as ezunits

        units: Any = ezunits
        self.scale = float(units.conversion_factor(doc.units, units.M)) if doc.units else 1.0
        self.msp: Any = doc.modelspace()
        self.mapping = mapping
        self.source = source
        self.prefix = prefix.upper()
        self.problems = ProblemList(source)
        self.texts = [
            (self._point(e.dxf.insert), e.plain_text().strip(), self._layer(e))
            for e in self._query("TEXT MTEXT")
        ]

    def _query(self, types: str) -> list[Any]:
        """Entities of ``types`` on the layers read (all, or those with the level's prefix)."""
        found = self.msp.query(types)
        if not self.prefix:
            return list(found)
        return [e for e in found if str(e.dxf.layer).upper().startswith(self.prefix)]

    def _layer(self, entity: Any) -> str:
        """The entity's layer name without the level prefix."""
        return str(entity.dxf.layer)[len(self.prefix) :]

    def _point(self, vec: Any) -> Point:
        return Point(vec.x * self.scale, vec.y * self.scale)

    def _scaled(self, geometry: Any) -> Any:
        return affinity.scale(geometry, self.scale, self.scale, origin=(0, 0))

    @staticmethod
    def _where(entity: Any) -> str:
        return f"{entity.dxftype()}#{entity.dxf.handle}@{entity.dxf.layer}"

    def spaces(self) -> list[Space]:
        """Closed outlines on space layers, named by the text inside them."""
        spaces: list[Space] = []
        for entity in self._query("LWPOLYLINE POLYLINE HATCH"):
            spec = _space_spec(self._layer(entity), self.mapping["spaces"])
            if spec is None:
                continue
            polygon = self._outline(entity)
            if polygon is None:
                continue
            category, access = spec
            name = next((t for p, t, _ in self.texts if t and polygon.contains(p)), "")
            space_id = _slug(name) or auto_id(category, len(spaces) + 1)
            if any(s.id == space_id for s in spaces):
                space_id = f"{space_id}_{len(spaces) + 1}"
            spaces.append(
                Space(space_id, name or space_id, category, access, polygon, {"dxf_layer": spec})
            )
        return spaces

    def _outline(self, entity: Any) -> Any:
        """The entity's polygon in metres, or None (with a problem) when it has none."""
        from ezdxf.addons import geo

        where = self._where(entity)
        if entity.dxftype() != "HATCH" and not entity.is_closed:
            self.problems.add(where, "space outline is not a closed polyline")
            return None
        try:
            shaped = shape(geo.proxy(cast(Any, entity)).__geo_interface__)
        except Exception as exc:  # geo.proxy raises on unsupported or degenerate entities
            self.problems.add(where, f"cannot read outline: {exc}")
            return None
        polygon = as_polygon(self._scaled(shaped))
        if polygon is None:
            self.problems.add(where, "space outline has no area")
        return polygon

    def doors(self, polygons: list[Any]) -> list[RawOpening]:
        """Lines and blocks on door layers (a block becomes a line along the nearest wall)."""
        from ezdxf.bbox import extents

        openings: list[RawOpening] = []
        for entity in self._query("LINE INSERT"):
            if _match(self._layer(entity), self.mapping["doors"]) is None:
                continue
            where = self._where(entity)
            if entity.dxftype() == "LINE":
                start, end = entity.dxf.start, entity.dxf.end
                line = self._scaled(LineString([(start.x, start.y), (end.x, end.y)]))
            else:
                box = extents([entity])
                if not box.has_data or not polygons:
                    self.problems.add(where, "door block has no geometry or no space to sit in")
                    continue
                line = _door_from_box(polygons, self._point(box.extmin), self._point(box.extmax))
            door_id = _entity_id(entity) or auto_id("door", len(openings) + 1)
            openings.append(RawOpening(door_id, line, None, where))
        return openings

    def points(self) -> list[RawPoint]:
        """Points and blocks on point layers (desks, counters, entrance...), labelled by their
        id attribute or the nearest text on their layer."""
        points: list[RawPoint] = []
        labels = _TextIndex(self.texts)
        per_kind: dict[str, int] = {}
        for entity in self._query("POINT INSERT"):
            layer = self._layer(entity)
            kind = next(
                (k for s, k in POINT_LAYERS.items() if _match(layer, self.mapping[s])), None
            )
            if kind is None:
                continue
            loc = entity.dxf.location if entity.dxftype() == "POINT" else entity.dxf.insert
            point = self._point(loc)
            label = _entity_id(entity) or labels.nearest(point, layer, 1.0)
            per_kind[kind] = per_kind.get(kind, 0) + 1
            point_id = label or auto_id(kind, per_kind[kind])
            points.append(RawPoint(point_id, kind, point, None, self._where(entity)))
            if PLAN_POINTS.exceeded(len(points)):
                raise LayoutError.single(self.source, "", PLAN_POINTS.message(len(points)))
        return points


def _space_spec(layer: str, spaces: Mapping[str, Any]) -> tuple[str, Access] | None:
    pattern = _match(layer, spaces)
    if pattern is None:
        return None
    value = spaces[pattern]
    if isinstance(value, Mapping):
        category = str(value.get("category") or "office")
        access = value.get("access") or default_access(category)
        if access not in ACCESS_LEVELS:
            access = default_access(category)
        return category, cast(Access, access)
    category = str(value)
    return category, default_access(category)


def _door_from_box(polygons: list[Any], low: Point, high: Point) -> LineString:
    centre = Point((low.x + high.x) / 2, (low.y + high.y) / 2)
    candidates = [nearest_wall_direction(p, centre) for p in polygons]
    on, (dx, dy) = min(candidates, key=lambda c: c[0].distance(centre))
    corners = [(low.x, low.y), (low.x, high.y), (high.x, low.y), (high.x, high.y)]
    along = [(x - on.x) * dx + (y - on.y) * dy for x, y in corners]
    lo, hi = min(along), max(along)
    return LineString([(on.x + dx * lo, on.y + dy * lo), (on.x + dx * hi, on.y + dy * hi)])


def _entity_id(entity: Any) -> str | None:
    if entity.dxftype() != "INSERT":
        return None
    for attrib in entity.attribs:
        if attrib.dxf.tag.upper() in ID_TAGS and attrib.dxf.text.strip():
            return str(attrib.dxf.text.strip())
    return None


class _TextIndex:
    """Texts per layer in a spatial index, so labelling n points costs n log n, not n x texts."""

    def __init__(self, texts: list[tuple[Point, str, str]]):
        by_layer: dict[str, list[tuple[Point, str]]] = {}
        for point, text, layer in texts:
            if text:
                by_layer.setdefault(layer, []).append((point, text))
        self._layers = {
            layer: (STRtree([p for p, _ in items]), items) for layer, items in by_layer.items()
        }

    def nearest(self, point: Point, layer: str, radius: float) -> str | None:
        """The text on ``layer`` nearest ``point`` within ``radius`` (ties: smallest text)."""
        if layer not in self._layers:
            return None
        tree, items = self._layers[layer]
        near = [
            (items[i][0].distance(point), items[i][1])
            for i in tree.query(point, predicate="dwithin", distance=radius)
        ]
        return min(near)[1] if near else None


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
