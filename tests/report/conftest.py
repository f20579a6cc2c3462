"""Results documents for the report tests: a run with a floor plan, a compare, a sweep."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sim.experiment.api import prepare, run
from sim.experiment.comparison import compare
from sim.experiment.sweeps import sweep
from sim.results.output import experiment_document, results_document

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "scenarios" / "bank_branch.yaml"
XSS = "<script>alert(1)</script>"


def tiny(name: str = "tiny", tellers: int = 2, **extra: Any) -> dict[str, Any]:
    """A two-hour office, one class, one role; 4 replications."""
    data: dict[str, Any] = {
        "name": name,
        "days": 1,
        "replications": 4,
        "seed": 3,
        "hours": {"open": "09:00", "close": "11:00"},
        "client_classes": {
            "walk_in": {
                "skill": "general",
                "arrivals": {"rate": 24},
                "service": {"dist": "exponential", "mean": "5 min"},
                "patience": {"dist": "exponential", "mean": "20 min"},
            }
        },
        "staff": {"teller": {"count": tellers, "skills": ["general"], "cost_per_hour": 30}},
        "targets": {"wait": "10 min", "service_level": 0.5, "max_abandonment": 0.2},
    }
    data.update(extra)
    return data


@pytest.fixture(scope="session")
def bank_scenario() -> Any:
    """The shipped bank branch (floor plan, back office, costs), 3 replications of one day."""
    return prepare(BANK, replications=3, overrides=["days=1", f"name=Bank {XSS}"])


@pytest.fixture(scope="session")
def run_doc(bank_scenario: Any) -> dict[str, Any]:
    """The results document of the bank branch run."""
    result = run(bank_scenario, jobs=1)
    return results_document(
        result, bank_scenario, scenario_file=BANK, command=["officesim", "run", str(BANK)]
    )


@pytest.fixture(scope="session")
def compare_doc() -> dict[str, Any]:
    """A comparison of two, three and four tellers."""
    from sim.experiment.inputs import scenario_from_dict

    options = [scenario_from_dict(tiny(f"{n} tellers", n)) for n in (2, 3, 4)]
    result = compare(options, jobs=1)
    return experiment_document("compare", result.to_dict(), command=["officesim", "compare"])


@pytest.fixture(scope="session")
def sweep_doc() -> dict[str, Any]:
    """A sweep over the teller count."""
    from sim.experiment.inputs import scenario_from_dict

    sc = scenario_from_dict(tiny(variants={"grid": {"staff.teller.count": [1, 2, 3]}}))
    result = sweep(sc, jobs=1)
    return experiment_document("sweep", result.to_dict(), command=["officesim", "sweep"])


@pytest.fixture(scope="session")
def optimize_doc() -> dict[str, Any]:
    """A staffing optimisation of the tiny office."""
    from sim.experiment.inputs import scenario_from_dict
    from sim.experiment.optimizer import OptimizeSearch, optimize

    result = optimize(scenario_from_dict(tiny()), jobs=1, search=OptimizeSearch(max_steps=6))
    return experiment_document("optimize", result.to_dict(), command=["officesim", "optimize"])
