"""networkx's search (small floors) and scipy's (large ones) find the same walks: the same
lengths, bit for bit, and the same node before each node, so a floor's KPIs do not depend on
which one ran."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim.layout.travel as travel
from sim.layout import Floor
from sim.layout.building import load_building
from sim.layout.load import load_floor
from sim.layout.network import poi_node
from sim.layout.travel import NO_PREDECESSOR, ShortestPaths, shortest_paths, walk_network

ROOT = Path(__file__).resolve().parents[2]
FLOORS = [
    (f"{path.name}:{level.id}", level.floor)
    for path in sorted((ROOT / "layouts").iterdir())
    if not path.name.startswith(".")
    for level in load_building(path).levels
]
"""Every floor of every shipped plan (a building's levels one by one)."""


def _both(
    floor: Floor, audience: travel.Audience, monkeypatch: pytest.MonkeyPatch
) -> tuple[ShortestPaths, ShortestPaths]:
    network = walk_network(floor)
    keys = [poi_node(p.id) for p in floor.points]
    monkeypatch.setattr(travel, "SCIPY_FROM_WORK", 10**12)
    by_networkx = shortest_paths(network, audience, keys, keys, predecessors=True)
    monkeypatch.setattr(travel, "SCIPY_FROM_WORK", 0)
    by_scipy = shortest_paths(network, audience, keys, keys, predecessors=True)
    return by_networkx, by_scipy


@pytest.mark.parametrize(("name", "floor"), FLOORS, ids=[name for name, _ in FLOORS])
@pytest.mark.parametrize("audience", ["client", "staff"])
def test_both_searches_find_the_same_walks_on_every_shipped_floor(
    name: str, floor: Floor, audience: travel.Audience, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = _both(floor, audience, monkeypatch)
    assert a.nodes == b.nodes
    assert a.distance.shape == (len(a.distance), len(a.distance)) and a.distance.size > 0
    np.testing.assert_array_equal(a.distance, b.distance)
    assert a.predecessor is not None and b.predecessor is not None
    np.testing.assert_array_equal(a.predecessor, b.predecessor)


def test_both_searches_agree_where_clients_may_not_walk(
    two_routes: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = _both(two_routes, "client", monkeypatch)
    np.testing.assert_array_equal(a.distance, b.distance)
    assert a.predecessor is not None and b.predecessor is not None
    np.testing.assert_array_equal(a.predecessor, b.predecessor)
    staff, _ = _both(two_routes, "staff", monkeypatch)
    # the staff-only back office is a short cut the clients' walks go round
    assert (a.distance >= staff.distance).all() and (a.distance > staff.distance).any()


def test_a_source_has_no_predecessor_and_an_unreachable_node_no_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    floor = load_floor(ROOT / "layouts" / "bank_branch.yaml")
    network = walk_network(floor)
    staff_only = [p.id for p in floor.points if p.space in _staff_spaces(floor)]
    assert staff_only, "the bank branch has staff-only points"
    source = poi_node(floor.entrances()[0].id)
    target = poi_node(staff_only[0])
    for limit in (10**12, 0):
        monkeypatch.setattr(travel, "SCIPY_FROM_WORK", limit)
        found = shortest_paths(network, "client", [source], [target], predecessors=True)
        assert found.distance[0, 0] == np.inf
        assert found.predecessor is not None
        assert found.predecessor[0, found.position[source]] == NO_PREDECESSOR
        assert found.predecessor[0, found.position[target]] == NO_PREDECESSOR


def _staff_spaces(floor: Floor) -> set[str]:
    return {s.id for s in floor.spaces if not s.is_public}


def test_the_search_is_chosen_by_the_work_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    floor = load_floor(ROOT / "layouts" / "bank_branch.yaml")
    network = walk_network(floor)
    keys = [poi_node(p.id) for p in floor.points][:4]
    work = len(keys) * network.graph.number_of_edges()
    used: list[str] = []
    for name in ("_networkx_dijkstra", "_scipy_dijkstra"):
        real = getattr(travel, name)

        def spy(*args: object, _real: object = real, _name: str = name) -> object:
            used.append(_name)
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(travel, name, spy)
    monkeypatch.setattr(travel, "SCIPY_FROM_WORK", work + 1)
    shortest_paths(network, "staff", keys, keys)
    monkeypatch.setattr(travel, "SCIPY_FROM_WORK", work)
    shortest_paths(network, "staff", keys, keys)
    assert used == ["_networkx_dijkstra", "_scipy_dijkstra"]
