"""Write a multi-level office building as GeoJSON with ``level`` properties.

Each level is ``width`` x 30 m: a corridor across the middle, two open-plan spaces to the north,
a core (lift and stairs; the lobby with the outside door on the ground level), meeting rooms,
focus rooms, phone booths and a third open-plan space to the south. Desks are not drawn: the
scenario generates them at a density (``space.desks.source: density``).

Usage: python tools/make_office_building.py OUT.geojson [--levels 3] [--door-width 1.8]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _box(x0: float, y0: float, x1: float, y1: float) -> list[list[list[float]]]:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def _feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _space(level: str, sid: str, category: str, box: tuple[float, ...], **extra: Any) -> dict:
    return _feature(
        {"type": "Polygon", "coordinates": _box(*box)},
        type="space",
        id=f"{sid}_{level}",
        category=category,
        level=level,
        **extra,
    )


def _door(level: str, did: str, a: tuple[float, float], b: tuple[float, float]) -> dict:
    return _feature(
        {"type": "LineString", "coordinates": [list(a), list(b)]},
        type="opening",
        id=f"{did}_{level}",
        level=level,
    )


def _point(level: str, kind: str, pid: str, xy: tuple[float, float], **extra: Any) -> dict:
    return _feature(
        {"type": "Point", "coordinates": list(xy)}, type=kind, id=pid, level=level, **extra
    )


def level_features(level: str, ground: bool, door_width: float) -> list[dict]:
    """The features of one level."""
    f = [
        _space(level, "corridor", "corridor", (0, 12, 80, 16)),
        _space(level, "open_a", "open_plan", (0, 16, 40, 30)),
        _space(level, "open_b", "open_plan", (40, 16, 80, 30)),
        _space(level, "core", "lobby" if ground else "corridor", (0, 0, 10, 12)),
        _space(level, "meet_l", "meeting", (10, 0, 18, 12), capacity=12),
        _space(level, "meet_m", "meeting", (18, 0, 24, 12), capacity=8),
        _space(level, "meet_s", "meeting", (24, 0, 28, 12), capacity=4),
        _space(level, "booth1", "phone_booth", (28, 6, 31, 12), capacity=1),
        _space(level, "booth2", "phone_booth", (31, 6, 34, 12), capacity=1),
        _space(level, "focus", "focus", (28, 0, 34, 6), capacity=2),
        _space(level, "open_c", "open_plan", (34, 0, 80, 12)),
        _door(level, "d_a", (18, 16), (21, 16)),
        _door(level, "d_b", (58, 16), (61, 16)),
        _door(level, "d_core", (3, 12), (7, 12)),
        _door(level, "d_ml", (13, 12), (14, 12)),
        _door(level, "d_mm", (20, 12), (21, 12)),
        _door(level, "d_ms", (25, 12), (26, 12)),
        _door(level, "d_b1", (29, 12), (30, 12)),
        _door(level, "d_b2", (32, 12), (33, 12)),
        _door(level, "d_f", (34, 2), (34, 3)),
        _door(level, "d_c", (55, 12), (58, 12)),
        _point(level, "lift", f"lift_{level}", (7.0, 10.0), connector="lift"),
        _point(level, "stairs", f"stairs_{level}", (2.0, 10.0), connector="stairs"),
    ]
    if ground:
        f.append(_door(level, "d_out", (5 - door_width / 2, 0), (5 + door_width / 2, 0)))
        f.append(_point(level, "entrance", "entrance", (5.0, 1.0)))
    return f


def building(levels: int = 3, door_width: float = 1.8) -> dict[str, Any]:
    """The whole building as a GeoJSON FeatureCollection."""
    features: list[dict] = []
    for k in range(levels):
        features += level_features(str(k), k == 0, door_width)
    return {
        "type": "FeatureCollection",
        "name": "hybrid_hq",
        "levels": [{"id": str(k), "ordinal": k, "height": 3.5} for k in range(levels)],
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--levels", type=int, default=3)
    parser.add_argument("--door-width", type=float, default=1.8)
    args = parser.parse_args()
    data = building(args.levels, args.door_width)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
