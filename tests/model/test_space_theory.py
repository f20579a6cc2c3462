"""The space model against theory: desk shortage (binomial tail) and room refusals (Erlang B).

Each replication's days are independent (every day starts with an empty building), so the
share of days with a shortage is a mean of independent Bernoulli trials; intervals come from
the number of days simulated. Room refusals are compared over replications (Student t).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from sim.analytic import erlang_b
from sim.analytic.desks import desk_shortage_probability
from sim.model.rooms import book_rooms
from sim.random_streams import Streams
from sim.results.kpis_space import space_kpis
from tests.model.space_helpers import simulate, space_scenario

EMPLOYEES = 50
TOGETHER = {"arrival": {"mean": "09:00", "sd": "0 s"}, "departure": {"mean": "17:00", "sd": "0 s"}}


def _team(**extra: object) -> dict[str, object]:
    return {
        "employees": EMPLOYEES,
        **TOGETHER,
        "day": {"desk": 1, "meetings": 0, "away": 0},
        **extra,
    }


def _shortage(space: dict[str, object], days: int) -> float:
    scenario = space_scenario(space)
    assert scenario.space is not None
    records, plan = simulate(scenario, days)
    kpis, _ = space_kpis(records, plan, scenario.space, 0)
    return kpis["space.shortage_probability"]


def _half_width(p: float, n: int) -> float:
    return 4.0 * math.sqrt(p * (1 - p) / n)


def test_independent_attendance_matches_the_binomial_tail() -> None:
    days = 800
    ratio = 0.64  # 32 desks for 50 employees
    for policy in ("hot_desking", "neighbourhoods"):
        space = {
            "week": ["mon"],
            "desks": {"policy": policy, "ratio": ratio, "source": "density", "m2_per_desk": 16},
            "movement": {"door_flow": None},
            "teams": {"all": _team(attendance=0.6, neighbourhood=["open_a_0", "open_b_0"])},
        }
        theory = desk_shortage_probability(32, [EMPLOYEES], [0.6])
        got = _shortage(space, days)
        assert abs(got - theory) < _half_width(theory, days), (policy, got, theory)


def test_shortage_falls_as_the_desk_ratio_rises() -> None:
    days = 400
    values = []
    for ratio in (0.5, 0.6, 0.7, 0.8):
        space = {
            "week": ["mon"],
            "desks": {"ratio": ratio, "source": "density", "m2_per_desk": 16},
            "movement": {"door_flow": None},
            "teams": {"all": _team(attendance=0.6)},
        }
        values.append(_shortage(space, days))
        desks = round(ratio * EMPLOYEES)
        theory = desk_shortage_probability(desks, [EMPLOYEES], [0.6])
        assert abs(values[-1] - theory) < _half_width(max(theory, 0.01), days)
    assert values == sorted(values, reverse=True) and values[0] > values[-1] + 0.5


def test_anchor_days_make_shortages_likelier_than_the_binomial_rule() -> None:
    # Two-day week, anchor on one of the two days drawn each week: marginal attendance
    # 0.5 * 0.9 + 0.5 * 0.5 = 0.7 every day, but members come together.
    days = 800
    space = {
        "week": ["mon", "tue"],
        "desks": {"ratio": 0.8, "source": "density", "m2_per_desk": 16},
        "movement": {"door_flow": None},
        "teams": {"all": _team(attendance=0.5, anchor_days=["mon", "tue"], anchor_attendance=0.9)},
    }
    binomial = desk_shortage_probability(40, [EMPLOYEES], [0.7])
    mixture = 0.5 * desk_shortage_probability(40, [EMPLOYEES], [0.9]) + 0.5 * (
        desk_shortage_probability(40, [EMPLOYEES], [0.5])
    )
    got = _shortage(space, days)
    assert got > binomial + _half_width(binomial, days)
    assert abs(got - mixture) < _half_width(mixture, days)


def test_room_refusals_match_erlang_b() -> None:
    # Poisson bookings round the clock, exponential 1 h, one person each: every one of the
    # nine meeting rooms fits, so this is M/M/9/9 with a = 7 Erlangs. Bookings in the first
    # three hours of a day (rooms start empty) are left out.
    space = {
        "desks": {"source": "density"},
        "teams": {
            "all": {
                "employees": 10,
                "meetings": [
                    {
                        "per_day": 168,
                        "size": 1,
                        "earliest": "00:00",
                        "latest": "24:00",
                        "duration": {"dist": "exponential", "mean": "1 h"},
                    }
                ],
            }
        },
    }
    scenario = space_scenario(space)
    assert scenario.space is not None
    from sim.experiment.inputs import space_plan_for

    plan = space_plan_for(scenario)
    assert plan is not None
    rooms = sum(1 for r in plan.rooms if r.kind == "meeting")
    assert rooms == 9
    shares = []
    for rep in range(6):
        streams = Streams(7, rep)
        refused = total = 0
        for _ in range(60):
            for b in book_rooms(plan, scenario.space, streams):
                if b.start >= 3 * 3600 and b.kind == "meeting":
                    total += 1
                    refused += b.room < 0
        shares.append(refused / total)
    x = np.asarray(shares)
    half = stats.t.ppf(0.995, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    theory = erlang_b(9, 7.0)
    assert abs(x.mean() - theory) < half + 0.003, (x.mean(), theory, half)
