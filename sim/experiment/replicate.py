"""The engine room of every experiment: replicate scenarios on an executor into a result store.

``run``, ``compare``, ``sweep`` and ``optimize`` each describe their work as *units* (a label, a
validated scenario and a number of replications) and hand them to :func:`execute`, which runs
only the replications the store does not hold yet and commits each the moment it finishes.
Summaries are read back from the store one unit at a time, so memory does not grow with the
number of units or replications in flight.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sim.experiment.executors import (
    Done,
    Executor,
    Task,
    available_cores,
    open_executor,
    run_task,
    start_method,
)
from sim.experiment.inputs import load_scenario, scenario_from_dict, with_run_settings
from sim.experiment.options import Execution, TallyCallback
from sim.experiment.store import ResultStore, fingerprint
from sim.results.summary import ExperimentResult
from sim.results.summary import warm_up as warm_up_summaries
from sim.scenario.spec import Scenario


def prepare(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
) -> Scenario:
    """A validated scenario with overrides, replication count and seed applied.

    ``overrides`` are command-line style (``key.path=value``) and re-validate the scenario;
    ``replications`` and ``seed`` are plain values, checked against their schema limits and set
    without re-reading anything.
    """
    if not isinstance(scenario, Scenario):
        prepared = load_scenario(scenario, overrides)
    elif overrides:
        prepared = scenario_from_dict(scenario.echo(), f"<{scenario.name}>", None, overrides)
    else:
        prepared = scenario
    source = None if isinstance(scenario, Scenario) else str(scenario)
    return with_run_settings(prepared, replications=replications, seed=seed, source=source)


@dataclass(frozen=True)
class Unit:
    """One scenario to replicate ``replications`` times, under a label for tables."""

    label: str
    scenario: Scenario
    replications: int
    fingerprint: str = field(default="")

    @classmethod
    def of(cls, label: str, scenario: Scenario, replications: int | None = None) -> Unit:
        """A unit with its fingerprint computed (replications default to the scenario's)."""
        n = scenario.replications if replications is None else replications
        return cls(label, scenario, n, fingerprint(scenario))


@dataclass(frozen=True)
class Tally:
    """Progress of an experiment: replications and units (options, variants, plans) done."""

    replications_done: int
    replications_total: int
    units_done: int
    units_total: int


AUTO_PARALLEL_SECONDS = 0.5
"""Start local workers only when sharing the remaining work is estimated to save more than this
beyond the cost of starting them; smaller work stays in this process."""

CHUNK_SECONDS = 0.5
"""Work (estimated) sent to a local worker in one message (Dask: ``chunk_seconds`` of its
executor); long enough that the message's cost is negligible, short enough that workers finish
together."""

CHUNKS_PER_WORKER = 4
"""At least this many chunks per worker when there is enough work, so that none idles at the end."""

START_SECONDS = {"fork": 0.05, "forkserver": 1.5, "spawn": 2.0}
"""Rough cost per worker of starting local workers by each start method (imports, plans)."""


def chunk_size(
    per_task: float | None, tasks: int, workers: int, seconds: float = CHUNK_SECONDS
) -> int:
    """Replications per message: about ``seconds`` of work, but at least
    ``CHUNKS_PER_WORKER`` chunks per worker (``per_task`` None = not yet known)."""
    spread = max(1, math.ceil(tasks / (workers * CHUNKS_PER_WORKER)))
    if per_task is None:
        return spread  # chunks shrink towards the end anyway (executors.chunked)
    return max(1, min(spread, int(seconds / max(per_task, 1e-6))))


def worth_sharing(
    per_task: float, tasks: int, workers: int, method: str, margin: float = AUTO_PARALLEL_SECONDS
) -> bool:
    """Whether ``tasks`` replications of about ``per_task`` seconds finish sooner on
    ``workers`` local workers (started by ``method``) than in this process, by more than
    ``margin`` seconds."""
    if workers <= 1:
        return False
    work = per_task * tasks
    saved = work * (1 - 1 / workers) - START_SECONDS.get(method, 2.0) * workers
    return saved > margin


class Session:
    """An executor (started on first need) and a result store for one experiment.

    ``execution`` says where replications run and where they are kept; see
    :class:`sim.experiment.options.Execution`.
    """

    def __init__(self, execution: Execution | None = None, *, iterative: bool = False):
        execution = execution or Execution()
        self.jobs = execution.jobs
        self.iterative = iterative
        """True for a search that runs batch after batch (``optimize``): workers, once started,
        serve every later batch, so a first batch starts them as soon as sharing it saves more
        than their start (no further margin)."""
        self.dask = execution.dask
        self.progress = execution.progress
        self.meanwhile = execution.meanwhile
        store = execution.store
        # A Dask scheduler is reached before the store is opened: when it cannot be, the store
        # of an earlier run in the output folder is left as it was.
        self._executor: Executor | None = open_executor(self.jobs, self.dask) if self.dask else None
        self._own_store = not isinstance(store, ResultStore)
        try:
            if isinstance(store, ResultStore):
                self.store = store
            elif store is None:
                self.store = ResultStore(None, command=execution.command)
            else:
                self.store = ResultStore.in_folder(
                    Path(store), resume=execution.resume, command=execution.command
                )
        except BaseException:
            if self._executor is not None:
                self._executor.close()
            raise
        self._per_task: float | None = None

    @property
    def executor(self) -> Executor:
        """The executor, started now if it was not yet."""
        if self._executor is None:
            self._executor = open_executor(self.jobs, self.dask)
        return self._executor

    def run(self, tasks: Sequence[Task]) -> Iterator[Done]:
        """Run tasks, yielding results as they finish.

        Before local workers are started (``jobs`` other than 1, no Dask), tasks run in this
        process; workers start only once the remaining work is estimated to finish sooner on
        them (:func:`worth_sharing`), so that small runs do not pay for starting them. Tasks go
        to workers in chunks sized from the measured time per replication.
        """
        todo = list(tasks)
        start = 0
        if self._executor is None and self.dask is None and self.jobs != 1:
            workers = self.jobs or available_cores()
            method = start_method()
            margin = 0.0 if self.iterative else AUTO_PARALLEL_SECONDS
            while start < len(todo):
                began = time.perf_counter()
                done = run_task(*todo[start])
                self._per_task = time.perf_counter() - began
                start += 1
                yield done
                # The first replication also pays for first calls, so it overestimates the time
                # per replication a little: that errs towards sharing, which costs little.
                if worth_sharing(self._per_task, len(todo) - start, workers, method, margin):
                    break
        rest = todo[start:]
        if not rest:
            return
        executor = self.executor
        chunk = chunk_size(self._per_task, len(rest), executor.workers, executor.chunk_seconds)
        waiting = not executor.runs_here
        for done in executor.map_unordered(rest, chunk):
            self._per_task = done[1].wall_time or self._per_task
            yield done
            if waiting:
                waiting = False
                self._while_workers_run()

    def _while_workers_run(self) -> None:
        """What this process will need after the replications, done while workers run them:
        the summary's imports, then the caller's ``meanwhile``.

        Called once the first result is in, when every worker has work queued, so that the
        time taken here delays no replication.
        """
        warm_up_summaries()
        if self.meanwhile is not None:
            self.meanwhile()

    def execute(self, units: Sequence[Unit]) -> int:
        """Run the replications of ``units`` the store lacks; return how many ran."""
        return execute(units, self, self.progress)

    def result(self, unit: Unit) -> ExperimentResult:
        """A unit's replications, read back from the store and summarised."""
        reps = self.store.load(unit.fingerprint, range(unit.replications))
        return ExperimentResult.from_replications(unit.scenario.name, unit.scenario.seed, reps)

    def close(self) -> None:
        """Stop the executor; close the store if this session opened it."""
        try:
            if self._executor is not None:
                self._executor.close()
        finally:
            if self._own_store:
                self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()


def execute(units: Sequence[Unit], session: Session, progress: TallyCallback | None = None) -> int:
    """Run every replication of ``units`` missing from the session's store.

    Units with the same fingerprint share their replications. Each finished replication is
    committed to the store before the next result is taken; ``progress`` hears of each.
    """
    store = session.store
    need: dict[str, tuple[Scenario, int]] = {}
    for u in units:
        store.register(u.fingerprint, u.scenario)
        n = max(u.replications, need.get(u.fingerprint, (u.scenario, 0))[1])
        need[u.fingerprint] = (u.scenario, n)
    order = list(need)
    sharing: dict[str, list[Unit]] = {fp: [] for fp in order}
    for u in units:
        sharing[u.fingerprint].append(u)
    missing = {fp: sorted(set(range(need[fp][1])) - store.done(fp)) for fp in order}
    left = {fp: len(missing[fp]) for fp in order}
    total = sum(u.replications for u in units)
    done_units = sum(1 for u in units if left[u.fingerprint] == 0)
    done_reps = total - sum(
        len([i for i in missing[u.fingerprint] if i < u.replications]) for u in units
    )
    if progress is not None:
        progress(Tally(done_reps, total, done_units, len(units)))
    todo = [(k, need[fp][0], i) for k, fp in enumerate(order) for i in missing[fp]]
    if not todo:
        return 0
    ran = 0
    for key, result in session.run(todo):
        fp = order[key]
        store.add(fp, result)
        ran += 1
        left[fp] -= 1
        done_reps += sum(1 for u in sharing[fp] if result.replication < u.replications)
        if left[fp] == 0:
            done_units += len(sharing[fp])
        if progress is not None:
            progress(Tally(done_reps, total, done_units, len(units)))
    return ran


def distinct_work(units: Sequence[Unit]) -> tuple[int, int]:
    """Distinct scenarios among ``units`` and the replications they need: identical scenarios
    run once, as many replications as the unit asking most of them."""
    need: dict[str, int] = {}
    for u in units:
        need[u.fingerprint] = max(need.get(u.fingerprint, 0), u.replications)
    return len(need), sum(need.values())


T = TypeVar("T")


def run_units(
    units: Sequence[Unit],
    analyse: Callable[[Session], T],
    execution: Execution | None = None,
    settings: dict[str, Any] | None = None,
) -> T:
    """Run ``units`` in one session (``execution`` with keyword ``settings`` applied) and
    return what ``analyse`` makes of the session's store before it closes."""
    with Session(Execution.of(execution, settings or {})) as session:
        session.execute(units)
        return analyse(session)
