"""The simulation-based staffing search behind ``sim.optimize``: plans, evaluations, trace.

A plan is a tuple of staff counts, one per knob (a role's count or one of its shift counts).
Evaluating a plan runs its replications through the session (so the store keeps them and a
resumed search does not run them again), judges every target by its confidence interval, and
gives undecided plans more replications up to the maximum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from sim.errors import ScenarioError
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.replicate import Session, Unit
from sim.results.summary import Estimate, ExperimentResult, _clean, estimate
from sim.results.targets import TargetCheck, check_targets, shortfall
from sim.scenario.base import Crew
from sim.scenario.spec import Scenario
from sim.units import format_clock

Plan = tuple[int, ...]
Status = Literal["met", "missed", "uncertain", "invalid"]
COST_KPI = "all.staff_cost_per_day"
TOTAL_COST_KPI = "cost.total_per_day"
_NO_COST = Estimate(math.nan, math.nan, math.nan, math.nan, 0)


@dataclass(frozen=True)
class Knob:
    """One search variable: a role's count, the count of one of its shifts, or (``kind``
    ``start``) the start time of one of its shifts, as a number of steps after ``earliest``."""

    role: str
    shift: int | None
    label: str
    group: str = "staff"
    """Where the crew is defined: ``staff`` (roles) or ``back_office.teams``."""
    kind: Literal["count", "start"] = "count"
    earliest: float = 0.0
    step: float = 0.0
    length: float = 0.0
    """A start knob's shift length (kept when the shift moves)."""
    most: int = 0
    """A start knob's largest value (the shift then ends at the latest allowed time)."""

    @property
    def path(self) -> str:
        """The key path it sets (``staff.teller.count``, ``staff.teller.shifts.0.count``)."""
        if self.shift is None:
            return f"{self.group}.{self.role}.count"
        return f"{self.group}.{self.role}.shifts.{self.shift}.{self.kind}"

    def clock(self, value: int) -> str:
        """A start knob's value as a clock time."""
        return format_clock(self.earliest + value * self.step)

    def settings(self, value: int) -> list[str]:
        """The ``--set`` values for this knob at ``value``."""
        if self.kind == "count":
            return [f"{self.path}={value}"]
        base = f"{self.group}.{self.role}.shifts.{self.shift}"
        start = self.earliest + value * self.step
        return [
            f'{base}.start="{format_clock(start)}"',
            f'{base}.end="{format_clock(start + self.length)}"',
        ]

    def shown(self, value: int) -> int | str:
        """The value as the trace shows it (a clock time for a start knob)."""
        return value if self.kind == "count" else self.clock(value)

    def crew(self, scenario: Scenario) -> Crew:
        """The role or team this knob sizes."""
        if self.group == "staff":
            return scenario.staff[self.role]
        assert scenario.back_office is not None
        return scenario.back_office.teams[self.role]


@dataclass
class Evaluation:
    """What simulation says about one plan."""

    plan: Plan
    status: Status
    replications: int = 0
    cost: Estimate = _NO_COST
    checks: list[TargetCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unit: Unit | None = None


@dataclass(frozen=True)
class TraceStep:
    """One plan looked at during the search, and whether the search moved to it."""

    step: int
    phase: str
    plan: dict[str, int | str]
    replications: int
    status: Status
    cost: Estimate
    shortfall: float
    chosen: bool
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "step": self.step,
            "phase": self.phase,
            "plan": self.plan,
            "replications": self.replications,
            "status": self.status,
            "cost": self.cost.to_dict(),
            "shortfall": _finite(self.shortfall),
            "chosen": self.chosen,
            "note": self.note,
        }

    def to_row(self) -> dict[str, Any]:
        """A flat record (one column per knob) for tables."""
        return {
            "step": self.step,
            "phase": self.phase,
            **self.plan,
            "replications": self.replications,
            "status": self.status,
            "cost_mean": _clean(self.cost.mean),
            "cost_ci_low": _clean(self.cost.ci_low),
            "cost_ci_high": _clean(self.cost.ci_high),
            "shortfall": _finite(self.shortfall),
            "chosen": self.chosen,
            "note": self.note,
        }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _verdict(checks: Sequence[TargetCheck]) -> Status:
    verdicts = {c.verdict for c in checks}
    if "missed" in verdicts:
        return "missed"
    return "uncertain" if "uncertain" in verdicts else "met"


@dataclass(frozen=True)
class Objective:
    """What the search minimises: a KPI, or a weighted sum of KPIs, per replication."""

    label: str
    weights: dict[str, float]
    """KPI key → weight; empty means staff hours on duty per day (no cost rates given)."""

    def estimate(self, result: ExperimentResult, scenario: Scenario) -> Estimate:
        """The objective's mean and CI over the plan's replications."""
        n = len(result.replications)
        if not self.weights:
            teams = scenario.back_office.teams if scenario.back_office else {}
            scopes = [f"role.{r}" for r in scenario.staff] + [f"team.{t}" for t in teams]
            keys = {f"{scope}.on_duty_hours_per_day": 1.0 for scope in scopes}
        else:
            keys = self.weights
        missing = [k for k in keys if k not in result.summary]
        if self.weights and missing:
            raise ScenarioError.single(
                "<scenario>",
                "optimize.weights",
                f"no KPI {', '.join(missing)}; KPIs of this scenario include "
                f"{', '.join(k for k in result.summary if k.startswith('cost.'))}",
            )
        total = np.zeros(n)
        for key, weight in keys.items():
            if key in result.summary:
                total = total + weight * np.nan_to_num(result.values(key))
        return estimate(total)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"label": self.label, "weights": self.weights}


def objective_of(scenario: Scenario) -> Objective:
    """The scenario's objective (``optimize.objective``), as KPI weights."""
    opt = scenario.optimize
    if opt.objective == "total_cost":
        return Objective(TOTAL_COST_KPI, {TOTAL_COST_KPI: 1.0})
    if opt.objective == "weighted":
        weights = dict(opt.weights or {})
        label = " + ".join(f"{w:g} x {k}" for k, w in weights.items())
        return Objective(label, weights)
    teams = scenario.back_office.teams if scenario.back_office else {}
    if any(c.cost_per_hour > 0 for c in [*scenario.staff.values(), *teams.values()]):
        return Objective(COST_KPI, {COST_KPI: 1.0})
    return Objective("staff hours per day", {})


@dataclass(frozen=True)
class SearchSetup:
    """What a search explores: the scenario data, the variables, and replication bounds.

    ``objective`` is what plans are ranked by (``optimize.objective`` of the scenario).
    """

    data: Mapping[str, Any]
    source: str
    base_dir: Path | None
    knobs: Sequence[Knob]
    replications: int
    max_replications: int
    objective: Objective


class Search:
    """Evaluates plans (cached, in batches) and walks from a start to the cheapest feasible."""

    def __init__(self, session: Session, setup: SearchSetup):
        self.session = session
        self.data = setup.data
        self.source = setup.source
        self.base_dir = setup.base_dir
        self.knobs = list(setup.knobs)
        self.n0 = setup.replications
        self.n_max = setup.max_replications
        self.objective = setup.objective
        self.cache: dict[Plan, Evaluation] = {}
        self.trace: list[TraceStep] = []

    def overrides(self, plan: Plan) -> list[str]:
        """``--set`` values applying a plan."""
        return [o for k, v in zip(self.knobs, plan, strict=True) for o in k.settings(v)]

    def _label(self, plan: Plan) -> str:
        return ", ".join(f"{k.label}={k.shown(v)}" for k, v in zip(self.knobs, plan, strict=True))

    def _scenario(self, plan: Plan) -> Scenario:
        return scenario_from_dict(self.data, self.source, self.base_dir, self.overrides(plan))

    def _cost(self, result: ExperimentResult, scenario: Scenario) -> Estimate:
        return self.objective.estimate(result, scenario)

    def evaluate(self, plans: Sequence[Plan]) -> list[Evaluation]:
        """Evaluate plans not seen yet, together; undecided ones get more replications."""
        scenarios: dict[Plan, Scenario] = {}
        for plan in dict.fromkeys(plans):
            if plan in self.cache:
                continue
            if min(plan) < 0:
                self.cache[plan] = Evaluation(plan, "invalid", problems=["negative count"])
                continue
            late = [
                k.label
                for k, v in zip(self.knobs, plan, strict=True)
                if k.kind == "start" and v > k.most
            ]
            if late:
                problems = [
                    f"{label}: the shift would end after the latest allowed time" for label in late
                ]
                self.cache[plan] = Evaluation(plan, "invalid", problems=problems)
                continue
            try:
                scenarios[plan] = self._scenario(plan)
            except ScenarioError as exc:
                self.cache[plan] = Evaluation(
                    plan, "invalid", problems=[p.message for p in exc.problems]
                )
        batch, n = list(scenarios), self.n0
        while batch:
            units = {p: Unit.of(self._label(p), scenarios[p], n) for p in batch}
            self.session.execute(list(units.values()))
            undecided = []
            for plan, unit in units.items():
                result = self.session.result(unit)
                checks = check_targets(unit.scenario.targets, result, unit.scenario)
                status = _verdict(checks)
                cost = self._cost(result, unit.scenario)
                self.cache[plan] = Evaluation(plan, status, n, cost, checks, unit=unit)
                if status == "uncertain" and n < self.n_max:
                    undecided.append(plan)
            batch, n = undecided, min(2 * n, self.n_max)
        return [self.cache[p] for p in plans]

    def _key(self, ev: Evaluation) -> tuple[float, int]:
        staff = sum(v for k, v in zip(self.knobs, ev.plan, strict=True) if k.kind == "count")
        return (ev.cost.mean, staff)

    def _moves(self, plan: Plan) -> list[Plan]:
        """Every shift that may move one step earlier or later."""
        out = []
        for i, k in enumerate(self.knobs):
            if k.kind == "start":
                for d in (-1, 1):
                    if 0 <= plan[i] + d <= k.most:
                        out.append(tuple(v + d * (i == j) for j, v in enumerate(plan)))
        return out

    def _record(self, step: int, phase: str, evs: Sequence[Evaluation], chosen: Evaluation) -> None:
        for ev in evs:
            self.trace.append(
                TraceStep(
                    step=step,
                    phase=phase,
                    plan={k.label: k.shown(v) for k, v in zip(self.knobs, ev.plan, strict=True)},
                    replications=ev.replications,
                    status=ev.status,
                    cost=ev.cost,
                    shortfall=shortfall(ev.checks) if ev.checks else math.inf,
                    chosen=ev is chosen,
                    note="; ".join(ev.problems),
                )
            )

    def _increases(self, plan: Plan) -> list[Plan]:
        counts = [i for i, k in enumerate(self.knobs) if k.kind == "count"]
        ups = [tuple(v + (i == j) for j, v in enumerate(plan)) for i in counts]
        return ups + self._moves(plan)

    def _decreases(self, plan: Plan) -> list[Plan]:
        counts = [i for i, k in enumerate(self.knobs) if k.kind == "count"]
        out = [tuple(v - (i == j) for j, v in enumerate(plan)) for i in counts if plan[i]]
        out += self._moves(plan)
        unit = self.cache[plan].unit
        if unit is None:
            return out
        for i, ki in enumerate(self.knobs):
            if ki.shift is None or ki.kind != "count" or plan[i] == 0:
                continue
            shifts = ki.crew(unit.scenario).shifts or []
            long = shifts[ki.shift].end - shifts[ki.shift].start
            for j, kj in enumerate(self.knobs):
                same_crew = kj.role == ki.role and kj.group == ki.group
                if same_crew and kj.shift is not None and kj.kind == "count":
                    short = shifts[kj.shift].end - shifts[kj.shift].start
                    if short < long:
                        moved = list(plan)
                        moved[i] -= 1
                        moved[j] += 1
                        out.append(tuple(moved))
        return out

    def run(self, start: Plan, max_steps: int) -> Evaluation:
        """Climb to a plan meeting the targets, then descend to the cheapest such plan."""
        cur = self.evaluate([start])[0]
        self._record(0, "start", [cur], cur)
        step = 0
        while cur.status == "invalid" and any(cur.plan) and step < max_steps:
            # The starting plan breaks a rule of the scenario (e.g. more members on duty than
            # desks): take staff away, largest count first, until a plan is valid.
            step += 1
            evs = self.evaluate(self._decreases(cur.plan))
            valid = [e for e in evs if e.status != "invalid"]
            if valid:
                nxt = min(valid, key=lambda e: (shortfall(e.checks), *self._key(e)))
            else:
                nxt = max(evs, key=lambda e: (sum(e.plan), -max(e.plan)))
            self._record(step, "repair", evs, nxt)
            cur = nxt
        while cur.status != "met" and step < max_steps:
            step += 1
            evs = self.evaluate(self._increases(cur.plan))
            feasible = [e for e in evs if e.status == "met"]
            valid = [e for e in evs if e.status != "invalid"]
            if feasible:
                nxt = min(feasible, key=self._key)
            elif valid:
                nxt = min(valid, key=lambda e: (shortfall(e.checks), *self._key(e)))
            elif cur.status != "invalid":
                # Every larger plan is invalid (e.g. no more desks on the floor plan): the
                # current plan is as far as staffing can go.
                self._record(step, "climb", evs, cur)
                break
            else:
                nxt = min(evs, key=lambda e: sum(e.plan))
            self._record(step, "climb", evs, nxt)
            cur = nxt
        # Staff cost only falls with fewer staff; another objective (total cost with lost
        # clients, a weighted mix) may fall with more, so its search looks both ways.
        both_ways = self.objective.label not in (COST_KPI, "staff hours per day")
        phase = "improve" if both_ways else "descend"
        while cur.status == "met" and step < max_steps:
            step += 1
            around = self._decreases(cur.plan)
            if both_ways:
                around += [p for p in self._increases(cur.plan) if p not in around]
            evs = self.evaluate(around)
            cheaper = [
                e
                for e in evs
                if e.status == "met"
                and e.cost.mean < cur.cost.mean - 1e-9 * max(1.0, abs(cur.cost.mean))
            ]
            nxt = min(cheaper, key=self._key) if cheaper else cur
            self._record(step, phase, evs, nxt)
            if nxt is cur:
                break
            cur = nxt
        return cur

    def final_result(self, ev: Evaluation) -> ExperimentResult:
        """The full summary of an evaluated plan, read back from the store."""
        if ev.unit is None:
            reason = "; ".join(ev.problems) or "every plan tried was invalid"
            raise ScenarioError.single(self.source, "staff", f"no valid staffing plan: {reason}")
        return self.session.result(ev.unit)
