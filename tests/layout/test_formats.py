"""Every format loads; malformed files give LayoutError, never a traceback."""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import pytest

from sim.errors import LayoutError
from sim.layout import load_floor, travel_distances

LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"


def test_geojson_example() -> None:
    floor = load_floor(LAYOUTS / "open_plan_office.geojson")
    assert floor.space("reception").category == "reception"
    assert floor.space("open_plan").attributes["noise_class"] == "open"
    assert floor.area("reception") == pytest.approx(32.0)
    assert [d.id for d in floor.desks()][:4] == ["R1", "F1", "F2", "F3"]


def test_geojson_openings_without_spaces_are_derived(tmp_path: Path) -> None:
    def square(x: float) -> dict[str, object]:
        ring = [[x, 0], [x + 4, 0], [x + 4, 4], [x, 4], [x, 0]]
        return {"type": "Polygon", "coordinates": [ring]}

    features = [
        {
            "type": "Feature",
            "properties": {"type": "space", "id": "a", "category": "lobby"},
            "geometry": square(0),
        },
        {
            "type": "Feature",
            "properties": {"type": "space", "id": "b", "category": "office"},
            "geometry": square(4.2),
        },  # a 0.2 m wall between the rooms
        {
            "type": "Feature",
            "properties": {"type": "opening", "id": "ab"},
            "geometry": {"type": "LineString", "coordinates": [[4.1, 1.5], [4.1, 2.5]]},
        },
        {
            "type": "Feature",
            "properties": {"type": "door", "id": "out", "width": 1.0},
            "geometry": {"type": "Point", "coordinates": [2, 0]},
        },
        {
            "type": "Feature",
            "properties": {"type": "entrance", "id": "E"},
            "geometry": {"type": "Point", "coordinates": [2, 1]},
        },
        {
            "type": "Feature",
            "properties": {"type": "desk", "id": "D"},
            "geometry": {"type": "Point", "coordinates": [6, 2]},
        },
    ]
    path = tmp_path / "plan.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    floor = load_floor(path)
    assert set(floor.opening("ab").spaces) == {"a", "b"}
    assert floor.opening("out").spaces == ("a", None)
    assert floor.opening("out").width == pytest.approx(1.0)
    assert floor.point("D").space == "b"


def test_shorthand_rows_and_doors() -> None:
    floor = load_floor(LAYOUTS / "bank_branch.yaml")
    assert [p.id for p in floor.desks() if p.id.startswith("T")] == ["T1", "T2", "T3"]
    assert len(floor.seats_in("waiting")) == 12
    assert floor.waiting_capacity() == 12
    door = floor.opening("staff_door")
    assert door.spaces == ("tellers", "back") and door.width == pytest.approx(0.9)
    assert [p.id for p in floor.exits()] == ["exit"]


def test_imdf_example_projects_to_metres() -> None:
    floor = load_floor(LAYOUTS / "service_centre_imdf")
    minx, miny, maxx, maxy = floor.space("lobby").polygon.bounds
    assert maxx - minx == pytest.approx(10.0, rel=1e-3)
    assert maxy - miny == pytest.approx(6.0, rel=1e-3)
    assert floor.space("back").access == "staff"
    assert floor.space("wc").category == "restroom"
    assert travel_distances(floor, "client").distance("entrance", "D2") > 0


def _imdf(tmp_path: Path, lon: float, lat: float, size: float) -> Path:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    unit = {
        "type": "Feature",
        "id": "u1",
        "feature_type": "unit",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"category": "lobby", "alt_name": {"en": "hall"}},
    }
    door = {
        "type": "Feature",
        "id": "o1",
        "feature_type": "opening",
        "geometry": {
            "type": "LineString",
            "coordinates": [[lon + size / 3, lat], [lon + size / 2, lat]],
        },
        "properties": {"category": "pedestrian"},
    }
    path = tmp_path / "venue.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"version": "1.0.0", "language": "en"}))
        for name, feature in (("unit", unit), ("opening", door)):
            archive.writestr(
                f"{name}.geojson", json.dumps({"type": "FeatureCollection", "features": [feature]})
            )
    return path


def test_imdf_projection_matches_known_degree_lengths(tmp_path: Path) -> None:
    # Lengths of one degree on WGS84 at 45° latitude (standard series):
    # latitude 111132.954 - 559.822 cos 2φ + 1.175 cos 4φ; longitude 111412.84 cos φ
    # - 93.5 cos 3φ + 0.118 cos 5φ.
    phi = math.radians(45.0)
    lat_m = 111132.954 - 559.822 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
    lon_m = 111412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi) + 0.118 * math.cos(5 * phi)
    floor = load_floor(_imdf(tmp_path, 7.0, 45.0 - 0.0005, 0.001))
    minx, miny, maxx, maxy = floor.space("hall").polygon.bounds
    assert maxx - minx == pytest.approx(lon_m * 0.001, rel=1e-3)
    assert maxy - miny == pytest.approx(lat_m * 0.001, rel=1e-3)
    assert [p.id for p in floor.entrances()] == ["entrance_opening1"]


@pytest.mark.parametrize("properties", [True, [[0]], 3, "desk"])
def test_imdf_feature_properties_not_an_object(tmp_path: Path, properties: object) -> None:
    path = _imdf(tmp_path, 7.0, 45.0, 0.001)
    amenity = {
        "type": "Feature",
        "id": "a1",
        "feature_type": "amenity",
        "geometry": {"type": "Point", "coordinates": [7.0005, 45.0005]},
        "properties": properties,
    }
    with zipfile.ZipFile(path, "a") as archive:
        collection = {"type": "FeatureCollection", "features": [amenity]}
        archive.writestr("amenity.geojson", json.dumps(collection))
    with pytest.raises(LayoutError) as err:
        load_floor(path)
    message = str(err.value)
    assert "amenity.geojson.features[0].properties" in message
    assert "expected an object" in message


def _dxf(tmp_path: Path, units: int, scale: float) -> Path:
    ezdxf = pytest.importorskip("ezdxf")
    doc = ezdxf.new()
    doc.header["$INSUNITS"] = units
    msp = doc.modelspace()

    def rect(x: float, y: float, w: float, h: float, layer: str) -> None:
        pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        msp.add_lwpolyline(
            [(a * scale, b * scale) for a, b in pts], close=True, dxfattribs={"layer": layer}
        )

    rect(0, 0, 6, 4, "SPACE-LOBBY")
    rect(6, 0, 4, 4, "RAUM-BUERO")
    msp.add_text("Hall", dxfattribs={"layer": "TEXT", "insert": (3 * scale, 3 * scale)})
    msp.add_text("Advisor", dxfattribs={"layer": "TEXT", "insert": (8 * scale, 3 * scale)})
    msp.add_line((6 * scale, 1.5 * scale), (6 * scale, 2.5 * scale), dxfattribs={"layer": "DOOR"})
    msp.add_line((2.5 * scale, 0), (3.5 * scale, 0), dxfattribs={"layer": "DOOR"})
    msp.add_point((8 * scale, 2 * scale), dxfattribs={"layer": "DESK"})
    msp.add_text("A1", dxfattribs={"layer": "DESK", "insert": (8.2 * scale, 2.1 * scale)})
    msp.add_point((3 * scale, 0.6 * scale), dxfattribs={"layer": "ENTRANCE"})
    path = tmp_path / "plan.dxf"
    doc.saveas(path)
    (tmp_path / "plan.layers.yaml").write_text("spaces:\n  RAUM-BUERO: office\n")
    return path


@pytest.mark.parametrize(("units", "scale"), [(6, 1.0), (4, 1000.0)], ids=["m", "mm"])
def test_dxf_with_layer_map_and_units(tmp_path: Path, units: int, scale: float) -> None:
    floor = load_floor(_dxf(tmp_path, units, scale))
    assert {s.id for s in floor.spaces} == {"hall", "advisor"}
    assert floor.area("hall") == pytest.approx(24.0)
    assert floor.space("advisor").category == "office"
    assert floor.point("A1").space == "advisor"
    distance = travel_distances(floor, "client").distance("entrance1", "A1")
    assert 5.0 < distance < 8.0


def test_lon_lat_where_metres_expected(tmp_path: Path) -> None:
    ring = [[13.4, 52.52], [13.4001, 52.52], [13.4001, 52.5201], [13.4, 52.5201], [13.4, 52.52]]
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"type": "space", "id": "a"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    path = tmp_path / "plan.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(LayoutError, match=r"longitude/latitude degrees.*local metres"):
        load_floor(path)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.geojson", b'{"type": "FeatureCollection", "features": [', "invalid JSON"),
        ("bad.yaml", b"spaces: {a: [1, 2}\n", "invalid YAML"),
        ("empty.yaml", b"", "file is empty"),
        ("blob.geojson", bytes(range(256)), "binary"),
        ("list.yaml", b"- 1\n- 2\n", "expected a mapping"),
        ("plan.txt", b"hello", "unknown plan format"),
        ("broken.dxf", b"0\nSECTION\n2\nNONSENSE\n", "DXF"),
        ("broken.zip", b"PK\x03\x04 not really", "IMDF"),
        ("point.geojson", b'{"type": "Feature"}', "FeatureCollection"),
    ],
)
def test_malformed_files(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LayoutError, match=expected):
        load_floor(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="file not found"):
        load_floor(tmp_path / "nope.geojson")


def _imdf_edited(tmp_path: Path, member: str, edit, name: str = "edited.zip") -> Path:
    """The small IMDF archive of ``_imdf`` with ``edit`` applied to one member's JSON."""
    path = _imdf(tmp_path, 7.0, 45.0, 0.001)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read(member))
    edit(data)
    rewritten = tmp_path / name
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(rewritten, "w") as new:
        for item in old.namelist():
            new.writestr(item, json.dumps(data) if item == member else old.read(item))
    return rewritten


def _restricted(restriction: object):
    def edit(units: dict) -> None:
        units["features"][0]["properties"]["restriction"] = restriction

    return edit


@pytest.mark.parametrize("restriction", [[[0]], {"en": "staff"}, 3, True])
def test_imdf_unit_restriction_not_text(tmp_path: Path, restriction: object) -> None:
    """A unit's ``restriction`` is a category name or null; anything else is refused."""
    path = _imdf_edited(tmp_path, "unit.geojson", _restricted(restriction))
    with pytest.raises(LayoutError) as err:
        load_floor(path)
    message = str(err.value)
    assert "unit.geojson.features[0].properties.restriction" in message
    assert f"got {type(restriction).__name__}" in message


def test_imdf_unit_restriction_text_or_null(tmp_path: Path) -> None:
    assert load_floor(_imdf(tmp_path, 7.0, 45.0, 0.001)).space("hall").access == "public"
    for restriction, access in (
        ("employeesonly", "staff"),
        ("restricted", "staff"),
        (None, "public"),
    ):
        path = _imdf_edited(
            tmp_path, "unit.geojson", _restricted(restriction), f"{restriction}.zip"
        )
        assert load_floor(path).space("hall").access == access


def _shorthand_with(tmp_path: Path, edit) -> Path:
    import yaml

    plan = yaml.safe_load((LAYOUTS / "bank_branch.yaml").read_text(encoding="utf-8"))
    edit(plan)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    return path


def _door(plan: dict) -> dict:
    first = plan["doors"][0]
    return first.get("door", first)


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda p: p["spaces"]["vestibule"].__setitem__("rect", [1e308, 0, 3, 4]), "vestibule"),
        (lambda p: _door(p).__setitem__("at", [1e308, 0]), "doors[0].at"),
        (lambda p: _door(p).__setitem__("at", [0, -1e300]), "doors[0].at"),
    ],
    ids=["space", "door", "door-y"],
)
def test_shorthand_coordinates_far_out_are_refused(tmp_path: Path, edit, where: str) -> None:
    """A space or door 1e308 m away is refused with where it is, not a geometry error."""
    with pytest.raises(LayoutError) as err:
        load_floor(_shorthand_with(tmp_path, edit))
    problems = [p for p in err.value.problems if "units from the origin" in p.message]
    assert problems and where in f"{problems[0].path} {problems[0].message}"


def test_imdf_opening_without_coordinates(tmp_path: Path) -> None:
    """An opening whose coordinates are null is refused with where it is."""

    def empty(openings: dict) -> None:
        openings["features"][0]["geometry"]["coordinates"] = None

    with pytest.raises(LayoutError) as err:
        load_floor(_imdf_edited(tmp_path, "opening.geojson", empty))
    assert "opening.geojson.features[0]: the geometry is empty" in str(err.value)


def test_imdf_coordinates_off_the_globe(tmp_path: Path) -> None:
    """IMDF coordinates are degrees: a unit at longitude 1e308 is refused with where it is."""

    def far(units: dict) -> None:
        units["features"][0]["geometry"]["coordinates"][0][0][0] = 1e308

    with pytest.raises(LayoutError) as err:
        load_floor(_imdf_edited(tmp_path, "unit.geojson", far))
    message = str(err.value)
    assert "unit.geojson.features[0].geometry" in message and "within ±180 and ±90" in message
