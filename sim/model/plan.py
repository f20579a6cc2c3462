"""The floor plan as the engine needs it: indices and distance tables, built once per layout.

Sits between the layout layer (files, geometry, networks) and the engine (numbers only): it
loads the scenario's plan, checks that every desk, space and point the scenario names exists
and can be reached, and hands the engine plain lists of distances in metres.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from sim.errors import Problem, ScenarioError
from sim.layout import (
    EdgeKey,
    Floor,
    Routes,
    WalkNetwork,
    check_references,
    routes_from,
    travel_distances,
    walk_network,
)
from sim.model.floor_use import floor_use_problems
from sim.scenario.base import Crew
from sim.scenario.checks import role_periods
from sim.scenario.spec import Scenario


@dataclass(frozen=True)
class FloorPlan:
    """Points of interest by index and the walking distances between them, per audience."""

    floor: Floor
    ids: tuple[str, ...]
    client_distance: list[list[float]]
    """Metres between points for clients (public spaces only); inf where no route."""
    staff_distance: list[list[float]]
    """Metres between points for staff (any space)."""
    entrance: int
    exit: int
    seats: tuple[int, ...]
    role_desks: Mapping[str, tuple[int, ...]]
    """Desk indices per crew scope (``role.teller``, ``team.finance``)."""
    waiting_capacity: int
    exposed: frozenset[int] = frozenset()
    """Desks within earshot of clients (in a public space, or open to one nearby)."""
    hub: int = -1
    """Where front-office paper collects: the first desk of the first role serving clients."""
    network: WalkNetwork | None = field(default=None, compare=False, repr=False)
    """The floor's walking network, built with the plan."""
    client_routes: Routes | None = field(default=None, compare=False, repr=False)
    """Clients' shortest walks from every point a client walks from (traffic per edge)."""
    _paths: dict[tuple[int, int, str], list[EdgeKey]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def index(self, point_id: str) -> int:
        """The index of a point of interest."""
        return self.ids.index(point_id)

    def edge_traffic(
        self, pair_counts: Mapping[tuple[int, int], float], audience: str
    ) -> dict[EdgeKey, float]:
        """Expand walks counted per (from, to) point pair into traversals per network edge.

        Routes come from the trees built with the plan (clients) or the plan's own network
        (staff), and are kept once found, so a process running many replications of one plan
        expands each route once.
        """
        network = self.network if self.network is not None else walk_network(self.floor)
        routes = self.client_routes if audience == "client" else None
        out: dict[EdgeKey, float] = {}
        for (a, b), count in pair_counts.items():
            if a == b or count == 0:
                continue
            key = (a, b, audience)
            edges = self._paths.get(key)
            if edges is None:
                if routes is not None:
                    edges = routes.edges(self.ids[a], self.ids[b])
                else:
                    edges = network.path_edges(
                        self.ids[a], self.ids[b], "client" if audience == "client" else "staff"
                    )
                self._paths[key] = edges
            for edge in edges:
                out[edge] = out.get(edge, 0.0) + count
        return out


def build_plan(scenario: Scenario, floor: Floor, source: str = "<scenario>") -> FloorPlan:
    """Check the scenario's references into ``floor`` and build the engine's distance tables."""
    problems = [*_reference_problems(scenario, floor, source)]
    problems += floor_use_problems(scenario, floor, source)
    if problems:
        raise ScenarioError(problems)
    use = scenario.floor
    entrance = use.entrance or floor.entrances()[0].id
    exit_ = use.exit or floor.exits()[0].id
    waiting = use.waiting_spaces or [s.id for s in floor.spaces_of("waiting")]
    teams = scenario.back_office.teams if scenario.back_office else {}
    used = [entrance, exit_, *(p.id for w in waiting for p in floor.seats_in(w))]
    used += [d for crew in [*scenario.staff.values(), *teams.values()] for d in crew.desks or ()]
    needed = list(dict.fromkeys(used))
    client = travel_distances(floor, "client", ids=needed)
    staff = travel_distances(floor, "staff", ids=needed)
    ids = client.ids
    index = client.index
    seats = tuple(index[p.id] for w in waiting for p in floor.seats_in(w))
    role_desks = {
        f"role.{r}": tuple(index[d] for d in (role.desks or ()))
        for r, role in scenario.staff.items()
    }
    role_desks.update(
        {f"team.{t}": tuple(index[d] for d in (team.desks or ())) for t, team in teams.items()}
    )
    team_desks = {d for t, team in teams.items() for d in (team.desks or ())}
    exposed = frozenset(
        index[d]
        for d in team_desks
        if within_earshot(
            floor,
            d,
            _client_points(scenario, floor, waiting),
            scenario.zoning.noise.exposure_distance,
        )
    )
    front = [d for role in scenario.staff.values() for d in (role.desks or ())]
    network = walk_network(floor)
    client_origins = [entrance, *(ids[s] for s in seats), *front]
    plan = FloorPlan(
        floor=floor,
        ids=ids,
        client_distance=client.matrix.tolist(),
        staff_distance=staff.matrix.tolist(),
        entrance=index[entrance],
        exit=index[exit_],
        seats=seats,
        role_desks=role_desks,
        waiting_capacity=_waiting_capacity(scenario, floor, waiting, len(seats)),
        exposed=exposed,
        hub=index[front[0]] if front else index[entrance],
        network=network,
        client_routes=routes_from(network, "client", client_origins),
    )
    problems = list(_reach_problems(scenario, plan, source))
    if problems:
        raise ScenarioError(problems)
    return plan


def _waiting_capacity(scenario: Scenario, floor: Floor, waiting: list[str], seats: int) -> int:
    """One client per seat, or the waiting spaces' area times ``waiting_area.per_m2``."""
    per_m2 = scenario.waiting_area.per_m2
    if per_m2 is None:
        return seats
    return int(sum(floor.area(w) for w in waiting) * per_m2)


OPEN_PASSAGE_WIDTH = 1.5
"""Openings at least this wide count as open passages (no door) for noise."""


def _client_points(scenario: Scenario, floor: Floor, waiting: list[str]) -> list[str]:
    seats = [p.id for w in waiting for p in floor.seats_in(w)]
    desks = [d for role in scenario.staff.values() for d in (role.desks or ())]
    return seats + desks


def within_earshot(floor: Floor, desk: str, client_points: list[str], distance: float) -> bool:
    """True when clients talk within earshot of ``desk``.

    That is when the desk's space is public, or when a client point (seat, front desk) lies
    within ``distance`` metres in the same space or in a space joined to the desk's space by an
    open passage (an opening at least 1.5 m wide) rather than a door.
    """
    point = floor.point(desk)
    space = floor.space(point.space)
    if space.is_public:
        return True
    open_to = {point.space}
    for opening in floor.openings_of(point.space):
        if opening.width >= OPEN_PASSAGE_WIDTH:
            open_to.update(s for s in opening.spaces if s is not None)
    return any(
        floor.point(c).space in open_to and floor.point(c).point.distance(point.point) <= distance
        for c in client_points
    )


def _reference_problems(scenario: Scenario, floor: Floor, source: str) -> list[Problem]:
    use = scenario.floor
    problems: list[Problem] = []
    if use.entrance is not None:
        problems += check_references(floor, source, point_ids=[use.entrance], path="floor.entrance")
    elif not floor.entrances():
        problems.append(Problem(source, "layout", f"floor {floor.name!r} has no entrance"))
    if use.exit is not None:
        problems += check_references(floor, source, point_ids=[use.exit], path="floor.exit")
    if use.waiting_spaces is not None:
        problems += check_references(
            floor, source, space_ids=use.waiting_spaces, path="floor.waiting_spaces"
        )
    else:
        waiting = floor.spaces_of("waiting")
        if not waiting:
            problems.append(
                Problem(
                    source,
                    "floor.waiting_spaces",
                    f"floor {floor.name!r} has no space of category 'waiting'; name the spaces "
                    "where clients wait",
                )
            )
        elif not any(floor.seats_in(s.id) for s in waiting):
            problems.append(
                Problem(source, "floor.waiting_spaces", "the waiting spaces have no seats")
            )
    teams = scenario.back_office.teams if scenario.back_office else {}
    for name, team in teams.items():
        path = f"back_office.teams.{name}.desks"
        if team.offsite is not None:
            continue
        if not team.desks:
            problems.append(
                Problem(
                    source,
                    path,
                    "the scenario has a layout, so a team working on site needs desks (or "
                    "'offsite')",
                )
            )
            continue
        problems += check_references(floor, source, point_ids=team.desks, path=path)
    needed = scenario.skills_needed()
    for name, role in scenario.staff.items():
        path = f"staff.{name}.desks"
        if not set(role.skills) & needed:
            continue
        if not role.desks:
            problems.append(
                Problem(
                    source,
                    path,
                    "the scenario has a layout, so a role that serves clients needs desks "
                    f"(desk or counter ids of floor {floor.name!r})",
                )
            )
            continue
        problems += check_references(floor, source, point_ids=role.desks, path=path)
        at_once = _peak_members(role, scenario)
        if len(role.desks) < at_once:
            problems.append(
                Problem(
                    source,
                    path,
                    f"{len(role.desks)} desk(s) for up to {at_once} members on duty at once; "
                    "expected one desk per member on duty",
                )
            )
    return problems


def _peak_members(role: Crew, scenario: Scenario) -> int:
    periods = role_periods(role, scenario.hours)
    return max(
        (sum(c for s, e, c in periods if s <= start < e) for start, _, _ in periods), default=0
    )


def _reach_problems(scenario: Scenario, plan: FloorPlan, source: str) -> list[Problem]:
    problems: list[Problem] = []
    dist = np.asarray(plan.client_distance)
    targets = {plan.ids[s] for s in plan.seats}
    for scope, desks in plan.role_desks.items():
        if not scope.startswith("role."):
            continue
        name = scope.removeprefix("role.")
        for d in desks:
            if not np.isfinite(dist[plan.entrance, d]):
                problems.append(
                    Problem(
                        source,
                        f"staff.{name}.desks",
                        f"clients cannot walk from the entrance to desk {plan.ids[d]!r} without "
                        "crossing a staff-only space",
                    )
                )
    for seat in sorted(targets):
        i = plan.index(seat)
        if not np.isfinite(dist[plan.entrance, i]):
            problems.append(
                Problem(source, "floor.waiting_spaces", f"clients cannot reach seat {seat!r}")
            )
    if not np.isfinite(dist[plan.entrance, plan.exit]):
        problems.append(Problem(source, "floor.exit", "clients cannot reach the exit"))
    return problems
