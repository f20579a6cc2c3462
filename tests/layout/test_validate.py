"""Each kind of plan mistake is reported, naming the feature; shipped plans have none."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sim.errors import LayoutError
from sim.layout import check_floor, check_references, load_floor
from sim.layout.formats.shorthand import floor_from_shorthand

LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"
BUILDINGS = {"hybrid_hq.geojson"}
"""Plans with several levels: they load as buildings (tests/layout/test_building.py)."""
EXAMPLES = sorted(
    p
    for p in LAYOUTS.iterdir()
    if (p.suffix in (".yaml", ".geojson") or p.is_dir()) and p.name not in BUILDINGS
)

GOOD: dict[str, Any] = {
    "spaces": {
        "lobby": {"category": "lobby", "rect": [0, 0, 6, 4]},
        "office": {"category": "office", "rect": [6, 0, 4, 4]},
        "back": {"category": "back_office", "rect": [0, 4, 10, 3]},
    },
    "doors": [
        {"id": "main", "between": ["outside", "lobby"], "at": [3, 0]},
        {"id": "d_office", "between": ["lobby", "office"], "at": [6, 2]},
        {"id": "d_back", "between": ["lobby", "back"], "at": [3, 4]},
    ],
    "desks": [{"id": "A1", "at": [8, 2]}, {"id": "B1", "at": [5, 5.5]}],
    "seats": [{"row": {"from": [1, 3], "to": [4, 3], "count": 4}}],
    "entrances": [{"id": "entrance", "at": [3, 0.6]}],
}


def messages(data: dict[str, Any]) -> list[str]:
    floor, problems = floor_from_shorthand(data, "plan.yaml")
    return [str(p) for p in [*problems, *check_floor(floor, "plan.yaml")]]


def broken(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    for key, value in changes.items():
        data[key] = value
    return data


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_shipped_plans_load_and_pass(path: Path) -> None:
    floor = load_floor(path)
    assert check_floor(floor, str(path)) == []
    assert floor.entrances()
    assert floor.desks()
    for space in floor.spaces_of("waiting"):
        assert floor.seats_in(space.id), f"waiting space {space.id} has no seats"


def test_good_plan_has_no_problems() -> None:
    assert messages(GOOD) == []


def test_invalid_polygon() -> None:
    spaces = dict(GOOD["spaces"])
    spaces["bowtie"] = {"category": "office", "polygon": [[20, 0], [24, 4], [24, 0], [20, 4]]}
    found = messages(broken(spaces=spaces))
    assert any("bowtie" in m and "invalid polygon" in m and "Self-intersection" in m for m in found)


def test_overlapping_spaces() -> None:
    spaces = dict(GOOD["spaces"])
    spaces["office"] = {"category": "office", "rect": [5, 0, 5, 4]}
    found = messages(broken(spaces=spaces))
    assert any("'lobby' overlaps space 'office' by 4.00 m²" in m for m in found)


def test_door_not_on_a_shared_wall() -> None:
    doors = copy.deepcopy(GOOD["doors"])
    doors[1] = {"id": "d_office", "between": ["office", "back"], "at": [9, 0]}
    found = messages(broken(doors=doors))
    assert any("opening 'd_office'" in m and "not on a wall shared by" in m for m in found)


def test_outside_door_inside_the_building() -> None:
    doors = copy.deepcopy(GOOD["doors"])
    doors.append({"id": "fake_exit", "between": ["outside", "office"], "at": [6, 3]})
    found = messages(broken(doors=doors))
    assert any("'fake_exit'" in m and "not on the outer wall" in m for m in found)


def test_desk_outside_every_space() -> None:
    found = messages(broken(desks=[{"id": "A1", "at": [30, 30]}]))
    assert any("desk 'A1' at (30.00, 30.00) is not inside any space" in m for m in found)


def test_desk_in_another_space_than_declared() -> None:
    found = messages(broken(desks=[{"id": "A1", "at": [8, 2], "space": "lobby"}]))
    assert any(
        "desk 'A1'" in m and "declared in space 'lobby' but lies in 'office'" in m for m in found
    )


def test_unreachable_space() -> None:
    doors = [d for d in GOOD["doors"] if d["id"] != "d_office"]
    found = messages(broken(doors=doors))
    assert any("space 'office'" in m and "cannot be reached" in m for m in found)


def test_missing_entrance() -> None:
    found = messages(broken(entrances=[]))
    assert any("no entrance" in m for m in found)


def test_public_space_only_through_staff_space() -> None:
    doors = [d for d in GOOD["doors"] if d["id"] != "d_office"]
    doors.append({"id": "d_bo", "between": ["back", "office"], "at": [8, 4]})
    found = messages(broken(doors=doors))
    assert any(
        "public space 'office'" in m and "through staff-only space(s) 'back'" in m for m in found
    )


def test_all_problems_reported_at_once() -> None:
    found = messages(broken(entrances=[], desks=[{"id": "A1", "at": [30, 30]}]))
    assert len(found) >= 2


def test_unknown_shorthand_key_is_spell_checked() -> None:
    spaces = dict(GOOD["spaces"])
    spaces["office"] = {"categroy": "office", "rect": [6, 0, 4, 4]}
    found = messages(broken(spaces=spaces))
    assert any("unknown key 'categroy'; did you mean 'category'?" in m for m in found)


def test_check_references_suggests_names() -> None:
    floor = load_floor(LAYOUTS / "bank_branch.yaml")
    problems = check_references(floor, "s.yaml", desk_ids=["T1", "T4"], space_ids=["wating"])
    text = [str(p) for p in problems]
    assert len(text) == 2
    assert any("no desk 'T4'; did you mean" in t for t in text)
    assert any("no space 'wating'; did you mean 'waiting'?" in t for t in text)


def test_load_floor_raises_with_every_problem(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(broken(entrances=[], desks=[{"id": "A1", "at": [30, 30]}])))
    with pytest.raises(LayoutError) as info:
        load_floor(path)
    assert len(info.value.problems) >= 2
    assert all(p.source == str(path) for p in info.value.problems)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("rent_per_m2", ""),
        ("rent_per_m2", "cheap"),
        ("rent_per_m2", -3),
        ("rent_per_m2", float("nan")),
        ("rent_per_m2", True),
        ("capacity", 0),
        ("capacity", float("inf")),
        ("capacity", [4]),
    ],
)
def test_numeric_space_attributes_must_be_numbers(key: str, value: object) -> None:
    data = copy.deepcopy(GOOD)
    data["spaces"]["back"]["attributes"] = {key: value}
    found = messages(data)
    assert any(m.startswith(f"plan.yaml: spaces.back.attributes.{key}: is ") for m in found), found


def test_numeric_space_attributes_given_or_left_empty_are_accepted() -> None:
    data = copy.deepcopy(GOOD)
    data["spaces"]["back"]["attributes"] = {"rent_per_m2": None, "noise_class": "quiet"}
    data["spaces"]["office"]["attributes"] = {"rent_per_m2": 22.5, "capacity": 6}
    assert messages(data) == []
    floor, _ = floor_from_shorthand(data, "plan.yaml")
    assert "rent_per_m2" not in floor.space("back").attributes
