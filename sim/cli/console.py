"""Terminal output: a progress display for long work and the short KPI table after a run.

Progress shows on an interactive terminal only (rich); piped output stays clean.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from sim.results.headline import format_estimate, headline_rows, pattern_of
from sim.results.summary import ExperimentResult
from sim.results.targets import check_targets
from sim.scenario.spec import Scenario


def print_warnings(scenario: Scenario, source: object) -> None:
    """Print the scenario's warnings (``sim.scenario.advisories``) to stderr, once each."""
    from sim.scenario.advisories import warning_lines

    for line in warning_lines(scenario, str(source)):
        print(line, file=sys.stderr)


def summary_lines(scenario: Scenario, result: ExperimentResult) -> list[str]:
    """The short KPI table printed after a run: headline KPIs, roles, and target verdicts."""
    n = len(result.replications)
    lines = [
        f"{scenario.name}: {n} replication(s) x {scenario.days - scenario.warmup_days} "
        f"measured day(s), seed {scenario.seed}; mean [95% CI]"
    ]
    rows = headline_rows(result.summary, clients=bool(scenario.client_classes))
    crews = [(f"role.{r}", r) for r in scenario.staff]
    if not scenario.client_classes and scenario.back_office is not None:
        crews += [(f"team.{t}", t) for t in scenario.back_office.teams]
    for scope, name in crews:
        key = f"{scope}.utilization"
        if key in result.summary:
            rows.append((f"Utilisation of {name}", format_estimate(result.kpi(key), "{:.1%}")))
    width = max((len(label) for label, _ in rows), default=0)
    lines += [f"  {label:<{width}}  {value}" for label, value in rows]
    lines.append("Targets:")
    for t in check_targets(scenario.targets, result, scenario):
        estimate = format_estimate(t.estimate, pattern_of(t.kpi))
        lines.append(f"  {t.name}: {t.verdict}  ({estimate})")
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
