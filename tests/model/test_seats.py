"""Waiting seats are taken and freed: the nearest free seat, or standing when all are taken."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from sim.experiment.inputs import plan_for, scenario_from_dict
from sim.experiment.replication import run_replication
from sim.layout import load_floor, travel_distances
from sim.model.office import Office
from sim.model.seats import STANDING, SeatBank

SPEED = 1.25

PLAN = {
    "name": "Waiting room",
    "spaces": {
        "lobby": {"category": "entrance", "rect": [0, 0, 4, 4]},
        "waiting": {"category": "waiting", "rect": [0, 4, 4, 4]},
        "hall": {"category": "service", "rect": [4, 0, 20, 4]},
    },
    "doors": [
        {"between": ["outside", "lobby"], "at": [2, 0], "width": 1.2},
        {"between": ["lobby", "waiting"], "at": [2, 4], "width": 1.2},
        {"between": ["lobby", "hall"], "at": [4, 2], "width": 1.2},
    ],
    "desks": [{"id": "NEAR", "at": [6, 2]}],
    "seats": [{"row": {"from": [1, 6], "to": [3, 6], "count": 3, "prefix": "S"}}],
    "entrances": [{"id": "in", "at": [1.5, 1]}],
    "exits": [{"id": "out", "at": [2.5, 1]}],
}


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "waiting.yaml"
    path.write_text(yaml.safe_dump(PLAN), encoding="utf-8")
    return path


def scenario(plan_file: Path, clients: int, **extra):
    return scenario_from_dict(
        {
            "name": "seats",
            "days": 1,
            "replications": 1,
            "hours": {"open": "09:00", "close": "17:00"},
            "layout": str(plan_file),
            "walking": {"client_speed": SPEED},
            "client_classes": {
                "c": {
                    "skill": "s",
                    "service": "30 min",
                    "appointments": {"times": ["09:00"] * clients},
                }
            },
            "staff": {"clerk": {"count": 1, "skills": ["s"], "desks": ["NEAR"]}},
            **extra,
        }
    )


def test_the_nearest_free_seat_is_taken_and_the_excess_stands(plan_file):
    # Seven clients at once, one clerk, three seats, standing room for eight (4 m x 4 m at
    # 0.5 per m2): one is served at once, six wait; three sit and exactly three stand.
    sc = scenario(plan_file, 7, waiting_area={"per_m2": 0.5})
    office = Office(sc, 0, plan_for(sc))
    office.simulate()
    assert office.seats is not None
    assert (office.seats.sat, office.seats.stood) == (3, 3)
    td = travel_distances(load_floor(plan_file), "client")
    # From the entrance, S2 (straight through the door) is nearest; S1 and S3 are equally far,
    # S1 is listed first. Those standing stand beside the nearest seat, S2.
    assert (
        td.distance("in", "S2") < td.distance("in", "S1") == pytest.approx(td.distance("in", "S3"))
    )

    def via(seat: str) -> float:
        return td.distance("in", seat) + td.distance(seat, "NEAR") + td.distance("NEAR", "out")

    direct = td.distance("in", "NEAR") + td.distance("NEAR", "out")
    expected = Counter({round(direct, 9): 1, round(via("S2"), 9): 4})
    expected[round(via("S1"), 9)] += 1
    expected[round(via("S3"), 9)] += 1
    walked = Counter(round(float(w), 9) for w in office.records().clients["walked"])
    assert walked == expected
    result = run_replication(sc, 0)
    assert result.kpis["waiting_area.stood_share"] == pytest.approx(0.5)


def test_seat_occupancy_is_the_time_on_the_seat_over_seat_hours(plan_file):
    # Two clients at 09:00: the first walks to the desk and is served for 30 minutes; the
    # second sits on S2 from arriving there until called as that service ends.
    sc = scenario(plan_file, 2)
    td = travel_distances(load_floor(plan_file), "client")
    called = td.distance("in", "NEAR") / SPEED + 1800
    on_seat = called - td.distance("in", "S2") / SPEED
    result = run_replication(sc, 0)
    assert result.kpis["waiting_area.seat_occupancy_mean"] == pytest.approx(
        on_seat / (8 * 3600 * 3)
    )
    assert result.kpis["waiting_area.stood_share"] == 0


def test_a_freed_seat_is_taken_again():
    # Points 0 (here) and 1..2 (seats) on a line: seat 1 is 1 m away, seat 2 is 2 m away.
    distance = [[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0]]
    bank = SeatBank((1, 2), distance)
    assert bank.take(0, True) == (0, 1)
    assert bank.take(0, True) == (1, 2)
    assert bank.take(0, True) == (STANDING, 1)
    bank.sit(0.0, 0)
    bank.release(10.0, 0, seated=True)
    assert bank.take(0, True) == (0, 1)
    assert (bank.sat, bank.stood) == (3, 1)
    assert bank.level.area_at(10.0) == 10.0


def test_equally_near_seats_go_in_listed_order_and_the_nearest_is_where_one_stands():
    # Seats at points 1, 2, 3: points 2 and 3 are equally near point 0, point 1 is farther.
    distance = [
        [0.0, 3.0, 1.0, 1.0],
        [3.0, 0.0, 2.0, 2.0],
        [1.0, 2.0, 0.0, 0.0],
        [1.0, 2.0, 0.0, 0.0],
    ]
    bank = SeatBank((1, 2, 3), distance)
    assert [bank.take(0, False) for _ in range(4)] == [(1, 2), (2, 3), (0, 1), (STANDING, 2)]
    bank.release(5.0, 1, seated=False)
    assert bank.take(0, False) == (1, 2)
    assert bank.take(1, False) == (STANDING, 1)
