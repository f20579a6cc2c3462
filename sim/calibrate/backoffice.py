"""Back-office task logs: task arrival rates, step times and rework from repeated steps.

A task's steps in time order give its route; a step done again after the task has moved on (or
repeated at once) is rework. The rework probability of a step is the share of its completions
followed by a return to the same or an earlier step of the route.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.calibrate.arrivals import poisson_ci
from sim.calibrate.service import ServiceFit, fit_service
from sim.logs import TaskLog
from sim.units import HOUR


@dataclass(frozen=True)
class StepFit:
    """One step of a task type's route: its team, time fits and rework."""

    step: str
    team: str
    time: ServiceFit
    done: int
    rework: int
    rework_p: float
    rework_ci: tuple[float, float]
    back_to: int
    """Route position most reworked tasks return to."""


@dataclass(frozen=True)
class TaskTypeFit:
    """A task type: how many arrive per hour of the working day, and its fitted route."""

    type: str
    tasks: int
    days: int
    hours: float
    per_hour: float
    per_hour_ci: tuple[float, float]
    steps: tuple[StepFit, ...]


def fit_tasks(log: TaskLog, hours_per_day: float) -> list[TaskTypeFit]:
    """Fit every task type of a task log (arrivals over ``hours_per_day`` working hours a day)."""
    order = np.lexsort((log.start, log.day.astype("int64"), log.task))
    routes: dict[str, list[int]] = defaultdict(list)
    for i in order:
        routes[str(log.task[i])].append(int(i))
    n_days = len(np.unique(log.day))
    out = []
    for ttype in sorted(set(log.type.tolist())):
        tasks = [t for t, rows in routes.items() if log.type[rows[0]] == ttype]
        out.append(_fit_type(log, ttype, [routes[t] for t in tasks], n_days, hours_per_day))
    return out


def _fit_type(
    log: TaskLog, ttype: str, routes: list[list[int]], n_days: int, hours: float
) -> TaskTypeFit:
    route: list[str] = []
    for rows in routes:
        for i in rows:
            if log.step[i] not in route:
                route.append(str(log.step[i]))
    done: Counter[str] = Counter()
    again: Counter[str] = Counter()
    back: dict[str, Counter[int]] = defaultdict(Counter)
    for rows in routes:
        steps = [str(log.step[i]) for i in rows]
        for a, b in zip(steps, [*steps[1:], None], strict=True):
            done[a] += 1
            if b is not None and route.index(b) <= route.index(a):
                again[a] += 1
                back[a][route.index(b)] += 1
    fits = []
    for pos, step in enumerate(route):
        idx = np.array([i for r in routes for i in r if log.step[i] == step])
        ci = stats.binomtest(again[step], done[step]).proportion_ci(0.95)
        team = Counter(log.team[idx].tolist()).most_common(1)[0][0]
        fits.append(
            StepFit(
                step,
                str(team),
                fit_service(log.end[idx] - log.start[idx], step),
                done[step],
                again[step],
                again[step] / done[step],
                (float(ci.low), float(ci.high)),
                back[step].most_common(1)[0][0] if back[step] else pos,
            )
        )
    exposure = n_days * hours / HOUR
    low, high = poisson_ci(len(routes), exposure)
    return TaskTypeFit(
        ttype, len(routes), n_days, hours, len(routes) / exposure, (low, high), tuple(fits)
    )
