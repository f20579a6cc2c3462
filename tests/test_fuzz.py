"""Fuzzing with hypothesis: generated scenarios and floor plans, valid and broken.

Whatever a planner writes, loading either succeeds or raises officesim's own error (never a
traceback); every valid scenario runs, and what goes in comes out: clients arrived = served +
balked + reneged + still inside, tasks created = completed + still open, Little's law holds.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sim.errors import LayoutError, OfficesimError
from sim.experiment.inputs import scenario_from_dict
from sim.layout import Floor, check_floor, floor_from_dict
from sim.layout.formats.shorthand import floor_from_shorthand
from sim.model.metrics import OUTCOME_BALKED, OUTCOME_RENEGED, OUTCOME_SERVED
from sim.model.office import Office
from sim.results.kpis import compute_kpis, unit_of
from sim.scenario.spec import Scenario

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)

# --------------------------------------------------------------------------- scenarios


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes(value: float) -> str:
    return f"{value:g} min"


positive_min = st.floats(0.5, 20, allow_nan=False).map(lambda m: round(m, 2))


@st.composite
def distributions(draw: st.DrawFn) -> Any:
    """Any of the distribution specs, with durations in minutes."""
    kind = draw(
        st.sampled_from(
            [
                *("shorthand", "fixed", "exponential", "uniform", "triangular"),
                *("normal", "lognormal", "gamma", "empirical"),
            ]
        )
    )
    a, b, c = sorted(draw(st.lists(positive_min, min_size=3, max_size=3)))
    if kind == "shorthand":
        return minutes(a)
    if kind == "fixed":
        return {"dist": "fixed", "value": minutes(a)}
    if kind == "exponential":
        return {"dist": "exponential", "mean": minutes(b)}
    if kind == "uniform":
        return {"dist": "uniform", "low": minutes(a), "high": minutes(c)}
    if kind == "triangular":
        assume(a < c)
        return {"dist": "triangular", "low": a, "mode": b, "high": c, "unit": "min"}
    if kind in ("normal", "lognormal"):
        return {"dist": kind, "mean": minutes(b), "sd": minutes(a)}
    if kind == "gamma":
        return {"dist": "gamma", "mean": minutes(b), "cv": draw(st.floats(0.2, 2))}
    values = draw(st.lists(positive_min, min_size=1, max_size=4))
    return {"dist": "empirical", "values": values, "unit": "min"}


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small scenario that is valid by construction (a few hours, one or two classes)."""
    open_at = draw(st.integers(7 * 60, 10 * 60).map(lambda m: m - m % 15))
    n_hours = draw(st.integers(1, 3))
    close_at = open_at + 60 * n_hours
    skills = draw(st.lists(st.sampled_from(["counter", "advice"]), min_size=1, unique=True))
    classes: dict[str, Any] = {}
    for i, skill in enumerate(skills):
        cc: dict[str, Any] = {"skill": skill, "service": draw(distributions())}
        if draw(st.booleans()):
            rate = st.floats(0, 25, allow_nan=False).map(lambda r: round(r, 1))
            cc["arrivals"] = {
                "rate": draw(rate | st.lists(rate, min_size=n_hours, max_size=n_hours))
            }
        if "arrivals" not in cc or draw(st.booleans()):
            cc["appointments"] = {
                "start": clock(open_at),
                "end": clock(close_at),
                "every": minutes(draw(st.sampled_from([10, 15, 20, 30]))),
                "per_slot": draw(st.integers(1, 2)),
                "no_show": draw(st.floats(0, 1)),
                "punctuality_mean": minutes(draw(st.floats(-5, 5).map(lambda m: round(m, 1)))),
                "punctuality_sd": minutes(draw(st.floats(0, 5).map(lambda m: round(m, 1)))),
            }
        if draw(st.booleans()):
            cc["patience"] = draw(distributions())
        cc["priority"] = draw(st.integers(0, 2))
        cc["reception"] = draw(st.booleans())
        classes[f"class{i}"] = cc
    staff: dict[str, Any] = {}
    for skill in skills:
        role: dict[str, Any] = {"skills": [skill], "cost_per_hour": draw(st.floats(0, 60))}
        count = draw(st.integers(1, 3))
        if draw(st.booleans()):
            role["count"] = count
        else:
            split = open_at + 60 * draw(st.integers(0, n_hours - 1))
            role["shifts"] = [{"start": clock(split), "end": clock(close_at), "count": count}]
            if split > open_at:
                role["shifts"].insert(0, {"start": clock(open_at), "end": clock(split), "count": 1})
        if draw(st.booleans()) and n_hours > 1:
            role["breaks"] = [{"start": clock(open_at + 30), "duration": "10 min"}]
        staff[skill] = role
    data: dict[str, Any] = {
        "name": "fuzz",
        "days": draw(st.integers(1, 2)),
        "replications": 1,
        "seed": draw(st.integers(0, 2**32)),
        "hours": {"open": clock(open_at), "close": clock(close_at)},
        "client_classes": classes,
        "staff": staff,
        "waiting_area": {"capacity": draw(st.none() | st.integers(0, 8))},
    }
    if draw(st.booleans()):
        data["reception"] = {"service": draw(distributions())}
        staff["greeter"] = {"count": 1, "skills": ["reception"]}
        next(iter(classes.values()))["reception"] = True
    if draw(st.booleans()):
        steps = [
            {"team": "ops", "time": draw(distributions())} for _ in range(draw(st.integers(1, 2)))
        ]
        if draw(st.booleans()):
            steps[-1]["rework"] = {"probability": draw(st.floats(0, 0.9)), "to": 0}
        data["back_office"] = {
            "teams": {"ops": {"count": draw(st.integers(1, 2))}},
            "tasks": {"order": {"steps": steps, "due": "4 h"}},
        }
        first = next(iter(classes.values()))
        first["creates"] = [{"task": "order", "probability": draw(st.floats(0, 1))}]
        data["it"] = {"level": draw(st.sampled_from(["manual", "partial", "integrated"]))}
    return data


JUNK = st.sampled_from(
    [None, "", "abc", "5 parsecs", -1, 0, 1.5, -2.5, 10**6, math.nan, math.inf, True, [], {}, [1]]
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def broken_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario with one to three random mutations: drop, rename or replace a key."""
    data = copy.deepcopy(draw(scenarios()))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["drop", "rename", "junk", "scale"]))
        if action == "drop":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[f"{key}x"] = parent.pop(key)
        elif action == "scale" and isinstance(parent[key], (int, float)):
            parent[key] = parent[key] * draw(st.sampled_from([-1, 0, 1000, 1e-9]))
        else:
            parent[key] = draw(JUNK)
    return data


@settings(FUZZ, max_examples=300)
@given(st.one_of(scenarios(), broken_scenarios()))
def test_loading_returns_a_scenario_or_our_error(data: dict[str, Any]) -> None:
    try:
        result = scenario_from_dict(data, "<fuzz>")
    except OfficesimError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.source == "<fuzz>" and p.message
        return
    assert isinstance(result, Scenario)


@settings(FUZZ, max_examples=60)
@given(scenarios())
def test_valid_scenarios_load(data: dict[str, Any]) -> None:
    scenario_from_dict(data, "<fuzz>")


@settings(FUZZ, max_examples=100)
@given(scenarios())
def test_valid_scenarios_run_and_conserve(data: dict[str, Any]) -> None:
    scenario = scenario_from_dict(data, "<fuzz>")
    office = Office(scenario, 0)
    office.simulate()
    records = office.records()
    kpis, _hourly, checks = compute_kpis(scenario, records)
    outcome = records.clients["outcome"]
    served = int((outcome == OUTCOME_SERVED).sum())
    balked = int((outcome == OUTCOME_BALKED).sum())
    reneged = int((outcome == OUTCOME_RENEGED).sum())
    assert served + balked + reneged == len(outcome)
    assert checks["arrived"] == served + balked + reneged + checks["inside_at_end"]
    assert checks["arrived"] == records.arrived
    assert checks["little_law_relative_gap"] < 1e-6
    days = scenario.days - scenario.warmup_days
    assert kpis["all.served_per_day"] * days == pytest.approx(served)
    assert kpis["all.balked_per_day"] * days == pytest.approx(balked)
    assert kpis["all.reneged_per_day"] * days == pytest.approx(reneged)
    for key, value in kpis.items():
        if unit_of(key) == "share" and not math.isnan(value):
            assert 0.0 <= value <= 1.0, (key, value)
        assert not math.isinf(value), key
    if office.backoffice is not None:
        assert records.back_office is not None
        tasks = records.back_office.tasks
        created = len(tasks["kind"])
        completed = int((~_isnan(tasks["completed"])).sum())
        assert created == completed + office.backoffice.open_tasks.value
        assert office.backoffice.open_tasks.value >= 0


def _isnan(values: Any) -> Any:
    import numpy as np

    return np.isnan(values)


# --------------------------------------------------------------------------- floor plans

CELL = 4
"""Grid cell size in metres: generated rooms are unions of whole cells."""


@st.composite
def grid_plans(draw: st.DrawFn) -> dict[str, Any]:
    """Rectangles on a grid with doors on their shared walls, an entrance and desks.

    Mostly valid plans; sometimes rooms overlap, doors miss walls or spaces are left
    unconnected, which must come back as ``LayoutError``.
    """
    n = draw(st.integers(1, 4))
    cells = draw(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), min_size=n, max_size=n))
    spaces: dict[str, Any] = {}
    for i, (cx, cy) in enumerate(cells):
        w = draw(st.integers(1, 2)) * CELL
        spaces[f"room{i}"] = {
            "category": draw(st.sampled_from(["lobby", "waiting", "office", "back_office"])),
            "rect": [cx * CELL, cy * CELL, w, CELL],
        }
    x0, y0 = cells[0][0] * CELL, cells[0][1] * CELL
    doors: list[dict[str, Any]] = [{"between": ["outside", "room0"], "at": [x0 + 2, y0]}]
    names = list(spaces)
    for _ in range(draw(st.integers(0, 4))):
        a, b = draw(st.sampled_from(names)), draw(st.sampled_from([*names, "outside", "nowhere"]))
        x = draw(st.integers(0, 16)) * 1.0
        y = draw(st.integers(0, 12)) * 1.0
        doors.append({"between": [a, b], "at": [x, y], "width": draw(st.sampled_from([0.9, 2]))})
    plan: dict[str, Any] = {
        "name": "fuzz",
        "spaces": spaces,
        "doors": doors,
        "desks": [
            {"id": f"D{i}", "at": [x0 + 1 + i, y0 + 2]} for i in range(draw(st.integers(0, 2)))
        ],
    }
    if draw(st.integers(0, 9)) > 0:
        plan["entrances"] = [{"id": "entrance", "at": [x0 + 2, y0 + 0.5]}]
    return plan


@st.composite
def junk_plans(draw: st.DrawFn) -> Any:
    """A grid plan with a random key replaced by junk (or an arbitrary value at the top)."""
    plan = copy.deepcopy(draw(grid_plans()))
    paths = _paths(plan)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        parent: Any = plan
        try:
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = draw(JUNK | st.floats(-1e9, 1e9))
        except (KeyError, IndexError, TypeError):
            continue
    return plan


@settings(FUZZ, max_examples=150)
@given(st.one_of(grid_plans(), junk_plans()))
def test_floor_from_dict_returns_a_floor_or_a_layout_error(plan: dict[str, Any]) -> None:
    try:
        floor = floor_from_dict(plan, "<fuzz>")
    except LayoutError as exc:
        assert exc.problems
        assert all(p.source == "<fuzz>" and p.message for p in exc.problems)
        return
    assert isinstance(floor, Floor)
    assert check_floor(floor, "<fuzz>") == []


@settings(FUZZ, max_examples=100)
@given(st.one_of(grid_plans(), junk_plans()))
def test_check_floor_never_raises(plan: dict[str, Any]) -> None:
    try:
        floor, _ = floor_from_shorthand(plan, "<fuzz>")
    except LayoutError:
        return
    problems = check_floor(floor, "<fuzz>")
    assert all(p.source == "<fuzz>" for p in problems)


NO_VALID_SPACE = {
    "no spaces": {"spaces": {}, "entrances": [{"id": "e", "at": [0, 0]}]},
    "only a bow-tie": {"spaces": {"a": {"polygon": [[0, 0], [4, 4], [4, 0], [0, 4]]}}},
}


@pytest.mark.parametrize("plan", list(NO_VALID_SPACE.values()), ids=list(NO_VALID_SPACE))
def test_check_floor_of_a_floor_without_valid_spaces(plan: dict[str, Any]) -> None:
    floor, _ = floor_from_shorthand(plan, "<fuzz>")
    assert check_floor(floor, "<fuzz>")
