"""The public API: everything in ``sim.__all__`` resolves, and nothing else is promised."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sim


def test_every_exported_name_resolves() -> None:
    for name in sim.__all__:
        assert getattr(sim, name) is not None, name


def test_exports_are_the_documented_set() -> None:
    expected = {
        "__version__",
        "run",
        "compare",
        "sweep",
        "optimize",
        "OptimizeSearch",
        "prepare",
        "run_replication",
        "load_scenario",
        "scenario_from_dict",
        "apply_overrides",
        "Scenario",
        "ReplicationResult",
        "ExperimentResult",
        "Estimate",
        "EventLog",
        "load_floor",
        "load_building",
        "check_floor",
        "OfficesimError",
        "ScenarioError",
        "LayoutError",
        "RoutingError",
        "Problem",
        "calibrate_log",
        "CalibrationRequest",
        "LogFileError",
        "sensitivity",
        "plan_sensitivity",
        "SensitivityOptions",
        "SensitivityResult",
        "sweep_robustness",
        "plan_sweep_robustness",
        "stack_plans",
        "StackOptions",
    }
    assert set(sim.__all__) == expected


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'simulate'"):
        _ = sim.simulate  # type: ignore[attr-defined]


def test_importing_the_package_stays_light() -> None:
    code = "import sys, sim; print(sorted(m for m in ('numpy', 'simpy', 'shapely') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_run_through_the_package(tmp_path) -> None:
    sc = sim.scenario_from_dict(
        {
            "name": "api",
            "replications": 2,
            "hours": {"open": "09:00", "close": "12:00"},
            "client_classes": {"c": {"skill": "s", "arrivals": {"rate": 10}, "service": "3 min"}},
            "staff": {"clerk": {"count": 1, "skills": ["s"]}},
        }
    )
    result = sim.run(sc)
    assert isinstance(result, sim.ExperimentResult)
    assert result.kpi("all.arrivals_per_day").n == 2


def test_lazy_table_matches_all() -> None:
    assert set(sim._EXPORTS) | {"__version__"} == set(sim.__all__)


def test_api_functions_stay_functions_after_every_module_is_imported() -> None:
    """Submodules must not shadow the API: ``sim.compare`` is the function, not a module."""
    import importlib
    import pkgutil

    for info in pkgutil.walk_packages(sim.__path__, "sim."):
        if info.name not in ("sim.__main__",):
            importlib.import_module(info.name)
    for name in ("run", "compare", "sweep", "optimize", "prepare"):
        assert callable(getattr(sim, name)), name
