"""Drawing a floor for people: coloured spaces, doors, desks, seats, a scale bar, traffic heat.

Colours come from Paul Tol's colour-blind-safe "light" scheme; staff-only spaces are hatched so
access stays readable in greyscale. Uses matplotlib's object API (no pyplot, no GUI backend).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import Point, Polygon
from shapely.ops import polylabel, unary_union

from sim.layout.floor import Floor
from sim.layout.geometry import as_polygon
from sim.layout.network import EdgeKey, WalkNetwork

CATEGORY_COLOURS: dict[str, str] = {
    "entrance": "#77AADD",
    "lobby": "#99DDFF",
    "reception": "#EE8866",
    "waiting": "#EEDD88",
    "service": "#FFAABB",
    "office": "#44BB99",
    "open_plan": "#BBCC33",
    "back_office": "#AAAA00",
    "meeting": "#DDCCEE",
    "server_room": "#BBBBBB",
    "corridor": "#F2F2F2",
    "storage": "#CCCCCC",
    "restroom": "#DDDDDD",
}
OTHER_COLOUR = "#FFFFFF"
WALL = "#333333"
DOOR = "#CC3311"
MARKERS: dict[str, tuple[str, str, float, str]] = {
    "desk": ("s", "#004488", 7.0, "desk"),
    "counter": ("D", "#882255", 7.0, "counter"),
    "seat": ("o", "#555555", 4.5, "seat"),
    "entrance": ("^", "#117733", 11.0, "entrance"),
    "exit": ("v", "#CC3311", 11.0, "exit"),
    "stairs": ("P", "#EE7733", 10.0, "stairs"),
    "lift": ("X", "#009988", 10.0, "lift"),
}


def _polygon_path(polygon: Polygon) -> MplPath:
    rings = [polygon.exterior, *polygon.interiors]
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for ring in rings:
        xy = np.asarray(ring.coords)[:, :2]
        ring_codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
        ring_codes[0] = MplPath.MOVETO
        ring_codes[-1] = MplPath.CLOSEPOLY
        vertices.append(xy)
        codes.append(ring_codes)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _label_spot(floor: Floor, space_id: str) -> Point:
    """A point well inside the space and away from its desks and seats, for its name."""
    polygon = floor.space(space_id).polygon
    markers = [p.point.buffer(0.7) for p in floor.points_in(space_id)]
    markers += [o.geometry.buffer(0.6) for o in floor.openings_of(space_id)]
    free = polygon.difference(unary_union(markers)) if markers else polygon
    candidate = as_polygon(free)
    if candidate is None:
        return polygon.representative_point()
    return polylabel(candidate, tolerance=0.05)


def _nice_length(span: float) -> float:
    target = span / 5.0
    for value in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if value >= target:
            return float(value)
    return 1000.0


def _scale_bar(ax: Axes, floor: Floor) -> None:
    minx, miny, maxx, maxy = floor.bounds
    length = _nice_length(maxx - minx)
    y = miny - 0.06 * (maxy - miny) - 0.5
    ax.plot([minx, minx + length], [y, y], color="black", linewidth=3, solid_capstyle="butt")
    for x in (minx, minx + length):
        ax.plot([x, x], [y - 0.15, y + 0.15], color="black", linewidth=1)
    ax.text(minx + length / 2, y - 0.25, f"{length:g} m", ha="center", va="top", fontsize=8)


def _draw_openings(ax: Axes, floor: Floor) -> None:
    """Draw every door as a gap in the wall (white) with the door on it: all gaps as one line
    and all doors as another, broken between openings (the same picture as a line each)."""
    if not floor.openings:
        return
    xs: list[float] = []
    ys: list[float] = []
    for opening in floor.openings:
        x, y = opening.geometry.xy
        xs.extend([*x, math.nan])
        ys.extend([*y, math.nan])
    ax.plot(xs, ys, color="white", linewidth=5, solid_capstyle="butt", zorder=2)
    ax.plot(xs, ys, color=DOOR, linewidth=1.6, solid_capstyle="butt", zorder=3)


def _draw_points(ax: Axes, floor: Floor) -> set[str]:
    """Mark the floor's points, one line of markers per kind (a line per point would cost a
    plot call and a drawn line each); return the kinds drawn."""
    by_kind: dict[str, tuple[list[float], list[float]]] = {}
    for poi in floor.points:
        xs, ys = by_kind.setdefault(poi.kind, ([], []))
        xs.append(poi.point.x)
        ys.append(poi.point.y)
    for kind, (xs, ys) in by_kind.items():
        marker, colour, size, _ = MARKERS[kind]
        ax.plot(
            xs,
            ys,
            linestyle="none",
            marker=marker,
            color=colour,
            markersize=size,
            markeredgecolor="white",
            markeredgewidth=0.6,
            zorder=6,
        )
    return set(by_kind)


def draw_floor(
    floor: Floor,
    ax: Axes | None = None,
    *,
    network: WalkNetwork | None = None,
    traffic: Mapping[EdgeKey, float] | None = None,
    title: str | None = None,
    labels: bool = True,
    point_labels: bool = True,
) -> Axes:
    """Draw ``floor`` on ``ax`` (a new figure if None) and return the axes.

    ``network`` overlays the walking graph; ``traffic`` (edge key -> count, needs ``network``)
    colours and thickens edges by use, with a colour bar. Names are drawn as written: a ``$``
    in a space name is text, never the start of a formula.
    """
    with matplotlib.rc_context({"text.parse_math": False}):
        return _draw_floor(floor, ax, network, traffic, title, labels, point_labels)


def _draw_floor(
    floor: Floor,
    ax: Axes | None,
    network: WalkNetwork | None,
    traffic: Mapping[EdgeKey, float] | None,
    title: str | None,
    labels: bool,
    point_labels: bool,
) -> Axes:
    if ax is None:
        minx, miny, maxx, maxy = floor.bounds
        aspect = (maxy - miny + 2) / max(maxx - minx, 1e-9)
        width = 11.0
        fig = Figure(figsize=(width, min(max(width * aspect * 0.85, 4.0), 14.0)), dpi=110)
        ax = fig.add_subplot(1, 1, 1)
    present: dict[str, str] = {}
    for space in floor.spaces:
        colour = CATEGORY_COLOURS.get(space.category, OTHER_COLOUR)
        present.setdefault(space.category, colour)
        staff = space.access == "staff"
        patch = PathPatch(
            _polygon_path(space.polygon),
            facecolor=colour,
            edgecolor=WALL,
            linewidth=1.4,
            hatch="///" if staff else None,
            zorder=1,
        )
        if staff:
            patch.set_edgecolor(WALL)
        ax.add_patch(patch)
    _draw_openings(ax, floor)
    if network is not None:
        _draw_network(ax, network, traffic)
    seen_kinds = _draw_points(ax, floor)
    for poi in floor.points:
        if point_labels and poi.kind in ("desk", "counter"):
            ax.annotate(
                poi.id,
                (poi.point.x, poi.point.y),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=7,
                color=MARKERS[poi.kind][1],
                fontweight="bold",
                zorder=7,
            )
    if labels:
        for space in floor.spaces:
            spot = _label_spot(floor, space.id)
            ax.text(
                spot.x,
                spot.y,
                space.name,
                ha="center",
                va="center",
                fontsize=8,
                color="#222222",
                zorder=8,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
            )
    _legend(ax, present, seen_kinds, any(s.access == "staff" for s in floor.spaces))
    _scale_bar(ax, floor)
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.set_axis_off()
    ax.set_title(title if title is not None else floor.name, fontsize=12)
    return ax


def _draw_network(ax: Axes, network: WalkNetwork, traffic: Mapping[EdgeKey, float] | None) -> None:
    segments = [network.edge_segment(k) for k in network.edges()]
    ax.add_collection(
        LineCollection(segments, colors="#666666", linewidths=0.4, alpha=0.5, zorder=4)
    )
    if not traffic:
        return
    used = [(k, float(c)) for k, c in traffic.items() if c > 0 and network.graph.has_edge(*k)]
    if not used:
        return
    counts = np.array([c for _, c in used])
    norm = Normalize(vmin=0.0, vmax=float(counts.max()))
    widths = 1.0 + 5.0 * counts / counts.max()
    heat = LineCollection(
        [network.edge_segment(k) for k, _ in used],
        array=counts,
        cmap="viridis",
        norm=norm,
        linewidths=widths,
        capstyle="round",
        zorder=5,
    )
    ax.add_collection(heat)
    figure = ax.get_figure()
    if figure is not None:
        figure.colorbar(
            heat, ax=ax, location="bottom", shrink=0.5, pad=0.02, label="walks per edge"
        )


def _legend(ax: Axes, categories: Mapping[str, str], kinds: set[str], staff: bool) -> None:
    handles: list[Any] = [
        Patch(facecolor=colour, edgecolor=WALL, label=category.replace("_", " "))
        for category, colour in categories.items()
    ]
    if staff:
        handles.append(Patch(facecolor="white", edgecolor=WALL, hatch="///", label="staff only"))
    handles.append(Line2D([], [], color=DOOR, linewidth=2, label="door / opening"))
    for kind in MARKERS:
        if kind in kinds:
            marker, colour, size, label = MARKERS[kind]
            handles.append(
                Line2D(
                    [], [], marker=marker, color=colour, linestyle="", markersize=size, label=label
                )
            )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
    )


def save_floor_image(floor: Floor, path: str | Path, **kwargs: Any) -> Path:
    """Draw ``floor`` and save it as PNG or SVG (by suffix); returns the path."""
    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ValueError(f"image path must end in .png, .svg or .pdf, got {target.name!r}")
    ax = draw_floor(floor, **kwargs)
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    figure.savefig(target, bbox_inches="tight", dpi=150)
    return target
