"""Walking across floors: one network over every level, joined by stairs and lifts.

Each level's walking network keeps its node keys prefixed by the level id (``"2/poi:desk7"``).
A stair core joins consecutive levels with an edge as long as the flight along its incline,
walked at a stair speed; a lift joins every pair of levels it serves with an edge that takes
a door time at each end and a travel time per level (no waiting: waiting for a car is
simulated by the engine). ``BuildingTravel`` holds seconds and metres between chosen points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from sim.errors import RoutingError
from sim.layout.building import Building, Connector
from sim.layout.network import door_node, poi_node
from sim.layout.travel import WALKING_SPEED, walk_network

VerticalMode = Literal["fastest", "lift", "stairs"]

STAIR_SPEED = 0.92
"""m/s along the incline of a stair at low density (SFPE: 0.85 x k, k = 1.08 for 7/11 stairs)."""

STAIR_INCLINE = math.hypot(7.0, 11.0) / 7.0
"""Metres of incline per metre of rise on a stair with 7 in risers and 11 in treads."""

STAIR_LANDING = 2.0
"""Metres walked on the landing(s) of one storey's flights (assumption)."""

LIFT_DOOR_TIME = 10.0
"""Seconds at each stop for the doors to open, people to step in or out and the doors to close
(assumption)."""

LIFT_PER_LEVEL = 2.5
"""Seconds of travel per level passed, acceleration included (assumption)."""

PointKey = tuple[str, str]
"""A point in a building: (level id, point id)."""


@dataclass(frozen=True)
class Vertical:
    """How people move between levels and how fast."""

    mode: VerticalMode = "fastest"
    walking_speed: float = WALKING_SPEED
    stair_speed: float = STAIR_SPEED
    lift_door_time: float = LIFT_DOOR_TIME
    lift_per_level: float = LIFT_PER_LEVEL

    def lift_ride(self, levels_apart: int) -> float:
        """Seconds in a waiting car from doors opening at one stop to closing at the other."""
        return 2 * self.lift_door_time + abs(levels_apart) * self.lift_per_level


def stair_length(height: float) -> float:
    """Metres walked on one storey's stair flights: incline plus landing."""
    return height * STAIR_INCLINE + STAIR_LANDING


def node_key(level_id: str, node: str) -> str:
    """The building-wide key of a level's network node."""
    return f"{level_id}/{node}"


def _stair_edges(building: Building, c: Connector, vertical: Vertical) -> list[tuple]:
    edges = []
    for (la, pa), (lb, pb) in zip(c.stops, c.stops[1:], strict=False):
        rise = abs(building.elevation(lb) - building.elevation(la))
        metres = stair_length(rise)
        edges.append(
            (
                node_key(la, poi_node(pa)),
                node_key(lb, poi_node(pb)),
                metres,
                metres / vertical.stair_speed,
            )
        )
    return edges


def _lift_edges(building: Building, c: Connector, vertical: Vertical) -> list[tuple]:
    position = {lv.id: k for k, lv in enumerate(building.levels)}
    edges = []
    for i, (la, pa) in enumerate(c.stops):
        for lb, pb in c.stops[i + 1 :]:
            ride = vertical.lift_ride(position[lb] - position[la])
            edges.append((node_key(la, poi_node(pa)), node_key(lb, poi_node(pb)), 0.0, ride))
    return edges


def building_edges(building: Building, vertical: Vertical) -> list[tuple[str, str, float, float]]:
    """Every edge of the building network as (u, v, metres, seconds)."""
    edges: list[tuple[str, str, float, float]] = []
    for lv in building.levels:
        graph = walk_network(lv.floor).graph
        for u, v, data in graph.edges(data=True):
            metres = float(data["weight"])
            edges.append(
                (node_key(lv.id, u), node_key(lv.id, v), metres, metres / vertical.walking_speed)
            )
    for c in building.connectors:
        if c.kind == "stairs" and vertical.mode != "lift":
            edges += _stair_edges(building, c, vertical)
        if c.kind == "lift" and vertical.mode != "stairs":
            edges += _lift_edges(building, c, vertical)
    return edges


class BuildingTravel:
    """Seconds (fastest route) and metres (shortest walk) between points of a building."""

    def __init__(self, building: Building, keys: Sequence[PointKey], vertical: Vertical):
        self.building = building
        self.vertical = vertical
        self.keys: tuple[PointKey, ...] = tuple(keys)
        self.index = {k: i for i, k in enumerate(self.keys)}
        edges = building_edges(building, vertical)
        nodes = sorted({e[0] for e in edges} | {e[1] for e in edges})
        position = {n: i for i, n in enumerate(nodes)}
        targets = []
        for level_id, point_id in self.keys:
            key = node_key(level_id, poi_node(point_id))
            if key not in position:
                raise RoutingError.single(
                    building.name,
                    f"{level_id}/{point_id}",
                    f"no point {point_id!r} on level {level_id!r}",
                )
            targets.append(position[key])
        rows = [position[e[0]] for e in edges]
        cols = [position[e[1]] for e in edges]
        size = len(nodes)
        idx = np.array(targets, dtype=int)
        self._nodes = nodes
        self._targets = targets
        self._time_graph = (rows, cols, [max(e[3], 1e-12) for e in edges], size)
        self.seconds = self._solve(rows, cols, [max(e[3], 1e-12) for e in edges], size, idx)
        self.metres = self._solve(rows, cols, [max(e[2], 1e-12) for e in edges], size, idx)

    @staticmethod
    def _solve(
        rows: list[int], cols: list[int], weights: list[float], size: int, idx: np.ndarray
    ) -> np.ndarray:
        from scipy.sparse import coo_matrix  # on first use: see sim.layout.travel
        from scipy.sparse.csgraph import dijkstra

        sparse = coo_matrix((weights, (rows, cols)), shape=(size, size)).tocsr()
        out = dijkstra(sparse, directed=False, indices=idx)[:, idx]
        np.fill_diagonal(out, 0.0)
        return np.asarray(out)

    def doors_from(self, source: PointKey) -> list[list[tuple[float, str, str]]]:
        """The openings each fastest route from ``source`` passes, per key in order.

        For every key, a list of (seconds from ``source`` to the opening's midpoint, level id,
        opening id) in walking order; empty for ``source`` itself and for routes through no
        opening.
        """
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import dijkstra

        rows, cols, weights, size = self._time_graph
        sparse = coo_matrix((weights, (rows, cols)), shape=(size, size)).tocsr()
        start = self._targets[self.index[source]]
        dist, pred = dijkstra(sparse, directed=False, indices=start, return_predecessors=True)
        openings = {
            node_key(lv.id, door_node(o.id)): (lv.id, o.id)
            for lv in self.building.levels
            for o in lv.floor.openings
        }
        out: list[list[tuple[float, str, str]]] = []
        for target in self._targets:
            found: list[tuple[float, str, str]] = []
            node = target
            while node != start and node >= 0:
                opening = openings.get(self._nodes[node])
                if opening is not None:
                    found.append((float(dist[node]), *opening))
                node = int(pred[node])
            out.append(found[::-1])
        return out

    def time(self, a: PointKey, b: PointKey) -> float:
        """Seconds from ``a`` to ``b`` on the fastest route (lifts without waiting)."""
        return float(self.seconds[self.index[a], self.index[b]])

    def distance(self, a: PointKey, b: PointKey) -> float:
        """Metres walked on the shortest walk from ``a`` to ``b`` (stairs count their incline)."""
        return float(self.metres[self.index[a], self.index[b]])
