"""One entry point for every plan format: ``load_floor(path)``.

Dispatches on the file extension (and, for ``.json``, on content), builds the floor, validates
it and raises ``LayoutError`` listing every problem, so callers never see a library exception.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path

from sim.errors import LayoutError, Problem
from sim.layout.floor import Floor
from sim.layout.formats.common import parse_json, read_text
from sim.layout.formats.geojson import floor_from_geojson, read_geojson
from sim.layout.formats.shorthand import floor_from_shorthand, read_shorthand
from sim.layout.validate import check_floor

SUFFIXES = (".geojson", ".json", ".yaml", ".yml", ".zip", ".dxf", "<IMDF folder>")


def load_floor(
    path: str | Path,
    *,
    validate: bool = True,
    layer_map: str | Path | None = None,
    reuse: bool = False,
) -> Floor:
    """Load a floor plan from GeoJSON, shorthand YAML, IMDF (zip or folder) or DXF.

    With ``validate`` (the default) the floor is also checked with ``check_floor`` and any
    problem raises ``LayoutError``; ``layer_map`` names a DXF layer-map file.

    With ``reuse``, a plan file this process loaded before and that is unchanged since (same
    path, size, modification time and inode) gives the floor built then (floors are frozen):
    a command's report draws the floor its run has loaded without reading the file again.
    """
    key = _file_state(Path(path)) if validate and layer_map is None else None
    if reuse and key is not None and key in _LOADED:
        return _LOADED[key]
    with warnings.catch_warnings():
        # NaN or huge coordinates make shapely warn before the plan's checks report them
        warnings.simplefilter("ignore", RuntimeWarning)
        floor, problems = read_floor(Path(path), layer_map=layer_map)
    if validate:
        problems = [*problems, *check_floor(floor, str(path))]
    if problems:
        raise LayoutError(problems)
    if key is not None:
        while len(_LOADED) >= LOADED_FLOORS:
            del _LOADED[next(iter(_LOADED))]  # the oldest
        _LOADED[key] = floor
    return floor


LOADED_FLOORS = 8
"""How many of the floors it loaded last :func:`load_floor` keeps for ``reuse``."""

_LOADED: dict[tuple[str, int, int, int], Floor] = {}


def _file_state(path: Path) -> tuple[str, int, int, int] | None:
    """A plan file's resolved path, size, modification time and inode; None for a folder (an
    IMDF folder changes with its files) or a path that cannot be read."""
    try:
        resolved = path.resolve()
        stat = resolved.stat()
    except (OSError, RuntimeError, ValueError):
        return None
    if not resolved.is_file():
        return None
    return str(resolved), stat.st_size, stat.st_mtime_ns, stat.st_ino


def forget_loaded_floors() -> None:
    """Forget the floors kept for plan files loaded again (tests, long sessions)."""
    _LOADED.clear()


def read_floor(path: Path, *, layer_map: str | Path | None = None) -> tuple[Floor, list[Problem]]:
    """Parse a plan into a floor plus the problems found while parsing (no validation)."""
    source = str(path)
    suffix = path.suffix.lower()
    if layer_map is not None and suffix != ".dxf":
        raise LayoutError.single(
            str(layer_map), "", f"a layer map applies to DXF plans only, not to {path.name!r}"
        )
    if path.is_dir() or suffix == ".zip":
        from sim.layout.formats.imdf import read_imdf

        return read_imdf(path)
    if suffix == ".dxf":
        from sim.layout.formats.dxf import read_dxf

        return read_dxf(path, layer_map=Path(layer_map) if layer_map else None)
    if suffix == ".geojson":
        return read_geojson(path)
    if suffix in (".yaml", ".yml"):
        return read_shorthand(path)
    if suffix == ".json":
        data = parse_json(read_text(path), source)
        if isinstance(data, Mapping) and data.get("type") == "FeatureCollection":
            return floor_from_geojson(data, source, name=path.stem)
        return floor_from_shorthand(data, source, name=path.stem)
    if not path.exists():
        raise LayoutError.single(source, "", "file not found")
    raise LayoutError.single(
        source,
        "",
        f"unknown plan format {suffix or '(no extension)'!r}; expected one of "
        f"{', '.join(SUFFIXES)}",
    )


def floor_from_dict(
    data: Mapping[str, object], source: str = "<layout>", *, validate: bool = True
) -> Floor:
    """Build a floor from an in-memory GeoJSON FeatureCollection or shorthand mapping."""
    if data.get("type") == "FeatureCollection":
        floor, problems = floor_from_geojson(data, source)
    else:
        floor, problems = floor_from_shorthand(data, source)
    if validate:
        problems = [*problems, *check_floor(floor, source)]
    if problems:
        raise LayoutError(problems)
    return floor
