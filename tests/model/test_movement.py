"""Lifts and doors in the space model, against hand-computed times.

Lift: 10 s at every stop, 2.5 s per level; one car of 13. Door: 1.3 persons per metre per
second (IMO MSC.1/Circ.1533), so a crowd of N clears a door of width w in N / (1.3 w) seconds.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest
import simpy

from sim.layout.floor import Floor
from sim.layout.travel import travel_distances
from sim.model.crowding import Door
from sim.model.vertical import LiftBank
from tests.model.space_helpers import simulate, space_scenario

FLOW = 1.3


def test_an_idle_car_takes_two_door_times_and_the_levels() -> None:
    env = simpy.Environment()
    bank = LiftBank(env, cars=1, capacity=13, door_time=10.0, per_level=2.5)
    done = bank.ride(0, 2)
    env.run(until=done)
    assert env.now == pytest.approx(25.0)
    assert bank.waits == [0.0]


def test_riders_beyond_the_capacity_wait_for_the_round_trip() -> None:
    env = simpy.Environment()
    bank = LiftBank(env, cars=1, capacity=13, door_time=10.0, per_level=2.5)
    arrivals = [bank.ride(0, 2) for _ in range(20)]
    times: list[float] = []
    for event in arrivals:
        event.callbacks.append(lambda _e: times.append(env.now))
    env.run()
    # First 13 out at 25 s; the car returns (5 s), boards at 30 s and is up again at 55 s.
    assert times[:13] == [pytest.approx(25.0)] * 13
    assert times[13:] == [pytest.approx(55.0)] * 7
    assert sorted(bank.waits) == [0.0] * 13 + [pytest.approx(30.0)] * 7


def test_a_door_passes_a_crowd_at_its_specific_flow() -> None:
    for width in (1.8, 0.9):
        env = simpy.Environment()
        door = Door(env, width, FLOW)
        out: list[float] = []

        def walker(
            env: simpy.Environment = env, door: Door = door, out: list[float] = out
        ) -> object:
            yield from door.passage()
            out.append(env.now)

        for _ in range(100):
            env.process(walker())
        env.run()
        assert max(out) == pytest.approx(100 / (FLOW * width))


def _lift_scenario(**movement: object) -> object:
    return space_scenario(
        {
            "week": ["mon"],
            "desks": {"source": "density", "m2_per_desk": 16},
            "movement": {"vertical": "lift", "door_flow": None, **movement},
            "teams": {
                "solo": {
                    "employees": 1,
                    "attendance": 1.0,
                    "level": "2",
                    "arrival": {"mean": "09:00"},
                    "departure": {"mean": "17:00"},
                }
            },
        }
    )


def test_an_employee_on_the_top_floor_rides_the_lift_as_computed_by_hand() -> None:
    scenario = _lift_scenario()
    records, plan = simulate(scenario, 1)  # type: ignore[arg-type]
    (visit,) = records.visits
    desk = plan.desks[visit.desk]
    assert desk.level == "2"
    top: Floor = plan.building.level("2").floor
    after = travel_distances(top, "staff", ids=["lift_2", desk.id]).distance("lift_2", desk.id)
    expected = math.hypot(2, 9) / 1.34 + 25.0 + after / 1.34
    assert visit.seated - visit.arrival == pytest.approx(expected)
    assert visit.lift_wait == pytest.approx(0.0)


def _crowd(width: float) -> tuple[list[float], float, float]:
    """Exit times, the first arrival at the door and the spread of walks to it."""
    scenario = space_scenario(
        {
            "week": ["mon"],
            "desks": {"source": "density", "m2_per_desk": 16},
            "movement": {"vertical": "stairs", "door_flow": FLOW},
            "teams": {
                "all": {
                    "employees": 100,
                    "attendance": 1.0,
                    "level": "0",
                    "arrival": {"mean": "08:00", "sd": "40 min"},
                    "departure": {"mean": "17:00"},
                }
            },
        }
    )
    from sim.experiment.inputs import space_plan_for
    from sim.model.space import SpaceModel
    from sim.random_streams import Streams

    plan = dataclasses.replace(space_plan_for(scenario), door_width=width)  # type: ignore[type-var]
    assert scenario.space is not None
    records = SpaceModel(scenario.space, plan, 1, Streams(1, 0)).simulate()
    outs = sorted(v.outside for v in records.visits)
    walks = [float(plan.entry_seconds[v.desk]) for v in records.visits]
    first = min(v.departure + w for v, w in zip(records.visits, walks, strict=True))
    return outs, first, max(walks) - min(walks)


def test_a_half_width_door_delays_the_crowd_leaving_by_the_documented_flow() -> None:
    wide, wide_first, spread = _crowd(1.8)
    narrow, narrow_first, _ = _crowd(0.9)
    n = len(narrow)
    assert n == len(wide) == 100
    for width, outs in ((1.8, wide), (0.9, narrow)):
        headway = 1 / (FLOW * width)
        gaps = [b - a for a, b in itertools.pairwise(outs)]
        assert min(gaps) >= headway - 1e-9  # never faster than the documented flow
    narrow_h, wide_h = 1 / (FLOW * 0.9), 1 / (FLOW * 1.8)
    narrow_clear = narrow[-1] - narrow_first
    wide_clear = wide[-1] - wide_first
    # The crowd needs n passages; it cannot take longer than those plus the walking spread.
    assert n * narrow_h - 1e-9 <= narrow_clear <= n * narrow_h + spread
    assert n * wide_h - 1e-9 <= wide_clear <= n * wide_h + spread
    assert narrow_clear - wide_clear >= n * (narrow_h - wide_h) - spread
    assert narrow_clear - wide_clear > 20.0  # visibly
