"""Buildings with levels: GeoJSON ``level`` properties and IMDF levels, stairs and lifts.

The trips are computed by hand from the plan's coordinates: walking at 1.34 m/s, a lift ride
of two door times plus 2.5 s per level, stairs of 3.5 m rise per level walked along the
incline (7/11 steps) plus a 2 m landing at 0.92 m/s.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from sim.errors import LayoutError
from sim.layout.building import load_building
from sim.layout.building_travel import BuildingTravel, Vertical
from sim.layout.formats.imdf import local_projection

ROOT = Path(__file__).resolve().parents[2]
HQ = ROOT / "layouts" / "hybrid_hq.geojson"
WALK = 1.34
RIDE_TWO_LEVELS = 2 * 10.0 + 2 * 2.5
STAIR_LEVEL = (3.5 * math.hypot(7, 11) / 7 + 2.0) / 0.92


def test_three_floor_geojson_loads_with_a_lift_and_stairs() -> None:
    b = load_building(HQ)
    assert [lv.id for lv in b.levels] == ["0", "1", "2"]
    kinds = {c.id: c.kind for c in b.connectors}
    assert kinds == {"lift": "lift", "stairs": "stairs"}
    assert all(len(c.stops) == 3 for c in b.connectors)
    assert b.ground.id == "0"
    assert b.elevation("2") == pytest.approx(7.0)


def test_a_plan_with_levels_is_refused_as_one_floor() -> None:
    from sim.layout import load_floor

    with pytest.raises(LayoutError, match="3 levels"):
        load_floor(HQ)


def test_hand_computed_trips_by_lift_and_by_stairs() -> None:
    b = load_building(HQ)
    keys = [("0", "entrance"), ("2", "lift_2"), ("2", "stairs_2")]
    lift = BuildingTravel(b, keys, Vertical(mode="lift"))
    # entrance (5, 1) to the lift (7, 10) in the lobby, a straight walk; then the ride.
    assert lift.time(keys[0], keys[1]) == pytest.approx(math.hypot(2, 9) / WALK + RIDE_TWO_LEVELS)
    stairs = BuildingTravel(b, keys, Vertical(mode="stairs"))
    # entrance (5, 1) to the stairs (2, 10), then two storeys of stairs.
    expected = math.hypot(3, 9) / WALK + 2 * STAIR_LEVEL
    assert stairs.time(keys[0], keys[2]) == pytest.approx(expected)
    assert stairs.distance(keys[0], keys[2]) == pytest.approx(
        math.hypot(3, 9) + 2 * (3.5 * math.hypot(7, 11) / 7 + 2.0)
    )
    fastest = BuildingTravel(b, keys, Vertical())
    assert (
        fastest.time(keys[0], keys[1])
        <= min(lift.time(keys[0], keys[1]), stairs.time(keys[0], keys[1])) + 1e-9
    )


def test_a_level_without_stops_is_reported(tmp_path: Path) -> None:
    data = json.loads(HQ.read_text())
    data["features"] = [
        f
        for f in data["features"]
        if not (f["properties"]["level"] == "2" and f["properties"]["type"] in ("lift", "stairs"))
    ]
    path = tmp_path / "cut.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(LayoutError, match="level '2' cannot be reached"):
        load_building(path)


def _imdf_from_hq(folder: Path) -> None:
    """The shipped building as IMDF: degrees, level ids, lift and stair units beside the core."""
    data = json.loads(HQ.read_text())
    lon0, lat0 = 11.5, 48.1
    project = local_projection(lon0, lat0)
    kx = project(lon0 + 1, lat0)[0]
    ky = project(lon0, lat0 + 1)[1]

    def deg(xy: list[float]) -> list[float]:
        return [lon0 + xy[0] / kx, lat0 + xy[1] / ky]

    def geometry(g: dict[str, Any]) -> dict[str, Any]:
        if g["type"] == "Polygon":
            return {"type": "Polygon", "coordinates": [[deg(p) for p in g["coordinates"][0]]]}
        if g["type"] == "LineString":
            return {"type": "LineString", "coordinates": [deg(p) for p in g["coordinates"]]}
        return {"type": "Point", "coordinates": deg(g["coordinates"])}

    imdf_category = {"corridor": "walkway", "meeting": "conferenceroom"}
    units, openings = [], []
    for f in data["features"]:
        p = f["properties"]
        level = f"level-{p['level']}"
        if p["type"] == "space":
            units.append(
                {
                    "type": "Feature",
                    "id": p["id"],
                    "feature_type": "unit",
                    "geometry": geometry(f["geometry"]),
                    "properties": {
                        "category": imdf_category.get(p["category"], p["category"]),
                        "level_id": level,
                        "alt_name": p["id"],
                    },
                }
            )
        elif p["type"] == "opening":
            openings.append(
                {
                    "type": "Feature",
                    "id": p["id"],
                    "feature_type": "opening",
                    "geometry": geometry(f["geometry"]),
                    "properties": {
                        "category": "pedestrian",
                        "level_id": level,
                        "alt_name": p["id"],
                    },
                }
            )
    for k in range(3):
        for name, category, box in (
            ("lift", "elevator", (-2, 9, 0, 11)),
            ("stairs", "stairs", (-2, 4, 0, 7)),
        ):
            x0, y0, x1, y1 = box
            ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
            units.append(
                {
                    "type": "Feature",
                    "id": f"{name}-{k}",
                    "feature_type": "unit",
                    "geometry": {"type": "Polygon", "coordinates": [[deg(p) for p in ring]]},
                    "properties": {"category": category, "level_id": f"level-{k}"},
                }
            )
    outline = [[0, 0], [80, 0], [80, 30], [0, 30], [0, 0]]
    levels = [
        {
            "type": "Feature",
            "id": f"level-{k}",
            "feature_type": "level",
            "geometry": {"type": "Polygon", "coordinates": [[deg(p) for p in outline]]},
            "properties": {"ordinal": k, "name": {"en": f"Floor {k}"}},
        }
        for k in range(3)
    ]
    folder.mkdir()
    for name, features in (("unit", units), ("opening", openings), ("level", levels)):
        (folder / f"{name}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features})
        )
    (folder / "manifest.json").write_text(json.dumps({"version": "1.0.0"}))


def test_three_floor_imdf_loads_and_the_lift_trip_matches(tmp_path: Path) -> None:
    folder = tmp_path / "hq_imdf"
    _imdf_from_hq(folder)
    b = load_building(folder)
    assert [lv.ordinal for lv in b.levels] == [0, 1, 2]
    lifts = [c for c in b.connectors if c.kind == "lift"]
    assert len(lifts) == 1 and len(lifts[0].stops) == 3
    assert {c.kind for c in b.connectors} == {"lift", "stairs"}
    ground = b.level("level-0").floor
    entrance = ground.entrances()[0]
    stop0 = ground.point(lifts[0].stops[0][1])
    # The stop sits 0.3 m inside the core's west wall level with the lift's centre (y = 10);
    # the derived entrance 0.5 m inside the outside door (5, 0).
    dx = entrance.point.x - stop0.point.x
    dy = entrance.point.y - stop0.point.y
    assert math.hypot(dx, dy) == pytest.approx(math.hypot(4.7, 9.5), rel=1e-4)
    keys = [("level-0", entrance.id), ("level-2", lifts[0].stops[2][1])]
    travel = BuildingTravel(b, keys, Vertical(mode="lift"))
    assert travel.time(*keys) == pytest.approx(
        math.hypot(4.7, 9.5) / WALK + RIDE_TWO_LEVELS, rel=1e-4
    )


def test_a_building_draws_one_panel_per_floor_and_the_cli_checks_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.cli.main import main
    from sim.layout.draw_building import draw_building

    fig = draw_building(load_building(HQ))
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert [t.split(" (")[0] for t in titles] == ["Level 2", "Level 1", "Level 0"]
    assert main(["layout", "check", str(HQ)]) == 0
    assert "3 levels" in capsys.readouterr().out
    out = tmp_path / "hq.svg"
    assert main(["layout", "show", str(HQ), "-o", str(out)]) == 0
    assert out.stat().st_size > 0
