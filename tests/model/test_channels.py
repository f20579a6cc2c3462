"""Contact channels: chats as k servers (Erlang C), calls without seats, e-mail as a backlog.

Statistical tests use the replication intervals of ``test_theory`` (99.9%, Student t).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analytic import erlang_a, mmc
from sim.errors import ScenarioError
from sim.experiment.api import run
from sim.experiment.inputs import load_scenario, scenario_from_dict
from sim.model.office import Office
from tests.model.test_theory import assert_consistent, assert_covers

ROOT = Path(__file__).resolve().parents[2]


def test_one_chat_agent_with_k_sessions_and_no_slowdown_is_k_servers(queue_scenario):
    lam, mu, k = 40.0, 12.0, 4
    sc = queue_scenario(
        lam=lam,
        mu=mu,
        c=1,
        client_classes={
            "c": {
                "skill": "s",
                "channel": "chat",
                "arrivals": {"rate": lam},
                "service": {"dist": "exponential", "mean": f"{3600 / mu} s"},
            }
        },
        staff={"srv": {"count": 1, "skills": ["s"], "channels": ["chat"]}},
        channels={"chat": {"sessions": k, "slowdown": 0}},
    )
    res = run(sc)
    theory = mmc(lam, mu, k)
    assert_consistent(res)
    assert_covers(res, "all.wait_mean_min", theory.wq * 60)
    assert_covers(res, "channel.chat.response_time_mean_min", theory.wq * 60)
    assert_covers(res, "all.waited_share", theory.p_wait)
    # The agent is busy whenever at least one chat is open: 1 - P(empty system).
    p0 = _p_empty(lam / mu, k)
    assert_covers(res, "role.srv.utilization", 1 - p0)


def _p_empty(a: float, c: int) -> float:
    """P(no client in an M/M/c system) with offered load ``a``."""
    from math import factorial

    rho = a / c
    total = sum(a**n / factorial(n) for n in range(c)) + a**c / factorial(c) / (1 - rho)
    return 1 / total


def test_chat_slowdown_makes_chats_longer_and_waits_longer(queue_scenario):
    def chat(slowdown: float):
        return run(
            queue_scenario(
                lam=30.0,
                mu=12.0,
                c=1,
                replications=8,
                client_classes={
                    "c": {
                        "skill": "s",
                        "channel": "chat",
                        "arrivals": {"rate": 30.0},
                        "service": {"dist": "exponential", "mean": "300 s"},
                    }
                },
                staff={"srv": {"count": 1, "skills": ["s"], "channels": ["chat"]}},
                channels={"chat": {"sessions": 3, "slowdown": slowdown}},
            )
        )

    fast, slow = chat(0.0), chat(0.3)
    assert slow.values("all.wait_mean_min").mean() > fast.values("all.wait_mean_min").mean()
    assert (
        slow.values("all.time_in_system_mean_min").mean()
        > fast.values("all.time_in_system_mean_min").mean()
    )


def test_phone_callers_with_patience_match_erlang_a(queue_scenario):
    lam, mu, c, theta = 60.0, 12.0, 5, 6.0
    sc = queue_scenario(
        lam=lam,
        mu=mu,
        c=c,
        capacity=0,
        client_classes={
            "c": {
                "skill": "s",
                "channel": "phone",
                "arrivals": {"rate": lam},
                "service": {"dist": "exponential", "mean": f"{3600 / mu} s"},
                "patience": {"dist": "exponential", "mean": f"{3600 / theta} s"},
            }
        },
        staff={"srv": {"count": c, "skills": ["s"], "channels": ["phone"]}},
    )
    res = run(sc)
    assert_consistent(res)
    # A waiting area of zero seats turns no caller away: callers hold on the line.
    assert np.all(res.values("all.balked_share") == 0)
    assert np.all(res.values("waiting_area.occupancy_max") == 0)
    assert_covers(res, "channel.phone.abandonment_share", erlang_a(lam, mu, c, theta).p_abandon)


def test_phone_callers_take_no_seat_and_walk_nowhere_on_a_floor_plan():
    base = load_scenario(ROOT / "scenarios" / "bank_branch.yaml")
    data = base.echo()
    name = next(iter(data["client_classes"]))
    data["client_classes"][name]["channel"] = "phone"
    data["client_classes"][name].pop("lookup", None)
    for role in data["staff"].values():
        role["channels"] = ["walk_in", "phone"]
    data["replications"] = 2
    data["layout"] = str(base.layout)
    phone = run(scenario_from_dict(data))
    walk = run(base.model_copy(update={"replications": 2}))
    assert np.all(phone.values(f"class.{name}.walk_distance_mean_m") == 0)
    assert np.all(walk.values(f"class.{name}.walk_distance_mean_m") > 0)
    assert np.all(phone.values(f"class.{name}.balked_share") == 0)
    # Fewer people in the building: the waiting area holds fewer clients on average.
    assert (
        phone.values("waiting_area.occupancy_mean").mean()
        < walk.values("waiting_area.occupancy_mean").mean()
    )


def _email_office(**extra) -> dict:
    data = {
        "name": "mail",
        "days": 5,
        "warmup_days": 0,
        "replications": 4,
        "seed": 3,
        "hours": {"open": "09:00", "close": "17:00"},
        "client_classes": {
            "mail": {
                "skill": "s",
                "channel": "email",
                "arrivals": {"rate": 10},
                "after_hours_rate": 2,
                "service": {"dist": "exponential", "mean": "8 min"},
                # Patience is ignored for e-mail: nobody gives up on a backlog.
                "patience": {"dist": "exponential", "mean": "5 min"},
            }
        },
        "staff": {"clerk": {"count": 2, "skills": ["s"], "channels": ["email"]}},
        "channels": {"email": {"due": "24 h"}},
    }
    data.update(extra)
    return data


def test_email_is_a_backlog_that_conserves_every_request():
    sc = scenario_from_dict(_email_office())
    office = Office(sc, 0)
    office.simulate()
    book = office.channels
    assert book is not None
    rec = office.records()
    served = int((rec.clients["outcome"] == 0).sum())
    reneged = int((rec.clients["outcome"] == 2).sum())
    assert reneged == 0
    assert book.arrived["email"] == served + book.open["email"].value
    assert book.arrived["email"] == rec.arrived
    # Requests outside opening hours exist and wait for the morning.
    clock = rec.clients["arrival"] % 86_400
    night = (clock < 9 * 3600) | (clock >= 17 * 3600)
    assert night.sum() > 0
    opening = np.where(clock < 9 * 3600, 9 * 3600 - clock, 86_400 - clock + 9 * 3600)
    assert np.all(rec.clients["wait"][night] >= opening[night] - 1e-6)
    # Staff go home at closing (finishing the e-mail in hand): none is started after closing.
    served_mask = rec.clients["outcome"] == 0
    started = (rec.clients["arrival"] + rec.clients["wait"])[served_mask] % 86_400
    assert np.all((started >= 9 * 3600 - 1e-6) & (started <= 17 * 3600 + 1e-6))


def test_email_backlog_at_close_and_service_level_against_the_due_time():
    res = run(scenario_from_dict(_email_office()))
    backlog = res.values("channel.email.backlog_at_close")
    assert np.all(backlog >= 0) and backlog.mean() > 0
    assert np.all(res.values("channel.email.abandonment_share") == 0)
    level = res.values("channel.email.service_level")
    assert np.all((level > 0.5) & (level <= 1))
    tight = run(scenario_from_dict(_email_office(channels={"email": {"due": "30 min"}})))
    assert tight.values("channel.email.service_level").mean() < level.mean()


def test_a_walk_in_only_office_writes_no_channel_kpis(queue_scenario):
    res = run(queue_scenario(lam=20.0, mu=12.0, c=2, replications=2))
    assert not [k for k in res.replications[0].kpis if k.startswith("channel.")]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"staff": {"clerk": {"count": 2, "skills": ["s"]}}}, "client_classes.mail.channel"),
        (
            {
                "client_classes": {
                    "mail": {
                        "skill": "s",
                        "channel": "phone",
                        "arrivals": {"rate": 10},
                        "after_hours_rate": 2,
                        "service": {"dist": "exponential", "mean": "8 min"},
                    }
                },
                "staff": {"clerk": {"count": 2, "skills": ["s"], "channels": ["phone"]}},
            },
            "client_classes.mail.after_hours_rate",
        ),
    ],
)
def test_channel_mistakes_are_named_by_key_path(change, path):
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(_email_office(**change))
    assert path in str(err.value)


def test_remote_contacts_appear_in_the_event_log_in_order():
    from sim.model.eventlog import EventLog

    sc = scenario_from_dict(_email_office(days=1, replications=1))
    log = EventLog()
    o = Office(sc, 0, event_log=log)
    o.simulate()
    cases = [c for c, a in log.cases.items() if a["type"] == "mail"]
    assert len(cases) == o.recorder.arrived
    by_case: dict[str, list[str]] = {}
    for _, case, activity, lifecycle, _, _ in log.sorted_events():
        by_case.setdefault(case, []).append(f"{activity}/{lifecycle}")
    answered = [c for c in cases if by_case[c][-1] == "leave/instant"]
    assert answered
    for case in answered:
        steps = by_case[case]
        assert steps[0] == "arrive/instant"
        assert steps[-3:] == ["service/start", "service/complete", "leave/instant"]


def test_a_channel_target_measures_exactly_the_classes_of_that_channel():
    """``channel: phone`` in targets.specific covers every phone class: the same clients, so
    the same numbers, as listing those classes under ``clients``."""
    base = load_scenario(ROOT / "scenarios" / "bank_contact_centre.yaml")
    data = base.echo()
    phone = [n for n, c in data["client_classes"].items() if c["channel"] == "phone"]
    data["targets"]["specific"] = [
        {"channel": "phone", "wait": "1 min", "service_level": 0.7},
        {"clients": phone, "wait": "1 min", "service_level": 0.7},
    ]
    data["replications"] = 2
    data["layout"] = str(base.layout) if base.layout else None
    result = run(scenario_from_dict(data))
    by_channel = "window.channel_phone.08:00-18:00.within_1min"
    by_class = f"window.{'+'.join(phone)}.08:00-18:00.within_1min"
    keys = [k for k in result.summary if k.startswith(by_channel)]
    assert keys, sorted(k for k in result.summary if k.startswith("window."))
    for key in keys:
        other = by_class + key[len(by_channel) :]
        assert np.array_equal(result.values(key), result.values(other), equal_nan=True)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"channel": "chat", "service_level": 0.8}, "no client class comes by 'chat'"),
        (
            {"channel": "email", "clients": ["mail"], "service_level": 0.8},
            "give 'clients' or 'channel', not both",
        ),
    ],
)
def test_channel_target_mistakes_are_named(target, message):
    office = _email_office()
    office["targets"] = {**office.get("targets", {}), "specific": [target]}
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(office)
    assert "targets.specific[0].channel" in str(err.value) and message in str(err.value)
