"""Stack plans of a scenario's building: which team on which floor (no simulation).

The numbers come from the scenario's space section and its building: the desks each team
needs (its employees × the desk ratio, rounded; every employee without a ratio), the desks of
every level (those of the plan, or generated at the section's density), the mean walking
metres between desks of two levels (by the stairs, as the interaction-walking KPI measures
them), the trips per day between teams (``space.adjacency``) and each level's rent (its area ×
``level_rent`` or ``rent_per_m2_month``). The search itself is
:func:`sim.analytic.stacking.search`. The scenario's own stack (every team's ``level``) is
evaluated beside the ranked plans when every team has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.analytic.stacking import (
    Method,
    StackingError,
    StackPlan,
    StackProblem,
    evaluate,
    feasible,
    search,
)
from sim.errors import ScenarioError
from sim.experiment.inputs import space_plan_for
from sim.experiment.replicate import prepare
from sim.layout.travel import WALKING_SPEED
from sim.model.space_plan import SpacePlan
from sim.scenario.space import Space
from sim.scenario.spec import Scenario


@dataclass(frozen=True)
class StackOptions:
    """What to search and how to rank.

    Attributes:
        top: how many plans to return, best first.
        method: ``auto`` (exhaustive while small, else the heuristic), ``exhaustive`` or
            ``heuristic``.
        walk_value_per_hour: money per hour of walking between teams; given, plans are ranked
            by rent + walking valued so per month; else by walking, then rent.
        overrides: ``key.path=value`` applied to the scenario first.
    """

    top: int = 10
    method: Method = "auto"
    walk_value_per_hour: float | None = None
    overrides: Sequence[str] = ()


@dataclass(frozen=True)
class RankedPlan:
    """A stack plan in the scenario's words."""

    rank: int
    levels: dict[str, str]
    """Team → level id."""
    desks_used: dict[str, int]
    """Level id → desks the plan's teams need there."""
    walk_min_per_day: float
    rent_per_month: float
    cost_per_month: float | None
    pareto: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "rank": self.rank,
            "levels": self.levels,
            "desks_used": self.desks_used,
            "walk_min_per_day": self.walk_min_per_day,
            "rent_per_month": self.rent_per_month,
            "cost_per_month": self.cost_per_month,
            "pareto": self.pareto,
        }


@dataclass(frozen=True)
class StackResult:
    """The ranked stack plans of a scenario and the numbers they were judged by."""

    scenario_name: str
    method: str
    evaluated: int
    problem: StackProblem
    plans: list[RankedPlan]
    current: RankedPlan | None
    """The scenario's own stack (every team with a ``level``), rank 0; None otherwise."""
    current_feasible: bool | None
    walk_value_per_hour: float | None

    @property
    def best(self) -> RankedPlan:
        """The first-ranked plan."""
        return self.plans[0]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the ``officesim/stack`` document's body)."""
        p = self.problem
        return {
            "scenario": self.scenario_name,
            "method": self.method,
            "evaluated": self.evaluated,
            "ranked_by": "rent + valued walking per month"
            if self.walk_value_per_hour is not None
            else "walking between teams, then rent",
            "walk_value_per_hour": self.walk_value_per_hour,
            "days_per_month": p.days_per_month,
            "walking_speed": p.speed,
            "teams": [{"team": t, "desks": d} for t, d in zip(p.teams, p.demand, strict=True)],
            "levels": [
                {"level": lv, "desks": c, "rent_per_month": r}
                for lv, c, r in zip(p.levels, p.capacity, p.rent, strict=True)
            ],
            "level_metres": {
                a: {b: float(p.metres[i, j]) for j, b in enumerate(p.levels)}
                for i, a in enumerate(p.levels)
            },
            "trips": {
                a: {b: float(p.trips[i, j]) for j, b in enumerate(p.teams) if p.trips[i, j]}
                for i, a in enumerate(p.teams)
                if p.trips[i].any()
            },
            "plans": [plan.to_dict() for plan in self.plans],
            "current": None if self.current is None else self.current.to_dict(),
            "current_feasible": self.current_feasible,
        }


def level_metres(plan: SpacePlan, levels: Sequence[str]) -> np.ndarray:
    """Mean walking metres between a used desk of one level and one of another (within a
    level: between two different desks; 0 with fewer than two)."""
    of = np.array([d.level for d in plan.desks])
    out = np.zeros((len(levels), len(levels)))
    for i, a in enumerate(levels):
        for j, b in enumerate(levels):
            ia, ib = np.nonzero(of == a)[0], np.nonzero(of == b)[0]
            if len(ia) == 0 or len(ib) == 0:
                continue
            block = plan.desk_metres[np.ix_(ia, ib)]
            if a == b:
                n = len(ia)
                out[i, j] = float(block.sum() / (n * (n - 1))) if n > 1 else 0.0
            else:
                out[i, j] = float(block.mean())
    return out


def team_desks(spec: Space) -> dict[str, int]:
    """Desks each team needs: employees × the desk ratio, rounded (at least one)."""
    ratio = spec.desks.ratio or 1.0
    return {name: max(1, round(t.employees * ratio)) for name, t in spec.teams.items()}


def stack_problem(
    scenario: Scenario, walk_value: float | None = None, source: str = "<scenario>"
) -> StackProblem:
    """The stack-planning numbers of a scenario with a space section."""
    spec = scenario.space
    if spec is None:
        raise ScenarioError.single(source, "space", "stack planning needs a space section")
    if not spec.adjacency:
        raise ScenarioError.single(
            source,
            "space.adjacency",
            "stack planning needs the trips per day between teams that work together",
        )
    plan = space_plan_for(scenario, source)
    assert plan is not None
    levels = tuple(lv.id for lv in plan.building.levels)
    capacity = tuple(len(lv.floor.desks()) for lv in plan.building.levels)
    rent = tuple(
        plan.level_area[lv] * spec.level_rent.get(lv, spec.rent_per_m2_month) for lv in levels
    )
    demand = team_desks(spec)
    teams = tuple(spec.teams)
    trips = np.zeros((len(teams), len(teams)))
    for a, row in spec.adjacency.items():
        for b, n in row.items():
            trips[teams.index(a), teams.index(b)] += n
    return StackProblem(
        teams,
        tuple(demand[t] for t in teams),
        levels,
        capacity,
        rent,
        trips,
        level_metres(plan, levels),
        WALKING_SPEED,
        walk_value,
        scenario.costs.working_days_per_month,
    )


def _ranked(problem: StackProblem, plan: StackPlan, rank: int, pareto: bool) -> RankedPlan:
    used: dict[str, int] = {}
    for team, level in enumerate(plan.assignment):
        lv = problem.levels[level]
        used[lv] = used.get(lv, 0) + problem.demand[team]
    return RankedPlan(
        rank,
        {t: problem.levels[k] for t, k in zip(problem.teams, plan.assignment, strict=True)},
        {lv: used[lv] for lv in problem.levels if lv in used},
        plan.walk_min_per_day,
        plan.rent_per_month,
        plan.cost_per_month,
        pareto,
    )


def stack_plans(
    scenario: Scenario | str | Path, options: StackOptions | None = None
) -> StackResult:
    """The best stack plans of a scenario's building, ranked (nothing is simulated).

    Args:
        scenario: a scenario (file or object) with a space section on a plan with levels and
            ``space.adjacency``.
        options: how many plans, which search, how to rank (:class:`StackOptions`).
    """
    o = options or StackOptions()
    if o.walk_value_per_hour is not None and not o.walk_value_per_hour >= 0:
        raise ValueError(f"walk_value_per_hour must be 0 or more, got {o.walk_value_per_hour}")
    source = str(scenario) if not isinstance(scenario, Scenario) else f"<{scenario.name}>"
    sc = prepare(scenario, overrides=o.overrides)
    problem = stack_problem(sc, o.walk_value_per_hour, source)
    try:
        found = search(problem, o.top, o.method)
    except StackingError as exc:
        raise ScenarioError.single(source, "space.teams", str(exc)) from None
    plans = [
        _ranked(problem, p, k + 1, pareto)
        for k, (p, pareto) in enumerate(zip(found.plans, found.pareto, strict=True))
    ]
    current = None
    current_ok = None
    assert sc.space is not None
    given = [t.level for t in sc.space.teams.values()]
    if all(lv is not None for lv in given):
        unknown = [lv for lv in given if lv not in problem.levels]
        if unknown:
            raise ScenarioError.single(
                source, "space.teams", f"level {unknown[0]!r} is not a level of the plan"
            )
        assignment = [problem.levels.index(str(lv)) for lv in given]
        current = _ranked(problem, evaluate(problem, assignment), 0, False)
        current_ok = feasible(problem, assignment)
    return StackResult(
        sc.name,
        found.method,
        found.evaluated,
        problem,
        plans,
        current,
        current_ok,
        o.walk_value_per_hour,
    )
