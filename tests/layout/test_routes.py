"""Route trees for traffic maps give the same walks as the network's own shortest-path search."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import RoutingError
from sim.experiment.inputs import load_scenario, plan_for

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize("name", ["bank_branch"])
def test_client_routes_match_the_network_search(name: str) -> None:
    plan = plan_for(load_scenario(ROOT / "scenarios" / f"{name}.yaml"))
    assert plan is not None and plan.network is not None and plan.client_routes is not None
    origins = [plan.ids[plan.entrance], *(plan.ids[s] for s in plan.seats)]
    origins += [
        plan.ids[d] for scope, ds in plan.role_desks.items() if scope[:5] == "role." for d in ds
    ]
    targets = [*origins[1:], plan.ids[plan.exit]]
    compared = 0
    for a in origins:
        for b in targets:
            if a == b:
                continue
            try:
                expected = plan.network.path_edges(a, b, "client")
            except RoutingError:
                with pytest.raises(RoutingError):
                    plan.client_routes.edges(a, b)
                continue
            assert sorted(plan.client_routes.edges(a, b)) == sorted(expected), (a, b)
            compared += 1
    assert compared > 100
