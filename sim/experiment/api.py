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
from typing import TYPE_CHECKING, Any

from sim.experiment.options import Execution
from sim.experiment.replicate import Session, Tally, Unit, prepare
from sim.lazy import lazy_exports
from sim.results.summary import ExperimentResult
from sim.scenario.spec import Scenario

if TYPE_CHECKING:
    from sim.experiment.comparison import CompareResult, compare
    from sim.experiment.optimizer import OptimizeResult, OptimizeSearch, optimize
    from sim.experiment.sweeps import SweepResult, sweep

_LATER = {
    "CompareResult": "sim.experiment.comparison",
    "compare": "sim.experiment.comparison",
    "OptimizeResult": "sim.experiment.optimizer",
    "OptimizeSearch": "sim.experiment.optimizer",
    "optimize": "sim.experiment.optimizer",
    "SweepResult": "sim.experiment.sweeps",
    "sweep": "sim.experiment.sweeps",
}
"""Names imported on first use: ``run`` does not wait for the optimiser (scipy) to load."""

__all__ = [
    "CompareResult",
    "Execution",
    "ExperimentResult",
    "OptimizeResult",
    "OptimizeSearch",
    "SweepResult",
    "Tally",
    "compare",
    "optimize",
    "prepare",
    "run",
    "sweep",
]


__getattr__ = lazy_exports(__name__, _LATER, globals())
"""``compare``, ``sweep``, ``optimize`` and their result types, imported on first use."""


ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each replication."""


def run(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    execution: Execution | None = None,
    **settings: Any,
) -> ExperimentResult:
    """Run every replication of a scenario and summarise them with 95% confidence intervals.

    Args:
        scenario: a validated scenario or a scenario file.
        replications, seed, overrides: as for :func:`prepare`.
        execution: where replications run and are kept (:class:`Execution`).
        settings: execution settings as keywords, e.g. ``jobs=2`` or ``store="out/"``, applied
            over ``execution``; ``progress`` here is called as ``progress(done, total)``.
    """
    progress: ProgressCallback | None = settings.pop("progress", None)
    if progress is not None:
        settings["progress"] = lambda t: progress(t.replications_done, t.replications_total)
    options = Execution.of(execution, settings)
    sc = prepare(scenario, replications=replications, seed=seed, overrides=overrides)
    unit = Unit.of(sc.name, sc)
    with Session(options) as session:
        session.execute([unit])
        return session.result(unit)
