"""A building listed floor by floor: a YAML or JSON file naming one plan per level.

    name: Head office
    levels:
      - {id: "0", file: ground.dxf}
      - {id: "1", file: first.dxf, height: 3.2, name: First floor}
      - {id: "2", file: all_floors.dxf, layers: "L2-"}

Each ``file`` (relative to the building file) is any one-floor plan officesim reads: a DXF
drawing, GeoJSON or the YAML shorthand. One DXF drawing may hold every floor on layers with a
per-floor prefix: ``layers`` names the prefix of the level's layers (``L2-SPACE-OFFICE``,
``L2-DOOR``, ...), removed before the layer map applies. All floors share one coordinate
system (drawings registered on the same origin). Where a stair core or lift stops, a floor has a
point of kind ``stairs`` or ``lift`` (DXF layers ``STAIRS`` and ``LIFT`` by default); stops with
the same id on different levels are one stair or one lift. ``ordinal`` (default: the id when
it is a whole number, else the position in the list) orders the stack; ``height`` is the storey
height in metres.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TypeGuard

from sim.errors import LayoutError, Problem
from sim.layout.building import STOREY_HEIGHT, Building, Level, connectors_from_points
from sim.layout.floor import Floor

LEVEL_KEYS = ("id", "file", "ordinal", "height", "name", "layers")
TOP_KEYS = ("name", "levels")


def is_floor_list(data: object) -> TypeGuard[Mapping[str, object]]:
    """True when parsed plan data is a building listed floor by floor (a ``levels`` list)."""
    return isinstance(data, Mapping) and "levels" in data and "type" not in data


def is_floor_list_file(path: Path) -> bool:
    """True when ``path`` is a YAML or JSON building file listing one plan per level."""
    from sim.layout.formats.common import parse_json, parse_yaml, read_text

    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json") or not path.is_file():
        return False
    parse = parse_json if suffix == ".json" else parse_yaml
    return is_floor_list(parse(read_text(path), str(path)))


def building_from_floor_list(
    data: Mapping[str, object], path: Path
) -> tuple[Building, list[Problem]]:
    """Read every floor a building file lists into one building (and the problems found)."""
    source = str(path)
    problems: list[Problem] = [
        Problem(source, str(key), f"unknown key; expected one of {', '.join(TOP_KEYS)}")
        for key in data
        if key not in TOP_KEYS
    ]
    entries = data.get("levels")
    if not isinstance(entries, list) or not entries:
        raise LayoutError.single(
            source, "levels", "expected a list of levels like {id: '0', file: ground.dxf}"
        )
    levels: list[Level] = []
    for k, entry in enumerate(entries):
        level = _level(entry, f"levels[{k}]", path, problems, {lv.id for lv in levels}, k)
        if level is not None:
            levels.append(level)
    if problems:
        return Building(str(data.get("name") or path.stem), tuple(levels)), problems
    connectors, more = connectors_from_points(tuple(levels), source, {})
    return Building(str(data.get("name") or path.stem), tuple(levels), connectors), more


def _level(
    entry: object, where: str, path: Path, problems: list[Problem], seen: set[str], position: int
) -> Level | None:
    source = str(path)
    if not isinstance(entry, Mapping):
        problems.append(Problem(source, where, "expected {id: '0', file: ground.dxf}"))
        return None
    for key in entry:
        if key not in LEVEL_KEYS:
            problems.append(
                Problem(
                    source,
                    f"{where}.{key}",
                    f"unknown key; expected one of {', '.join(LEVEL_KEYS)}",
                )
            )
    level_id, file = entry.get("id"), entry.get("file")
    if not isinstance(level_id, str | int) or isinstance(level_id, bool) or str(level_id) == "":
        problems.append(Problem(source, f"{where}.id", "expected a level id like '0' or 'G'"))
        return None
    if str(level_id) in seen:
        problems.append(Problem(source, f"{where}.id", f"level {level_id!r} is listed twice"))
        return None
    if not isinstance(file, str) or not file:
        problems.append(Problem(source, f"{where}.file", "expected the plan file of the level"))
        return None
    ordinal = _whole(entry.get("ordinal"), f"{where}.ordinal", source, problems)
    if ordinal is None:
        ordinal = int(level_id) if str(level_id).lstrip("-").isdigit() else position
    height = entry.get("height", STOREY_HEIGHT)
    if not isinstance(height, int | float) or isinstance(height, bool) or not 0 < height <= 50:
        problems.append(
            Problem(source, f"{where}.height", f"expected metres in (0, 50], got {height!r}")
        )
        return None
    floor = _floor(path.parent / file, entry.get("layers"), f"{where}.layers", source, problems)
    if floor is None:
        return None
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        name = f"{floor.name} level {level_id}" if entry.get("layers") else floor.name
    floor = Floor(name, floor.spaces, floor.openings, floor.points)
    return Level(str(level_id), ordinal, floor, float(height))


def _whole(value: object, where: str, source: str, problems: list[Problem]) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    problems.append(Problem(source, where, f"expected a whole number, got {value!r}"))
    return None


def _floor(
    file: Path, layers: object, where: str, source: str, problems: list[Problem]
) -> Floor | None:
    from sim.layout.load import read_floor

    if layers is None:
        floor, found = read_floor(file)
    elif not isinstance(layers, str) or not layers:
        problems.append(Problem(source, where, "expected a layer name prefix like 'L1-'"))
        return None
    elif file.suffix.lower() != ".dxf":
        problems.append(
            Problem(source, where, f"a layer prefix applies to DXF drawings, not to {file.name!r}")
        )
        return None
    else:
        from sim.layout.formats.dxf import read_dxf

        floor, found = read_dxf(file, layer_prefix=layers)
    problems += found
    return floor
