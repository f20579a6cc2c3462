"""The engine's optional concerns change nothing about the numbers.

Keeping an event log runs every client as a simpy process through every stage; without one,
plain classes run by callbacks and walks merge with the service that follows. Both must give
the same KPIs to the last bit, with and without a floor plan.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.experiment.inputs import load_scenario
from sim.experiment.replication import run_replication
from sim.model.eventlog import EventLog, NullEventLog
from sim.model.office import Office

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("name", "days"), [("bank_branch", 2), ("mmc_validation", 2), ("it_manual", 2)]
)
def test_an_event_log_does_not_change_the_kpis(name: str, days: int) -> None:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml", [f"days={days}"])
    log = EventLog()
    logged = run_replication(scenario, 1, event_log=log)
    plain = run_replication(scenario, 1)
    assert log.events
    assert logged.kpis == plain.kpis
    assert logged.hourly == plain.hourly
    assert logged.traffic == plain.traffic


def test_a_queue_without_frills_runs_without_a_process_per_client(queue_scenario) -> None:
    # A plain class (no plan, no reception, no lookups, no tasks): an arrival and a service
    # timeout per client, plus a patience timer when they wait, and no process per client.
    sc = queue_scenario(lam=40.0, mu=12.0, c=4, days=1, warmup_days=0, theta=6.0)
    quick = Office(sc, 0)
    quick.simulate()
    logged = Office(sc, 0, event_log=EventLog())
    logged.simulate()
    a, b = quick.records(), logged.records()
    assert a.arrived == b.arrived > 0
    for column in a.clients:
        assert (a.clients[column] == b.clients[column]).all(), column
    # simpy numbers every scheduled event; the next number is how many were scheduled.
    assert next(quick.env._eid) < 0.6 * next(logged.env._eid)


def test_the_null_log_keeps_nothing() -> None:
    log = NullEventLog()
    log.add(1.0, "c", "arrive")
    log.walk("c", 0.0, 1.0, "a", "b")
    assert log.open_client("walk_in") == ""
    assert not log.events and not log.walks and not log.cases
