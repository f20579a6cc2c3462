"""The inputs of an experiment: a validated scenario and its floor plan, each built once per process.

The scenario layer validates what a planner wrote; this module adds the one check that needs a
file beyond the scenario, its floor plan, and keeps each plan built (network, travel tables) in
a per-process cache so that every replication in a worker reuses it. The engine is handed the
plan; it never reads a file itself.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from sim.errors import ScenarioError
from sim.layout import load_floor
from sim.layout.building import load_building
from sim.model.plan import FloorPlan, build_plan
from sim.model.space_plan import SpacePlan, build_space_plan
from sim.scenario.loading import read_scenario, validate_scenario
from sim.scenario.spec import Scenario

_CACHE: dict[tuple[object, ...], FloorPlan] = {}
_LOCK = threading.Lock()
# How many plans this process has built (not served from the cache); tests read it.
builds = 0


def plan_builds() -> int:
    """How many floor plans this process has built so far (cache hits do not count)."""
    return builds


def plan_for(scenario: Scenario, source: str = "<scenario>") -> FloorPlan | None:
    """The floor plan of ``scenario`` (None without a layout), cached per file state and use."""
    global builds
    if scenario.layout is None:
        return None
    path = Path(scenario.layout)
    try:
        stat = path.stat()
    except OSError:
        raise ScenarioError.single(
            source, "layout", f"floor plan {str(path)!r} not found"
        ) from None
    key: tuple[object, ...] = (
        str(path),
        stat.st_mtime_ns,
        stat.st_size,
        scenario.floor.model_dump_json(),
        json.dumps(scenario.echo()["staff"], sort_keys=True),
        scenario.back_office.model_dump_json() if scenario.back_office else "",
        scenario.zoning.model_dump_json(),
        scenario.waiting_area.model_dump_json(),
    )
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    plan = build_plan(scenario, load_floor(path, reuse=True), source)
    with _LOCK:
        _CACHE[key] = plan
        builds += 1
    return plan


_SPACE_CACHE: dict[tuple[object, ...], SpacePlan] = {}


def space_plan_for(scenario: Scenario, source: str = "<scenario>") -> SpacePlan | None:
    """The building of ``scenario``'s space section (None without one), cached per file state."""
    spec = scenario.space
    if spec is None:
        return None
    layout = spec.layout or scenario.layout
    if layout is None:
        raise ScenarioError.single(
            source,
            "space.layout",
            "the space section needs a plan: give 'space.layout' or 'layout'",
        )
    path = Path(layout)
    try:
        stat = path.stat()
    except OSError:
        raise ScenarioError.single(
            source, "space.layout", f"floor plan {str(path)!r} not found"
        ) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size, spec.model_dump_json())
    with _LOCK:
        cached = _SPACE_CACHE.get(key)
    if cached is not None:
        return cached
    plan = build_space_plan(load_building(path), spec, source)
    with _LOCK:
        _SPACE_CACHE[key] = plan
    return plan


def scenario_from_dict(
    data: Mapping[str, Any],
    source: str = "<scenario>",
    base_dir: Path | None = None,
    overrides: Sequence[str] = (),
    *,
    overrides_source: str = "--set",
) -> Scenario:
    """Validate plain data into a ``Scenario`` and check it against its floor plan.

    Raises ``ScenarioError`` listing every problem; the plan built on the way is cached, so the
    run that follows does not build it again.
    """
    scenario = validate_scenario(
        data, source, base_dir, overrides, overrides_source=overrides_source
    )
    plan_for(scenario, source)
    space_plan_for(scenario, source)
    return scenario


def load_scenario(path: str | Path, overrides: Sequence[str] = ()) -> Scenario:
    """Load and validate a scenario file and its floor plan; relative paths resolve against it."""
    scenario = read_scenario(path, overrides)
    plan_for(scenario, str(path))
    space_plan_for(scenario, str(path))
    return scenario


def with_run_settings(
    scenario: Scenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    source: str | None = None,
) -> Scenario:
    """``scenario`` with another replication count or root seed, checked against the schema.

    These two settings change how often and from where the same scenario is replicated, never
    what it means, so they are set as values without validating the scenario again.
    """
    update: dict[str, int] = {}
    for key, value in (("replications", replications), ("seed", seed)):
        if value is not None:
            update[key] = _checked_field(key, value, source or f"<{scenario.name}>")
    return scenario.model_copy(update=update) if update else scenario


def _checked_field(key: str, value: object, source: str) -> int:
    info = Scenario.model_fields[key]
    adapter: TypeAdapter[int] = TypeAdapter(Annotated[int, *info.metadata])
    try:
        return adapter.validate_python(value, strict=True)
    except ValidationError as exc:
        message = exc.errors(include_url=False)[0]["msg"]
        raise ScenarioError.single(source, key, f"{message} (got {value!r})") from None
