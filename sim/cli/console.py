"""Terminal output: a progress display for long work and the short KPI table after a run.

Progress shows on an interactive terminal only (rich); piped output stays clean.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.results.kpis import unit_of
from sim.results.summary import Estimate, ExperimentResult
from sim.results.targets import check_targets
from sim.scenario.spec import Scenario

HEADLINE = [
    ("all.arrivals_per_day", "Clients arriving per day", "{:.1f}"),
    ("all.served_per_day", "Clients served per day", "{:.1f}"),
    ("all.lost_share", "Lost (balked + reneged)", "{:.1%}"),
    ("all.wait_mean_min", "Mean wait (min)", "{:.2f}"),
    ("all.wait_p90_min", "90th percentile wait (min)", "{:.2f}"),
    ("all.service_level", "Served within target wait", "{:.1%}"),
    ("all.time_in_system_mean_min", "Mean time in office (min)", "{:.2f}"),
    ("waiting_area.occupancy_mean", "Mean clients waiting", "{:.2f}"),
    ("all.staff_cost_per_day", "Staff cost per day", "{:,.0f}"),
]


BACK_OFFICE_HEADLINE = [
    ("tasks.created_per_day", "Tasks created per day", "{:.1f}"),
    ("tasks.completed_per_day", "Tasks completed per day", "{:.1f}"),
    ("tasks.cycle_time_mean_h", "Mean cycle time (h)", "{:.2f}"),
    ("tasks.on_time_share", "Done within due time", "{:.1%}"),
    ("tasks.backlog_end_of_day", "Open tasks at day end", "{:.1f}"),
    ("all.staff_cost_per_day", "Staff cost per day", "{:,.0f}"),
]
"""The headline of a back office on its own (no clients)."""


def print_warnings(scenario: Scenario, source: object) -> None:
    """Print the scenario's warnings (``sim.scenario.advisories``) to stderr, once each."""
    from sim.scenario.advisories import warning_lines

    for line in warning_lines(scenario, str(source)):
        print(line, file=sys.stderr)


def _fmt(est: Estimate, pattern: str) -> str:
    if math.isnan(est.mean):
        return "n/a"
    text = pattern.format(est.mean)
    if not math.isnan(est.ci_low):
        text += f"  [{pattern.format(est.ci_low)}, {pattern.format(est.ci_high)}]"
    return text


def summary_lines(scenario: Scenario, result: ExperimentResult) -> list[str]:
    """The short KPI table printed after a run: headline KPIs, roles, and target verdicts."""
    n = len(result.replications)
    lines = [
        f"{scenario.name}: {n} replication(s) x {scenario.days - scenario.warmup_days} "
        f"measured day(s), seed {scenario.seed}; mean [95% CI]"
    ]
    headline = HEADLINE if scenario.client_classes else BACK_OFFICE_HEADLINE
    rows = [(label, _fmt(result.kpi(k), p)) for k, label, p in headline if k in result.summary]
    crews = [(f"role.{r}", r) for r in scenario.staff]
    if not scenario.client_classes and scenario.back_office is not None:
        crews += [(f"team.{t}", t) for t in scenario.back_office.teams]
    for scope, name in crews:
        key = f"{scope}.utilization"
        if key in result.summary:
            rows.append((f"Utilisation of {name}", _fmt(result.kpi(key), "{:.1%}")))
    width = max((len(label) for label, _ in rows), default=0)
    lines += [f"  {label:<{width}}  {value}" for label, value in rows]
    lines.append("Targets:")
    for t in check_targets(scenario.targets, result, scenario):
        lines.append(
            f"  {t.name}: {t.verdict}  ({_fmt(t.estimate, '{:.1%}' if unit_of(t.kpi) == 'share' else '{:.2f}')})"
        )
    return lines


def print_summary(scenario: Scenario, result: ExperimentResult) -> None:
    """Print ``summary_lines`` to stdout."""
    print("\n".join(summary_lines(scenario, result)))


def print_written(folder: Path, paths: Sequence[Path], *, stderr: bool = False) -> None:
    """Say where the output went: the main files by name, the rest as a count (to stderr when
    stdout carries JSON)."""
    main = [p.name for p in paths if p.parent == folder]
    rest = len(paths) - len(main)
    more = f" and {rest} chart and table files" if rest else ""
    print(f"wrote {', '.join(main)}{more} to {folder}", file=sys.stderr if stderr else sys.stdout)
