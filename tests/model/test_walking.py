"""Clients walk the floor plan: exact walking times, desk placement, staff-only spaces."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.replication import run_replication
from sim.layout import load_floor, travel_distances, walk_network
from sim.model.office import Office

SPEED = 1.25

PLAN = {
    "name": "Corridor office",
    "spaces": {
        "lobby": {"category": "entrance", "rect": [0, 0, 4, 4]},
        "waiting": {"category": "waiting", "rect": [0, 4, 4, 4]},
        "hall": {"category": "service", "rect": [4, 0, 20, 4]},
        "back": {"category": "back_office", "rect": [4, 4, 20, 4]},
    },
    "doors": [
        {"between": ["outside", "lobby"], "at": [2, 0], "width": 1.2},
        {"between": ["lobby", "waiting"], "at": [2, 4], "width": 1.2},
        {"between": ["lobby", "hall"], "at": [4, 2], "width": 1.2},
        {"between": ["hall", "back"], "at": [20, 4], "width": 0.9},
        {"between": ["waiting", "back"], "at": [4, 6], "width": 0.9},
    ],
    "desks": [
        {"id": "NEAR", "at": [6, 2]},
        {"id": "FAR", "at": [22, 2]},
        {"id": "B1", "at": [10, 6]},
    ],
    "seats": [{"row": {"from": [1, 6], "to": [3, 6], "count": 3, "prefix": "S"}}],
    "entrances": [{"id": "in", "at": [1.5, 1]}],
    "exits": [{"id": "out", "at": [2.5, 1]}],
}


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "corridor.yaml"
    path.write_text(yaml.safe_dump(PLAN), encoding="utf-8")
    return path


def scenario(plan_file: Path, desk: str, **cls_extra):
    data = {
        "name": "walk",
        "days": 1,
        "replications": 1,
        "hours": {"open": "09:00", "close": "17:00"},
        "layout": str(plan_file),
        "walking": {"client_speed": SPEED},
        "client_classes": {"c": {"skill": "s", "service": "10 min", **cls_extra}},
        "staff": {"clerk": {"count": 1, "skills": ["s"], "desks": [desk]}},
    }
    if "appointments" not in cls_extra and "arrivals" not in cls_extra:
        data["client_classes"]["c"]["appointments"] = {"times": ["09:00"]}
    return scenario_from_dict(data)


def test_time_in_office_is_service_plus_the_walks(plan_file):
    floor = load_floor(plan_file)
    td = travel_distances(floor, "client")
    walk = td.distance("in", "FAR") + td.distance("FAR", "out")
    result = run_replication(scenario(plan_file, "FAR"), 0)
    assert result.kpis["all.wait_max_min"] == 0
    assert result.kpis["all.walk_distance_mean_m"] == pytest.approx(walk)
    assert result.kpis["all.time_in_system_mean_min"] * 60 == pytest.approx(600 + walk / SPEED)
    # Hand check of the far walk: across the lobby to the hall door, then along the hall.
    assert td.distance("in", "FAR") > 22 - 1.5


def test_a_waiting_client_walks_via_a_seat(plan_file):
    # Two clients at 09:00: the second waits on a seat, then walks from the seat to the desk.
    sc = scenario(plan_file, "NEAR", appointments={"times": ["09:00", "09:00"]})
    office = Office(sc, 0, None)
    from sim.experiment.inputs import plan_for

    office = Office(sc, 0, plan_for(sc))
    office.simulate()
    rec = office.records().clients
    td = travel_distances(load_floor(plan_file), "client")
    direct = td.distance("in", "NEAR") + td.distance("NEAR", "out")
    via_seat = {
        td.distance("in", s) + td.distance(s, "NEAR") + td.distance("NEAR", "out")
        for s in ("S1", "S2", "S3")
    }
    walked = sorted(rec["walked"])
    assert walked[0] == pytest.approx(direct)
    assert any(walked[1] == pytest.approx(v) for v in via_seat)


def test_farther_desk_adds_exactly_the_extra_walking_time(plan_file):
    # Booked clients 20 minutes apart (arriving a little early or late) and the same clients in
    # both runs: nobody waits, so time in the office differs only by the longer walks.
    kw = {
        "appointments": {
            "start": "09:00",
            "end": "16:00",
            "every": "20 min",
            "punctuality_sd": "1 min",
        }
    }
    near = run(scenario(plan_file, "NEAR", **kw), replications=5)
    far = run(scenario(plan_file, "FAR", **kw), replications=5)
    td = travel_distances(load_floor(plan_file), "client")
    extra = (
        td.distance("in", "FAR")
        + td.distance("FAR", "out")
        - td.distance("in", "NEAR")
        - td.distance("NEAR", "out")
    )
    assert np.all(near.values("all.wait_max_min") == 0)
    assert np.all(far.values("all.wait_max_min") == 0)
    gained = far.values("all.time_in_system_mean_min") - near.values("all.time_in_system_mean_min")
    assert gained * 60 == pytest.approx(np.full(5, extra / SPEED))


def test_clients_never_walk_through_staff_only_space(plan_file):
    # The waiting room's back door leads through the back office to the hall: a shortcut that
    # staff may take but clients may not.
    result = run(scenario(plan_file, "FAR", arrivals={"rate": 20}), replications=2)
    network = walk_network(load_floor(plan_file))
    assert result.traffic
    for key in result.traffic:
        u, v = key.split("|")
        assert network.graph.edges[u, v]["access"] == "public", key
    staff = travel_distances(load_floor(plan_file), "staff")
    client = travel_distances(load_floor(plan_file), "client")
    assert staff.distance("S1", "FAR") < client.distance("S1", "FAR")


def test_layout_references_are_checked(plan_file):
    from sim.errors import ScenarioError

    with pytest.raises(ScenarioError) as err:
        scenario(plan_file, "FAAR")
    problem = err.value.problems[0]
    assert problem.path == "staff.clerk.desks"
    assert "FAAR" in problem.message and "FAR" in problem.message
    with pytest.raises(ScenarioError) as err:
        scenario(plan_file, "B1")
    assert "staff-only" in str(err.value)


def test_waiting_capacity_comes_from_the_seats(plan_file):
    sc = scenario(plan_file, "NEAR", appointments={"times": ["09:00"] * 6}, service="30 min")
    result = run_replication(sc, 0)
    # One served at once, three seats: two of the six are turned away at the door.
    assert result.kpis["all.balked_per_day"] == 2


def test_waiting_capacity_from_area_and_density(plan_file):
    # The waiting room is 4 m x 4 m: at 0.5 clients per m2, eight can wait (three on seats).
    sc = scenario(plan_file, "NEAR", appointments={"times": ["09:00"] * 12}, service="30 min")
    dense = scenario_from_dict({**sc.echo(), "waiting_area": {"per_m2": 0.5}})
    from sim.experiment.inputs import plan_for

    assert plan_for(dense).waiting_capacity == 8
    result = run_replication(dense, 0)
    # One served at once, eight waiting: three of the twelve are turned away at the door.
    assert result.kpis["all.balked_per_day"] == 3
