"""Blended work: front staff taking back-office tasks, back-office staff called to the front.

Direction tests compare the same clients and tasks (common random numbers: the same seed) with
and without blending, over enough replications that the paired difference's interval excludes
zero; the time shares must add up to the crew's on-duty time.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from scipy import stats

from sim.errors import InternalError
from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.model import blending
from sim.model.office import Office
from sim.results.summary import ExperimentResult

QUIET_IT = {
    "level": "integrated",
    "outage_every": None,
    "outage_repair": None,
    "error_probability": 0.0,
    "service_factor": 1.0,
}


def office(**extra: Any) -> dict[str, Any]:
    """Three tellers with spare time, one overloaded back-office clerk."""
    data: dict[str, Any] = {
        "name": "blend",
        "days": 5,
        "warmup_days": 0,
        "replications": 12,
        "seed": 11,
        "hours": {"open": "09:00", "close": "17:00"},
        "client_classes": {
            "visit": {
                "skill": "counter",
                "arrivals": {"rate": 16},
                "service": {"dist": "exponential", "mean": "6 min"},
            }
        },
        "staff": {"teller": {"count": 3, "skills": ["counter"]}},
        "back_office": {
            "teams": {"ops": {"count": 1}},
            "tasks": {
                "form": {
                    "steps": [{"team": "ops", "time": {"dist": "exponential", "mean": "10 min"}}],
                    "due": "8 h",
                    "arrivals": {"rate": 8},
                }
            },
        },
        "it": QUIET_IT,
    }
    data.update(extra)
    return data


def paired_interval(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """99.9% Student-t interval of the mean of ``b - a`` (replication by replication)."""
    d = b - a
    half = stats.t.ppf(0.9995, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean() - half), float(d.mean() + half)


def values(res: ExperimentResult, key: str) -> np.ndarray:
    return res.values(key)


def test_front_staff_taking_tasks_lower_the_backlog_and_lateness_at_some_client_wait():
    plain = run(scenario_from_dict(office()))
    blend = run(
        scenario_from_dict(
            office(blending={"front": {"teller": {"teams": ["ops"], "switch_time": "1 min"}}})
        )
    )
    low, high = paired_interval(
        values(plain, "tasks.backlog_end_of_day"), values(blend, "tasks.backlog_end_of_day")
    )
    assert high < 0, (low, high)
    low, high = paired_interval(
        values(plain, "tasks.on_time_share"), values(blend, "tasks.on_time_share")
    )
    assert low > 0, (low, high)
    low, high = paired_interval(
        values(plain, "all.wait_mean_min"), values(blend, "all.wait_mean_min")
    )
    assert low > 0, (low, high)
    assert np.all(values(blend, "role.teller.share_tasks") > 0)


def test_tasks_first_puts_clients_behind_tasks():
    first = run(
        scenario_from_dict(
            office(replications=4, blending={"front": {"teller": {"teams": ["ops"]}}})
        )
    )
    rule = {"teams": ["ops"], "rule": "tasks_first"}
    tasks_first = run(
        scenario_from_dict(office(replications=4, blending={"front": {"teller": rule}}))
    )
    assert (
        values(tasks_first, "all.wait_mean_min").mean() > values(first, "all.wait_mean_min").mean()
    )
    assert (
        values(tasks_first, "role.teller.share_tasks").mean()
        > values(first, "role.teller.share_tasks").mean()
    )


def called_forward(**back: Any) -> dict[str, Any]:
    """Two busy tellers; a two-clerk team with light work that may be called forward."""
    data = office(
        client_classes={
            "visit": {
                "skill": "counter",
                "arrivals": {"rate": 22},
                "service": {"dist": "exponential", "mean": "5 min"},
            }
        },
        staff={"teller": {"count": 2, "skills": ["counter"]}},
    )
    data["back_office"]["teams"]["ops"]["count"] = 2
    data["back_office"]["tasks"]["form"]["arrivals"] = {"rate": 4}
    if back:
        data["blending"] = {"back": {"ops": {"skills": ["counter"], **back}}}
    return data


def test_calling_back_office_staff_forward_lowers_client_wait():
    plain = run(scenario_from_dict(called_forward()))
    called = run(scenario_from_dict(called_forward(when_waiting=3)))
    low, high = paired_interval(
        values(plain, "all.wait_mean_min"), values(called, "all.wait_mean_min")
    )
    assert high < 0, (low, high)
    assert np.all(values(called, "team.ops.share_clients") > 0)
    # Called only when the queue is long: a higher threshold calls them less.
    rarely = run(scenario_from_dict(called_forward(when_waiting=8)))
    assert (
        values(rarely, "team.ops.share_clients").mean()
        < values(called, "team.ops.share_clients").mean()
    )


@pytest.mark.parametrize(
    "extra",
    [
        {"blending": {"front": {"teller": {"teams": ["ops"], "switch_time": "2 min"}}}},
        {"blending": {"back": {"ops": {"skills": ["counter"], "when_waiting": 2}}}},
    ],
)
def test_time_shares_add_up_to_the_on_duty_time(extra):
    data = office(replications=3, **extra)
    res = run(scenario_from_dict(data))
    scope = "role.teller" if "front" in extra["blending"] else "team.ops"
    parts = sum(
        values(res, f"{scope}.share_{k}") for k in ("clients", "tasks", "switching", "idle")
    )
    assert np.allclose(parts, 1.0, atol=1e-9)
    for k in ("clients", "tasks", "switching", "idle"):
        assert np.all(values(res, f"{scope}.share_{k}") >= -1e-12)
    assert np.all(values(res, f"{scope}.share_switching") > 0)


def test_no_switch_time_means_no_switching():
    rule = {"teams": ["ops"], "switch_time": "0 s"}
    res = run(scenario_from_dict(office(replications=2, blending={"front": {"teller": rule}})))
    assert np.all(values(res, "role.teller.share_switching") == 0)


def test_the_run_check_catches_time_that_does_not_add_up():
    rule = {"teams": ["ops"], "switch_time": "1 min"}
    o = Office(scenario_from_dict(office(blending={"front": {"teller": rule}})), 0)
    o.simulate()
    assert isinstance(o.dispatcher, blending.BlendingDispatcher)
    o.dispatcher.work[("role.teller", "tasks")].area += 60.0
    with pytest.raises(InternalError, match=r"role\.teller"):
        blending.check(o)


def test_a_scenario_without_blending_uses_the_plain_dispatcher():
    o = Office(scenario_from_dict(office()), 0)
    assert type(o.dispatcher).__name__ == "Dispatcher"
    assert not [n for n in o.levels if n.startswith("work.")]


@pytest.mark.parametrize(
    ("blend", "path"),
    [
        ({"front": {"clerk": {"teams": ["ops"]}}}, "blending.front.clerk"),
        ({"front": {"teller": {"teams": ["opz"]}}}, "blending.front.teller.teams[0]"),
        ({"back": {"ops": {"skills": ["desk"]}}}, "blending.back.ops.skills[0]"),
    ],
)
def test_blending_mistakes_are_named_by_key_path(blend, path):
    from sim.errors import ScenarioError

    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(office(blending=copy.deepcopy(blend)))
    assert path in str(err.value)
