"""Find the cheapest staffing that meets a scenario's targets, by simulation with honest CIs.

The search starts from the hour-by-hour requirement of queueing theory (``sim.analytic.staffing``:
Erlang C/A, square-root staffing, shift covering) and then simulates. The variables are the
staff count of every role working all opening hours and the count of every listed shift of
roles with shifts (list candidate shift patterns with ``count: 0`` and the optimiser decides
which to use). A plan counts as meeting the targets only when every target's confidence
interval says so (``sim.results.targets.judge``); an undecided plan gets more replications, up to
``max_replications``, and stays rejected if still undecided.

1. Climb: while the plan misses, evaluate every one-step increase and take a feasible one of
   least cost, else the one closest to the targets.
2. Descend: evaluate every one-step decrease (and, for shift roles, moving one member to a
   shorter shift) and take the feasible one of least cost, until none is cheaper.

All plans are evaluated with the same replication seeds (common random numbers), so their
differences are differences of staffing, not of luck.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.analytic.staffing import HourRequirement, cover_shifts, hour_coverage, role_requirements
from sim.errors import OfficesimError
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.optimizer_search import Knob, Search, SearchSetup, TraceStep, objective_of
from sim.experiment.options import Execution
from sim.experiment.replicate import Session
from sim.experiment.sweeps import scenario_data
from sim.results.summary import Estimate, dataframe
from sim.results.targets import TargetCheck
from sim.scenario.spec import Scenario
from sim.units import format_clock


@dataclass(frozen=True)
class OptimizeResult:
    """The chosen plan, its cost and KPIs with CIs, the analytic start and the search trace."""

    scenario_name: str
    feasible: bool
    objective: str
    plan: dict[str, Any]
    """Per role: ``{"count": n}`` or ``{"shifts": [{"start", "end", "count"}, ...]}``."""
    hourly_staff: dict[str, list[float]]
    """Per role, staff on duty in each opening hour (members × share of the hour covered)."""
    requirements: dict[str, list[HourRequirement]]
    cost: Estimate
    replications: int
    kpis: dict[str, Estimate]
    targets: list[TargetCheck]
    trace: list[TraceStep]
    overrides: list[str]
    """The ``--set`` values that turn the scenario into the chosen plan."""
    opening: str = "00:00"
    """Opening time (the first hour of ``hourly_staff``)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "scenario": self.scenario_name,
            "feasible": self.feasible,
            "objective": self.objective,
            "plan": self.plan,
            "overrides": self.overrides,
            "opening": self.opening,
            "hourly_staff": self.hourly_staff,
            "cost": self.cost.to_dict(),
            "replications": self.replications,
            "targets": [t.to_dict() for t in self.targets],
            "kpis": {k: e.to_dict() for k, e in self.kpis.items()},
            "requirements": {
                role: [r.to_dict() for r in rows] for role, rows in self.requirements.items()
            },
            "trace": [t.to_dict() for t in self.trace],
        }

    def to_dataframe(self, table: str = "kpis") -> Any:
        """A pandas DataFrame of ``"kpis"`` (the plan's), ``"trace"`` or ``"hourly"``."""
        if table == "trace":
            return dataframe([t.to_row() for t in self.trace])
        if table == "hourly":
            rows = [
                {"role": role, "hour": h, "staff": v}
                for role, values in self.hourly_staff.items()
                for h, v in enumerate(values)
            ]
            return dataframe(rows)
        if table != "kpis":
            raise ValueError(f"table must be 'kpis', 'trace' or 'hourly', got {table!r}")
        return dataframe([{"kpi": k, **e.to_dict()} for k, e in self.kpis.items()])


def knobs_of(scenario: Scenario, roles: Sequence[str] | None = None) -> list[Knob]:
    """The search variables: each role's count, or the count of each of its shifts.

    Back-office teams are sized too when the scenario has a back-office target
    (``targets.max_backlog`` or ``targets.task_on_time``) or when they are named in ``roles``:
    without such a target nothing would stop the search from shrinking them.
    """
    teams = scenario.back_office.teams if scenario.back_office else {}
    back_office_target = (
        scenario.targets.max_backlog is not None
        or scenario.targets.task_on_time is not None
        or any(t.is_task for t in scenario.targets.specific)
    )
    if roles is None:
        chosen = [("staff", r) for r in scenario.staff]
        if back_office_target:
            chosen += [("back_office.teams", t) for t in teams]
    else:
        unknown = [r for r in roles if r not in scenario.staff and r not in teams]
        if unknown:
            raise OfficesimError(
                f"--roles: unknown role(s) {', '.join(unknown)}; the scenario's roles: "
                f"{', '.join(scenario.staff)}; teams: {', '.join(teams) or 'none'}"
            )
        chosen = [("staff" if r in scenario.staff else "back_office.teams", r) for r in roles]
    out: list[Knob] = []
    for group, name in chosen:
        spec = scenario.staff[name] if group == "staff" else teams[name]
        base = name if group == "staff" else f"team {name}"
        if spec.shifts is None:
            out.append(Knob(name, None, base, group))
        else:
            for i, sh in enumerate(spec.shifts):
                label = f"{base} {format_clock(sh.start)}-{format_clock(sh.end)}"
                if any(k.label == label for k in out):
                    label += f" #{i}"
                out.append(Knob(name, i, label, group))
    return out + _start_knobs(scenario, out)


def _start_knobs(scenario: Scenario, counts: Sequence[Knob]) -> list[Knob]:
    """A start-time variable for every shift of the roles in ``optimize.shift_times``."""
    out = []
    for k in counts:
        window = scenario.optimize.shift_times.get(k.role)
        if window is None or k.shift is None:
            continue
        sh = (k.crew(scenario).shifts or [])[k.shift]
        earliest = scenario.hours.open if window.earliest is None else window.earliest
        latest = scenario.hours.close if window.latest is None else window.latest
        # The grid of start times holds the written start: earliest is moved onto it.
        below = int((sh.start - earliest) // window.step) if sh.start >= earliest else 0
        first = sh.start - below * window.step
        length = sh.end - sh.start
        most = int((latest - length - first) // window.step)
        out.append(
            Knob(
                k.role,
                k.shift,
                f"{k.label} start",
                k.group,
                "start",
                first,
                window.step,
                length,
                max(most, 0),
            )
        )
    return out


def current_plan(scenario: Scenario, knobs: Sequence[Knob]) -> list[int]:
    """The knob values the scenario is written with."""
    out = []
    for k in knobs:
        spec = k.crew(scenario)
        if k.kind == "start":
            start = (spec.shifts or [])[k.shift or 0].start
            out.append(round((start - k.earliest) / k.step))
        elif k.shift is None:
            out.append(spec.count or 0)
        else:
            out.append((spec.shifts or [])[k.shift].count)
    return out


def analytic_plan(
    scenario: Scenario, knobs: Sequence[Knob], reqs: Mapping[str, list[HourRequirement]]
) -> list[int]:
    """Starting values from the hour-by-hour requirement (scenario values where none)."""
    plan = current_plan(scenario, knobs)
    for role, rows in reqs.items():
        idx = [
            i
            for i, k in enumerate(knobs)
            if k.role == role and k.group == "staff" and k.kind == "count"
        ]
        if not idx:
            continue
        need = [r.required for r in rows]
        spec = scenario.staff[role]
        if spec.shifts is None:
            plan[idx[0]] = max(1, max(need, default=1))
        else:
            starts = _place_shifts(scenario, knobs, role, need, plan)
            spans = [starts[knobs[i].shift or 0] for i in idx]
            for i, v in zip(idx, cover_shifts(need, scenario.hours, spans), strict=True):
                plan[i] = v
    return plan


def _place_shifts(
    scenario: Scenario, knobs: Sequence[Knob], role: str, need: Sequence[int], plan: list[int]
) -> dict[int, tuple[float, float]]:
    """Each shift's span for the analytic cover; a movable shift goes where the requirement
    above its minimum is largest (``plan`` gets the chosen start values)."""
    shifts = scenario.staff[role].shifts or []
    spans = {i: (sh.start, sh.end) for i, sh in enumerate(shifts)}
    base = min(need, default=0)
    for j, k in enumerate(knobs):
        if k.kind != "start" or k.role != role or k.group != "staff":
            continue

        def peak(v: int, k: Knob = k) -> float:
            start = k.earliest + v * k.step
            cover = hour_coverage(scenario.hours, start, start + k.length)
            return sum(c * (n - base) for c, n in zip(cover, need, strict=True))

        best = max(range(k.most + 1), key=lambda v: (peak(v), -abs(v - plan[j])))
        plan[j] = best
        start = k.earliest + best * k.step
        spans[k.shift or 0] = (start, start + k.length)
    return spans


def describe_plan(
    scenario: Scenario, knobs: Sequence[Knob], values: Sequence[int]
) -> dict[str, Any]:
    """The plan per role as written in a scenario (counts, or shifts with counts)."""
    out: dict[str, Any] = {}
    for k, v in zip(knobs, values, strict=True):
        name = k.role if k.group == "staff" else f"team {k.role}"
        if k.kind == "start":
            continue
        if k.shift is None:
            out[name] = {"count": v}
        else:
            sh = (k.crew(scenario).shifts or [])[k.shift]
            entry = {"start": format_clock(sh.start), "end": format_clock(sh.end), "count": v}
            out.setdefault(name, {"shifts": []})["shifts"].append(entry)
    return out


def hourly_staff(
    scenario: Scenario, knobs: Sequence[Knob], values: Sequence[int]
) -> dict[str, list[float]]:
    """Staff on duty per opening hour of each optimised role under a plan."""
    n = scenario.hours.n_hours
    out: dict[str, list[float]] = {}
    for k, v in zip(knobs, values, strict=True):
        if k.kind == "start":
            continue
        row = out.setdefault(k.role if k.group == "staff" else f"team {k.role}", [0.0] * n)
        if k.shift is None:
            cover = [1.0] * n
        else:
            sh = (k.crew(scenario).shifts or [])[k.shift]
            cover = hour_coverage(scenario.hours, sh.start, sh.end)
        for h in range(n):
            row[h] += v * cover[h]
    return out


def _pinned(knob: Knob, overrides: Sequence[str]) -> bool:
    """True when an override sets this variable: the user fixed it, so it is not searched."""
    set_paths = {o.partition("=")[0].strip().replace("[", ".").replace("]", "") for o in overrides}
    return knob.path in set_paths


def _start_values(
    scenario: Scenario,
    knobs: Sequence[Knob],
    reqs: Mapping[str, list[HourRequirement]],
    start: Mapping[str, int] | None,
) -> list[int]:
    """The first plan: the analytic one, or ``start``'s values, within the plan's desks."""
    values = analytic_plan(scenario, knobs, reqs)
    if start:
        labels = {k.label: i for i, k in enumerate(knobs)}
        for label, v in start.items():
            if label not in labels:
                raise OfficesimError(
                    f"start: unknown variable {label!r}; variables: {', '.join(labels)}"
                )
            values[labels[label]] = int(v)
    if scenario.layout is not None:
        # On a floor plan a role cannot have more members on duty than it has desks.
        for i, knob in enumerate(knobs):
            desks = knob.crew(scenario).desks
            if desks and knob.kind == "count":
                values[i] = min(values[i], len(desks))
    return values


@dataclass(frozen=True)
class OptimizeSearch:
    """What the search may change and how long it may look (all optional)."""

    roles: Sequence[str] | None = None
    """The roles to optimise (default: all); others keep their staffing, and so does every
    count fixed by an override (``staff.teller.count=3``)."""
    start: Mapping[str, int] | None = None
    """Variable label → value to start from instead of the analytic plan (labels are role
    names, or ``"role hh:mm-hh:mm"`` for shifts)."""
    max_replications: int | None = None
    """Most replications an undecided plan gets (default: 4 × the first)."""
    max_steps: int = 60
    """Most climbing plus descending steps."""


SEARCH_KEYWORDS = ("roles", "start", "max_replications", "max_steps")


def _search_of(search: OptimizeSearch | None, settings: dict[str, Any]) -> OptimizeSearch:
    """``search``, or one built from the keywords of earlier releases (with a warning)."""
    legacy = {k: settings.pop(k) for k in SEARCH_KEYWORDS if k in settings}
    if not legacy:
        return search or OptimizeSearch()
    if search is not None:
        raise TypeError(f"give {', '.join(legacy)} in search=OptimizeSearch(...), not beside it")
    warnings.warn(
        f"optimize({', '.join(f'{k}=...' for k in legacy)}) is deprecated and will be removed "
        "in the next release; pass search=OptimizeSearch(...) instead",
        DeprecationWarning,
        stacklevel=3,
    )
    return OptimizeSearch(**legacy)


def optimize(
    scenario: Scenario | str | Path,
    *,
    search: OptimizeSearch | None = None,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    base_dir: Path | None = None,
    execution: Execution | None = None,
    **settings: Any,
) -> OptimizeResult:
    """The cheapest staffing meeting the scenario's targets (see the module docstring).

    Args:
        scenario: a scenario file or object; its targets are what the plan must meet.
        search: which roles, from where, and how many replications and steps at most
            (:class:`OptimizeSearch`; default: every role from the analytic plan).
        replications: replications per plan at first (default: the scenario's).
        seed, overrides, base_dir, execution, settings: as for
            :func:`sim.experiment.sweeps.sweep`.
    """
    limits = _search_of(search, settings)
    data, source, base = scenario_data(scenario, base_dir, replications, seed, overrides)
    base_sc = scenario_from_dict(data, source, base)
    max_replications = limits.max_replications
    if max_replications is not None and max_replications < base_sc.replications:
        raise OfficesimError.single(
            "--max-replications",
            "",
            f"expected at least the replications per plan ({base_sc.replications}), got "
            f"{max_replications}",
        )
    knobs = [k for k in knobs_of(base_sc, limits.roles) if not _pinned(k, overrides)]
    if not knobs:
        raise OfficesimError.single(
            "--set",
            "",
            "every staffing variable is fixed with --set, so there is nothing to optimise; "
            "leave one role's count unset",
        )
    reqs = role_requirements(base_sc)
    values = _start_values(base_sc, knobs, reqs, limits.start)
    n0 = base_sc.replications
    n_max = max(n0, max_replications if max_replications is not None else 4 * n0)
    objective = objective_of(base_sc)
    with Session(Execution.of(execution, settings), iterative=True) as session:
        setup = SearchSetup(data, source, base, knobs, n0, n_max, objective)
        searcher = Search(session, setup)
        best = searcher.run(tuple(values), limits.max_steps)
        result = searcher.final_result(best)
    ev = best
    final = ev.unit.scenario if ev.unit is not None else base_sc
    return OptimizeResult(
        scenario_name=base_sc.name,
        feasible=ev.status == "met",
        objective=objective.label,
        plan=describe_plan(final, knobs, ev.plan),
        hourly_staff=hourly_staff(final, knobs, ev.plan),
        requirements=reqs,
        cost=ev.cost,
        replications=ev.replications,
        kpis=result.summary,
        targets=ev.checks,
        trace=searcher.trace,
        overrides=searcher.overrides(ev.plan),
        opening=format_clock(base_sc.hours.open),
    )
