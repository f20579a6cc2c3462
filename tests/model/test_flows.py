"""Walk-in clients run by callbacks (``WalkingClient``) give exactly the process's records.

An event-log run keeps every client a ``client`` process; the same replication without a log
runs the walk-ins by callbacks. Every record must be the same, bit for bit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.experiment.inputs import load_scenario, plan_for
from sim.model.eventlog import EventLog
from sim.model.flows import WalkingClient
from sim.model.office import Office

ROOT = Path(__file__).resolve().parents[2]


def _run(name: str, overrides: list[str], log: EventLog | None) -> Office:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml", overrides)
    plan = plan_for(scenario) if scenario.layout is not None else None
    office = Office(scenario, 1, plan, event_log=log)
    office.simulate()
    return office


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
    a, b = quick.records(), logged.records()
    assert a.arrived == b.arrived > 0
    for column, values in a.clients.items():
        np.testing.assert_array_equal(values, b.clients[column], err_msg=column)
    np.testing.assert_array_equal(a.levels.areas, b.levels.areas)
    assert a.levels.area_at_end == b.levels.area_at_end
    assert a.levels.maxima == b.levels.maxima
    assert a.client_walks == b.client_walks
    assert a.seats == b.seats
    assert (a.left, a.inside, a.total_wait) == (b.left, b.inside, b.total_wait)
    assert a.back_office is not None and b.back_office is not None
    for column, values in a.back_office.tasks.items():
        np.testing.assert_array_equal(values, b.back_office.tasks[column], err_msg=column)
