"""One replication end to end: the plan from the process's cache, the engine, then its KPIs.

This is where the layers meet for a single replication: the experiment layer hands the engine a
built floor plan, the engine simulates and keeps its records, and the results layer turns those
records into KPIs with the run's identity checks (conservation, Little's law).
"""

from __future__ import annotations

import time

from sim.errors import InternalError
from sim.experiment.inputs import plan_for, space_plan_for
from sim.model.eventlog import EventLog
from sim.model.office import Office
from sim.model.plan import FloorPlan
from sim.model.records import OfficeRecords
from sim.model.space import SpaceModel
from sim.random_streams import Streams
from sim.results.kpis import compute_kpis
from sim.results.kpis_space import space_kpis
from sim.results.summary import ReplicationResult
from sim.scenario.spec import Scenario

# Largest relative gap allowed between the waiting integral and the sum of waiting times.
LITTLE_LAW_TOLERANCE = 1e-6


def run_replication(
    scenario: Scenario,
    replication: int,
    plan: FloorPlan | None = None,
    *,
    event_log: EventLog | None = None,
) -> ReplicationResult:
    """Run replication number ``replication`` of ``scenario`` (deterministic given the seed).

    A scenario with a layout needs its ``FloorPlan``; when not given it comes from
    ``sim.experiment.inputs.plan_for`` (built once per process and cached). Pass an ``EventLog``
    to record every event (slower; for process mining and animation).
    """
    if plan is None and scenario.layout is not None:
        plan = plan_for(scenario)
    started = time.perf_counter()
    office = Office(scenario, replication, plan, event_log=event_log)
    office.simulate()
    records = office.records()
    kpis, hourly, checks = compute_kpis(scenario, records, plan.floor if plan else None)
    if checks["little_law_relative_gap"] > LITTLE_LAW_TOLERANCE:
        raise InternalError(
            "internal check failed: the integral of clients waiting differs from the sum "
            f"of waiting times by {checks['little_law_relative_gap']:.2e} (relative)"
        )
    _add_space(scenario, replication, kpis, hourly)
    return ReplicationResult(
        replication=replication,
        kpis=kpis,
        hourly=hourly,
        checks=checks,
        wall_time=time.perf_counter() - started,
        traffic=_traffic(scenario, records, plan),
    )


def _add_space(
    scenario: Scenario, replication: int, kpis: dict[str, float], hourly: dict[str, list[float]]
) -> None:
    """Simulate the space section beside the client model, on its own named streams."""
    spec = scenario.space
    plan = space_plan_for(scenario)
    if spec is None or plan is None:
        return
    model = SpaceModel(spec, plan, scenario.days, Streams(scenario.seed, replication))
    more, profiles = space_kpis(model.simulate(), plan, spec, scenario.warmup_days)
    kpis.update(more)
    hourly.update(profiles)


def _traffic(
    scenario: Scenario, records: OfficeRecords, plan: FloorPlan | None
) -> dict[str, float]:
    """Client traversals per walking-network edge per measured day, keyed ``"u|v"``."""
    if plan is None:
        return {}
    days = scenario.days - scenario.warmup_days
    edges = plan.edge_traffic(records.client_walks, "client")
    return {f"{u}|{v}": n / days for (u, v), n in sorted(edges.items())}
