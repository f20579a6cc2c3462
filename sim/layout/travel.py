"""Point-to-point walking distances for the engine: one matrix per floor and audience, cached.

The engine asks for distances between points of interest (entrance, seats, desks, counters,
exits) thousands of times per run; they are computed once with a multi-source Dijkstra over the
sparse walking graph (scipy) and kept in memory keyed on the floor's content hash. scipy.sparse
and networkx are imported when a first plan is, not with this module: a scenario without a floor
plan (a contact centre, an M/M/c) never loads them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.errors import RoutingError
from sim.layout.floor import Floor
from sim.layout.network import (
    BODY_RADIUS,
    Audience,
    EdgeKey,
    WalkNetwork,
    build_walk_network,
    edge_key,
    no_route,
    poi_node,
)
from sim.spelling import did_you_mean

WALKING_SPEED = 1.34
"""Free walking speed in m/s (Weidmann 1992)."""

_BATCH = 256


class TravelDistances:
    """Walking distances in metres between every pair of points of interest for one audience.

    ``distance(a, b)`` and ``time(a, b, speed)`` raise ``RoutingError`` naming both points and
    their spaces when no route exists (e.g. a client asked to reach a back-office desk).
    """

    def __init__(self, network: WalkNetwork, audience: Audience, ids: Sequence[str] | None = None):
        self.network = network
        self.audience = audience
        self.ids: tuple[str, ...] = (
            tuple(ids) if ids is not None else tuple(p.id for p in network.floor.points)
        )
        self.index: dict[str, int] = {pid: k for k, pid in enumerate(self.ids)}
        self.matrix: np.ndarray = _poi_matrix(network, audience, self.ids)

    def __repr__(self) -> str:
        return f"TravelDistances({self.network.floor.name!r}, {self.audience}, n={len(self.ids)})"

    def _index(self, point_id: str) -> int:
        try:
            return self.index[point_id]
        except KeyError:
            hint = did_you_mean(point_id, self.ids)
            raise RoutingError.single(
                self.network.floor.name,
                point_id,
                f"no point of interest {point_id!r} on the floor{hint}",
            ) from None

    def reachable(self, a: str, b: str) -> bool:
        """True when this audience can walk from ``a`` to ``b``."""
        return bool(np.isfinite(self.matrix[self._index(a), self._index(b)]))

    def distance(self, a: str, b: str) -> float:
        """Walking distance in metres from point ``a`` to point ``b``."""
        d = float(self.matrix[self._index(a), self._index(b)])
        if not np.isfinite(d):
            raise no_route(self.network.floor, a, b, self.audience)
        return d

    def time(self, a: str, b: str, speed_m_per_s: float = WALKING_SPEED) -> float:
        """Walking time in seconds from ``a`` to ``b`` at ``speed_m_per_s``."""
        if speed_m_per_s <= 0:
            raise ValueError(f"walking speed must be positive, got {speed_m_per_s!r}")
        return self.distance(a, b) / speed_m_per_s

    def nearest(self, a: str, candidates: Sequence[str]) -> str:
        """The candidate point closest to ``a`` on foot (ties go to the first listed)."""
        if not candidates:
            raise ValueError("no candidates given")
        row = self.matrix[self._index(a)]
        best = min(candidates, key=lambda c: float(row[self._index(c)]))
        if not np.isfinite(row[self._index(best)]):
            raise no_route(self.network.floor, a, best, self.audience)
        return best


def _sparse(network: WalkNetwork, audience: Audience) -> tuple[list[str], dict[str, int], Any]:
    """The audience's walking graph as a scipy sparse matrix, with its node order."""
    from scipy.sparse import coo_matrix  # on first use, like networkx: see the module docstring

    graph = network.graph
    nodes = list(graph.nodes)
    position = {n: k for k, n in enumerate(nodes)}
    rows, cols, weights = [], [], []
    for u, v, data in graph.edges(data=True):
        if audience == "client" and data["access"] != "public":
            continue
        rows.append(position[u])
        cols.append(position[v])
        weights.append(max(float(data["weight"]), 1e-12))
    size = len(nodes)
    return nodes, position, coo_matrix((weights, (rows, cols)), shape=(size, size)).tocsr()


def _poi_matrix(network: WalkNetwork, audience: Audience, ids: Sequence[str]) -> np.ndarray:
    from scipy.sparse.csgraph import dijkstra

    _, position, sparse = _sparse(network, audience)
    targets = np.array([position[poi_node(pid)] for pid in ids], dtype=int)
    out = np.full((len(ids), len(ids)), np.inf)
    for start in range(0, len(ids), _BATCH):
        chunk = targets[start : start + _BATCH]
        if len(chunk) == 0:
            continue
        dist = dijkstra(sparse, directed=False, indices=chunk)
        out[start : start + len(chunk)] = dist[:, targets]
    np.fill_diagonal(out, 0.0)
    return out


class Routes:
    """Shortest walks of one audience from a set of points of interest, for traffic maps.

    One shortest-path tree per source point, computed together (scipy, multi-source), so
    expanding thousands of walks into edges costs a walk up a tree each, not a search.
    ``edges(a, b)`` falls back to the network's own search for a source outside the set.
    """

    def __init__(self, network: WalkNetwork, audience: Audience, sources: Sequence[str]):
        self.network = network
        self.audience = audience
        from scipy.sparse.csgraph import dijkstra

        self._nodes, self._position, sparse = _sparse(network, audience)
        self._row = {pid: k for k, pid in enumerate(dict.fromkeys(sources))}
        indices = np.array([self._position[poi_node(p)] for p in self._row], dtype=int)
        self._pred = (
            dijkstra(sparse, directed=False, indices=indices, return_predecessors=True)[1]
            if len(indices)
            else np.zeros((0, len(self._nodes)), dtype=np.int32)
        )

    def edges(self, a: str, b: str) -> list[EdgeKey]:
        """Edge keys along a shortest walk from ``a`` to ``b``."""
        row = self._row.get(a)
        if row is None:
            return self.network.path_edges(a, b, self.audience)
        pred = self._pred[row]
        start = self._position[poi_node(a)]
        k = self._position[poi_node(b)]
        out: list[EdgeKey] = []
        while k != start:
            j = int(pred[k])
            if j < 0:
                raise no_route(self.network.floor, a, b, self.audience)
            out.append(edge_key(self._nodes[j], self._nodes[k]))
            k = j
        out.reverse()
        return out


_CACHE: dict[tuple[str, float], WalkNetwork] = {}
_MATRICES: dict[tuple[str, float, str, tuple[str, ...] | None], TravelDistances] = {}
_LOCK = threading.Lock()


def walk_network(floor: Floor, *, body_radius: float = BODY_RADIUS) -> WalkNetwork:
    """The floor's walking network, built once per floor content and body radius."""
    key = (floor.fingerprint, body_radius)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None and cached.floor is floor:
        return cached
    if cached is not None:
        return WalkNetwork(floor, cached.graph, body_radius)
    network = build_walk_network(floor, body_radius=body_radius)
    with _LOCK:
        _CACHE[key] = network
    return network


def travel_distances(
    floor: Floor,
    audience: Audience = "client",
    *,
    body_radius: float = BODY_RADIUS,
    ids: Sequence[str] | None = None,
) -> TravelDistances:
    """The POI x POI distance matrix for an audience, built once per floor content.

    ``ids`` limits the matrix to those points (in that order): on a large plan a model needs
    only its entrance, exit, seats and staffed desks, and the cost grows with their number.
    """
    key = (floor.fingerprint, body_radius, audience, None if ids is None else tuple(ids))
    with _LOCK:
        cached = _MATRICES.get(key)
    if cached is not None:
        return cached
    result = TravelDistances(walk_network(floor, body_radius=body_radius), audience, ids)
    with _LOCK:
        _MATRICES[key] = result
    return result


def clear_cache() -> None:
    """Forget cached networks and matrices and the floors kept for reuse (tests, long sessions
    with many plans)."""
    from sim.layout.load import forget_loaded_floors

    forget_loaded_floors()
    with _LOCK:
        _CACHE.clear()
        _MATRICES.clear()
