"""The walking network: where people can walk on a floor and how far it is.

Nodes sit at opening midpoints and points of interest. Inside each space, people keep a body
radius from the walls: the space's polygon is shrunk by that radius and two nodes are joined when
the straight segment between them stays inside the shrunk polygon; otherwise the path bends
around the reflex corners of the shrunk polygon (a visibility graph), so L-shaped rooms and
columns are respected. An opening is crossed at right angles to the wall: its midpoint joins the
nearest point of the shrunk polygon on each side.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points

from sim.errors import Problem, RoutingError
from sim.layout.floor import Floor, Space

if TYPE_CHECKING:
    import networkx as nx

Audience = Literal["client", "staff"]
EdgeKey = tuple[str, str]
"""An edge of the walking network: its two node keys in sorted order."""

BODY_RADIUS = 0.2
"""Metres kept between a walker's centre and walls (JuPedSim's default radius)."""

_EPS = 1e-6
_AUDIENCES = ("client", "staff")


def poi_node(point_id: str) -> str:
    """Node key of a point of interest."""
    return f"poi:{point_id}"


def door_node(opening_id: str) -> str:
    """Node key of an opening's midpoint (count traffic through a door on this node)."""
    return f"door:{opening_id}"


def edge_key(u: str, v: str) -> EdgeKey:
    """The canonical key of the edge between two nodes."""
    return (u, v) if u <= v else (v, u)


@dataclass(frozen=True)
class _SpaceNodes:
    keys: list[str] = field(default_factory=list)
    xy: list[tuple[float, float]] = field(default_factory=list)


class WalkNetwork:
    """A floor's walking graph with access control per audience.

    Clients use only edges inside public spaces; staff may walk anywhere. Distances are metres
    along the network; ``path`` gives the polyline for animation and ``path_edges`` the edge keys
    for counting traffic.
    """

    def __init__(self, floor: Floor, graph: nx.Graph, body_radius: float):
        self.floor = floor
        self.graph = graph
        self.body_radius = body_radius

    def __repr__(self) -> str:
        return (
            f"WalkNetwork({self.floor.name!r}, nodes={self.graph.number_of_nodes()}, "
            f"edges={self.graph.number_of_edges()})"
        )

    def weight(self, audience: Audience) -> Callable[[str, str, dict[str, object]], float | None]:
        """A networkx weight function that hides staff-only edges from clients."""
        _check_audience(audience)
        if audience == "staff":
            return lambda u, v, data: float(data["weight"])  # type: ignore[arg-type]
        return lambda u, v, data: (
            float(data["weight"]) if data["access"] == "public" else None  # type: ignore[arg-type]
        )

    def _nodes(self, a: str, b: str) -> tuple[str, str]:
        for item in (a, b):
            if not self.floor.has_point(item):
                from sim.spelling import did_you_mean

                hint = did_you_mean(item, [p.id for p in self.floor.points])
                raise RoutingError.single(
                    self.floor.name, item, f"no point of interest {item!r} on the floor{hint}"
                )
        return poi_node(a), poi_node(b)

    def _shortest(self, a: str, b: str, audience: Audience) -> tuple[float, list[str]]:
        import networkx as nx

        source, target = self._nodes(a, b)
        try:
            length, nodes = nx.single_source_dijkstra(
                self.graph, source, target, weight=self.weight(audience)
            )
        except nx.NetworkXNoPath:
            raise no_route(self.floor, a, b, audience) from None
        return float(length), list(nodes)

    def distance(self, a: str, b: str, audience: Audience = "staff") -> float:
        """Walking distance in metres between two points of interest."""
        return self._shortest(a, b, audience)[0]

    def path_nodes(self, a: str, b: str, audience: Audience = "staff") -> list[str]:
        """Node keys along the shortest walk from ``a`` to ``b``."""
        return self._shortest(a, b, audience)[1]

    def path(self, a: str, b: str, audience: Audience = "staff") -> list[tuple[float, float]]:
        """The shortest walk as a polyline of (x, y) in metres."""
        return [self.position(n) for n in self.path_nodes(a, b, audience)]

    def path_edges(self, a: str, b: str, audience: Audience = "staff") -> list[EdgeKey]:
        """Edge keys along the shortest walk (for counting traffic per edge)."""
        nodes = self.path_nodes(a, b, audience)
        return [edge_key(u, v) for u, v in itertools.pairwise(nodes)]

    def position(self, node: str) -> tuple[float, float]:
        """Coordinates of a node."""
        x, y = self.graph.nodes[node]["xy"]
        return (float(x), float(y))

    def edge_segment(self, key: EdgeKey) -> tuple[tuple[float, float], tuple[float, float]]:
        """The two end points of an edge, for drawing."""
        return self.position(key[0]), self.position(key[1])

    def edges(self) -> Iterator[EdgeKey]:
        """All edge keys."""
        for u, v in self.graph.edges:
            yield edge_key(u, v)


def no_route(floor: Floor, a: str, b: str, audience: Audience) -> RoutingError:
    """The error for two points with no walking route between them, naming their spaces."""
    pa, pb = floor.point(a), floor.point(b)
    staff = [p for p in (pa, pb) if not floor.space(p.space).is_public]
    why = ""
    if audience == "client" and staff:
        why = f"; {staff[0].id!r} is in staff-only space {staff[0].space!r}"
    message = (
        f"no {audience} walking route from {a!r} (space {pa.space!r}) to {b!r} "
        f"(space {pb.space!r}){why}"
    )
    return RoutingError([Problem(floor.name, f"{a}->{b}", message)])


def _check_audience(audience: str) -> None:
    if audience not in _AUDIENCES:
        raise ValueError(f"audience must be 'client' or 'staff', got {audience!r}")


def build_walk_network(floor: Floor, *, body_radius: float = BODY_RADIUS) -> WalkNetwork:
    """Build the walking graph of a (validated) floor."""
    if body_radius < 0:
        raise ValueError(f"body_radius must be zero or more, got {body_radius!r}")
    import networkx as nx  # on first use: a scenario without a floor plan never loads it

    graph = nx.Graph()
    for opening in floor.openings:
        mid = opening.midpoint
        graph.add_node(door_node(opening.id), xy=(mid.x, mid.y), space=None, kind="door")
    openings_by_space: dict[str, list[str]] = {}
    for opening in floor.openings:
        for s in opening.spaces:
            if s is not None:
                openings_by_space.setdefault(s, []).append(opening.id)
    points_by_space: dict[str, list[str]] = {}
    for poi in floor.points:
        points_by_space.setdefault(poi.space, []).append(poi.id)
    for space in floor.spaces:
        _add_space(
            graph,
            floor,
            space,
            openings_by_space.get(space.id, []),
            points_by_space.get(space.id, []),
            body_radius,
        )
    return WalkNetwork(floor, graph, body_radius)


def _walk_region(polygon: Polygon, radius: float) -> BaseGeometry:
    if radius <= 0:
        return polygon
    shrunk = polygon.buffer(-radius, join_style="mitre", mitre_limit=10.0)
    if shrunk.is_empty:
        shrunk = polygon.buffer(-min(radius, 0.01), join_style="mitre")
    return shrunk if not shrunk.is_empty else polygon


def _reflex_corners(region: BaseGeometry) -> list[tuple[float, float]]:
    corners = []
    for part in getattr(region, "geoms", [region]):
        if not isinstance(part, Polygon):
            continue
        oriented = orient(part, 1.0)
        for ring in (oriented.exterior, *oriented.interiors):
            coords = np.asarray(ring.coords)[:-1, :2]
            if len(coords) < 3:
                continue
            prev = np.roll(coords, 1, axis=0)
            nxt = np.roll(coords, -1, axis=0)
            a, b = coords - prev, nxt - coords
            cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
            corners += [(float(x), float(y)) for x, y in coords[cross < -1e-9]]
    return corners


def _is_convex(region: BaseGeometry) -> bool:
    if not isinstance(region, Polygon) or region.interiors:
        return False
    hull = region.convex_hull
    return bool(hull.area - region.area <= 1e-9 * max(hull.area, 1.0))


def _add_space(
    graph: nx.Graph,
    floor: Floor,
    space: Space,
    opening_ids: list[str],
    point_ids: list[str],
    radius: float,
) -> None:
    region = _walk_region(space.polygon, radius)
    shapely.prepare(region)
    attrs = {"space": space.id, "access": space.access}
    inner = _SpaceNodes()

    def attach(key: str, xy: tuple[float, float]) -> None:
        """Join ``key`` to the walk region: directly if inside, else via its nearest point."""
        pt = Point(xy)
        if region.covers(pt) or region.distance(pt) < _EPS:
            inner.keys.append(key)
            inner.xy.append(xy)
            return
        near = nearest_points(region, pt)[0]
        approach = f"{key}@{space.id}"
        graph.add_node(approach, xy=(near.x, near.y), space=space.id, kind="approach")
        graph.add_edge(key, approach, weight=float(pt.distance(near)), **attrs)
        inner.keys.append(approach)
        inner.xy.append((near.x, near.y))

    for oid in opening_ids:
        attach(door_node(oid), graph.nodes[door_node(oid)]["xy"])
    for pid in point_ids:
        poi = floor.point(pid)
        graph.add_node(poi_node(pid), xy=poi.xy, space=space.id, kind=poi.kind)
        attach(poi_node(pid), poi.xy)
    convex = _is_convex(region)
    if not convex:
        for k, xy in enumerate(_reflex_corners(region)):
            key = f"corner:{space.id}#{k}"
            graph.add_node(key, xy=xy, space=space.id, kind="corner")
            inner.keys.append(key)
            inner.xy.append(xy)
    _connect_visible(graph, inner, region, convex, attrs)


def _connect_visible(
    graph: nx.Graph,
    nodes: _SpaceNodes,
    region: BaseGeometry,
    convex: bool,
    attrs: dict[str, str],
) -> None:
    n = len(nodes.keys)
    if n < 2:
        return
    xy = np.asarray(nodes.xy, dtype=float)
    i, j = np.triu_indices(n, k=1)
    if not convex:
        segments = shapely.linestrings(np.stack([xy[i], xy[j]], axis=1))
        tolerant = region.buffer(_EPS)
        shapely.prepare(tolerant)
        visible = shapely.covers(tolerant, segments)
        i, j = i[visible], j[visible]
    lengths = np.hypot(*(xy[i] - xy[j]).T)
    keys = nodes.keys
    graph.add_edges_from(
        (keys[a], keys[b], {"weight": float(w), **attrs})
        for a, b, w in zip(i.tolist(), j.tolist(), lengths.tolist(), strict=True)
        if keys[a] != keys[b]
    )
