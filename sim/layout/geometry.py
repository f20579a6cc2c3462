"""Geometry helpers shared by the loaders and validation: walls, door placement, adjacency.

Plans drawn by people have walls with thickness and doors a few centimetres off the line; these
helpers turn such drawings into the exact relations the model needs, within a stated tolerance.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

WALL_TOLERANCE = 0.35
"""Metres: how far an opening may sit from a space's boundary and still join it (wall thickness)."""


def as_polygon(geometry: BaseGeometry) -> Polygon | None:
    """The largest polygon in ``geometry`` after repair, or None if it has no area."""
    if geometry.is_empty:
        return None
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    parts = [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)]
    parts += [
        p for g in getattr(geometry, "geoms", []) if isinstance(g, MultiPolygon) for p in g.geoms
    ]
    parts = [p for p in parts if p.area > 0]
    if not parts:
        return None
    return max(parts, key=lambda p: p.area)


def nearest_wall_direction(polygon: Polygon, point: Point) -> tuple[Point, tuple[float, float]]:
    """The point on ``polygon``'s boundary nearest ``point`` and the unit direction of that wall."""
    best: tuple[float, Point, tuple[float, float]] | None = None
    for ring in (polygon.exterior, *polygon.interiors):
        coords = list(ring.coords)
        for (x0, y0), (x1, y1) in itertools.pairwise(coords):
            segment = LineString([(x0, y0), (x1, y1)])
            if segment.length == 0:
                continue
            d = segment.distance(point)
            if best is None or d < best[0] - 1e-12:
                on = segment.interpolate(segment.project(point))
                length = segment.length
                best = (d, on, ((x1 - x0) / length, (y1 - y0) / length))
    if best is None:
        raise ValueError("polygon has no walls")
    return best[1], best[2]


def door_on_wall(polygons: Sequence[Polygon], at: Point, width: float) -> LineString:
    """A door of ``width`` centred where ``at`` projects onto the nearest wall of ``polygons``."""
    candidates = [nearest_wall_direction(p, at) for p in polygons if not p.is_empty]
    on, (dx, dy) = min(candidates, key=lambda c: c[0].distance(at))
    half = width / 2.0
    return LineString([(on.x - dx * half, on.y - dy * half), (on.x + dx * half, on.y + dy * half)])


def adjacent_space_indices(
    line: LineString, polygons: Sequence[Polygon], tolerance: float = WALL_TOLERANCE
) -> list[int]:
    """Indices of the (at most two) polygons an opening joins, best match first.

    Each polygon is scored by how much of the opening's wall band (the line buffered by the
    tolerance, flat-ended) it covers; polygons touching the band only at a corner are ignored.
    """
    band = line.buffer(tolerance, cap_style="flat") if line.length > 0 else line.buffer(tolerance)
    full = band.area
    scored: list[tuple[float, int]] = []
    for index, polygon in enumerate(polygons):
        if not polygon.is_valid or not polygon.intersects(band):
            continue
        share = polygon.intersection(band).area / full if full > 0 else 0.0
        if share > 0.1:
            scored.append((share, index))
    scored.sort(reverse=True)
    return [i for _, i in scored[:2]]


def looks_like_degrees(bounds: tuple[float, float, float, float]) -> bool:
    """True when coordinates look like longitude/latitude rather than metres of a floor."""
    minx, miny, maxx, maxy = bounds
    in_range = -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    tiny = (maxx - minx) < 0.05 and (maxy - miny) < 0.05
    return in_range and tiny and (abs(minx) > 0.05 or abs(miny) > 0.05 or maxx - minx < 0.01)


def fmt_xy(point: Point | tuple[float, float]) -> str:
    """Coordinates for messages: ``(12.30, 4.00)``."""
    x, y = (point.x, point.y) if isinstance(point, Point) else point
    return f"({x:.2f}, {y:.2f})"


COORDINATE_BOUND = 1e9
"""Largest coordinate accepted, in any unit: a millimetre plan of a 1,000 km site fits."""


def coordinates_problem(geometry: BaseGeometry) -> str | None:
    """Why ``geometry``'s coordinates are unusable (none, not finite, or absurdly large), or None.

    Geometry libraries accept NaN, infinity and 1e308 and then fail deep inside a spatial
    query (or overflow an area to infinity), so plans are checked before anything is built.
    """
    if geometry.is_empty:
        return "the geometry is empty (it has no coordinates)"
    coordinates = shapely.get_coordinates(geometry)
    if not np.isfinite(coordinates).all():
        return "coordinates must be finite numbers (found NaN or infinity)"
    largest = float(np.abs(coordinates).max()) if coordinates.size else 0.0
    if largest > COORDINATE_BOUND:
        return (
            f"a coordinate is {largest:.3g} units from the origin, beyond "
            f"±{COORDINATE_BOUND:.0e}; move the plan near the origin or use a smaller unit"
        )
    return None
