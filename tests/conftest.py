"""Shared helpers: small valid scenarios built in code, and files written from them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml


def small_scenario() -> dict[str, Any]:
    """A small valid scenario as plain data: one walk-in class, one role, three opening hours.

    Every call returns a fresh dict, so a test may change it freely.
    """
    return {
        "name": "small",
        "days": 2,
        "replications": 3,
        "seed": 7,
        "hours": {"open": "09:00", "close": "12:00"},
        "client_classes": {
            "walk_in": {
                "skill": "general",
                "arrivals": {"rate": 20},
                "service": {"dist": "exponential", "mean": "5 min"},
                "patience": {"dist": "exponential", "mean": "30 min"},
            },
        },
        "staff": {"teller": {"count": 2, "skills": ["general"]}},
        "targets": {"wait": "10 min", "service_level": 0.8},
    }


def write_yaml(folder: Path, data: Any, name: str = "scenario.yaml") -> Path:
    """Write ``data`` as YAML into ``folder`` and return the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def scenario_dict() -> dict[str, Any]:
    """A fresh small valid scenario dict (see ``small_scenario``)."""
    return small_scenario()


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """The small valid scenario written to ``tmp_path/scenario.yaml``."""
    return write_yaml(tmp_path, small_scenario())


@pytest.fixture
def make_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a scenario dict (or any YAML data) to a file in ``tmp_path``."""

    def make(data: Any, name: str = "scenario.yaml") -> Path:
        return write_yaml(tmp_path, data, name)

    return make
