"""How reading a DXF plan scales with its number of desk points.

Draws one open-plan hall (a closed polyline on layer SPACE-OFFICE, an entrance and a door) with
``n`` desk points on layer DESK, each labelled by a text beside it (the way CAD exports number
desks), writes it with ezdxf, then times ``load_floor`` on it: DXF parsing, labelling every
point by its nearest text, the floor's checks. Doubling the points should roughly double the
time (n log n at worst); before desk labels were found through a spatial index, 30,000 points
took 13.5 s and 100,000 did not finish.

    python benchmarks/bench_dxf.py                   # 5,000 to 100,000 desks
    python benchmarks/bench_dxf.py --points 1000 2000

Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import ezdxf

from sim.layout import load_floor


def draw(path: Path, points: int) -> None:
    """A square hall holding ``points`` labelled desk points on a 1.5 m grid."""
    side = math.ceil(math.sqrt(points))
    size = side * 1.5 + 3.0
    doc = ezdxf.new()
    msp = doc.modelspace()
    msp.add_lwpolyline(
        [(0, 0), (size, 0), (size, size), (0, size)],
        close=True,
        dxfattribs={"layer": "SPACE-OFFICE"},
    )
    msp.add_line((size / 2 - 0.6, 0), (size / 2 + 0.6, 0), dxfattribs={"layer": "DOOR"})
    msp.add_point((size / 2, 0.5), dxfattribs={"layer": "ENTRANCE"})
    for k in range(points):
        x, y = 1.5 + 1.5 * (k % side), 1.5 + 1.5 * (k // side)
        msp.add_point((x, y), dxfattribs={"layer": "DESK"})
        msp.add_text(f"D{k + 1}", dxfattribs={"layer": "DESK", "height": 0.2}).set_placement(
            (x + 0.1, y + 0.1)
        )
    doc.saveas(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--points", type=int, nargs="+", default=[5_000, 10_000, 20_000, 50_000, 100_000]
    )
    args = parser.parse_args()
    print("| desk points | DXF MB | load_floor s | s per 10,000 points |")
    print("|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.points:
            path = Path(tmp) / f"hall_{n}.dxf"
            draw(path, n)
            started = time.perf_counter()
            floor = load_floor(path)
            wall = time.perf_counter() - started
            desks = sum(1 for p in floor.points if p.kind == "desk")
            assert desks == n, f"{desks} desks read, {n} drawn"
            mb = path.stat().st_size / 1e6
            print(f"| {n:,} | {mb:.1f} | {wall:.2f} | {wall / n * 10_000:.2f} |")


if __name__ == "__main__":
    main()
