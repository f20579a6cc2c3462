"""officesim: discrete-event simulation of office front- and back-office operations.

The public API, loaded on first use so that ``officesim --help`` starts quickly::

    import sim
    result = sim.run("scenarios/bank_branch.yaml", replications=20)
    result.kpi("all.wait_mean_min")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import moved
from sim.lazy import lazy_exports
from sim.version import __version__

moved.install()  # old flat module paths (sim.loading, sim.kpis, ...) for one more release

_EXPORTS: dict[str, str] = {
    "run": "sim.experiment.api",
    "compare": "sim.experiment.api",
    "sweep": "sim.experiment.api",
    "optimize": "sim.experiment.api",
    "OptimizeSearch": "sim.experiment.api",
    "prepare": "sim.experiment.api",
    "run_replication": "sim.experiment.replication",
    "calibrate_log": "sim.experiment.calibration",
    "CalibrationRequest": "sim.experiment.calibration",
    "LogFileError": "sim.errors",
    "sensitivity": "sim.experiment.sensitivity",
    "plan_sensitivity": "sim.experiment.sensitivity",
    "SensitivityOptions": "sim.experiment.sensitivity",
    "SensitivityResult": "sim.experiment.sensitivity",
    "sweep_robustness": "sim.experiment.robustness",
    "plan_sweep_robustness": "sim.experiment.robustness",
    "stack_plans": "sim.experiment.stacking",
    "StackOptions": "sim.experiment.stacking",
    "load_scenario": "sim.experiment.inputs",
    "scenario_from_dict": "sim.experiment.inputs",
    "apply_overrides": "sim.scenario.loading",
    "Scenario": "sim.scenario.spec",
    "ReplicationResult": "sim.results.summary",
    "ExperimentResult": "sim.results.summary",
    "Estimate": "sim.results.summary",
    "EventLog": "sim.model.eventlog",
    "load_floor": "sim.layout",
    "load_building": "sim.layout.building",
    "check_floor": "sim.layout",
    "OfficesimError": "sim.errors",
    "ScenarioError": "sim.errors",
    "LayoutError": "sim.errors",
    "RoutingError": "sim.errors",
    "Problem": "sim.errors",
}

__all__ = [
    "CalibrationRequest",
    "Estimate",
    "EventLog",
    "ExperimentResult",
    "LayoutError",
    "LogFileError",
    "OfficesimError",
    "OptimizeSearch",
    "Problem",
    "ReplicationResult",
    "RoutingError",
    "Scenario",
    "ScenarioError",
    "SensitivityOptions",
    "SensitivityResult",
    "StackOptions",
    "__version__",
    "apply_overrides",
    "calibrate_log",
    "check_floor",
    "compare",
    "load_building",
    "load_floor",
    "load_scenario",
    "optimize",
    "plan_sensitivity",
    "plan_sweep_robustness",
    "prepare",
    "run",
    "run_replication",
    "scenario_from_dict",
    "sensitivity",
    "stack_plans",
    "sweep",
    "sweep_robustness",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from sim.errors import (
        LayoutError,
        LogFileError,
        OfficesimError,
        Problem,
        RoutingError,
        ScenarioError,
    )
    from sim.experiment.api import OptimizeSearch, compare, optimize, prepare, run, sweep
    from sim.experiment.calibration import CalibrationRequest, calibrate_log
    from sim.experiment.inputs import load_scenario, scenario_from_dict
    from sim.experiment.replication import run_replication
    from sim.experiment.robustness import plan_sweep_robustness, sweep_robustness
    from sim.experiment.sensitivity import (
        SensitivityOptions,
        SensitivityResult,
        plan_sensitivity,
        sensitivity,
    )
    from sim.experiment.stacking import StackOptions, stack_plans
    from sim.layout import check_floor, load_floor
    from sim.layout.building import load_building
    from sim.model.eventlog import EventLog
    from sim.results.summary import Estimate, ExperimentResult, ReplicationResult
    from sim.scenario.loading import apply_overrides
    from sim.scenario.spec import Scenario
