"""The scenario JSON Schema, for editors' autocompletion and validation of scenario files.

It is pydantic's validation schema of :class:`~sim.scenario.spec.Scenario`, made to describe
files *as users write them*:

- keys an IT level preset fills (``it.handoff``, ``it.rekey_time``, ...) are optional, and
  their descriptions give each preset's value;
- a key whose value is another object carries that object's description beside its ``$ref``, so
  an editor's hover text is never empty;
- every key without examples gets its default as an example.

The schema ships as ``docs/officesim.schema.json`` (a test checks it is current), which the
shipped examples name in their ``# yaml-language-server: $schema=`` first line.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from sim.scenario.it import PRESETS
from sim.scenario.spec import SCENARIO_SCHEMA_VERSION, Scenario
from sim.units import DURATION_PATTERN

RANGE_DEF = "Range"
_BOUND = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DURATION_PATTERN}]}
_RANGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An assumption: a number or duration known only within a range "
    "(triangular with 'mode', else uniform); runs use the mode (or the middle).",
    "properties": {
        "low": {**_BOUND, "description": "Smallest plausible value."},
        "mode": {**_BOUND, "description": "Most likely value (optional: uniform without it)."},
        "high": {**_BOUND, "description": "Largest plausible value."},
        "note": {"type": "string", "description": "Where the range comes from."},
    },
    "required": ["low", "high"],
    "additionalProperties": False,
}

SCHEMA_FILE = "docs/officesim.schema.json"
"""Where the schema ships in the repository (relative to the repository root)."""


_DIST = {
    "dist": "Name of the distribution family.",
    "unit": "Time unit of bare numbers in this distribution (e.g. min); units in strings win.",
}
DESCRIPTIONS: dict[str, str] = {
    "root.name": "Name shown in results and reports.",
    "root.description": "Free text.",
    "root.replications": "Independent repetitions with different random clients; confidence intervals come from their spread.",
    "root.hours": "Opening hours, the same every simulated day.",
    "root.waiting_area": "Where clients wait; a full waiting area turns new clients away.",
    "root.reception": "Optional first step every client takes (triage, ticket); `null` = no reception.",
    "root.client_classes": "One entry per kind of client.",
    "root.staff": "One entry per front-office role.",
    "root.targets": "Service targets the results are judged against.",
    "root.back_office": "Teams, task types and scheduled work behind the front office.",
    "root.it": "IT integration level and its parameters.",
    "root.zoning": "What noise exposure and interruptions cost back-office staff.",
    "root.costs": "Rent, lost clients and late tasks (staff rates sit with each role).",
    "root.floor": "Which points and spaces of the floor plan are the entrance, exit and waiting spaces.",
    "root.walking": "Walking speeds on the floor plan.",
    "ClientClass.description": "Free text.",
    "ClientClass.arrivals": "Walk-ins (a Poisson process, rate per opening hour).",
    "ClientClass.appointments": "Booked clients (slots repeated every day).",
    "StaffRole.description": "Free text.",
    "Team.description": "Free text.",
    "StaffRole.shifts": "Working blocks repeated every day (instead of 'count').",
    "Team.shifts": "Working blocks repeated every day (instead of 'count').",
    "StaffRole.breaks": "Breaks every member takes, staggered.",
    "Team.breaks": "Breaks every member takes, staggered.",
    "Shift.start": "Start of duty (may be before opening).",
    "Shift.end": "Scheduled end of duty; after 'start'.",
    "Break.duration": "Length of each member's break.",
    "Team.offsite": "The team works in another building; `null` = on site.",
    "TaskType.description": "Free text.",
    "TaskType.steps": "The route of the task: the steps in order.",
    "Step.team": "Team that does the step.",
    "Step.rework": "Send the task back to an earlier step with some probability.",
    "Rework.probability": "Chance the task goes back after this step (must be below 1).",
    "Recurring.task": "Task type created.",
    "Recurring.at": "Clock time at which the tasks are created.",
    "BackOffice.teams": "Staff pools that work through the tasks, one entry per team.",
    "BackOffice.tasks": "Kinds of back-office work and their routes, one entry per task type.",
    "BackOffice.recurring": "Work created on a schedule, not by clients.",
    "TaskSource.task": "Task type started.",
    "TaskSource.probability": "Chance that a served client starts this task.",
    "Lookup.team": "Back-office team that holds the information.",
    "Costs.currency": "Currency label shown in results (text only, up to 8 characters).",
    "Costs.working_days_per_month": "Turns monthly rent and IT cost into a cost per day.",
    "Zoning.noise": "Effects of working within earshot of clients.",
    "root.layout": "Floor plan file, relative to the scenario file.",
    "root.space": "The workforce on the floor: attendance, desks, rooms, levels (optional).",
    "Space.teams": "The workforce by team (counts, not names).",
    "Space.desks": "The desk policy and which desks of the plan are used.",
    "Space.rooms": "Room booking: ghosts and auto-release.",
    "Space.movement": "Stairs, lifts and doors.",
    "WorkTeam.arrival": "When members arrive (normal around 'mean').",
    "WorkTeam.departure": "When members leave (normal around 'mean').",
    "WorkTeam.day": "Shares of the stay at the desk, in meetings and away.",
    "WorkTeam.meetings": "Room bookings the team makes each day.",
    "Movement.lifts": "Cars, capacity and timing of every lift.",
    "Empirical.values": "Observed values, drawn with their weights.",
    "Empirical.weights": "Relative weight of each value (default: equal).",
    "Exponential.mean": "Mean.",
    "Fixed.value": "The value every draw takes.",
    "Gamma.mean": "Mean.",
    "Lognormal.mean": "Mean (of the values, not of their logarithm).",
    "Lognormal.sd": "Standard deviation (of the values, not of their logarithm).",
    "Normal.mean": "Mean (draws are truncated at 0).",
    "Normal.sd": "Standard deviation.",
    "Triangular.low": "Smallest value.",
    "Triangular.mode": "Most likely value.",
    "Triangular.high": "Largest value.",
    "Uniform.low": "Smallest value.",
    "Uniform.high": "Largest value.",
}
"""Descriptions of keys whose model field has none (``Definition.key``; ``root`` = top level)."""


def scenario_json_schema(*, ranges: bool = True) -> dict[str, Any]:
    """The JSON Schema of scenario files (as written, with units and clock times as strings).

    With ``ranges`` (the default) every number and duration also accepts a range
    (``{low, mode, high}``, an assumption); without, the schema of point values only (for the
    generated key reference, which documents ranges once).
    """
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://officesim.org/schema/scenario-v{SCENARIO_SCHEMA_VERSION}.json"
    schema["title"] = "officesim scenario"
    _preset_keys_optional(schema["$defs"]["ITIntegration"])
    defs = schema["$defs"]
    for owner, node in [("root", schema), *defs.items()]:
        for key, prop in node.get("properties", {}).items():
            text = DESCRIPTIONS.get(f"{owner}.{key}") or _DIST.get(key)
            if text and "description" not in prop:
                prop["description"] = text
            _describe(prop, defs)
    if ranges:
        schema = _with_ranges(schema)
        schema.setdefault("$defs", {})[RANGE_DEF] = _RANGE_SCHEMA
    return schema


def _is_number_leaf(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    if kind in ("number", "integer"):
        return True
    return kind == "string" and node.get("pattern") == DURATION_PATTERN


def _with_ranges(node: Any) -> Any:
    """Every number and duration of the schema also accepts a range (an assumption)."""
    if isinstance(node, list):
        return [_with_ranges(v) for v in node]
    if not isinstance(node, dict):
        return node
    if _is_number_leaf(node):
        wrapped: dict[str, Any] = {"anyOf": [node, {"$ref": f"#/$defs/{RANGE_DEF}"}]}
        if "description" in node:  # editors show the description of the key itself
            wrapped["description"] = node["description"]
        return wrapped
    return {k: _with_ranges(v) if k != "const" else v for k, v in node.items()}


def schema_text() -> str:
    """The schema as the text of the shipped schema file."""
    return json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"


def _preset_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def _preset_keys_optional(it: dict[str, Any]) -> None:
    """Keys the level preset fills are not required; their descriptions give the presets."""
    filled = set(PRESETS["manual"])
    it["required"] = [k for k in it.get("required", []) if k not in filled]
    if not it["required"]:
        del it["required"]
    for key, prop in it["properties"].items():
        if key not in filled:
            continue
        values = "; ".join(f"{level}: {_preset_text(p[key])}" for level, p in PRESETS.items())
        prop["description"] = (
            f"{prop.get('description', '').rstrip()} Default from the level preset ({values})."
        ).strip()
        prop.setdefault("examples", [copy.deepcopy(PRESETS["partial"][key])])


def _describe(prop: dict[str, Any], defs: dict[str, Any]) -> None:
    """Give a property a description (from the object it refers to) and examples."""
    ref = _single_ref(prop)
    if "description" not in prop and ref is not None:
        text = defs[ref].get("description")
        if text:
            prop["description"] = " ".join(text.split())
    if "examples" not in prop and prop.get("default") is not None:
        prop["examples"] = [prop["default"]]


def _single_ref(prop: dict[str, Any]) -> str | None:
    """The definition a property refers to (directly, or as the one non-null choice)."""
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    choices = [c for c in prop.get("anyOf", []) if c.get("type") != "null"]
    if len(choices) == 1 and "$ref" in choices[0]:
        return str(choices[0]["$ref"]).rsplit("/", 1)[-1]
    items = prop.get("additionalProperties")
    if isinstance(items, dict) and "$ref" in items:
        return str(items["$ref"]).rsplit("/", 1)[-1]
    return None
