"""Small floors built in code for the layout tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from sim.layout import Floor, check_floor
from sim.layout.formats.shorthand import floor_from_shorthand


def plan(data: Mapping[str, object], *, valid: bool = True) -> Floor:
    """A floor from a shorthand mapping; with ``valid`` assert it has no problems."""
    floor, problems = floor_from_shorthand(data, "<test>")
    if valid:
        problems = problems + check_floor(floor, "<test>")
        assert problems == [], [str(p) for p in problems]
    return floor


@pytest.fixture
def make_plan() -> Callable[..., Floor]:
    """The ``plan`` helper, for tests that build their own floors."""
    return plan


@pytest.fixture
def two_routes() -> Floor:
    """A lobby, a staff-only back office and a public office reachable the long way round."""
    return plan(
        {
            "spaces": {
                "lobby": {"category": "lobby", "rect": [0, 0, 4, 4]},
                "back": {"category": "back_office", "rect": [4, 0, 4, 4]},
                "office": {"category": "office", "rect": [8, 0, 4, 4]},
                "corridor": {"category": "corridor", "rect": [0, 4, 12, 2]},
            },
            "doors": [
                {"between": ["outside", "lobby"], "at": [2, 0]},
                {"between": ["lobby", "back"], "at": [4, 2]},
                {"between": ["back", "office"], "at": [8, 2]},
                {"between": ["lobby", "corridor"], "at": [2, 4]},
                {"between": ["corridor", "office"], "at": [10, 4]},
            ],
            "desks": [{"id": "D1", "at": [11, 1]}, {"id": "B1", "at": [6, 1]}],
            "entrances": [{"id": "entrance", "at": [1, 1]}],
        }
    )
