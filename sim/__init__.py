"""officesim: discrete-event simulation of office front- and back-office operations.

The public API, loaded on first use so that ``officesim --help`` starts quickly::

    import sim
    result = sim.run("scenarios/bank_branch.yaml", replications=20)
    result.kpi("all.wait_mean_min")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "run": "sim.experiment",
    "compare": "sim.experiment",
    "sweep": "sim.experiment",
    "optimize": "sim.experiment",
    "prepare": "sim.experiment",
    "run_replication": "sim.model.office",
    "load_scenario": "sim.loading",
    "scenario_from_dict": "sim.loading",
    "apply_overrides": "sim.loading",
    "Scenario": "sim.scenario",
    "ReplicationResult": "sim.results",
    "ExperimentResult": "sim.results",
    "Estimate": "sim.results",
    "EventLog": "sim.model.eventlog",
    "load_floor": "sim.layout",
    "check_floor": "sim.layout",
    "OfficesimError": "sim.errors",
    "ScenarioError": "sim.errors",
    "LayoutError": "sim.errors",
    "RoutingError": "sim.errors",
    "Problem": "sim.errors",
}

__all__ = [
    "Estimate",
    "EventLog",
    "ExperimentResult",
    "LayoutError",
    "OfficesimError",
    "Problem",
    "ReplicationResult",
    "RoutingError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "apply_overrides",
    "check_floor",
    "compare",
    "load_floor",
    "load_scenario",
    "optimize",
    "prepare",
    "run",
    "run_replication",
    "scenario_from_dict",
    "sweep",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from sim.errors import LayoutError, OfficesimError, Problem, RoutingError, ScenarioError
    from sim.experiment import compare, optimize, prepare, run, sweep
    from sim.layout import check_floor, load_floor
    from sim.loading import apply_overrides, load_scenario, scenario_from_dict
    from sim.model.eventlog import EventLog
    from sim.model.office import run_replication
    from sim.results import Estimate, ExperimentResult, ReplicationResult
    from sim.scenario import Scenario
