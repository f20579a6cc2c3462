"""A building from one DXF drawing per floor (or per-floor layers of one drawing), and the same
building in GeoJSON with levels: the same hand-computed lift trip."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.errors import LayoutError
from sim.layout.building import Building, load_building
from sim.layout.building_travel import LIFT_DOOR_TIME, LIFT_PER_LEVEL, BuildingTravel, Vertical
from sim.layout.travel import WALKING_SPEED

ENTRANCE = (5.0, 1.0)
LIFT = (9.0, 5.0)
DESK = (1.0, 1.0)
# Entrance to the lift across the lobby, one level up (doors open and close at each end), lift to
# the desk across the office; both rooms are empty rectangles, so the walks are straight lines.
TRIP = (
    math.dist(ENTRANCE, LIFT) / WALKING_SPEED
    + 2 * LIFT_DOOR_TIME
    + LIFT_PER_LEVEL
    + math.dist(LIFT, DESK) / WALKING_SPEED
)


def _draw(msp: Any, prefix: str, level: int) -> None:
    """Floor ``level`` of the building on layers starting with ``prefix``."""
    space = "SPACE-LOBBY" if level == 0 else "SPACE-OPEN_PLAN"
    msp.add_lwpolyline(
        [(0, 0), (10, 0), (10, 6), (0, 6)], close=True, dxfattribs={"layer": prefix + space}
    )
    name = "Lobby" if level == 0 else "Office"
    msp.add_text(name, dxfattribs={"layer": prefix + "TEXT", "insert": (5, 4)})
    msp.add_point(LIFT, dxfattribs={"layer": prefix + "LIFT"})
    msp.add_text("lift", dxfattribs={"layer": prefix + "LIFT", "insert": (9.2, 5.1)})
    if level == 0:
        msp.add_line((4, 0), (6, 0), dxfattribs={"layer": prefix + "DOOR"})
        msp.add_point(ENTRANCE, dxfattribs={"layer": prefix + "ENTRANCE"})
        msp.add_text("entrance", dxfattribs={"layer": prefix + "ENTRANCE", "insert": (5.2, 1.1)})
    else:
        msp.add_point(DESK, dxfattribs={"layer": prefix + "DESK"})
        msp.add_text("D1", dxfattribs={"layer": prefix + "DESK", "insert": (1.2, 1.1)})


def _dxf_per_floor(tmp_path: Path) -> Path:
    ezdxf = pytest.importorskip("ezdxf")
    for level in (0, 1):
        doc = ezdxf.new()
        doc.header["$INSUNITS"] = 6
        _draw(doc.modelspace(), "", level)
        doc.saveas(tmp_path / f"floor{level}.dxf")
    building = {
        "name": "Two floors",
        "levels": [
            {"id": "0", "file": "floor0.dxf", "name": "Ground"},
            {"id": "1", "file": "floor1.dxf", "height": 3.5},
        ],
    }
    path = tmp_path / "building.yaml"
    path.write_text(yaml.safe_dump(building), encoding="utf-8")
    return path


def _dxf_layers(tmp_path: Path) -> Path:
    ezdxf = pytest.importorskip("ezdxf")
    doc = ezdxf.new()
    doc.header["$INSUNITS"] = 6
    for level in (0, 1):
        _draw(doc.modelspace(), f"L{level}-", level)
    doc.saveas(tmp_path / "all.dxf")
    building = {
        "levels": [
            {"id": "0", "file": "all.dxf", "layers": "L0-"},
            {"id": "1", "file": "all.dxf", "layers": "L1-"},
        ]
    }
    path = tmp_path / "building.json"
    path.write_text(json.dumps(building), encoding="utf-8")
    return path


def _geojson(tmp_path: Path) -> Path:
    def feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
        return {"type": "Feature", "geometry": geometry, "properties": props}

    box = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 6], [0, 6], [0, 0]]]}
    features = [
        feature(box, type="space", id="lobby", category="lobby", level="0"),
        feature(
            {"type": "LineString", "coordinates": [[4, 0], [6, 0]]},
            type="opening",
            id="door",
            level="0",
        ),
        feature(
            {"type": "Point", "coordinates": list(ENTRANCE)},
            type="entrance",
            id="entrance",
            level="0",
        ),
        feature(box, type="space", id="office", category="open_plan", level="1"),
        feature({"type": "Point", "coordinates": list(DESK)}, type="desk", id="D1", level="1"),
    ]
    for level in ("0", "1"):
        features.append(
            feature(
                {"type": "Point", "coordinates": list(LIFT)},
                type="lift",
                id="lift",
                level=level,
                connector="lift",
            )
        )
    path = tmp_path / "building.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _trip(building: Building) -> float:
    keys = [("0", "entrance"), ("1", "D1")]
    travel = BuildingTravel(building, keys, Vertical(mode="lift"))
    return travel.time(*keys)


def test_one_dxf_per_floor_gives_the_hand_computed_lift_trip(tmp_path: Path) -> None:
    building = load_building(_dxf_per_floor(tmp_path))
    assert [lv.id for lv in building.levels] == ["0", "1"]
    assert building.level("0").name == "Ground"
    assert [(c.kind, c.stops) for c in building.connectors] == [
        ("lift", (("0", "lift"), ("1", "lift")))
    ]
    assert building.level("1").floor.point("D1").space == "office"
    assert _trip(building) == pytest.approx(TRIP)


def test_dxf_layers_per_floor_and_geojson_give_the_same_trip(tmp_path: Path) -> None:
    layered = load_building(_dxf_layers(tmp_path))
    geojson = load_building(_geojson(tmp_path))
    assert _trip(layered) == pytest.approx(TRIP)
    assert _trip(geojson) == pytest.approx(TRIP)
    assert {s.id for s in layered.level("1").floor.spaces} == {"office"}


def test_a_floor_list_with_mistakes_is_refused_with_the_key_path(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(
        yaml.safe_dump({"spaces": {"a": {"category": "lobby", "rect": [0, 0, 5, 5]}}})
    )
    bad = {
        "levels": [
            {"id": "0", "file": "plan.yaml"},
            {"id": "1", "file": "plan.yaml", "layers": "L1-"},
            {"id": "0", "file": "plan.yaml"},
            {"id": "3", "file": "plan.yaml", "floor": 3},
        ]
    }
    path = tmp_path / "building.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        load_building(path)
    found = {p.path: p.message for p in err.value.problems}
    assert "DXF" in found["levels[1].layers"]
    assert "listed twice" in found["levels[2].id"]
    assert "unknown key" in found["levels[3].floor"]
