"""The experiment API: run a scenario's replications, compare options, sweep variants, optimise.

Replication *i* of a scenario always uses the streams spawned from (seed, i), so the result of a
replication does not depend on which worker runs it or in which order: serial runs, local
processes (``jobs``) and Dask clusters (``dask``) give identical results. With ``store`` set to
an output folder every finished replication is committed to its SQLite store at once, and
``resume=True`` continues an interrupted experiment where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sim.experiment.comparison import CompareResult, compare
from sim.experiment.optimizer import OptimizeResult, optimize
from sim.experiment.replicate import Session, Tally, Unit, prepare
from sim.experiment.store import ResultStore
from sim.experiment.sweeps import SweepResult, sweep
from sim.results.summary import ExperimentResult
from sim.scenario.spec import Scenario

__all__ = [
    "CompareResult",
    "ExperimentResult",
    "OptimizeResult",
    "SweepResult",
    "Tally",
    "compare",
    "optimize",
    "prepare",
    "run",
    "sweep",
]

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each replication."""


def run(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    progress: ProgressCallback | None = None,
    jobs: int | None = 1,
    dask: str | None = None,
    store: str | Path | ResultStore | None = None,
    resume: bool = False,
    command: Sequence[str] = (),
) -> ExperimentResult:
    """Run every replication of a scenario and summarise them with 95% confidence intervals.

    Args:
        scenario: a validated scenario or a scenario file.
        replications, seed, overrides: as for :func:`prepare`.
        progress: called as ``progress(done, total)`` after each replication.
        jobs: local worker processes (1 = this process; None = all cores, small runs staying
            in this process).
        dask: a Dask scheduler address, or ``"local"`` to start a LocalCluster.
        store: output folder whose ``store.sqlite`` keeps every finished replication.
        resume: run only the replications the folder's store lacks.
        command: the command line, recorded in the store.
    """
    sc = prepare(scenario, replications=replications, seed=seed, overrides=overrides)
    unit = Unit.of(sc.name, sc)

    def tally(t: Tally) -> None:
        if progress is not None:
            progress(t.replications_done, t.replications_total)

    with Session(jobs=jobs, dask=dask, store=store, resume=resume, command=command) as session:
        session.execute([unit], tally)
        return session.result(unit)
