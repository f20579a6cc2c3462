"""Stack planning: which team on which floor, by walking between teams and rent per floor.

A stack plan puts every team, whole, on one level. It is judged by two numbers:

* **walking between teams that work together**: for every pair of teams with trips per day
  between them (the scenario's adjacency), trips × the mean walking distance between a desk of
  the one team's level and a desk of the other's (within a level: between two of its desks),
  at walking speed, in minutes per day;
* **rent**: the monthly rent of the levels the plan uses (a level with no team can be let go).

A plan is feasible when no level holds more desks than it has. Plans are ranked by walking and
then rent, or, given a value of an hour of walking, by their cost per month: rent + walking
hours × working days per month × that value.

The search is **exhaustive** while the number of assignments (levels ^ teams) is at most
``EXHAUSTIVE_LIMIT``: every feasible plan is evaluated (depth first, a branch cut as soon as a
level is over capacity), so the best is the optimum. Beyond, a **heuristic**: teams are placed
greedily, the most interacting first, each on the feasible level that adds least to the score;
then the best improving move of one team to another level, swap of two teams on different
levels, or exchange of the teams of two levels, is made until none improves (a local optimum,
not a proven one). The ranked plans are then the best ones the search visited.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

EXHAUSTIVE_LIMIT = 100_000
"""Most assignments (levels ^ teams) searched exhaustively under ``method='auto'``."""

Method = Literal["auto", "exhaustive", "heuristic"]


class StackingError(ValueError):
    """No stack plan fits: the teams need more desks than the levels have (or a team more
    than any one level)."""


@dataclass(frozen=True)
class StackProblem:
    """The numbers a stack plan is judged by.

    Attributes:
        teams, demand: team names and the desks each needs (a team is never split).
        levels, capacity, rent: level ids, their desks and their rent per month.
        trips: teams × teams trips per day from row team to column team.
        metres: levels × levels mean walking metres between a desk on one and one on the other.
        speed: walking speed in m/s.
        walk_value: money per hour of walking (None: rank by walking, then rent).
        days_per_month: working days per month (for ``walk_value``).
    """

    teams: tuple[str, ...]
    demand: tuple[int, ...]
    levels: tuple[str, ...]
    capacity: tuple[int, ...]
    rent: tuple[float, ...]
    trips: np.ndarray
    metres: np.ndarray
    speed: float
    walk_value: float | None = None
    days_per_month: float = 21.0

    def check(self) -> None:
        """Raise :class:`StackingError` when no plan can be feasible."""
        need, have = sum(self.demand), sum(self.capacity)
        if need > have:
            raise StackingError(f"the teams need {need} desks; the levels have {have}")
        biggest = max(self.capacity, default=0)
        for team, d in zip(self.teams, self.demand, strict=True):
            if d > biggest:
                raise StackingError(
                    f"team {team!r} needs {d} desks; the largest level has {biggest}"
                )


@dataclass(frozen=True)
class StackPlan:
    """One feasible stack plan: the level of every team and what it costs."""

    assignment: tuple[int, ...]
    """Level index of every team (in the problem's team order)."""
    walk_min_per_day: float
    rent_per_month: float
    cost_per_month: float | None
    """Rent plus walking valued at ``walk_value`` (None without a value)."""

    @property
    def score(self) -> tuple[float, ...]:
        """The ranking key: lower is better."""
        if self.cost_per_month is not None:
            return (round(self.cost_per_month, 9), round(self.walk_min_per_day, 9))
        return (round(self.walk_min_per_day, 9), round(self.rent_per_month, 9))


def evaluate(problem: StackProblem, assignment: Sequence[int]) -> StackPlan:
    """Walking, rent and cost of one assignment (feasible or not)."""
    a = np.asarray(assignment, dtype=int)
    metres = float(np.sum(problem.trips * problem.metres[np.ix_(a, a)]))
    walk = metres / problem.speed / 60.0
    rent = float(sum(problem.rent[level] for level in set(assignment)))
    cost = None
    if problem.walk_value is not None:
        cost = rent + walk / 60.0 * problem.days_per_month * problem.walk_value
    return StackPlan(tuple(int(x) for x in assignment), walk, rent, cost)


def feasible(problem: StackProblem, assignment: Sequence[int]) -> bool:
    """True when no level holds more desks than it has."""
    used = [0] * len(problem.levels)
    for team, level in enumerate(assignment):
        used[level] += problem.demand[team]
    return all(u <= c for u, c in zip(used, problem.capacity, strict=True))


@dataclass(frozen=True)
class StackSearch:
    """The ranked plans and how they were found."""

    method: Literal["exhaustive", "heuristic"]
    plans: list[StackPlan]
    """Best first; at most ``top``."""
    evaluated: int
    """Feasible plans evaluated."""
    pareto: list[bool]
    """Per plan: no other ranked plan walks less and costs less rent (or equal on one)."""


def search(problem: StackProblem, top: int = 10, method: Method = "auto") -> StackSearch:
    """The best ``top`` stack plans (see the module's docstring for the two methods)."""
    problem.check()
    if top < 1:
        raise ValueError("top must be at least 1")
    size = len(problem.levels) ** len(problem.teams)
    chosen: Literal["exhaustive", "heuristic"] = (
        "exhaustive"
        if method == "exhaustive" or (method == "auto" and size <= EXHAUSTIVE_LIMIT)
        else "heuristic"
    )
    if chosen == "exhaustive":
        counted = _Counter(_feasible_assignments(problem))
        plans = heapq.nsmallest(top, (evaluate(problem, a) for a in counted), key=_key)
        evaluated = counted.n
    else:
        visited = _local_search(problem)
        plans = sorted(visited.values(), key=_key)[:top]
        evaluated = len(visited)
    if not plans:
        raise StackingError("no stack plan fits the teams, whole, on the levels' desks")
    return StackSearch(chosen, plans, evaluated, _pareto(plans))


def _key(plan: StackPlan) -> tuple[tuple[float, ...], tuple[int, ...]]:
    return plan.score, plan.assignment


class _Counter:
    """Iterates and counts."""

    def __init__(self, items: Iterator[tuple[int, ...]]):
        self.items = items
        self.n = 0

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        for item in self.items:
            self.n += 1
            yield item


def _feasible_assignments(problem: StackProblem) -> Iterator[tuple[int, ...]]:
    """Every feasible assignment, depth first, cutting a branch once a level is full."""
    free = list(problem.capacity)
    chosen: list[int] = []
    n = len(problem.teams)

    def walk(team: int) -> Iterator[tuple[int, ...]]:
        if team == n:
            yield tuple(chosen)
            return
        d = problem.demand[team]
        for level in range(len(problem.levels)):
            if free[level] < d:
                continue
            free[level] -= d
            chosen.append(level)
            yield from walk(team + 1)
            chosen.pop()
            free[level] += d

    return walk(0)


def _greedy(problem: StackProblem) -> list[int]:
    """Most interacting teams first, each on the feasible level adding least to the score."""
    both = problem.trips + problem.trips.T
    order = sorted(
        range(len(problem.teams)), key=lambda t: (-float(both[t].sum()), -problem.demand[t], t)
    )
    free = list(problem.capacity)
    placed: dict[int, int] = {}
    for team in order:
        options = []
        for level in range(len(problem.levels)):
            if free[level] < problem.demand[team]:
                continue
            trial = dict(placed)
            trial[team] = level
            options.append((_partial_score(problem, trial), -free[level], level))
        if not options:
            return _first_fit(problem)
        level = min(options)[2]
        placed[team] = level
        free[level] -= problem.demand[team]
    return [placed[t] for t in range(len(problem.teams))]


def _partial_score(problem: StackProblem, placed: dict[int, int]) -> tuple[float, ...]:
    """The score of the teams placed so far (the others left out)."""
    teams = list(placed)
    sub = StackProblem(
        tuple(problem.teams[t] for t in teams),
        tuple(problem.demand[t] for t in teams),
        problem.levels,
        problem.capacity,
        problem.rent,
        problem.trips[np.ix_(teams, teams)],
        problem.metres,
        problem.speed,
        problem.walk_value,
        problem.days_per_month,
    )
    return evaluate(sub, [placed[t] for t in teams]).score


def _first_fit(problem: StackProblem) -> list[int]:
    """Largest team first on the level with most free desks (a feasible start when the greedy
    order paints itself into a corner)."""
    free = list(problem.capacity)
    out = [0] * len(problem.teams)
    for team in sorted(range(len(problem.teams)), key=lambda t: -problem.demand[t]):
        level = max(range(len(free)), key=lambda k: free[k])
        if free[level] < problem.demand[team]:
            raise StackingError(
                "no stack plan fits the teams, whole, on the levels' desks (none found by the "
                "heuristic; the exhaustive search would prove it)"
            )
        free[level] -= problem.demand[team]
        out[team] = level
    return out


def _neighbours(problem: StackProblem, current: list[int]) -> Iterator[list[int]]:
    """Every feasible plan one move (a team to another level), one swap of two teams or one
    exchange of the teams of two levels away."""
    n, levels = len(current), len(problem.levels)
    for i in range(levels):
        for j in range(i + 1, levels):
            swap = {i: j, j: i}
            trial = [swap.get(level, level) for level in current]
            if trial != current and feasible(problem, trial):
                yield trial
    for team in range(n):
        for level in range(levels):
            if level != current[team]:
                trial = list(current)
                trial[team] = level
                if feasible(problem, trial):
                    yield trial
    for a in range(n):
        for b in range(a + 1, n):
            if current[a] != current[b]:
                trial = list(current)
                trial[a], trial[b] = trial[b], trial[a]
                if feasible(problem, trial):
                    yield trial


def _local_search(problem: StackProblem) -> dict[tuple[int, ...], StackPlan]:
    """Greedy start, then best-improvement moves and swaps; every plan seen, by assignment."""
    current = _greedy(problem)
    best = evaluate(problem, current)
    seen = {best.assignment: best}
    while True:
        step = None
        for trial in _neighbours(problem, current):
            key = tuple(trial)
            plan = seen.get(key) or evaluate(problem, trial)
            seen[key] = plan
            if _key(plan) < _key(step if step is not None else best):
                step = plan
        if step is None:
            return seen
        best, current = step, list(step.assignment)


def _pareto(plans: Sequence[StackPlan]) -> list[bool]:
    out = []
    for p in plans:
        dominated = any(
            q.walk_min_per_day <= p.walk_min_per_day
            and q.rent_per_month <= p.rent_per_month
            and (q.walk_min_per_day < p.walk_min_per_day or q.rent_per_month < p.rent_per_month)
            for q in plans
        )
        out.append(not dominated)
    return out
