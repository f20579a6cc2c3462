"""Small space scenarios on the shipped three-floor building, for engine tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sim.experiment.inputs import scenario_from_dict, space_plan_for
from sim.model.space import SpaceModel, SpaceRecords
from sim.model.space_plan import SpacePlan
from sim.random_streams import Streams
from sim.scenario.spec import Scenario

ROOT = Path(__file__).resolve().parents[2]
BUILDING = ROOT / "layouts" / "hybrid_hq.geojson"

FRONT: dict[str, Any] = {
    "name": "space test",
    "hours": {"open": "09:00", "close": "17:00"},
    "client_classes": {
        "visitor": {"skill": "reception", "arrivals": {"rate": 1}, "service": "3 min"}
    },
    "staff": {"desk": {"skills": ["reception"], "count": 1}},
}


def space_scenario(space: dict[str, Any]) -> Scenario:
    """A scenario whose space section is ``space`` (layout defaults to the shipped building)."""
    data = copy.deepcopy(FRONT)
    data["space"] = {"layout": str(BUILDING), **space}
    return scenario_from_dict(data)


def simulate(scenario: Scenario, days: int, replication: int = 0) -> tuple[SpaceRecords, SpacePlan]:
    """Run the space model alone for ``days`` days."""
    plan = space_plan_for(scenario)
    assert scenario.space is not None and plan is not None
    model = SpaceModel(scenario.space, plan, days, Streams(scenario.seed, replication))
    return model.simulate(), plan
