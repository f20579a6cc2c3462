"""Each place on the plan used only as what it is: desks as desks, waiting spaces for waiting.

The engine sends every waiting client to a seat of a waiting space and puts each member of a
crew at one desk of its list, so a waiting space without seats, a staff-only waiting space, a
seat named as a desk, a desk listed twice, or one desk shared by two crews on duty at the same
time would crash the run or count one desk as two. These checks run at validation, so a
scenario that validates cannot fail on them later.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sim.errors import Problem
from sim.layout import Floor
from sim.limits import USED_POINTS
from sim.scenario.base import Crew
from sim.scenario.checks import role_periods
from sim.scenario.spec import Scenario

DESK_KINDS = ("desk", "counter")


def floor_use_problems(scenario: Scenario, floor: Floor, source: str) -> list[Problem]:
    """Every misuse of the plan's spaces and points by ``scenario`` (empty when none)."""
    problems = list(_waiting_problems(scenario, floor, source))
    problems += _desk_problems(_crews(scenario), scenario, floor, source)
    problems += _size_problems(scenario, floor, source)
    return problems


def _size_problems(scenario: Scenario, floor: Floor, source: str) -> list[Problem]:
    """The model's distance tables grow with the square of the points used: bound them."""
    waiting = scenario.floor.waiting_spaces or [s.id for s in floor.spaces_of("waiting")]
    seats = sum(len(floor.seats_in(w)) for w in waiting if floor.has_space(w))
    desks = {d for crew in _crews(scenario).values() for d in crew.desks or ()}
    used = seats + len(desks) + 2
    if not USED_POINTS.exceeded(used):
        return []
    return [
        Problem(
            source,
            "floor.waiting_spaces",
            f"{seats:,} seats in the waiting spaces and {len(desks):,} desks: "
            + USED_POINTS.message(used),
        )
    ]


def _crews(scenario: Scenario) -> dict[str, Crew]:
    teams = scenario.back_office.teams if scenario.back_office else {}
    crews: dict[str, Crew] = {f"staff.{n}": r for n, r in scenario.staff.items()}
    crews.update({f"back_office.teams.{n}": t for n, t in teams.items()})
    return crews


def _waiting_problems(scenario: Scenario, floor: Floor, source: str) -> Iterator[Problem]:
    named = scenario.floor.waiting_spaces
    if named is None:
        return
    for space_id in named:
        if not floor.has_space(space_id):
            continue  # reported by the reference check
        space = floor.space(space_id)
        if not space.is_public:
            yield Problem(
                source,
                "floor.waiting_spaces",
                f"space {space_id!r} is staff-only; clients cannot wait there (name a public "
                "space, or give it 'access: public')",
            )
        elif not floor.seats_in(space_id):
            yield Problem(
                source,
                "floor.waiting_spaces",
                f"space {space_id!r} has no seats; every waiting client takes a seat of a "
                "waiting space: add seats to it or name a space that has some",
            )


def _desk_problems(
    crews: Mapping[str, Crew], scenario: Scenario, floor: Floor, source: str
) -> list[Problem]:
    problems: list[Problem] = []
    users: dict[str, list[str]] = {}
    for path, crew in crews.items():
        desks = list(crew.desks or ())
        for desk in dict.fromkeys(desks):
            if desks.count(desk) > 1:
                problems.append(
                    Problem(
                        source,
                        f"{path}.desks",
                        f"desk {desk!r} is listed {desks.count(desk)} times; each member needs "
                        "a desk of their own",
                    )
                )
            if floor.has_point(desk) and floor.point(desk).kind not in DESK_KINDS:
                kind = floor.point(desk).kind
                problems.append(
                    Problem(
                        source,
                        f"{path}.desks",
                        f"{desk!r} is a {kind} of the plan, not a desk or counter; name a desk",
                    )
                )
            users.setdefault(desk, []).append(path)
    for desk, paths in users.items():
        for i, first in enumerate(paths):
            for second in paths[i + 1 :]:
                if _on_duty_together(crews[first], crews[second], scenario):
                    problems.append(
                        Problem(
                            source,
                            f"{second}.desks",
                            f"desk {desk!r} is also a desk of {first.split('.')[-1]!r}, and "
                            "both are on duty at the same time; give each a desk of its own",
                        )
                    )
    return problems


def _on_duty_together(a: Crew, b: Crew, scenario: Scenario) -> bool:
    """True when some member of ``a`` and some member of ``b`` are on duty at the same time."""
    spans_a = [(s, e) for s, e, c in role_periods(a, scenario.hours) if c > 0]
    spans_b = [(s, e) for s, e, c in role_periods(b, scenario.hours) if c > 0]
    return any(s1 < e2 and s2 < e1 for s1, e1 in spans_a for s2, e2 in spans_b)
