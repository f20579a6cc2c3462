"""Judge results against a scenario's service targets, honestly: a target is met only when the
whole confidence interval says so, missed when the whole interval says so, else uncertain
(also when there is no interval, as with a single replication)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sim.results.segments import segment_scope, target_wait
from sim.results.summary import Estimate, ExperimentResult
from sim.scenario.spec import Scenario, SpecificTarget, Targets
from sim.units import MINUTE, format_clock

Verdict = Literal["met", "missed", "uncertain"]


@dataclass(frozen=True)
class TargetCheck:
    """One target, the KPI that measures it, and the verdict."""

    name: str
    kpi: str
    direction: Literal["at_least", "at_most"]
    target: float
    estimate: Estimate
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "name": self.name,
            "kpi": self.kpi,
            "direction": self.direction,
            "target": self.target,
            "estimate": self.estimate.to_dict(),
            "verdict": self.verdict,
        }


def judge(value: Estimate, target: float, direction: Literal["at_least", "at_most"]) -> Verdict:
    """Compare an estimate with a target using its confidence interval."""
    low, high = value.ci_low, value.ci_high
    if math.isnan(low) or math.isnan(high):
        return "uncertain"
    if direction == "at_least":
        worst, best = low, high
        met, missed = worst >= target, best < target
    else:
        worst, best = high, low
        met, missed = worst <= target, best > target
    if met:
        return "met"
    return "missed" if missed else "uncertain"


Check = tuple[str, str, Literal["at_least", "at_most"], float]


def _clock_range(start: float, end: float) -> str:
    return f"between {format_clock(start)} and {format_clock(end)}"


def specific_checks(scenario: Scenario) -> list[Check]:
    """Name, KPI, direction and value of every specific target (per class, hour, task)."""
    out: list[Check] = []
    for t in scenario.targets.specific:
        if t.is_task:
            who = t.name or f"{str(t.task).replace('_', ' ')} tasks"
            if t.on_time is not None:
                out.append(
                    (
                        f"{who}: {t.on_time:.0%} done in time",
                        f"task.{t.task}.on_time_share",
                        "at_least",
                        t.on_time,
                    )
                )
            continue
        scope = segment_scope(t, scenario)
        who = t.name or _who(t)
        when = f" {_clock_range(*t.between)}" if t.between is not None else ""
        wait_min = target_wait(t, scenario) / MINUTE
        if t.service_level is not None:
            out.append(
                (
                    f"{who}: {t.service_level:.0%} served within {wait_min:g} min{when}",
                    f"{scope}.service_level",
                    "at_least",
                    t.service_level,
                )
            )
        if t.max_abandonment is not None:
            out.append(
                (
                    f"{who}: at most {t.max_abandonment:.0%} lost{when}",
                    f"{scope}.lost_share",
                    "at_most",
                    t.max_abandonment,
                )
            )
    return out


def check_targets(
    targets: Targets, result: ExperimentResult, scenario: Scenario | None = None
) -> list[TargetCheck]:
    """The verdict on every target of the scenario (the specific ones need ``scenario``)."""
    wait_min = targets.wait / MINUTE
    checks: list[Check] = []
    clients = scenario is None or bool(scenario.client_classes)
    """A back office on its own has no clients, so no client target to judge."""
    if clients:
        checks.append(
            (
                f"{targets.service_level:.0%} served within {wait_min:g} min",
                "all.service_level",
                "at_least",
                targets.service_level,
            )
        )
    if clients and targets.max_abandonment is not None:
        checks.append(
            (
                f"at most {targets.max_abandonment:.0%} of clients lost",
                "all.lost_share",
                "at_most",
                targets.max_abandonment,
            )
        )
    if targets.max_backlog is not None:
        checks.append(
            (
                f"at most {targets.max_backlog:g} open back-office tasks at the end of a day",
                "tasks.backlog_end_of_day",
                "at_most",
                targets.max_backlog,
            )
        )
    if targets.task_on_time is not None:
        checks.append(
            (
                f"{targets.task_on_time:.0%} of back-office tasks done in time",
                "tasks.on_time_share",
                "at_least",
                targets.task_on_time,
            )
        )
    if scenario is not None:
        checks += specific_checks(scenario)
    out = []
    for name, kpi, direction, target in checks:
        if kpi not in result.summary:
            continue
        est = result.kpi(kpi)
        out.append(TargetCheck(name, kpi, direction, target, est, judge(est, target, direction)))
    return out


def shortfall(checks: Sequence[TargetCheck]) -> float:
    """How far the means are from the targets, each relative to its target (0 when all met)."""
    total = 0.0
    for c in checks:
        mean = c.estimate.mean
        if math.isnan(mean):
            return math.inf
        gap = c.target - mean if c.direction == "at_least" else mean - c.target
        total += max(0.0, gap) / max(abs(c.target), 0.01)
    return total


def _who(t: SpecificTarget) -> str:
    """Whom a client target covers, in words."""
    if t.channel is not None:
        return f"{t.channel.replace('_', '-')} contacts"
    return ", ".join(c.replace("_", " ") for c in t.clients) if t.clients else "all clients"
