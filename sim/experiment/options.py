"""How an experiment executes: one options object shared by the API and the command line.

Every experiment (run, compare, sweep, optimize) takes the same execution settings: where the
replications run (this process, local worker processes, a Dask cluster), where finished
replications are kept (a results store) and who hears of progress. They travel together as one
``Execution`` value instead of the same keywords threaded through every function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.experiment.replicate import Tally
    from sim.experiment.store import ResultStore

TallyCallback = Callable[["Tally"], None]


@dataclass(frozen=True)
class Execution:
    """Where and how an experiment's replications run.

    Attributes:
        jobs: local worker processes (1 = this process; None = all cores); with more than one,
            work too small to gain from workers stays in this process.
        dask: a Dask scheduler address, or ``"local"`` to start a LocalCluster.
        store: an output folder whose ``store.sqlite`` keeps every finished replication, an
            open ``ResultStore``, or None for a store in memory.
        resume: run only the replications the folder's store lacks.
        command: the command line, recorded in the store.
        progress: called with a :class:`sim.experiment.replicate.Tally` after each replication.
        meanwhile: called once, in this process, while worker processes (local or Dask) run
            replications: work the caller needs afterwards (e.g. importing the writers of its
            results), done while this process would otherwise only wait for them. Not called
            when every replication runs in this process.
    """

    jobs: int | None = 1
    dask: str | None = None
    store: str | Path | ResultStore | None = None
    resume: bool = False
    command: Sequence[str] = ()
    progress: TallyCallback | None = None
    meanwhile: Callable[[], None] | None = None

    @classmethod
    def of(cls, options: Execution | None, settings: Mapping[str, Any]) -> Execution:
        """``options`` (or the defaults) with keyword ``settings`` such as ``jobs=2`` applied.

        Raises ``TypeError`` for a keyword that is not an execution setting, as a function
        with an unknown keyword argument would.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise TypeError(
                f"unexpected keyword argument(s) {', '.join(unknown)}; "
                f"execution settings are {', '.join(sorted(known))}"
            )
        return replace(options or cls(), **settings)
