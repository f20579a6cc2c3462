"""Fixtures that build small scenarios in code for engine tests."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from sim.experiment.inputs import scenario_from_dict
from sim.scenario.spec import Scenario

ScenarioFactory = Callable[..., Scenario]


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if (
            isinstance(value, dict)
            and isinstance(out.get(key), dict)
            and key
            not in (
                "client_classes",
                "staff",
            )
        ):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@pytest.fixture
def queue_scenario() -> ScenarioFactory:
    """An M/M/c-style 24-hour office: one class, one role, exponential times (rates per hour)."""

    def build(
        *,
        lam: float,
        mu: float,
        c: int,
        days: int = 3,
        warmup_days: int = 1,
        replications: int = 30,
        seed: int = 2024,
        capacity: int | None = None,
        theta: float | None = None,
        **extra: Any,
    ) -> Scenario:
        cls: dict[str, Any] = {
            "skill": "s",
            "arrivals": {"rate": lam},
            "service": {"dist": "exponential", "mean": f"{3600 / mu} s"},
        }
        if theta is not None:
            cls["patience"] = {"dist": "exponential", "mean": f"{3600 / theta} s"}
        data = {
            "name": "queue",
            "days": days,
            "warmup_days": warmup_days,
            "replications": replications,
            "seed": seed,
            "hours": {"open": "00:00", "close": "24:00"},
            "waiting_area": {"capacity": capacity},
            "client_classes": {"c": cls},
            "staff": {"srv": {"count": c, "skills": ["s"]}},
        }
        return scenario_from_dict(_merge(data, extra))

    return build


@pytest.fixture
def day_scenario() -> Callable[[dict[str, Any]], Scenario]:
    """A 09:00-17:00 office from a partial dict (client_classes and staff given by the test)."""

    def build(data: dict[str, Any]) -> Scenario:
        base = {
            "name": "day",
            "days": 1,
            "replications": 1,
            "seed": 7,
            "hours": {"open": "09:00", "close": "17:00"},
        }
        return scenario_from_dict(_merge(base, data))

    return build
