"""The scenario JSON Schema, for editors' autocompletion and validation of scenario files."""

from __future__ import annotations

from typing import Any

from sim.scenario.spec import SCENARIO_SCHEMA_VERSION, Scenario


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (as written, with units and clock times as strings)."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://officesim.org/schema/scenario-v{SCENARIO_SCHEMA_VERSION}.json"
    schema["title"] = "officesim scenario"
    return schema
