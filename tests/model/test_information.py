"""Information quality at lookups and its consequences, self-service with containment and
escalation, and the contact balance, against the shares a scenario declares.

Statistical checks use 99.9% Student-t intervals over independent replications.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from sim.errors import InternalError, ScenarioError
from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.replication import run_replication
from sim.model.information import contact_balance
from sim.model.office import Office
from sim.units import DAY

CONFIDENCE = 0.999
QUIET_IT = {
    "level": "integrated",
    "outage_every": None,
    "outage_repair": None,
    "error_probability": 0.0,
    "service_factor": 1.0,
}


def interval(values: np.ndarray) -> tuple[float, float]:
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, len(values) - 1) * values.std(ddof=1)
    half /= np.sqrt(len(values))
    return float(values.mean() - half), float(values.mean() + half)


def covers(values: np.ndarray, expected: float) -> None:
    low, high = interval(values)
    assert low <= expected <= high, f"{expected:.4g} outside [{low:.4g}, {high:.4g}]"


def shop(lookup: dict[str, Any] | None = None, **extra: Any) -> Any:
    """A shop: buyers served by three sellers, some needing a stock lookup, orders to logistics."""
    buyer: dict[str, Any] = {
        "skill": "sales",
        "arrivals": {"rate": 12},
        "service": {"dist": "exponential", "mean": "6 min"},
        "creates": [{"task": "order", "probability": 0.8}],
    }
    if lookup is not None:
        buyer["lookup"] = lookup
    classes = extra.pop("client_classes", {"buyer": buyer})
    data = {
        "name": "shop",
        "days": 1,
        "replications": 30,
        "seed": 5,
        "hours": {"open": "09:00", "close": "17:00"},
        "client_classes": classes,
        "staff": {"seller": {"count": 3, "skills": ["sales"]}},
        "it": QUIET_IT,
        "back_office": {
            "teams": {"stock": {"count": 2}},
            "tasks": {
                "order": {"due": "1 d", "steps": [{"team": "stock", "time": "5 min"}]},
                "call_back": {"due": "4 h", "steps": [{"team": "stock", "time": "3 min"}]},
            },
        },
        **extra,
    }
    return scenario_from_dict(data)


def stock_lookup(quality: dict[str, Any] | None, **consequences: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "team": "stock",
        "probability": 0.5,
        "time": "1 min",
        "consequences": consequences,
    }
    if quality is not None:
        out["quality"] = quality
    return out


def test_stock_data_unavailable_raises_lost_sales_by_the_declared_share():
    leave = 0.4
    reaction = {"unanswered": {"leave": leave}}
    available = run(shop(stock_lookup({"integrated": {"unanswered": 0}}, **reaction)))
    missing = run(shop(stock_lookup({"integrated": {"unanswered": 1}}, **reaction)))
    assert np.all(available.values("all.lost_deals_per_day") == 0)
    lookups = missing.values("lookups.lookups_per_day")
    assert np.all(missing.values("all.no_answers_per_day") == lookups)
    # Every lookup is unanswered now: the declared share of those clients leave without the deal.
    covers(missing.values("all.lost_deals_per_day") / lookups, leave)
    raised = missing.values("all.lost_deals_per_day") - available.values("all.lost_deals_per_day")
    covers(raised - leave * lookups, 0.0)


def test_lost_deals_are_valued_in_the_costs_and_start_no_order():
    sc = shop(
        stock_lookup({"integrated": {"stale": 1}}, stale={"leave": 1}, deal_value=80),
        costs={"lost_deal_value": 5},
    )
    k = run_replication(sc, 0).kpis
    assert k["class.buyer.lost_deals_per_day"] == k["lookups.lookups_per_day"] > 0
    assert k["cost.lost_deal_value_per_day"] == pytest.approx(80 * k["all.lost_deals_per_day"])
    parts = ["staff", "rent", "it", "lost_clients", "late_tasks", "lost_deal_value"]
    assert k["cost.total_per_day"] == pytest.approx(sum(k[f"cost.{p}_per_day"] for p in parts))
    # Clients who leave start no order: far fewer orders than 0.8 of the served.
    assert k["task.order.created_per_day"] < 0.8 * k["all.served_per_day"] - 10


def test_answer_quality_follows_the_it_level_in_force():
    reaction = {"stale": {"leave": 0.5}}
    lookup = {"team": "stock", "probability": 0.5, "time": "1 min", "consequences": reaction}
    manual = run(shop(lookup, it={"level": "manual"}))
    integrated = run(shop(lookup))
    # The presets' stale shares (docs/assumptions.md): 0.08 manual, 0.01 integrated.
    for result, stale in ((manual, 0.08), (integrated, 0.01)):
        covers(
            result.values("all.stale_answers_per_day") / result.values("lookups.lookups_per_day"),
            stale,
        )
    assert (
        manual.values("all.lost_deals_per_day").mean()
        > integrated.values("all.lost_deals_per_day").mean()
    )


def test_outages_use_the_outage_quality():
    outages = {**QUIET_IT, "outage_every": "2 h", "outage_repair": "1 h"}
    quality = {"integrated": {"unanswered": 0}, "outage": {"unanswered": 1}}
    result = run(shop(stock_lookup(quality, unanswered={"leave": 1}), it=outages), replications=10)
    share = result.values("all.no_answers_per_day") / result.values("lookups.lookups_per_day")
    # About a third of the time is outage (1 h repair after 2 h up): some, not all, unanswered.
    assert 0.1 < share.mean() < 0.6


def test_repeat_visits_raise_next_day_arrivals_by_the_declared_share():
    repeat = 0.5
    sc = shop(
        stock_lookup({"integrated": {"unanswered": 1}}, unanswered={"repeat": repeat}),
        days=2,
        replications=40,
    )
    extra, expected = [], []
    for rep in range(sc.replications):
        office = Office(sc, rep)
        office.simulate()
        rec = office.records()
        day = (rec.clients["arrival"] // DAY).astype(int)
        events = rec.contacts.events
        lookups_day0 = int(((events["kind"] == 1) & (events["time"] < DAY)).sum())
        extra.append(int((day == 1).sum()) - int((day == 0).sum()))
        expected.append(repeat * lookups_day0)
    # Day 2 has the same Poisson arrivals plus the declared share of day 1's unanswered clients.
    covers(np.array(extra) - np.array(expected), 0.0)
    assert np.mean(extra) > 0.3 * np.mean(expected)


def test_repeat_visits_after_the_last_day_are_counted_not_simulated():
    sc = shop(stock_lookup({"integrated": {"unanswered": 1}}, unanswered={"repeat": 1}))
    office = Office(sc, 0)
    office.simulate()
    rec = office.records()
    assert rec.contacts.balance["repeated"] == rec.contacts.events["kind"].tolist().count(5) > 0
    assert rec.clients["arrival"].max() < DAY
    k = run_replication(sc, 0).kpis
    assert k["all.repeat_visits_per_day"] == k["lookups.lookups_per_day"]


def test_callbacks_create_their_task_and_a_delayed_answer():
    sc = shop(
        stock_lookup(
            {"integrated": {"unanswered": 1}},
            unanswered={"callback": 1},
            callback_task="call_back",
        )
    )
    k = run_replication(sc, 0).kpis
    assert k["all.callbacks_per_day"] == k["lookups.lookups_per_day"] > 0
    assert k["task.call_back.created_per_day"] == k["all.callbacks_per_day"]
    assert k["all.callback_delay_mean_h"] >= 3 / 60


def test_wrong_tasks_come_back_as_rework():
    sc = shop(
        stock_lookup({"integrated": {"stale": 1}}, stale={"rework": 1}, rework_after="30 min"),
        days=3,
    )
    office = Office(sc, 0)
    office.simulate()
    rec = office.records()
    kinds = rec.contacts.events["kind"]
    came_back = int((kinds == 6).sum())
    assert came_back > 0
    # Each wrong task comes back once as a new task of the same type.
    n_orders = int((rec.back_office.tasks["kind"] == 0).sum())
    assert came_back <= n_orders
    k = run_replication(sc, 0).kpis
    assert k["all.wrong_info_rework_per_day"] == pytest.approx(came_back / 3)


def bot_shop(share: float, containment: float, **bot: Any) -> Any:
    buyer = {
        "skill": "sales",
        "arrivals": {"rate": 12},
        "service": {"dist": "exponential", "mean": "6 min"},
        "creates": [{"task": "order", "probability": 0.8}],
        "self_service": {"share": share, "containment": containment, "time": "2 min", **bot},
    }
    return shop(client_classes={"buyer": buyer})


def test_containment_removes_its_share_of_bot_contacts_from_the_human_queue():
    share, containment = 0.6, 0.7
    res = run(bot_shop(share, containment))
    tried = res.values("all.bot_tried_per_day")
    contained = res.values("all.contained_per_day")
    humans = res.values("all.arrivals_per_day")
    covers(contained / tried, containment)
    covers(res.values("all.containment_share"), containment)
    # Human arrivals: every contact except the contained ones.
    covers(humans / (humans + contained), 1 - share * containment)
    assert np.all(tried == contained + res.values("all.escalated_per_day"))


def test_contained_requests_still_create_their_tasks():
    res = run(bot_shop(0.6, 1.0))
    contacts = res.values("all.arrivals_per_day") + res.values("all.contained_per_day")
    covers(res.values("task.order.created_per_day") / contacts, 0.8)


def test_escalated_contacts_wait_with_the_patience_left():
    buyer = {
        "skill": "sales",
        "arrivals": {"rate": 40},
        "service": "6 min",
        "patience": "15 min",
        "self_service": {"share": 1, "containment": 0, "time": "10 min"},
    }
    sc = shop(client_classes={"buyer": buyer}, back_office=None, it={"level": "manual"})
    k = run_replication(sc, 0).kpis
    assert k["all.reneged_per_day"] > 0
    # 15 min of patience less 10 min in the bot leaves 5 min in the queue.
    assert k["all.wait_max_min"] <= 5 + 1e-9
    assert k["all.time_in_system_mean_min"] >= 16 - 1e-9


def test_every_contact_ends_served_contained_lost_repeated_or_open():
    buyer = {
        "skill": "sales",
        "arrivals": {"rate": 30},
        "service": {"dist": "exponential", "mean": "6 min"},
        "patience": {"dist": "exponential", "mean": "10 min"},
        "creates": [{"task": "order", "probability": 0.8}],
        "self_service": {"share": 0.5, "containment": 0.5, "time": "3 min"},
        "lookup": stock_lookup(
            {"integrated": {"stale": 0.3, "unanswered": 0.3}},
            stale={"leave": 0.3, "rework": 0.3},
            unanswered={"repeat": 0.5, "callback": 0.3},
            callback_task="call_back",
        ),
    }
    sc = shop(client_classes={"buyer": buyer}, days=2)
    office = Office(sc, 0)
    office.simulate()
    ends = office.balance
    assert all(ends[k] > 0 for k in ("served", "contained", "lost", "repeated"))
    assert ends["contacts"] == sum(v for k, v in ends.items() if k != "contacts")
    checks = run_replication(sc, 0).checks
    assert checks["contacts_contacts"] == ends["contacts"]
    assert office.contacts is not None
    office.contacts.tried += 1  # a contact that never ended
    with pytest.raises(InternalError, match="conservation"):
        contact_balance(office, int(ends["served"] + ends["repeated"]) + 0, 0)


def test_consequences_are_checked():
    with pytest.raises(ScenarioError, match="callback_task"):
        shop(stock_lookup(None, stale={"callback": 0.5}))
    with pytest.raises(ScenarioError, match="no task type 'nope'"):
        shop(stock_lookup(None, stale={"callback": 0.5}, callback_task="nope"))
    with pytest.raises(ScenarioError, match="add up to"):
        shop(stock_lookup(None, stale={"leave": 0.6, "repeat": 0.6}))
    with pytest.raises(ScenarioError, match="add up to"):
        shop(stock_lookup({"manual": {"stale": 0.7, "unanswered": 0.7}}, stale={"leave": 1}))


def test_the_event_log_shows_bad_answers_and_self_service():
    from sim.model.eventlog import EventLog

    buyer = {
        "skill": "sales",
        "arrivals": {"rate": 12},
        "service": "5 min",
        "self_service": {"share": 0.5, "containment": 0.5, "time": "1 min"},
        "lookup": stock_lookup({"integrated": {"unanswered": 1}}, unanswered={"leave": 1}),
    }
    log = EventLog()
    office = Office(shop(client_classes={"buyer": buyer}), 0, event_log=log)
    office.simulate()
    activities = {e[2] for e in log.events}
    assert {"self-service", "contained", "no answer: leave without the deal"} <= activities
    # The same clients and outcomes as without the log.
    plain = Office(shop(client_classes={"buyer": buyer}), 0)
    plain.simulate()
    assert plain.balance == office.balance


def test_every_task_ends_done_or_open():
    sc = shop(stock_lookup(None, stale={"rework": 1}))
    office = Office(sc, 0)
    office.simulate()
    bo = office.backoffice
    assert bo is not None and len(bo.records.kind) > 0
    from sim.model.backoffice import check_tasks

    bo.open_tasks.value += 1  # a task that vanished from the books
    with pytest.raises(InternalError, match="tasks created"):
        check_tasks(bo)
