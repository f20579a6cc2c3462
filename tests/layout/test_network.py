"""Walking distances against values worked out by hand on small plans."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from sim.errors import RoutingError
from sim.layout import Floor, build_walk_network, travel_distances

R = 0.2  # default body radius


def _entrance_and_desk(
    plan: Callable[..., Floor], space: dict[str, object], desk: list[float], start: list[float]
) -> Floor:
    return plan(
        {
            "spaces": {"room": space},
            "doors": [{"between": ["outside", "room"], "at": [0, start[1]]}],
            "desks": [{"id": "D", "at": desk}],
            "entrances": [{"id": "E", "at": start}],
        }
    )


def test_straight_corridor(make_plan: Callable[..., Floor]) -> None:
    floor = _entrance_and_desk(
        make_plan, {"category": "corridor", "rect": [0, 0, 10, 2]}, [9, 1], [1, 1]
    )
    assert travel_distances(floor, "client").distance("E", "D") == pytest.approx(8.0)


def test_l_shaped_room_bends_round_the_inner_corner_at_body_radius(
    make_plan: Callable[..., Floor],
) -> None:
    floor = _entrance_and_desk(
        make_plan,
        {"category": "office", "polygon": [[0, 0], [10, 0], [10, 2], [2, 2], [2, 10], [0, 10]]},
        [1, 9],
        [9, 1],
    )
    corner = (2 - R, 2 - R)  # inner corner kept a body radius away from both walls
    expected = math.hypot(9 - corner[0], 1 - corner[1]) + math.hypot(corner[0] - 1, 9 - corner[1])
    network = build_walk_network(floor)
    assert network.distance("E", "D") == pytest.approx(expected, abs=1e-9)
    assert expected > math.hypot(8, 8)


def test_room_with_a_column(make_plan: Callable[..., Floor]) -> None:
    floor = _entrance_and_desk(
        make_plan,
        {
            "category": "office",
            "rect": [0, 0, 10, 4],
            "holes": [[[4.5, 1.5], [5.5, 1.5], [5.5, 2.5], [4.5, 2.5]]],
        },
        [9, 2],
        [1, 2],
    )
    # Around the column kept 0.2 m away: via (4.3, 2.7) and (5.7, 2.7) (or the mirror below).
    expected = 2 * math.hypot(4.3 - 1, 2.7 - 2) + (5.7 - 4.3)
    assert travel_distances(floor, "staff").distance("E", "D") == pytest.approx(expected)


def test_door_detour_crosses_the_wall_square_on(make_plan: Callable[..., Floor]) -> None:
    floor = make_plan(
        {
            "spaces": {
                "a": {"category": "lobby", "rect": [0, 0, 5, 5]},
                "b": {"category": "office", "rect": [5, 0, 5, 5]},
            },
            "doors": [
                {"between": ["outside", "a"], "at": [1, 0]},
                {"between": ["a", "b"], "at": [5, 4], "width": 0.9},
            ],
            "desks": [{"id": "Q", "at": [9, 1]}],
            "entrances": [{"id": "P", "at": [1, 1]}],
        }
    )
    # P -> (4.8, 4) -> door (5, 4) -> (5.2, 4) -> Q
    expected = math.hypot(3.8, 3) + R + R + math.hypot(3.8, 3)
    assert travel_distances(floor, "client").distance("P", "Q") == pytest.approx(expected)
    path = build_walk_network(floor).path("P", "Q")
    assert path[0] == (1.0, 1.0) and path[-1] == (9.0, 1.0)
    assert (5.0, 4.0) in [(round(x, 9), round(y, 9)) for x, y in path]


def test_clients_never_walk_through_staff_only_spaces(two_routes: Floor) -> None:
    network = build_walk_network(two_routes)
    staff = network.distance("entrance", "D1", "staff")
    client = network.distance("entrance", "D1", "client")
    assert staff < client
    for node in network.path_nodes("entrance", "D1", "client"):
        space = network.graph.nodes[node]["space"]
        assert space is None or two_routes.space(space).access == "public"
    assert "back" in {
        network.graph.nodes[n]["space"] for n in network.path_nodes("entrance", "D1", "staff")
    }


def test_client_route_into_back_office_is_a_routing_error(two_routes: Floor) -> None:
    clients = travel_distances(two_routes, "client")
    with pytest.raises(RoutingError, match="'B1' is in staff-only space 'back'"):
        clients.distance("entrance", "B1")
    assert not clients.reachable("entrance", "B1")
    assert travel_distances(two_routes, "staff").distance("entrance", "B1") > 0


def test_time_uses_speed_and_path_edges_are_canonical(two_routes: Floor) -> None:
    clients = travel_distances(two_routes, "client")
    d = clients.distance("entrance", "D1")
    assert clients.time("entrance", "D1", 1.34) == pytest.approx(d / 1.34)
    network = build_walk_network(two_routes)
    edges = network.path_edges("entrance", "D1", "client")
    assert all(u <= v and network.graph.has_edge(u, v) for u, v in edges)
    total = sum(network.graph.edges[e]["weight"] for e in edges)
    assert total == pytest.approx(d)


def test_matrix_is_cached_per_floor_content(two_routes: Floor) -> None:
    assert travel_distances(two_routes, "client") is travel_distances(two_routes, "client")


def test_unknown_point_suggests_a_name(two_routes: Floor) -> None:
    with pytest.raises(RoutingError, match="did you mean 'D1'"):
        travel_distances(two_routes, "staff").distance("entrance", "D2")
