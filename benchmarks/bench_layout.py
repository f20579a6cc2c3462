"""Time building the walking network and POI distance matrices for a large generated floor.

A grid of offices off parallel corridors (1,000+ spaces, two desks per office); run with
``python benchmarks/bench_layout.py [rows] [rooms_per_side]``.
"""

from __future__ import annotations

import sys
import time

from sim.layout import build_walk_network, check_floor
from sim.layout.formats.shorthand import floor_from_shorthand
from sim.layout.travel import TravelDistances


def generate(corridors: int, rooms: int) -> dict[str, object]:
    """Shorthand data: ``corridors`` corridors, each with ``rooms`` offices on both sides."""
    room_w, room_d, corr_w = 4.0, 5.0, 2.0
    band = 2 * room_d + corr_w
    length = rooms * room_w
    spaces: dict[str, object] = {
        "spine": {"category": "corridor", "rect": [-3.0, 0.0, 3.0, corridors * band]},
        "lobby": {"category": "lobby", "rect": [-9.0, 0.0, 6.0, 8.0]},
    }
    doors: list[dict[str, object]] = [
        {"between": ["outside", "lobby"], "at": [-6.0, 0.0], "width": 2.0},
        {"between": ["lobby", "spine"], "at": [-3.0, 4.0], "width": 2.0},
    ]
    desks: list[dict[str, object]] = []
    for c in range(corridors):
        y0 = c * band
        corridor = f"c{c}"
        spaces[corridor] = {"category": "corridor", "rect": [0.0, y0 + room_d, length, corr_w]}
        doors.append({"between": ["spine", corridor], "at": [0.0, y0 + room_d + 1.0]})
        for k in range(rooms):
            x = k * room_w
            for side, ry, wall_y in (("s", y0, y0 + room_d), ("n", y0 + room_d + corr_w, None)):
                room = f"r{c}{side}{k}"
                spaces[room] = {"category": "office", "rect": [x, ry, room_w, room_d]}
                door_y = wall_y if wall_y is not None else ry
                doors.append({"between": [corridor, room], "at": [x + room_w / 2, door_y]})
                desks.append({"id": f"{room}a", "at": [x + 1.0, ry + 2.5]})
                desks.append({"id": f"{room}b", "at": [x + 3.0, ry + 2.5]})
    return {
        "spaces": spaces,
        "doors": doors,
        "desks": desks,
        "entrances": [{"id": "entrance", "at": [-6.0, 1.0]}],
    }


def main() -> None:
    corridors = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rooms = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    data = generate(corridors, rooms)
    t0 = time.perf_counter()
    floor, problems = floor_from_shorthand(data, "<bench>")
    t1 = time.perf_counter()
    problems += check_floor(floor, "<bench>")
    t2 = time.perf_counter()
    if problems:
        raise SystemExit("\n".join(str(p) for p in problems[:5]))
    network = build_walk_network(floor)
    t3 = time.perf_counter()
    staff = TravelDistances(network, "staff")
    t4 = time.perf_counter()
    client = TravelDistances(network, "client")
    client.distance("entrance", floor.desks()[0].id)
    t5 = time.perf_counter()
    print(
        f"{len(floor.spaces)} spaces, {len(floor.openings)} openings, {len(floor.points)} POIs; "
        f"network {network.graph.number_of_nodes()} nodes / {network.graph.number_of_edges()} edges"
    )
    print(
        f"parse {t1 - t0:.2f} s, validate {t2 - t1:.2f} s, network {t3 - t2:.2f} s, "
        f"staff matrix {t4 - t3:.2f} s, client matrix {t5 - t4:.2f} s; "
        f"network + one matrix {t4 - t2:.2f} s"
    )
    far = floor.desks()[-1].id
    print(f"example: entrance -> {far} {staff.distance('entrance', far):.1f} m")


if __name__ == "__main__":
    main()
