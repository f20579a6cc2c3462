"""Clients and back-office tasks run by callbacks give exactly the processes' records.

An event-log run keeps every client a ``client`` process and every task a ``run_task`` process
(noise interruptions a ``noise_interruptions`` process); the same replication without a log
runs the walk-ins by callbacks (``WalkingClient``, with their lookups a ``Lookup``) and the
back office by callbacks (``TaskFlow``), and staff members' duty, breaks and overtime by
callbacks (``MemberLife``) instead of ``member_life`` processes. Every record must be the same,
bit for bit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.experiment.inputs import load_scenario, plan_for
from sim.model import office as office_module
from sim.model.eventlog import EventLog
from sim.model.flows import WalkingClient
from sim.model.office import Office
from sim.model.records import OfficeRecords

ROOT = Path(__file__).resolve().parents[2]


def _run(name: str, overrides: list[str], log: EventLog | None) -> Office:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml", overrides)
    plan = plan_for(scenario) if scenario.layout is not None else None
    office = Office(scenario, 1, plan, event_log=log)
    office.simulate()
    return office


def _assert_same(a: OfficeRecords, b: OfficeRecords) -> None:
    assert a.arrived == b.arrived > 0
    for column, values in a.clients.items():
        np.testing.assert_array_equal(values, b.clients[column], err_msg=column)
    np.testing.assert_array_equal(a.levels.areas, b.levels.areas)
    assert a.levels.area_at_end == b.levels.area_at_end
    assert a.levels.maxima == b.levels.maxima
    assert a.client_walks == b.client_walks
    assert a.seats == b.seats
    assert (a.left, a.inside, a.total_wait) == (b.left, b.inside, b.total_wait)
    assert (a.overtime, a.staff_walks) == (b.overtime, b.staff_walks)
    assert a.back_office is not None and b.back_office is not None
    assert len(a.back_office.tasks["kind"]) > 0
    for column, values in a.back_office.tasks.items():
        np.testing.assert_array_equal(values, b.back_office.tasks[column], err_msg=column)
    assert a.back_office.backlog_at_day_end == b.back_office.backlog_at_day_end
    assert a.back_office.interruptions == b.back_office.interruptions
    assert a.back_office.noise_hits == b.back_office.noise_hits
    assert (a.back_office.lookups, a.back_office.lookups_failed) == (
        b.back_office.lookups,
        b.back_office.lookups_failed,
    )
    assert a.back_office.lookup_time == b.back_office.lookup_time


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("bank_branch", ["days=3"]),
        ("bank_branch", ["days=2", "staff.teller.count=1"]),
        ("public_service_centre", ["days=2"]),
    ],
)
def test_callback_walk_ins_match_the_process_bit_for_bit(name: str, overrides: list[str]) -> None:
    quick = _run(name, overrides, None)
    logged = _run(name, overrides, EventLog())
    assert any(WalkingClient.fits(quick, c) for c in quick.classes)
    assert not any(WalkingClient.fits(logged, c) for c in logged.classes)
    a = quick.records()
    _assert_same(a, logged.records())
    assert a.back_office is not None and a.back_office.lookups > 0  # a Lookup of callbacks


@pytest.mark.parametrize(
    ("name", "overrides", "what"),
    [
        ("bank_branch", ["days=3", "it.level=integrated"], "electronic hand-offs"),
        ("zoning_open_plan", ["days=2"], "paper rounds, lookups that interrupt, noise"),
        ("professional_services_open_plan", ["days=2"], "electronic hand-offs and noise"),
        ("retail_logistics_manual", ["days=2"], "paper, no floor plan"),
    ],
)
def test_callback_tasks_match_the_processes_bit_for_bit(
    name: str, overrides: list[str], what: str
) -> None:
    quick = _run(name, overrides, None)
    logged = _run(name, overrides, EventLog())
    assert quick.backoffice is not None and logged.backoffice is not None
    assert quick.backoffice.flow is not None, what
    assert logged.backoffice.flow is None, what
    a, b = quick.records(), logged.records()
    _assert_same(a, b)
    if "noise" in what:
        assert a.back_office is not None and sum(a.back_office.noise_hits.values()) > 0
    if "interrupt" in what:
        assert a.back_office is not None and sum(a.back_office.interruptions.values()) > 0


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("bank_branch", ["days=3"]),
        ("bank_branch", ["days=2", "staff.teller.count=1"]),
    ],
)
def test_callback_member_lives_match_the_processes_bit_for_bit(
    name: str, overrides: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shifts, staggered breaks and staying on after closing: ``MemberLife`` without a log,
    ``member_life`` processes with one."""
    logged = _run(name, overrides, EventLog())

    def no_process(*_args: object) -> None:
        raise AssertionError("a run without an event log started a member_life process")

    monkeypatch.setattr(office_module, "member_life", no_process)
    quick = _run(name, overrides, None)
    a, b = quick.records(), logged.records()
    assert sum(a.overtime.values()) > 0
    _assert_same(a, b)
