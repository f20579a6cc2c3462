"""Crowding in the front office: walking speed falls with density when the scenario asks."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from sim.experiment.inputs import plan_for, scenario_from_dict
from sim.experiment.replication import run_replication
from sim.layout import load_floor, travel_distances
from sim.model.crowding import CREEP_SPEED, CrowdSpeed, weidmann_factor
from sim.model.eventlog import EventLog
from sim.model.office import Office

SPEED = 1.2
AREA = 12.0

PLAN = {
    "name": "One room",
    "spaces": {"hall": {"category": "waiting", "rect": [0, 0, 6, 2]}},
    "doors": [{"between": ["outside", "hall"], "at": [3, 0], "width": 1.2}],
    "desks": [{"id": "D", "at": [5.5, 1.5]}],
    "seats": [{"row": {"from": [0.5, 1.5], "to": [2.5, 1.5], "count": 3, "prefix": "S"}}],
    "entrances": [{"id": "in", "at": [2.8, 0.3]}],
    "exits": [{"id": "out", "at": [3.2, 0.3]}],
}


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "room.yaml"
    path.write_text(yaml.safe_dump(PLAN), encoding="utf-8")
    return path


def scenario(plan_file: Path, density: str, clients: int = 24):
    return scenario_from_dict(
        {
            "name": "crowd",
            "days": 1,
            "replications": 1,
            "hours": {"open": "09:00", "close": "17:00"},
            "layout": str(plan_file),
            "walking": {"client_speed": SPEED, "speed_density": density},
            "waiting_area": {"per_m2": 2},
            "client_classes": {
                "c": {
                    "skill": "s",
                    "service": "5 min",
                    "appointments": {"times": ["09:00"] * clients},
                }
            },
            "staff": {"clerk": {"count": 1, "skills": ["s"], "desks": ["D"]}},
        }
    )


def test_weidmann_relation_by_hand():
    # 2 persons per m2: 1 - exp(-1.913 x (1/2 - 1/5.4)) = 1 - exp(-0.602241) = 0.452417.
    assert weidmann_factor(2.0) == pytest.approx(0.452417, abs=1e-6)
    # 1 person per m2: 1 - exp(-1.913 x (1 - 1/5.4)) = 1 - exp(-1.558741) = 0.789599.
    assert weidmann_factor(1.0) == pytest.approx(0.789599, abs=1e-6)
    assert weidmann_factor(0.0) == 1.0
    assert weidmann_factor(5.4) == 0.0
    crowd = CrowdSpeed(10.0)
    assert crowd.speed(1.34, 20) == pytest.approx(1.34 * 0.452417, abs=1e-6)
    assert crowd.speed(1.34, 60) == CREEP_SPEED
    assert crowd.speed(1.34, 0) == 1.34


def test_a_crowd_walks_slower_by_the_formula(plan_file):
    # 24 clients at 09:00 into one 12 m2 room: the j-th admitted walks in among j people, at
    # 1.2 m/s x weidmann(j / 12). The last one walks at density 2, at 45% of the free speed.
    sc = scenario(plan_file, "weidmann")
    log = EventLog()
    office = Office(sc, 0, plan_for(sc), event_log=log)
    office.simulate()
    td = travel_distances(load_floor(plan_file), "client")
    first: dict[str, tuple[float, float, str, str]] = {}
    for case, start, end, origin, target in log.walks:
        first.setdefault(case, (start, end, origin, target))
    assert len(first) == 24
    for case, (start, end, origin, target) in first.items():
        j = int(case.split("-")[1])
        assert origin == "in" and start == 9 * 3600
        expected = td.distance(origin, target) / (SPEED * weidmann_factor(j / AREA))
        assert end - start == pytest.approx(expected, rel=1e-9), case
    last = first["client-24"]
    assert (last[1] - last[0]) * SPEED * 0.452417 == pytest.approx(
        td.distance("in", last[3]), rel=1e-6
    )


def test_speed_density_is_off_by_default_and_slows_the_walk_kpi(plan_file):
    free = run_replication(scenario(plan_file, "none"), 0).kpis
    crowded = run_replication(scenario(plan_file, "weidmann"), 0).kpis
    default = scenario(plan_file, "none").walking.speed_density
    assert default == "none"
    assert crowded["all.walk_distance_mean_m"] == pytest.approx(free["all.walk_distance_mean_m"])
    # Every walk but the lone last ones is slower: mean walking time rises by a tenth or more.
    assert crowded["all.walk_time_mean_min"] > 1.1 * free["all.walk_time_mean_min"]
    assert free["all.walk_time_mean_min"] * 60 == pytest.approx(
        free["all.walk_distance_mean_m"] / SPEED
    )
    assert math.isfinite(crowded["all.time_in_system_mean_min"])
