"""Point-to-point walking distances for the engine: one matrix per floor and audience, cached.

The engine asks for distances between points of interest (entrance, seats, desks, counters,
exits) thousands of times per run; they are computed once with Dijkstra from each point over the
walking graph (networkx on a small floor, scipy's sparse multi-source search on a large one: see
``SCIPY_FROM_WORK``) and kept in memory keyed on the floor's content hash. networkx (and
scipy.sparse) are imported when a first plan is, not with this module: a scenario without a
floor plan (a contact centre, an M/M/c) never loads them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
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

NO_PREDECESSOR = -9999
"""scipy's mark for a node without a predecessor (the source, or out of reach)."""


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


SCIPY_FROM_WORK = 100_000
"""Sources times edges from which shortest paths go through scipy's sparse Dijkstra (compiled;
importing it takes about 0.15 s) rather than networkx's (pure Python, about 1 µs per source and
edge, and already loaded for the walking graph). A branch or an office floor (tens of points, a
few hundred edges) stays far below; a plan of a thousand spaces is far above. Chosen by the
floor alone, never by what this process has loaded; both give the same lengths and, on every
shipped plan and the benchmarks' large office, the same walks."""


@dataclass(frozen=True)
class ShortestPaths:
    """Shortest walks of one audience from some nodes of the walking graph.

    ``distance[i, j]`` is the length in metres from source ``i`` to target ``j`` (inf when out
    of reach); ``predecessor[i, k]`` (when asked for) the index in ``nodes`` of the node before
    ``nodes[k]`` on the walk from source ``i`` (``NO_PREDECESSOR`` at the source and out of
    reach, as scipy marks it).
    """

    nodes: list[str]
    position: dict[str, int]
    distance: np.ndarray
    predecessor: np.ndarray | None


def shortest_paths(
    network: WalkNetwork,
    audience: Audience,
    sources: Sequence[str],
    targets: Sequence[str] = (),
    *,
    predecessors: bool = False,
) -> ShortestPaths:
    """Dijkstra from each of ``sources`` to ``targets`` (node keys) over the audience's edges
    (clients: public ones only); a zero-length edge counts as 1e-12 m, since scipy reads a zero
    as no edge. Identical lengths either way (each sums the same edges in the same order)."""
    graph = network.graph
    nodes = list(graph.nodes)
    position = {n: k for k, n in enumerate(nodes)}
    query = _Query(
        network,
        audience,
        nodes,
        position,
        rows=[position[s] for s in sources],
        columns=np.array([position[t] for t in targets], dtype=int),
        predecessors=predecessors,
    )
    large = len(query.rows) * graph.number_of_edges() >= SCIPY_FROM_WORK
    distance, predecessor = _scipy_dijkstra(query) if large else _networkx_dijkstra(query)
    return ShortestPaths(nodes, position, distance, predecessor)


@dataclass(frozen=True)
class _Query:
    """What a search is asked: from which nodes (``rows``, indices into ``nodes``) to which
    (``columns``), for which audience, with or without predecessors."""

    network: WalkNetwork
    audience: Audience
    nodes: list[str]
    position: dict[str, int]
    rows: list[int]
    columns: np.ndarray
    predecessors: bool

    def empty(self) -> tuple[np.ndarray, np.ndarray | None]:
        """The answer before the search: no target reached, no predecessor known."""
        distance = np.full((len(self.rows), len(self.columns)), np.inf)
        if not self.predecessors:
            return distance, None
        return distance, np.full((len(self.rows), len(self.nodes)), NO_PREDECESSOR, np.int32)


def _edge_weight(audience: Audience, data: dict[str, Any]) -> float | None:
    """An edge's length for ``audience``, or None when the audience may not walk it."""
    if audience == "client" and data["access"] != "public":
        return None
    return max(float(data["weight"]), 1e-12)


def _networkx_dijkstra(q: _Query) -> tuple[np.ndarray, np.ndarray | None]:
    """Distances (and predecessors) from networkx, source by source."""
    import networkx as nx

    distance, before = q.empty()

    def weight(u: str, v: str, data: dict[str, Any]) -> float | None:
        return _edge_weight(q.audience, data)

    for i, row in enumerate(q.rows):
        pred, lengths = nx.dijkstra_predecessor_and_distance(
            q.network.graph, q.nodes[row], weight=weight
        )
        reached = np.full(len(q.nodes), np.inf)
        for node, length in lengths.items():
            reached[q.position[node]] = length
        distance[i] = reached[q.columns]
        if before is not None:
            for node, first in pred.items():
                if first:  # the first node found at the shortest length, as scipy keeps it
                    before[i, q.position[node]] = q.position[first[0]]
    return distance, before


def _scipy_dijkstra(q: _Query) -> tuple[np.ndarray, np.ndarray | None]:
    """Distances (and predecessors) from scipy's sparse Dijkstra, a batch of sources at a time
    (memory stays at a batch times the nodes)."""
    from scipy.sparse import coo_matrix  # on first use, like networkx: see the module docstring
    from scipy.sparse.csgraph import dijkstra

    starts, ends, weights = [], [], []
    for u, v, data in q.network.graph.edges(data=True):
        w = _edge_weight(q.audience, data)
        if w is not None:
            starts.append(q.position[u])
            ends.append(q.position[v])
            weights.append(w)
    size = len(q.nodes)
    sparse = coo_matrix((weights, (starts, ends)), shape=(size, size)).tocsr()
    distance, before = q.empty()
    for start in range(0, len(q.rows), _BATCH):
        chunk = q.rows[start : start + _BATCH]
        found = dijkstra(sparse, directed=False, indices=chunk, return_predecessors=q.predecessors)
        dist = found[0] if q.predecessors else found
        distance[start : start + len(chunk)] = dist[:, q.columns]
        if before is not None:
            before[start : start + len(chunk)] = found[1]
    return distance, before


def _poi_matrix(network: WalkNetwork, audience: Audience, ids: Sequence[str]) -> np.ndarray:
    keys = [poi_node(pid) for pid in ids]
    out = shortest_paths(network, audience, keys, keys).distance
    np.fill_diagonal(out, 0.0)
    return out


class Routes:
    """Shortest walks of one audience from a set of points of interest, for traffic maps.

    One shortest-path tree per source point, computed together (:func:`shortest_paths`), so
    expanding thousands of walks into edges costs a walk up a tree each, not a search.
    ``edges(a, b)`` falls back to the network's own search for a source outside the set.
    """

    def __init__(self, network: WalkNetwork, audience: Audience, sources: Sequence[str]):
        self.network = network
        self.audience = audience
        self._row = {pid: k for k, pid in enumerate(dict.fromkeys(sources))}
        keys = [poi_node(p) for p in self._row]
        paths = shortest_paths(network, audience, keys, predecessors=True)
        self._nodes, self._position = paths.nodes, paths.position
        self._pred: np.ndarray = paths.predecessor  # type: ignore[assignment]

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
_ROUTES: dict[tuple[str, float, str, tuple[str, ...]], Routes] = {}
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


def routes_from(network: WalkNetwork, audience: Audience, sources: Sequence[str]) -> Routes:
    """The shortest-walk trees of an audience from ``sources``, built once per floor content
    and sources: the variants of a sweep that differ in anything but the floor and its desks
    share them."""
    key = (network.floor.fingerprint, network.body_radius, audience, tuple(sources))
    with _LOCK:
        cached = _ROUTES.get(key)
    if cached is not None:
        return cached
    result = Routes(network, audience, sources)
    with _LOCK:
        _ROUTES[key] = result
    return result


def clear_cache() -> None:
    """Forget cached networks, matrices and routes and the floors kept for reuse (tests, long
    sessions with many plans)."""
    from sim.layout.load import forget_loaded_floors

    forget_loaded_floors()
    with _LOCK:
        _CACHE.clear()
        _MATRICES.clear()
        _ROUTES.clear()
