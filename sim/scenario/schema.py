"""The scenario JSON Schema, for editors' autocompletion and validation of scenario files."""

from __future__ import annotations

from typing import Any

from sim.scenario.spec import SCENARIO_SCHEMA_VERSION, Scenario
from sim.units import DURATION_PATTERN

RANGE_DEF = "Range"
_BOUND = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DURATION_PATTERN}]}
_RANGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An assumption: a number or duration known only within a range "
    "(triangular with 'mode', else uniform); runs use the mode (or the middle).",
    "properties": {
        "low": _BOUND,
        "mode": _BOUND,
        "high": _BOUND,
        "note": {"type": "string", "description": "Where the range comes from."},
    },
    "required": ["low", "high"],
    "additionalProperties": False,
}


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
    # The IT level's preset fills every key a file leaves out, so none of them is required.
    schema.get("$defs", {}).get("ITIntegration", {}).pop("required", None)
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
        return {"anyOf": [node, {"$ref": f"#/$defs/{RANGE_DEF}"}]}
    return {k: _with_ranges(v) if k != "const" else v for k, v in node.items()}
