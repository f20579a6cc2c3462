"""The shipped JSON Schema of scenario files agrees with the loader on what is valid."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sim.experiment.inputs import scenario_from_dict
from sim.layout.formats.floors import is_floor_list
from sim.scenario.schema import SCHEMA_FILE, scenario_json_schema, schema_text
from tests.conftest import small_scenario


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def full_scenario() -> dict[str, Any]:
    """A scenario using every kind of field: shorthand distributions, units, slots, breaks."""
    data = small_scenario()
    data["description"] = "every feature once"
    data["warmup_days"] = 1
    data["reception"] = {"service": "1 min"}
    data["waiting_area"] = {"capacity": 12}
    data["client_classes"]["walk_in"]["arrivals"] = {"rate": [20, 30, 10], "day_factors": [1, 1.2]}
    data["client_classes"]["booked"] = {
        "skill": "general",
        "priority": 1,
        "reception": False,
        "appointments": {
            "start": "09:00",
            "end": "11:00",
            "every": "20 min",
            "no_show": 0.1,
            "punctuality_mean": "-2 min",
            "punctuality_sd": "3 min",
        },
        "service": {"dist": "empirical", "values": [4, 6, 9], "weights": [1, 2, 1], "unit": "min"},
        "patience": "15 min",
    }
    data["staff"]["teller"] = {
        "skills": ["general", "reception"],
        "shifts": [{"start": "09:00", "end": "12:00", "count": 3}],
        "breaks": [{"start": "10:00", "duration": "15 min", "stagger": "15 min"}],
        "cost_per_hour": 30,
    }
    data["targets"] = {"wait": "10 min", "service_level": 0.8, "max_abandonment": None}
    return data


def information_scenario() -> dict[str, Any]:
    """Lookup consequences, answer quality per level and self-service, with a back office."""
    data = small_scenario()
    data["it"] = {"level": "partial", "answers": {"stale": 0.04, "unanswered": 0.06}}
    data["costs"] = {"lost_deal_value": 50}
    data["back_office"] = {
        "teams": {"stock": {"count": 1}},
        "tasks": {"call": {"due": "4 h", "steps": [{"team": "stock", "time": "3 min"}]}},
    }
    walk_in = data["client_classes"]["walk_in"]
    walk_in["creates"] = [{"task": "call", "probability": 0.2}]
    walk_in["self_service"] = {"share": 0.3, "containment": 0.6, "time": "2 min"}
    walk_in["lookup"] = {
        "team": "stock",
        "probability": 0.4,
        "time": "1 min",
        "quality": {"partial": {"stale": 0.1}, "outage": {"unanswered": 1}},
        "consequences": {
            "unanswered": {"leave": 0.3, "repeat": 0.2, "callback": 0.2},
            "stale": {"rework": 0.5},
            "deal_value": 120,
            "callback_task": "call",
            "rework_after": {"dist": "uniform", "low": "4 h", "high": "2 d"},
        },
    }
    return data


def channel_scenario() -> dict[str, Any]:
    """A scenario with phone, chat and e-mail classes and both kinds of blended work."""
    data = small_scenario()
    data["client_classes"]["call"] = {
        "skill": "general",
        "channel": "phone",
        "arrivals": {"rate": 10},
        "service": "4 min",
        "patience": {"dist": "exponential", "mean": "3 min"},
    }
    data["client_classes"]["chat"] = {
        "skill": "general",
        "channel": "chat",
        "arrivals": {"rate": 6},
        "after_hours_rate": 1.5,
        "service": "8 min",
    }
    data["client_classes"]["mail"] = {
        "skill": "general",
        "channel": "email",
        "arrivals": {"rate": 3},
        "service": "6 min",
        "creates": [{"task": "order", "probability": 0.5}],
    }
    data["staff"]["agent"] = {
        "count": 2,
        "skills": ["general"],
        "channels": ["phone", "chat", "email"],
    }
    data["channels"] = {"chat": {"sessions": 2, "slowdown": 0.1}, "email": {"due": "4 h"}}
    data["back_office"] = {
        "teams": {"ops": {"count": 1}},
        "tasks": {"order": {"steps": [{"team": "ops", "time": "5 min"}], "due": "1 d"}},
    }
    data["blending"] = {
        "front": {"teller": {"teams": ["ops"], "rule": "tasks_first", "switch_time": "30 s"}},
        "back": {"ops": {"skills": ["general"], "channels": ["phone"], "when_waiting": 3}},
    }
    return data


def back_office_alone() -> dict[str, Any]:
    """No client classes and no staff: only back-office teams and tasks."""
    return {
        "name": "back office",
        "hours": {"open": "08:00", "close": "16:00"},
        "back_office": {
            "teams": {"desk": {"count": 2}},
            "tasks": {
                "file": {
                    "due": "1 d",
                    "arrivals": {"rate": 4},
                    "steps": [{"team": "desk", "time": "10 min"}],
                }
            },
        },
    }


def test_over_one_share_is_refused_by_schema_or_loader(validator: Any) -> None:
    data = information_scenario()
    data["client_classes"]["walk_in"]["lookup"]["consequences"]["stale"] = {
        "leave": 0.7,
        "rework": 0.7,
    }
    with pytest.raises(Exception, match="add up to"):
        scenario_from_dict(data)


@pytest.mark.parametrize(
    "make",
    [small_scenario, full_scenario, information_scenario, back_office_alone, channel_scenario],
)
def test_valid_scenarios_pass_schema_and_loader(make: Any, validator: Any) -> None:
    data = make()
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []
    scenario_from_dict(data)


def test_layout_is_a_string_in_the_schema(validator: Any) -> None:
    data = small_scenario()
    data["layout"] = "plans/floor.yaml"
    assert [e.message for e in validator.iter_errors(data)] == []
    data["layout"] = 3
    assert not validator.is_valid(data)


def test_schema_metadata() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("scenario-v1.json")
    assert schema["title"] == "officesim scenario"
    assert schema["additionalProperties"] is False
    json.dumps(schema, allow_nan=False)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d.update(staf=d.pop("staff")), "'staf' was unexpected"),
        (lambda d: d.update(days=0), "less than the minimum of 1"),
        (lambda d: d["hours"].update(open="9 am"), "does not match"),
        (lambda d: d["client_classes"]["walk_in"].update(service="5 minuts"), "is not valid"),
        (
            lambda d: d["client_classes"]["walk_in"]["service"].update(dist="exponental"),
            "is not valid",
        ),
        (lambda d: d["client_classes"]["walk_in"]["arrivals"].update(rate=-1), "is not valid"),
        (lambda d: d["staff"]["teller"].update(skills=[]), "should be non-empty"),
        (lambda d: d["client_classes"]["walk_in"].update(channel="fone"), "is not one of"),
        (lambda d: d.update(channels={"chat": {"sessions": 0}}), "less than the minimum of 1"),
    ],
    ids=[
        "unknown key",
        "days",
        "clock",
        "duration",
        "dist name",
        "rate",
        "no skills",
        "channel",
        "chat sessions",
    ],
)
def test_schema_rejects_what_the_loader_rejects(change: Any, fragment: str, validator: Any) -> None:
    data = small_scenario()
    change(data)
    messages = _messages(validator.iter_errors(data))
    assert any(fragment in m for m in messages), messages


def _messages(errors: Any) -> list[str]:
    """Every message, including the reasons inside 'anyOf' (a number or a range)."""
    out = []
    for e in errors:
        out.append(e.message)
        out.extend(_messages(e.context or []))
    return out


def test_ranges_are_in_the_schema(validator: Any) -> None:
    data = small_scenario()
    data["staff"]["teller"]["count"] = {"low": 2, "mode": 3, "high": 4}
    data["client_classes"]["walk_in"]["service"]["mean"] = {"low": "4 min", "high": "6 min"}
    data["costs"] = {"lost_client_value": {"low": 20, "high": 60, "note": "a guess"}}
    assert [e.message for e in validator.iter_errors(data)] == []
    scenario_from_dict(data)
    data["staff"]["teller"]["count"] = {"low": 2, "most": 3, "high": 4}
    assert not validator.is_valid(data)


def test_distribution_shorthand_is_in_the_schema(validator: Any) -> None:
    data = small_scenario()
    data["client_classes"]["walk_in"]["service"] = "4 min"
    data["client_classes"]["walk_in"]["patience"] = None
    assert [e.message for e in validator.iter_errors(data)] == []


def test_every_distribution_is_in_the_schema() -> None:
    defs = scenario_json_schema()["$defs"]
    for name in ("Fixed", "Exponential", "Uniform", "Triangular", "Normal", "Lognormal"):
        assert name in defs
    assert "mean" in defs["Exponential"]["properties"]  # the alias, not the attribute name
    assert "cv" in defs["Gamma"]["properties"]


# ------------------------------------------------------------- shipped files against the schema

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
MODELINE = "# yaml-language-server: $schema=../docs/officesim.schema.json"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_shipped_scenario_validates(path: Path, validator: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)] == []


def yaml_examples() -> list[tuple[str, str]]:
    """Every ```yaml block of the README and docs/ but floor plans, as (file:line, text).

    Floor plans (shorthand plans in docs/layouts.md: spaces, doors, desks) and building files
    (a ``levels`` list of plan files) are not scenarios; the layout tests read them."""
    found = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for m in re.finditer(r"```yaml\n(.*?)```", text, re.S):
            data = yaml.safe_load(m.group(1))
            if isinstance(data, dict) and {"spaces", "doors"} & set(data):
                continue
            if isinstance(data, dict) and is_floor_list(data):
                continue
            found.append((f"{doc.name}:{text[: m.start()].count(chr(10)) + 1}", m.group(1)))
    assert len(found) >= 10
    return found


def _owner(keys: set[str], schema: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema (top level first) whose keys include all of ``keys``."""
    for node in [schema, *schema["$defs"].values()]:
        if keys <= set(node.get("properties", {})):
            return node
    return None


@pytest.mark.parametrize(("where", "text"), yaml_examples(), ids=lambda v: str(v)[:40])
def test_every_yaml_example_in_the_docs_validates(where: str, text: str) -> None:
    """A whole scenario validates as it is; an excerpt (only some keys of a scenario, a client
    class, a role...) validates key by key against the schema of the object it belongs to."""
    schema = scenario_json_schema()
    data = yaml.safe_load(text)
    assert isinstance(data, dict), where
    if {"name", "hours", "client_classes", "staff"} <= set(data):
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    else:
        owner = _owner(set(data), schema)
        assert owner is not None, f"{where}: keys {sorted(data)} belong to no scenario object"
        errors = []
        for key, value in data.items():
            sub = {"$defs": schema["$defs"], **owner["properties"][key]}
            errors += jsonschema.Draft202012Validator(sub).iter_errors(value)
    if "# ..." in text:  # an excerpt that leaves keys out on purpose
        errors = [e for e in errors if e.validator != "required"]
    assert [f"{where} {list(e.path)}: {e.message}" for e in errors] == []


def test_the_shipped_schema_file_is_current() -> None:
    shipped = (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")
    assert shipped == schema_text(), "regenerate: python -m sim schema > docs/officesim.schema.json"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenarios_name_the_schema_for_editors(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    target = (path.parent / first.partition("$schema=")[2]).resolve()
    assert target == (ROOT / SCHEMA_FILE).resolve() and target.is_file()


def test_every_key_is_described_and_preset_keys_are_optional() -> None:
    schema = scenario_json_schema()
    for owner, node in [("root", schema), *schema["$defs"].items()]:
        for key, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"{owner}.{key}"
    it = schema["$defs"]["ITIntegration"]
    assert "handoff" not in it.get("required", [])
    text = it["properties"]["pickup_interval"]["description"]
    assert "manual: 2 h" in text and "integrated: 0 s" in text
