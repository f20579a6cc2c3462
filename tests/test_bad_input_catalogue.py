"""The bad-input catalogue: every mistake a planner makes, run through the command line.

One parametrize row per mistake. Each row asserts exit code 2, an ``error: FILE: key.path:
message`` line naming the exact problem, no traceback, and that an output folder written by an
earlier run is left byte-for-byte as it was. Rows marked ``bug`` are known defects (xfail,
strict): remove the marker when the code is fixed. docs/errors.md lists these messages.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.cli.main import EXIT_INVALID, main
from tests.conftest import small_scenario

REPO = Path(__file__).resolve().parents[1]

PLAN: dict[str, Any] = {
    "name": "tiny",
    "spaces": {
        "hall": {"category": "lobby", "rect": [0, 0, 10, 6]},
        "waiting": {"category": "waiting", "rect": [0, 6, 10, 3]},
        "back": {"category": "back_office", "rect": [10, 0, 5, 6]},
    },
    "doors": [
        {"between": ["outside", "hall"], "at": [5, 0], "width": 1.2},
        {"between": ["hall", "waiting"], "at": [5, 6], "width": 2},
        {"between": ["hall", "back"], "at": [10, 3]},
    ],
    "desks": [{"id": "D1", "at": [8, 3]}, {"id": "D2", "at": [6, 3]}, {"id": "B1", "at": [12, 3]}],
    "seats": [{"row": {"from": [1, 8], "to": [9, 8], "count": 4, "prefix": "S"}}],
    "entrances": [{"id": "entrance", "at": [5, 0.6]}],
    "exits": [{"id": "exit", "at": [6, 0.6]}],
}
"""A valid shorthand plan: hall, waiting room, staff-only back office; desks D1, D2, B1."""

BACK_OFFICE: dict[str, Any] = {
    "teams": {"ops": {"count": 1}},
    "tasks": {"order": {"steps": [{"team": "ops", "time": "5 min"}], "due": "1 d"}},
}

LON_LAT_RING = [[13.4, 52.52], [13.4001, 52.52], [13.4001, 52.5201], [13.4, 52.5201]]


class Bench:
    """A temporary folder holding the files of one case and an earlier run's output folder."""

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "out"
        self.out.mkdir()
        (self.out / "results.json").write_text(
            json.dumps({"schema": "officesim/results", "kpis": {"all.wait_mean_min": 1.5}}),
            encoding="utf-8",
        )
        (self.out / "kpis.csv").write_text("kpi,mean\nall.wait_mean_min,1.5\n", encoding="utf-8")
        (self.out / "store.sqlite").write_bytes(b"an earlier run's store")

    def write(self, name: str, data: Any) -> str:
        """Write YAML data (or raw bytes) to ``name``; return its path."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return str(path)

    def run(self, scenario: str, *extra: str) -> list[str]:
        """``officesim run SCENARIO -o out`` with the given extra arguments."""
        return ["run", scenario, "-o", str(self.out), "-q", "-j", "1", *extra]

    def snapshot(self) -> dict[str, bytes]:
        """Every file of the output folder with its bytes."""
        return {
            str(p.relative_to(self.out)): p.read_bytes()
            for p in sorted(self.out.rglob("*"))
            if p.is_file()
        }


Mutate = Callable[[dict[str, Any]], object]


def scenario(mutate: Mutate, *extra: str) -> Callable[[Bench], list[str]]:
    """``run`` a copy of the small scenario changed by ``mutate`` (written to scenario.yaml)."""

    def make(b: Bench) -> list[str]:
        data = small_scenario()
        data["replications"] = 2
        mutate(data)
        return b.run(b.write("scenario.yaml", data), *extra)

    return make


def with_plan(
    mutate: Mutate = lambda s: None, plan: Mutate = lambda p: None
) -> Callable[[Bench], list[str]]:
    """``run`` the small scenario on plan.yaml (two tellers at D1, D2), both changed."""

    def make(b: Bench) -> list[str]:
        floor = json.loads(json.dumps(PLAN))
        plan(floor)
        b.write("plan.yaml", floor)
        data = small_scenario()
        data["layout"] = "plan.yaml"
        data["staff"]["teller"]["desks"] = ["D1", "D2"]
        mutate(data)
        return b.run(b.write("scenario.yaml", data))

    return make


def file_with(name: str, content: bytes) -> Callable[[Bench], list[str]]:
    """``run`` a scenario file holding exactly ``content``."""
    return lambda b: b.run(b.write(name, content))


def scenario_on_layout(name: str, content: bytes) -> Callable[[Bench], list[str]]:
    """``run`` the small scenario whose layout is a file ``name`` holding ``content``."""

    def make(b: Bench) -> list[str]:
        b.write(name, content)
        data = small_scenario()
        data["layout"] = name
        data["staff"]["teller"]["desks"] = ["D1", "D2"]
        return b.run(b.write("scenario.yaml", data))

    return make


def floor_list(levels: list[dict[str, Any]]) -> Callable[[Bench], list[str]]:
    """``officesim layout check building.yaml`` on a building listing PLAN once per level."""

    def make(b: Bench) -> list[str]:
        b.write("plan.yaml", PLAN)
        return ["layout", "check", b.write("building.yaml", {"levels": levels})]

    return make


def layout(action: str, plan: Mutate, *extra: str) -> Callable[[Bench], list[str]]:
    """``officesim layout ACTION plan.yaml`` on a changed copy of PLAN."""

    def make(b: Bench) -> list[str]:
        floor = json.loads(json.dumps(PLAN))
        plan(floor)
        path = b.write("plan.yaml", floor)
        return ["layout", action, path, *(e.format(root=b.root) for e in extra)]

    return make


def setter(path: str, value: Any) -> Mutate:
    """A mutation setting the dotted key ``path`` (creating mappings on the way)."""
    parts = path.split(".")

    def mutate(data: dict[str, Any]) -> None:
        node = data
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        node[parts[-1]] = value

    return mutate


def dropper(path: str) -> Mutate:
    """A mutation removing the dotted key ``path``."""
    parts = path.split(".")

    def mutate(data: dict[str, Any]) -> None:
        node = data
        for part in parts[:-1]:
            node = node[part]
        del node[parts[-1]]

    return mutate


def both(*mutations: Mutate) -> Mutate:
    """Apply several mutations in turn."""

    def mutate(data: dict[str, Any]) -> None:
        for m in mutations:
            m(data)

    return mutate


def back_office(mutate: Mutate = lambda bo: None) -> Mutate:
    """Add a (changed copy of) BACK_OFFICE; the walk-in class creates 'order' tasks."""

    def add(data: dict[str, Any]) -> None:
        bo = json.loads(json.dumps(BACK_OFFICE))
        mutate(bo)
        data["back_office"] = bo
        data["client_classes"]["walk_in"]["creates"] = [{"task": "order", "probability": 0.5}]

    return add


def alias_bomb(levels: int = 9) -> bytes:
    """The small scenario with a 'billion laughs' of YAML aliases under ``variants``."""
    anchors = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    anchors += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    text = yaml.safe_dump(small_scenario()) + "variants:\n  cases:\n    - {" + ", ".join(anchors)
    return (text + "}\n").encode()


def nested_description(depth: int) -> bytes:
    """The small scenario with a description nested ``depth`` lists deep."""
    text = yaml.safe_dump(small_scenario())
    return (text + "description: " + "[" * depth + "]" * depth + "\n").encode()


def imdf_zip_bomb(b: Bench) -> list[str]:
    """A small zip whose unit.geojson unpacks to 2 MB of spaces (the limit is lowered to 1 MB)."""
    import zipfile

    path = b.root / "plan.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps({"version": "1.0.0"}))
        archive.writestr("unit.geojson", '{"type": "FeatureCollection"' + " " * 2_000_000 + "}")
    assert path.stat().st_size < 20_000
    data = small_scenario()
    data["layout"] = "plan.zip"
    return b.run(b.write(SC, data))


def seats_row(count: int) -> Mutate:
    """A plan mutation: the waiting room's seat row holds ``count`` seats."""
    return lambda p: p["seats"][0]["row"].update(count=count)


def scaled_plan(factor: float) -> Mutate:
    """A plan mutation multiplying every coordinate and size by ``factor`` (a unit mistake)."""

    def scale(value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value * factor
        if isinstance(value, list):
            return [scale(v) for v in value]
        if isinstance(value, dict):
            return {k: v if k in ("count", "id", "prefix") else scale(v) for k, v in value.items()}
        return value

    def mutate(plan: dict[str, Any]) -> None:
        for key in ("spaces", "doors", "desks", "seats", "entrances", "exits"):
            plan[key] = scale(plan[key])

    return mutate


def degrees_plan(plan: dict[str, Any]) -> None:
    """A plan mutation moving the plan to longitude/latitude degrees (1 m = 1e-5 degrees)."""
    scaled_plan(1e-5)(plan)
    for space in plan["spaces"].values():
        space["rect"][0] += 13.4
        space["rect"][1] += 52.5


def optimize_on(b: Bench, *extra: str) -> list[str]:
    """``officesim optimize`` of the small scenario with the given options."""
    data = small_scenario()
    data["replications"] = 2
    return ["optimize", b.write(SC, data), "-o", str(b.out), "-q", "-j", "1", *extra]


WALK_IN = "client_classes.walk_in"
DUP_LINE = len(yaml.safe_dump(small_scenario()).splitlines()) + 1
"""Where a repeated key appended to the small scenario sits."""


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, the file and key path blamed, and words of the message."""

    id: str
    make: Callable[[Bench], list[str]]
    source: str
    """The file named (relative to the bench folder), or a literal such as ``--set``."""
    path: str
    """The key path named; empty for the whole file."""
    words: tuple[str, ...]
    bug: str | None = None
    """A known defect: the row is xfail (strict) with this reason."""
    isolated: bool = False
    """Run as ``python -m sim`` in a memory-capped subprocess (the input may exhaust memory)."""
    only_error: bool = False
    """The problem must be the only error line (no cascade of follow-on errors)."""
    env: tuple[tuple[str, str], ...] = ()
    """Environment variables set for the case (a lowered limit keeps the input small)."""


SC = "scenario.yaml"
USAGE = "<usage>"
"""Blames a command-line option in argparse's format: ``officesim CMD: error: argument OPT: ...``."""
CASES = [
    # ---- files that are not a scenario at all
    Case(
        "yaml syntax error",
        file_with(SC, b"name: x\nhours:\n  open: '09:00'\n close: '12:00'\n"),
        SC,
        "",
        ("YAML syntax error at line 4, column 2",),
    ),
    Case("empty file", file_with(SC, b""), SC, "", ("file is empty", "expected a scenario")),
    Case(
        "comments only",
        file_with(SC, b"# nothing here yet\n"),
        SC,
        "",
        ("file is empty",),
    ),
    Case(
        "binary file",
        file_with(SC, bytes(range(256))),
        SC,
        "",
        ("is a binary file", "UTF-8 YAML text file"),
    ),
    Case(
        "UTF-16 encoding",
        file_with(SC, yaml.safe_dump(small_scenario()).encode("utf-16")),
        SC,
        "",
        ("UTF-16", "save it as UTF-8"),
    ),
    Case(
        "Latin-1 encoding",
        file_with(SC, ("description: Café\n" + yaml.safe_dump(small_scenario())).encode("latin-1")),
        SC,
        "",
        ("is not UTF-8 text (byte 16)", "save it as UTF-8"),
    ),
    Case(
        "folder given as the scenario file",
        lambda b: b.run(str(b.root)),
        ".",
        "",
        ("is a folder; expected a YAML file",),
    ),
    Case(
        "scenario file does not exist",
        lambda b: b.run(str(b.root / "nope.yaml")),
        "nope.yaml",
        "",
        ("file not found",),
    ),
    Case(
        "duplicate key",
        file_with(SC, (yaml.safe_dump(small_scenario()) + "days: 3\n").encode()),
        SC,
        "",
        (f"line {DUP_LINE}, column 1", "duplicate key 'days'"),
    ),
    Case(
        "a list instead of a mapping",
        file_with(SC, b"- name: x\n- days: 2\n"),
        SC,
        "",
        ("expected a YAML mapping of keys to values, got a list",),
    ),
    # ---- wrong types, unknown and missing keys
    Case(
        "staff count is text",
        scenario(setter("staff.teller.count", "two")),
        SC,
        "staff.teller.count",
        ("valid integer", "'two'"),
    ),
    Case(
        "day factors are text",
        scenario(setter(f"{WALK_IN}.arrivals.day_factors", "high")),
        SC,
        f"{WALK_IN}.arrivals.day_factors",
        ("valid list", "'high'"),
    ),
    Case(
        "unknown top-level key",
        scenario(lambda d: d.update(staf=d.pop("staff"))),
        SC,
        "staf",
        ("unknown key 'staf'; did you mean 'staff'?",),
    ),
    Case(
        "unknown key one level down",
        scenario(setter("costs.rent", 5)),
        SC,
        "costs.rent",
        ("unknown key 'rent'", "valid keys here: currency, rent_per_m2_month"),
    ),
    Case(
        "unknown key inside a distribution",
        scenario(setter(f"{WALK_IN}.service.meen", "5 min")),
        SC,
        f"{WALK_IN}.service.meen",
        ("unknown key 'meen'; did you mean 'mean'?",),
    ),
    Case(
        "unknown key in a back-office step",
        scenario(back_office(lambda bo: bo["tasks"]["order"]["steps"][0].update(tiem="1 min"))),
        SC,
        "back_office.tasks.order.steps[0].tiem",
        ("unknown key 'tiem'; did you mean 'time'?",),
    ),
    Case(
        "missing opening hours",
        scenario(dropper("hours")),
        SC,
        "hours",
        ("required key is missing",),
    ),
    Case(
        "missing service time",
        scenario(dropper(f"{WALK_IN}.service")),
        SC,
        f"{WALK_IN}.service",
        ("required key is missing",),
    ),
    Case(
        "missing due time of a task",
        scenario(back_office(lambda bo: bo["tasks"]["order"].pop("due"))),
        SC,
        "back_office.tasks.order.due",
        ("required key is missing",),
    ),
    Case(
        "unknown IT level",
        scenario(setter("it.level", "integratd")),
        SC,
        "it.level",
        ("'manual', 'partial' or 'integrated'", "'integratd'"),
        only_error=True,
    ),
    # ---- negative or zero rates and durations, probabilities outside [0, 1]
    Case(
        "negative arrival rate",
        scenario(setter(f"{WALK_IN}.arrivals.rate", -4)),
        SC,
        f"{WALK_IN}.arrivals.rate",
        ("greater than or equal to 0", "-4"),
    ),
    Case(
        "zero mean service time",
        scenario(setter(f"{WALK_IN}.service.mean", "0 min")),
        SC,
        f"{WALK_IN}.service.mean",
        ("greater than 0",),
    ),
    Case(
        "negative patience",
        scenario(setter(f"{WALK_IN}.patience.mean", "-3 min")),
        SC,
        f"{WALK_IN}.patience",
        ("duration '-3 min' is negative; expected zero or more",),
    ),
    Case(
        "duration without a unit",
        scenario(setter(f"{WALK_IN}.service", 5)),
        SC,
        f"{WALK_IN}.service",
        ("duration 5 has no unit", "'5 min'"),
    ),
    Case(
        "zero coefficient of variation",
        scenario(setter(f"{WALK_IN}.service", {"dist": "gamma", "mean": "5 min", "cv": 0})),
        SC,
        f"{WALK_IN}.service.cv",
        ("greater than 0",),
    ),
    Case(
        "zero walking speed",
        scenario(setter(f"{WALK_IN}.walking_speed", 0)),
        SC,
        f"{WALK_IN}.walking_speed",
        ("greater than 0",),
    ),
    Case(
        "zero-length break",
        scenario(setter("staff.teller.breaks", [{"start": "10:00", "duration": "0 min"}])),
        SC,
        "staff.teller.breaks[0].duration",
        ("a break must last more than zero",),
    ),
    Case(
        "no-show probability above 1",
        scenario(
            setter(f"{WALK_IN}.appointments", {"times": ["10:00"], "no_show": 1.5}),
        ),
        SC,
        f"{WALK_IN}.appointments.no_show",
        ("less than or equal to 1", "1.5"),
    ),
    Case(
        "negative task probability",
        scenario(
            both(
                back_office(),
                setter(f"{WALK_IN}.creates", [{"task": "order", "probability": -0.1}]),
            )
        ),
        SC,
        f"{WALK_IN}.creates[0].probability",
        ("greater than or equal to 0", "-0.1"),
    ),
    Case(
        "service level above 1",
        scenario(setter("targets.service_level", 80)),
        SC,
        "targets.service_level",
        ("less than or equal to 1", "80"),
    ),
    Case(
        "everyone served online",
        scenario(setter("it.deflection", 1)),
        SC,
        "it.deflection",
        ("a self-service share of 1 means no client ever comes in",),
    ),
    # ---- time of day
    Case(
        "closing before opening",
        scenario(setter("hours.close", "08:00")),
        SC,
        "hours.close",
        ("closing time 08:00 is not after opening time 09:00",),
    ),
    Case(
        "unquoted clock time",
        file_with(
            SC,
            yaml.safe_dump(small_scenario()).replace("open: 09:00", "open: 9:00").encode(),
        ),
        SC,
        "hours.open",
        ("YAML read it as the number 540", "write '09:00'"),
    ),
    Case(
        "shift outside opening hours",
        scenario(
            setter(
                "staff.teller",
                {
                    "skills": ["general"],
                    "shifts": [
                        {"start": "18:00", "end": "20:00", "count": 1},
                        {"start": "09:00", "end": "12:00", "count": 1},
                    ],
                },
            )
        ),
        SC,
        "staff.teller.shifts[0]",
        ("shift 18:00-20:00 lies outside opening hours 09:00-12:00",),
    ),
    Case(
        "overlapping breaks",
        scenario(
            setter(
                "staff.teller.breaks",
                [
                    {"start": "10:00", "duration": "30 min"},
                    {"start": "10:15", "duration": "30 min"},
                ],
            )
        ),
        SC,
        "staff.teller.breaks[1]",
        ("overlaps break 0 (10:00-10:30)",),
    ),
    Case(
        "appointment outside opening hours",
        scenario(setter(f"{WALK_IN}.appointments", {"times": ["08:00"]})),
        SC,
        f"{WALK_IN}.appointments.times[0]",
        ("slot at 08:00 is outside opening hours 09:00-12:00",),
    ),
    # ---- referenced but not defined
    Case(
        "skill nobody holds (a role not defined)",
        scenario(setter(f"{WALK_IN}.skill", "generl")),
        SC,
        f"{WALK_IN}.skill",
        ("no staff member with a non-zero count holds skill 'generl'", "did you mean 'general'?"),
    ),
    Case(
        "team not defined",
        scenario(back_office(lambda bo: bo["tasks"]["order"]["steps"][0].update(team="opps"))),
        SC,
        "back_office.tasks.order.steps[0].team",
        ("no team 'opps'; did you mean 'ops'?",),
    ),
    Case(
        "task not defined",
        scenario(both(back_office(), setter(f"{WALK_IN}.creates", [{"task": "ordr"}]))),
        SC,
        f"{WALK_IN}.creates[0].task",
        ("no task type 'ordr'; did you mean 'order'?",),
    ),
    Case(
        "task without a back office",
        scenario(setter(f"{WALK_IN}.creates", [{"task": "order"}])),
        SC,
        f"{WALK_IN}.creates[0].task",
        ("refers to the back office, but the scenario has no 'back_office'",),
    ),
    # ---- channels and blended work
    Case(
        "phone class nobody answers",
        scenario(setter(f"{WALK_IN}.channel", "phone")),
        SC,
        f"{WALK_IN}.channel",
        ("no staff role with a non-zero count answers 'phone' for skill 'general'",),
    ),
    Case(
        "channel misspelt",
        scenario(setter(f"{WALK_IN}.channel", "fone")),
        SC,
        f"{WALK_IN}.channel",
        ("'walk_in', 'phone', 'chat' or 'email'",),
    ),
    Case(
        "night requests on the phone",
        scenario(
            both(
                setter(f"{WALK_IN}.channel", "phone"),
                setter(f"{WALK_IN}.after_hours_rate", 2),
                setter("staff.teller.channels", ["phone"]),
            )
        ),
        SC,
        f"{WALK_IN}.after_hours_rate",
        ("requests outside opening hours are not taken", "'after_hours' defaults to 'closed'"),
    ),
    Case(
        "night requests to a bot the class lacks",
        scenario(
            both(
                setter(f"{WALK_IN}.channel", "chat"),
                setter(f"{WALK_IN}.after_hours", "bot"),
                setter("staff.teller.channels", ["chat"]),
            )
        ),
        SC,
        f"{WALK_IN}.after_hours",
        ("'bot' sends requests outside opening hours to self-service", "no 'self_service'"),
    ),
    Case(
        "walk-ins after hours",
        scenario(setter(f"{WALK_IN}.after_hours", "queue")),
        SC,
        f"{WALK_IN}.after_hours",
        ("walk-ins come in opening hours only",),
    ),
    Case(
        "after-hours mode misspelt",
        scenario(
            both(setter(f"{WALK_IN}.channel", "chat"), setter(f"{WALK_IN}.after_hours", "bots"))
        ),
        SC,
        f"{WALK_IN}.after_hours",
        ("'closed', 'queue' or 'bot'",),
    ),
    Case(
        "repeat delay under a day",
        scenario(
            both(
                back_office(),
                setter(
                    f"{WALK_IN}.lookup",
                    {
                        "team": "ops",
                        "probability": 0.5,
                        "time": "1 min",
                        "consequences": {"unanswered": {"repeat": 1}, "repeat_after": "2 h"},
                    },
                ),
            )
        ),
        SC,
        f"{WALK_IN}.lookup.consequences.repeat_after",
        ("at least 12 h",),
    ),
    Case(
        "blending role not defined",
        scenario(both(back_office(), setter("blending.front.teler", {"teams": ["ops"]}))),
        SC,
        "blending.front.teler",
        ("no staff role 'teler'; did you mean 'teller'?",),
    ),
    Case(
        "blending without a back office",
        scenario(setter("blending.front.teller", {"teams": ["ops"]})),
        SC,
        "blending",
        ("blending needs a 'back_office' with teams",),
    ),
    Case(
        "recurring task not defined",
        scenario(back_office(lambda bo: bo.update(recurring=[{"task": "close", "at": "11:00"}]))),
        SC,
        "back_office.recurring[0].task",
        ("no task type 'close'",),
    ),
    Case(
        "courier role not defined",
        scenario(setter("it.courier_role", "runner")),
        SC,
        "it.courier_role",
        ("no staff role 'runner'", "known: teller"),
    ),
    Case(
        "desk not on the plan",
        with_plan(setter("staff.teller.desks", ["D1", "D9"])),
        SC,
        "staff.teller.desks",
        ("floor 'tiny' has no point 'D9'", "did you mean"),
    ),
    Case(
        "waiting space not on the plan",
        with_plan(setter("floor.waiting_spaces", ["lounge"])),
        SC,
        "floor.waiting_spaces",
        ("floor 'tiny' has no space 'lounge'",),
    ),
    Case(
        "entrance point not on the plan",
        with_plan(setter("floor.entrance", "front_door")),
        SC,
        "floor.entrance",
        ("floor 'tiny' has no point 'front_door'",),
    ),
    # ---- routes
    Case(
        "circular task route with no exit",
        scenario(
            back_office(
                lambda bo: bo["tasks"]["order"]["steps"][0].update(
                    rework={"probability": 1, "to": 0}
                )
            )
        ),
        SC,
        "back_office.tasks.order.steps[0].rework.probability",
        ("a rework probability of 1 sends every task round this loop forever",),
    ),
    Case(
        "rework to a later step",
        scenario(
            back_office(
                lambda bo: bo["tasks"]["order"]["steps"][0].update(
                    rework={"probability": 0.1, "to": 3}
                )
            )
        ),
        SC,
        "back_office.tasks.order.steps[0].rework.to",
        ("rework goes back to step 3, which is not an earlier step",),
    ),
    # ---- floor plans
    Case(
        "plan with no entrance",
        with_plan(plan=lambda p: p.pop("entrances")),
        "plan.yaml",
        "points",
        ("the plan has no entrance point",),
    ),
    Case(
        "unreachable space",
        layout("check", lambda p: p["spaces"].update(closet={"rect": [20, 0, 2, 2]})),
        "plan.yaml",
        "spaces.closet",
        ("cannot be reached from any entrance: add a door",),
    ),
    Case(
        "floor list: layer prefix on a plan that is not DXF",
        floor_list(
            [{"id": "0", "file": "plan.yaml"}, {"id": "1", "file": "plan.yaml", "layers": "L1-"}]
        ),
        "building.yaml",
        "levels[1].layers",
        ("a layer prefix applies to DXF drawings, not to 'plan.yaml'",),
    ),
    Case(
        "floor list: one level listed twice",
        floor_list([{"id": "0", "file": "plan.yaml"}, {"id": "0", "file": "plan.yaml"}]),
        "building.yaml",
        "levels[1].id",
        ("level '0' is listed twice",),
    ),
    Case(
        "back office on the clients' only path",
        with_plan(
            plan=lambda p: (
                p["spaces"]["back"].update(rect=[10, 0, 5, 9]),
                p["doors"].__setitem__(1, {"between": ["back", "waiting"], "at": [10, 7.5]}),
            )
        ),
        "plan.yaml",
        "spaces.waiting",
        ("can only be reached through staff-only space(s) 'back'",),
    ),
    Case(
        "layout in longitude/latitude",
        scenario_on_layout(
            "plan.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"type": "space", "id": "hall"},
                            "geometry": {"type": "Polygon", "coordinates": [LON_LAT_RING]},
                        }
                    ],
                }
            ).encode(),
        ),
        "plan.geojson",
        "features",
        ("longitude/latitude degrees", "local metres"),
    ),
    Case(
        "plan coordinate written as the text 'nan'",
        scenario_on_layout(
            "plan.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"type": "space", "id": "hall"},
                            "geometry": {
                                "type": "Polygon",
                                "coordinates": [[[0, 0], [10, 0], ["nan", 6], [0, 6]]],
                            },
                        }
                    ],
                }
            ).encode(),
        ),
        "plan.geojson",
        "space 'hall'",
        ("coordinates must be finite numbers",),
    ),
    Case(
        "plan coordinate far beyond any building",
        scenario_on_layout(
            "plan.yaml",
            yaml.safe_dump(
                {**PLAN, "spaces": {**PLAN["spaces"], "hall": {"rect": [0, 0, 1e300, 6]}}}
            ).encode(),
        ),
        "plan.yaml",
        "space 'hall'",
        ("beyond ±1e+09", "smaller unit"),
    ),
    Case(
        "malformed GeoJSON",
        scenario_on_layout("plan.geojson", b'{"type": "FeatureCollection", "features": ['),
        "plan.geojson",
        "line 1, column 44",
        ("invalid JSON",),
    ),
    Case(
        "malformed plan YAML",
        scenario_on_layout("plan.yaml", b"spaces: {hall: [1, 2}\n"),
        "plan.yaml",
        "line 1, column 21",
        ("invalid YAML",),
    ),
    Case(
        "corrupt DXF",
        scenario_on_layout("plan.dxf", b"0\nSECTION\n2\nENTITIES\n0\nLINE\n8\n"),
        "plan.dxf",
        "",
        ("not a readable DXF file",),
    ),
    Case(
        "layout file does not exist",
        with_plan(setter("layout", "plans/missing.yaml")),
        SC,
        "layout",
        ("floor plan", "plans/missing.yaml' not found"),
    ),
    Case(
        "layout of an unknown format",
        scenario_on_layout("plan.pdf", b"%PDF-1.4"),
        "plan.pdf",
        "",
        ("unknown plan format '.pdf'",),
    ),
    # ---- gigantic numbers
    Case(
        "a billion clients a day",
        scenario(setter(f"{WALK_IN}.arrivals.rate", 400_000_000)),
        SC,
        "client_classes",
        ("about 2,400,000,000 clients per replication", "arrival rates (they are per hour)"),
    ),
    Case(
        "a 1e9-day run",
        scenario(setter("days", 1_000_000_000)),
        SC,
        "days",
        ("less than or equal to 3660",),
    ),
    Case(
        "a million replications",
        scenario(lambda d: None, "-n", "1000000"),
        SC,
        "replications",
        ("less than or equal to 100000",),
    ),
    Case(
        "an infinite arrival rate",
        file_with(
            SC,
            yaml.safe_dump(small_scenario()).replace("rate: 20", "rate: .inf").encode(),
        ),
        SC,
        f"{WALK_IN}.arrivals.rate",
        ("finite",),
    ),
    Case(
        "a hundred million tellers",
        scenario(setter("staff.teller.count", 100_000_000)),
        SC,
        "staff.teller.count",
        (),
        isolated=True,
    ),
    Case(
        "a billion recurring tasks",
        scenario(
            back_office(
                lambda bo: bo.update(recurring=[{"task": "order", "at": "10:00", "count": 10**9}])
            )
        ),
        SC,
        "back_office",
        ("about 2,000,000,000 back-office tasks per replication",),
        isolated=True,
    ),
    Case(
        "a billion tasks an hour",
        scenario(
            back_office(lambda bo: bo["tasks"]["order"].update(arrivals={"rate": 1_000_000_000}))
        ),
        SC,
        "back_office",
        ("back-office tasks per replication", "task arrival rates (per hour)"),
        isolated=True,
    ),
    # ---- valid on paper, fatal in practice: limits checked before any work
    Case(
        "YAML alias bomb under variants",
        file_with(SC, alias_bomb()),
        SC,
        "",
        ("aliases (*name) expanded", "1,000,000 values", "OFFICESIM_MAX_VALUES"),
        isolated=True,
    ),
    Case(
        "a self-referencing YAML alias",
        file_with(SC, yaml.safe_dump(small_scenario()).encode() + b"description: &a [*a]\n"),
        SC,
        "",
        ("an alias refers to a value that contains it",),
    ),
    Case(
        "a sweep grid of 100 x 100 x 100",
        lambda b: [
            "sweep",
            b.write(
                SC,
                {
                    **small_scenario(),
                    "variants": {
                        "grid": {
                            "staff.teller.count": list(range(1, 101)),
                            "seed": list(range(100)),
                            "days": list(range(1, 101)),
                        }
                    },
                },
            ),
            "-o",
            str(b.out),
            "-q",
            "-j",
            "1",
        ],
        SC,
        "variants",
        ("1,000,000 variants (a grid of 100 x 100 x 100)", "OFFICESIM_MAX_VARIANTS"),
        isolated=True,
    ),
    Case(
        "a seat row of a hundred million seats",
        with_plan(plan=seats_row(100_000_000)),
        "plan.yaml",
        "seats[0].row.count",
        ("100,000,000 points", "OFFICESIM_MAX_PLAN_POINTS"),
        isolated=True,
    ),
    Case(
        "more seats than the model can walk between",
        with_plan(plan=seats_row(60)),
        SC,
        "floor.waiting_spaces",
        ("60 seats in the waiting spaces", "OFFICESIM_MAX_USED_POINTS"),
        env=(("OFFICESIM_MAX_USED_POINTS", "50"),),
    ),
    Case(
        "an IMDF zip that unpacks far beyond its size",
        imdf_zip_bomb,
        "plan.zip",
        "",
        ("unpacks to", "1,000,000", "OFFICESIM_MAX_ARCHIVE_BYTES"),
        env=(("OFFICESIM_MAX_ARCHIVE_BYTES", "1000000"),),
    ),
    Case(
        "a plan file over the size limit",
        scenario_on_layout("plan.geojson", b'{"type": "FeatureCollection", "features": []}' * 30),
        "plan.geojson",
        "",
        ("larger than the limit of 1,000 bytes", "OFFICESIM_MAX_PLAN_BYTES"),
        env=(("OFFICESIM_MAX_PLAN_BYTES", "1000"),),
    ),
    Case(
        "the scenario is /dev/zero",
        lambda b: b.run("/dev/zero"),
        "/dev/zero",
        "",
        ("larger than the limit of 5,000,000 bytes", "OFFICESIM_MAX_SCENARIO_BYTES"),
        isolated=True,
    ),
    Case(
        "a description nested 1,000 lists deep",
        file_with(SC, nested_description(1000)),
        SC,
        "",
        ("nested more than 100 levels deep", "OFFICESIM_MAX_NESTING"),
    ),
    Case(
        "a GeoJSON plan nested 100,000 deep",
        scenario_on_layout(
            "plan.geojson",
            b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        ),
        "plan.geojson",
        "",
        ("nested more than 100 levels deep",),
    ),
    Case(
        "a waiting space without seats",
        with_plan(setter("floor.waiting_spaces", ["hall"])),
        SC,
        "floor.waiting_spaces",
        ("space 'hall' has no seats",),
    ),
    Case(
        "a staff-only waiting space",
        with_plan(setter("floor.waiting_spaces", ["back"])),
        SC,
        "floor.waiting_spaces",
        ("space 'back' is staff-only; clients cannot wait there",),
    ),
    # ---- wrong answers that were accepted silently
    Case(
        "a shorthand plan in longitude/latitude degrees",
        with_plan(plan=degrees_plan),
        "plan.yaml",
        "",
        ("longitude/latitude degrees", "officesim assumed metres"),
    ),
    Case(
        "a shorthand plan in millimetres",
        with_plan(plan=scaled_plan(1000)),
        "plan.yaml",
        "",
        ("officesim assumed metres", "looks drawn in millimetres (15 m across if so)"),
    ),
    Case(
        "a shorthand plan in kilometres",
        with_plan(plan=scaled_plan(0.001)),
        "plan.yaml",
        "",
        ("too small for an office", "kilometres"),
    ),
    Case(
        "a waiting seat used as a teller's desk",
        with_plan(setter("staff.teller.desks", ["D1", "S1"])),
        SC,
        "staff.teller.desks",
        ("'S1' is a seat of the plan, not a desk or counter",),
    ),
    Case(
        "one desk listed twice",
        with_plan(setter("staff.teller.desks", ["D1", "D1"])),
        SC,
        "staff.teller.desks",
        ("desk 'D1' is listed 2 times",),
    ),
    Case(
        "one desk for two roles on duty together",
        with_plan(
            both(
                setter("staff.greeter", {"count": 1, "skills": ["general"], "desks": ["D2"]}),
                setter("staff.teller.count", 1),
                setter("staff.teller.desks", ["D2"]),
            )
        ),
        SC,
        "staff.greeter.desks",
        ("desk 'D2' is also a desk of 'teller'", "on duty at the same time"),
    ),
    Case(
        "optimize --max-replications 0",
        lambda b: optimize_on(b, "--max-replications", "0"),
        USAGE,
        "--max-replications",
        ("expected at least 1, got 0",),
    ),
    Case(
        "optimize --max-replications below the replications per plan",
        lambda b: optimize_on(b, "--max-replications", "1"),
        "--max-replications",
        "",
        ("expected at least the replications per plan (2), got 1",),
    ),
    # ---- the command line
    Case(
        "--set without a value",
        scenario(lambda d: None, "--set", "staff.teller.count"),
        "--set",
        "staff.teller.count",
        ("expected key.path=value",),
    ),
    Case(
        "--set into a value",
        scenario(lambda d: None, "--set", "staff.teller.count.max=3"),
        "--set",
        "staff.teller.count.max",
        ("'staff.teller.count' is a value, not a mapping",),
    ),
    Case(
        "--set with a misspelt role",
        scenario(lambda d: None, "--set", "staff.teler.count=3"),
        "--set",
        "staff.teler.count",
        ("no 'teler' in staff; did you mean 'teller'?",),
    ),
    Case(
        "--replications 0",
        scenario(lambda d: None, "--replications", "0"),
        USAGE,
        "-n/--replications",
        ("expected at least 1, got 0",),
    ),
    Case(
        "--seed -1",
        scenario(lambda d: None, "--seed", "-1"),
        SC,
        "seed",
        ("greater than or equal to 0",),
    ),
    Case(
        "--jobs 0",
        scenario(lambda d: None, "--jobs", "0"),
        USAGE,
        "-j/--jobs",
        ("expected at least 1, got 0",),
    ),
    Case(
        "output folder is a file",
        lambda b: ["run", b.write(SC, small_scenario()), "-o", str(b.out / "kpis.csv"), "-q"],
        "out/kpis.csv",
        "",
        ("is a file; expected a folder",),
    ),
    Case(
        "layout show with a bad output suffix",
        layout("show", lambda p: None, "-o", "{root}/out/plan.txt"),
        "out/plan.txt",
        "",
        (".png", ".svg"),
    ),
    Case(
        "layout show with a missing traffic file",
        layout("show", lambda p: None, "-o", "{root}/plan.png", "--traffic", "{root}/none.json"),
        "none.json",
        "",
        ("results file not found",),
    ),
    Case(
        "sweep over a misspelt key",
        lambda b: [
            "sweep",
            b.write(SC, {**small_scenario(), "variants": {"grid": {"staff.teler.count": [1, 2]}}}),
            "-o",
            str(b.out),
            "-q",
            "-j",
            "1",
        ],
        "scenario.yaml (variant 1: staff.teler.count=1)",
        "",
        ("staff.teler", "did you mean 'teller'?"),
    ),
    Case(
        "sweep without variants",
        lambda b: ["sweep", b.write(SC, small_scenario()), "-o", str(b.out), "-q", "-j", "1"],
        SC,
        "variants",
        ("no variants to sweep",),
    ),
    Case(
        "compare with one option",
        lambda b: ["compare", b.write(SC, small_scenario()), "-o", str(b.out), "-q"],
        "officesim",
        "",
        ("compare needs at least two scenario files",),
    ),
]


ISOLATED_TIMEOUT = 60
"""Seconds a memory-capped subprocess may take before it counts as hung: refusing bad input
takes about one on a quiet machine, many more on a loaded one."""


def _limit_memory() -> None:
    cap = 1_500_000_000
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def run_isolated(argv: list[str]) -> tuple[int, str]:
    """``python -m sim ARGV`` with 1.5 GB of address space; a hang counts as exit -1."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "sim", *argv],
            capture_output=True,
            text=True,
            timeout=ISOLATED_TIMEOUT,
            cwd=REPO,
            env=env,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return -1, f"(timed out after {ISOLATED_TIMEOUT} s)"
    return proc.returncode, proc.stderr


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
    return pytest.param(case, id=case.id, marks=marks)


def test_catalogue_is_complete() -> None:
    assert len(CASES) >= 102
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in case.env:
        monkeypatch.setenv(name, value)
    bench = Bench(tmp_path.resolve())
    before = bench.snapshot()
    argv = case.make(bench)
    if case.isolated:
        code, err = run_isolated(argv)
    else:
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refuses an option value
            code = exc.code
        err = capsys.readouterr().err
    assert code == EXIT_INVALID, err
    assert "Traceback" not in err
    assert "internal error" not in err
    literal = case.source.startswith("--") or case.source == "officesim"
    source = case.source if literal else str(bench.root / case.source)
    if case.source == ".":
        source = str(bench.root)
    prefix = f"error: {source}: " + (f"{case.path}: " if case.path else "")
    if case.source == USAGE:
        prefix = f"officesim {argv[0]}: error: argument {case.path}: "
    lines = [line for line in err.splitlines() if line.startswith(prefix)]
    assert lines, f"no line starts with {prefix!r}:\n{err}"
    assert any(all(w in line for w in case.words) for line in lines), err
    if case.only_error:
        assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1, err
    assert bench.snapshot() == before
