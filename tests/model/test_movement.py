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


def _through_inner_door(width: float | None) -> tuple[dict[int, float], object]:
    """Seated time per desk of 60 people arriving at 08:00, with the lobby door ``width`` wide."""
    scenario = space_scenario(
        {
            "week": ["mon"],
            "desks": {"source": "density", "m2_per_desk": 16},
            "movement": {"vertical": "stairs", "door_flow": FLOW, "inner_doors": True},
            "teams": {
                "all": {
                    "employees": 60,
                    "attendance": 1.0,
                    "level": "0",
                    "arrival": {"mean": "08:00"},
                    "departure": {"mean": "17:00"},
                }
            },
        }
    )
    from sim.experiment.inputs import space_plan_for
    from sim.model.space import SpaceModel
    from sim.random_streams import Streams

    plan = space_plan_for(scenario)
    assert plan is not None and scenario.space is not None
    # Every route on the ground floor leaves the lobby by its 4 m door to the corridor first.
    ground = [r for i, r in enumerate(plan.route_doors) if plan.desks[i].level == "0"]
    firsts = {route[0].door for route in ground}
    assert len(firsts) == 1
    (lobby_door,) = firsts
    assert plan.inner_doors[lobby_door] == 4.0
    if width is not None:
        widths = list(plan.inner_doors)
        widths[lobby_door] = width
        plan = dataclasses.replace(plan, inner_doors=tuple(widths))
    records = SpaceModel(scenario.space, plan, 1, Streams(1, 0)).simulate()
    return {v.desk: v.seated for v in records.visits}, plan


def test_a_narrower_inner_door_delays_the_crowd_by_the_documented_flow() -> None:
    # 60 people pass the 1.8 m outside door one every 1/(1.3 x 1.8) = 0.43 s and reach the lobby
    # door after the same walk. A lobby door of 0.6 m passes one every 1/(1.3 x 0.6) = 1.28 s,
    # slower than they come, so the k-th waits k x 1.28 s there; at 0.3 m, k x 2.56 s. The k-th
    # through is delayed by k / (1.3 x 0.6) s, the last by N / (q x w) = 60 / 0.78 = 76.9 s.
    wide, _ = _through_inner_door(0.6)
    narrow, _ = _through_inner_door(0.3)
    assert wide.keys() == narrow.keys() and len(wide) == 60
    delays = sorted(narrow[d] - wide[d] for d in wide)
    headway = 1 / (FLOW * 0.6)
    assert delays == pytest.approx([k * headway for k in range(1, 61)], rel=1e-9)
    assert delays[-1] == pytest.approx(60 / (FLOW * 0.6))


def test_inner_doors_add_their_passage_to_a_lone_walk() -> None:
    # One person alone: no queue anywhere, each inner door on the route takes one headway.
    scenario = space_scenario(
        {
            "week": ["mon"],
            "desks": {"source": "density", "m2_per_desk": 16},
            "movement": {"vertical": "stairs", "door_flow": FLOW, "inner_doors": True},
            "teams": {
                "solo": {
                    "employees": 1,
                    "attendance": 1.0,
                    "level": "0",
                    "arrival": {"mean": "09:00"},
                    "departure": {"mean": "17:00"},
                }
            },
        }
    )
    records, plan = simulate(scenario, 1)
    (visit,) = records.visits
    route = plan.route_doors[visit.desk]
    assert route  # the lobby door at least
    passages = sum(1 / (FLOW * plan.inner_doors[d.door]) for d in route)
    outside = 1 / (FLOW * 1.8)
    expected = outside + float(plan.entry_seconds[visit.desk]) + passages
    assert visit.seated - visit.arrival == pytest.approx(expected)
    assert visit.outside - visit.departure == pytest.approx(expected)


def test_a_trip_between_teams_on_two_levels_rides_the_lift_as_computed_by_hand() -> None:
    # One employee on level 0, one on level 2, both in from 09:00 to 17:00; trips from the
    # first to the second between 10:00 and 16:00. In the morning the second rode the car up to
    # level 2, where it waits; every trip calls it down two levels (5 s of waiting), boards
    # (10 s), rides two levels (5 s) and opens the doors (10 s), between the walks to and from
    # the lift.
    scenario = space_scenario(
        {
            "week": ["mon"],
            "hours": ["10:00", "16:00"],
            "desks": {"source": "density", "m2_per_desk": 16},
            "movement": {"vertical": "lift", "door_flow": None, "trips": True},
            "teams": {
                "sales": {
                    "employees": 1,
                    "attendance": 1.0,
                    "level": "0",
                    "arrival": {"mean": "09:00"},
                    "departure": {"mean": "17:00"},
                },
                "legal": {
                    "employees": 1,
                    "attendance": 1.0,
                    "level": "2",
                    "arrival": {"mean": "09:00"},
                    "departure": {"mean": "17:00"},
                },
            },
            "adjacency": {"sales": {"legal": 4}},
        }
    )
    records, plan = simulate(scenario, 1)
    seated = {v.team: plan.desks[v.desk] for v in records.visits}
    ground: Floor = plan.building.level("0").floor
    top: Floor = plan.building.level("2").floor
    a, b = seated["sales"], seated["legal"]
    before = travel_distances(ground, "staff", ids=["lift_0", a.id]).distance("lift_0", a.id)
    after = travel_distances(top, "staff", ids=["lift_2", b.id]).distance("lift_2", b.id)
    expected = before / 1.34 + 5.0 + 25.0 + after / 1.34
    assert records.trips, "Poisson(4) trips a day made none"
    assert records.trips_skipped == [0]
    for trip in records.trips:
        assert trip.by_lift and 10 * 3600 <= trip.start <= 16 * 3600
        assert trip.lift_wait == pytest.approx(5.0)
        assert trip.seconds == pytest.approx(expected)


def test_trips_by_stairs_take_the_stair_route() -> None:
    scenario = space_scenario(
        {
            "week": ["mon"],
            "desks": {"source": "density", "m2_per_desk": 16},
            "movement": {"vertical": "stairs", "door_flow": None, "trips": True},
            "teams": {
                "sales": {"employees": 3, "attendance": 1.0, "level": "0"},
                "legal": {"employees": 3, "attendance": 1.0, "level": "1"},
            },
            "adjacency": {"sales": {"legal": 20}},
        }
    )
    records, plan = simulate(scenario, 1)
    assert plan.trip_seconds is not None
    assert records.trips and not any(t.by_lift for t in records.trips)
    possible = {
        round(float(plan.trip_seconds[i, j]), 9)
        for i, d in enumerate(plan.desks)
        for j, e in enumerate(plan.desks)
        if d.level == "0" and e.level == "1"
    }
    assert all(round(t.seconds, 9) in possible for t in records.trips)
