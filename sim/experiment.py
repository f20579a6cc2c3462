"""Replications of a scenario: seeds, execution and progress, returning an ExperimentResult.

Replication *i* of a scenario always uses the streams spawned from (seed, i), so the result of a
replication does not depend on which worker runs it or in which order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sim.loading import load_scenario, scenario_from_dict
from sim.model.office import run_replication
from sim.results import ExperimentResult, ReplicationResult
from sim.scenario import Scenario

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each replication."""


def prepare(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
) -> Scenario:
    """A validated scenario with command-line style overrides applied (re-validated)."""
    extra = list(overrides)
    if replications is not None:
        extra.append(f"replications={replications}")
    if seed is not None:
        extra.append(f"seed={seed}")
    if isinstance(scenario, Scenario):
        if not extra:
            return scenario
        return scenario_from_dict(scenario.echo(), f"<{scenario.name}>", None, extra)
    return load_scenario(scenario, extra)


def run(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    progress: ProgressCallback | None = None,
) -> ExperimentResult:
    """Run every replication of a scenario and summarise them with 95% confidence intervals."""
    sc = prepare(scenario, replications=replications, seed=seed, overrides=overrides)
    results: list[ReplicationResult] = []
    for i in range(sc.replications):
        results.append(run_replication(sc, i))
        if progress is not None:
            progress(i + 1, sc.replications)
    return ExperimentResult.from_replications(sc.name, sc.seed, results)
