"""Where replications run: in this process, in local worker processes, or on a Dask cluster.

Every executor takes tasks ``(key, scenario, replication)`` and yields ``(key, result)`` as
replications finish, in any order. A replication's result depends only on the scenario and its
number, never on the executor, the worker or the order, so all executors give identical results.

Workers receive *chunks*: several replications of one scenario in one message, so that the cost
of a message (pickling the scenario, a round trip, a scheduler decision on Dask) is paid once per
chunk rather than once per replication, and each result travels with its KPI names shared
across the chunk. A worker builds each floor plan once (``plan_for`` caches per process). On
Linux local workers are forked from this process, so they start in milliseconds with every
module imported and every plan already built; elsewhere they come from a forkserver that has
imported the engine. At most a few chunks per worker are in flight at once, so memory stays
bounded however many replications an experiment has.

Workers die with the command that started them: each one watches its real parent (the command's
process, not the forkserver), and on Linux also asks the kernel for SIGKILL when its parent dies,
so a ``kill -9`` of the command leaves no worker holding its terminal or pipes.
"""

from __future__ import annotations

import importlib
import logging
import math
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sim.errors import OfficesimError, ResourceError
from sim.experiment.replication import run_replication
from sim.results.summary import ReplicationResult
from sim.scenario.spec import Scenario
from sim.workers import init_worker, quiet_fork, start_method

Task = tuple[int, Scenario, int]
"""(caller's key, scenario, replication number)."""
Done = tuple[int, ReplicationResult]
"""(caller's key, result)."""
Chunk = tuple[int, Scenario, tuple[int, ...]]
"""(caller's key, scenario, replication numbers): one message to a worker."""

IN_FLIGHT_PER_WORKER = 2
"""Chunks per worker in flight: one running, one queued so the worker never waits."""

TAIL_SHARE = 2
"""Guided chunks: none holds more than 1/(TAIL_SHARE x workers) of the tasks still to hand out."""


class ExecutorError(OfficesimError):
    """An executor cannot be set up (missing optional dependency, unreachable scheduler)."""


class SchedulerUnreachable(ExecutorError, ResourceError):
    """The Dask scheduler did not answer: the machine or network, not the input (exit 3)."""


def available_cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_task(key: int, scenario: Scenario, replication: int) -> Done:
    """Run one replication (a module-level function, importable everywhere)."""
    return key, run_replication(scenario, replication)


def run_chunk(key: int, scenario: Scenario, replications: tuple[int, ...]) -> list[Done]:
    """Run several replications of one scenario on a worker; results share their key names.

    KPI, check and profile names are interned, so the pickle of a chunk holds each name once
    instead of once per replication.
    """
    return [(key, _compact(run_replication(scenario, i))) for i in replications]


def _compact(result: ReplicationResult) -> ReplicationResult:
    """The same result with interned dictionary keys (equal content, smaller pickles)."""
    intern = sys.intern
    return ReplicationResult(
        replication=result.replication,
        kpis={intern(k): v for k, v in result.kpis.items()},
        hourly={intern(k): v for k, v in result.hourly.items()},
        checks={intern(k): v for k, v in result.checks.items()},
        wall_time=result.wall_time,
        traffic={intern(k): v for k, v in result.traffic.items()},
    )


def chunked(tasks: Sequence[Task], size: int, workers: int | None = None) -> Iterator[Chunk]:
    """Group consecutive tasks of the same key and scenario into chunks of at most ``size``.

    With ``workers`` given, chunks shrink towards the end (guided scheduling): none holds more
    than ``1 / (TAIL_SHARE * workers)`` of the tasks still to hand out, so the last chunks are
    single replications and the workers finish together rather than one waiting on another's
    last long chunk.
    """
    size = max(1, size)
    start = 0
    while start < len(tasks):
        key, scenario, _ = tasks[start]
        limit = size
        if workers is not None:
            left = len(tasks) - start
            limit = min(size, max(1, math.ceil(left / (TAIL_SHARE * max(1, workers)))))
        end = start + 1
        while (
            end < len(tasks)
            and end - start < limit
            and tasks[end][0] == key
            and tasks[end][1] is scenario
        ):
            end += 1
        yield key, scenario, tuple(t[2] for t in tasks[start:end])
        start = end


class Executor:
    """Runs replication tasks and yields their results as they finish (serial base case)."""

    name = "serial"
    runs_here = True
    """Whether replications run in this process (else in workers, while this one waits)."""
    start_seconds = 0.0
    """Rough cost of starting this executor's workers, weighed against the work to share."""
    chunk_seconds = 0.5
    """Work (estimated) to send a worker in one message: long enough that the message's cost
    is negligible, short enough that workers finish together."""

    def __init__(self) -> None:
        self.workers = 1

    def map_unordered(self, tasks: Sequence[Task], chunk: int = 1) -> Iterator[Done]:
        """Run ``tasks`` (up to ``chunk`` replications per message to a worker); yield each
        ``(key, result)`` when it finishes."""
        for key, scenario, replication in tasks:
            yield run_task(key, scenario, replication)

    def describe(self) -> str:
        """A short human description, e.g. ``processes (4 workers)``."""
        return f"{self.name} ({self.workers} worker{'s' if self.workers != 1 else ''})"

    def close(self) -> None:
        """Release workers and connections."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()


SerialExecutor = Executor


def _bounded(
    tasks: Iterable[Any],
    submit: Callable[[Any], Future[Any]],
    limit: int,
) -> Iterator[Any]:
    """Submit tasks keeping at most ``limit`` in flight; yield results as they finish."""
    pending: set[Future[Any]] = set()
    it = iter(tasks)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < limit:
                task = next(it, None)
                if task is None:
                    exhausted = True
                else:
                    pending.add(submit(task))
            if not pending:
                return
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                yield fut.result()
    finally:
        for fut in pending:
            fut.cancel()


# Scripts. Workers started by 'forkserver' or 'spawn' (Windows, macOS: see
# sim.workers.start_method) import the caller's main module again; a script that calls
# sim.run(..., jobs=2) at module level (no `if __name__ == "__main__":` guard) would then start
# pools inside its own workers, which multiprocessing refuses. A worker that finds itself
# importing the main module exits at once, and the caller gets one sentence saying so instead
# of a BrokenProcessPool traceback. Forked workers (Linux) never import it, so there the README's
# snippet runs as pasted.
GUARD_NEEDED = (
    "worker processes could not start: on this system a script that uses jobs > 1 must call "
    'officesim under `if __name__ == "__main__":` (or use jobs=1)'
)


def _script_main() -> bool:
    """True when __main__ is a script file other than officesim's own command."""
    main = sys.modules.get("__main__")
    if getattr(main, "__file__", None) is None:
        return False  # interactive, notebook
    spec_name = getattr(getattr(main, "__spec__", None), "name", None)
    entry = getattr(getattr(main, "main", None), "__module__", None)
    return spec_name != "sim.__main__" and entry != "sim.cli.main"


def _refuse_in_bootstrapping_worker() -> None:
    """Exit quietly when called from a worker that is importing an unguarded main module."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise SystemExit(1)


def _broken_pool_message() -> str:
    if _script_main() and start_method() != "fork":
        return GUARD_NEEDED
    return "a worker process ended abruptly (out of memory, or killed); rerun with --jobs 1"


class ProcessExecutor(Executor):
    """Local worker processes (``concurrent.futures.ProcessPoolExecutor``)."""

    name = "processes"
    runs_here = False

    def __init__(self, jobs: int | None = None):
        super().__init__()
        self.workers = jobs or available_cores()
        _refuse_in_bootstrapping_worker()
        self.method = start_method()
        self.start_seconds = 0.05 * self.workers if self.method == "fork" else 1.5
        context = multiprocessing.get_context(self.method)
        if self.method == "forkserver":
            context.set_forkserver_preload(["sim.experiment.executors"])
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(os.getpid(),),
        )

    def map_unordered(self, tasks: Sequence[Task], chunk: int = 1) -> Iterator[Done]:
        """Run ``tasks`` on the pool in chunks, a few chunks per worker in flight at a time."""

        def submit(c: Chunk) -> Future[list[Done]]:
            with quiet_fork():
                return self._pool.submit(run_chunk, *c)

        try:
            for done in _bounded(
                chunked(tasks, chunk, self.workers), submit, self.workers * IN_FLIGHT_PER_WORKER
            ):
                yield from done
        except BrokenProcessPool:
            raise ExecutorError(_broken_pool_message()) from None

    def close(self) -> None:
        """Shut the pool down, cancelling tasks not yet started."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """A Dask distributed cluster: a scheduler address, or ``"local"`` for a LocalCluster.

    Workers of a remote cluster need officesim installed, and any layout file a scenario uses
    at the same path.
    """

    name = "dask"
    runs_here = False
    chunk_seconds = 2.0
    """A task on Dask costs milliseconds of scheduling on both sides: chunks of seconds."""

    def __init__(self, address: str, jobs: int | None = None, timeout: str = "15s"):
        super().__init__()
        try:
            distributed = importlib.import_module("dask.distributed")
        except ImportError:
            raise ExecutorError(
                "running on Dask needs the optional 'dask' extra: "
                "pip install 'officesim[dask]' (or: pip install 'dask[distributed]')"
            ) from None
        self._cluster: Any = None
        self.address = address
        try:
            if address == "local":
                self._cluster = local_cluster(distributed, jobs or available_cores())
                self._client = distributed.Client(self._cluster)
            else:
                self._client = distributed.Client(address, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            self._shutdown()
            raise SchedulerUnreachable(
                f"could not reach the Dask scheduler at {address!r}: {exc}; check the address "
                "and that the scheduler runs (the output folder was left as it was)"
            ) from None
        except ValueError as exc:
            self._shutdown()
            raise ExecutorError(
                f"--dask {address!r} is not a scheduler address ({exc}); expected "
                "tcp://host:port or 'local'"
            ) from None
        info = self._client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info["workers"].values()))
        self._scattered: tuple[Scenario, Any] | None = None

    def describe(self) -> str:
        """The scheduler and worker threads."""
        where = "LocalCluster" if self._cluster is not None else self.address
        return f"dask {where} ({self.workers} worker threads)"

    def map_unordered(self, tasks: Sequence[Task], chunk: int = 1) -> Iterator[Done]:
        """Submit chunks of tasks to the cluster, a few per worker thread in flight at a time.

        Each scenario is scattered to every worker once; chunks carry only its reference.
        """
        as_completed = importlib.import_module("dask.distributed").as_completed

        def submit(c: Chunk) -> Any:
            key, scenario, replications = c
            if self._scattered is None or self._scattered[0] is not scenario:
                self._scattered = (scenario, self._client.scatter(scenario, broadcast=True))
            return self._client.submit(run_chunk, key, self._scattered[1], replications, pure=False)

        limit = self.workers * IN_FLIGHT_PER_WORKER
        it = chunked(tasks, chunk, self.workers)
        queue = as_completed()
        in_flight = 0
        for c in it:
            queue.add(submit(c))
            in_flight += 1
            if in_flight >= limit:
                break
        for fut in queue:
            done: list[Done] = fut.result()
            fut.release()
            in_flight -= 1
            c_next = next(it, None)
            if c_next is not None:
                queue.add(submit(c_next))
                in_flight += 1
            yield from done

    def _shutdown(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this executor started it."""
        self._shutdown()


LOCAL_CLUSTER_CONFIG: dict[str, object] = {
    "distributed.scheduler.work-stealing": False,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
}
"""Dask settings of a LocalCluster started here. Only a few chunks per worker are queued at a
time, so work stealing has nothing to balance; the statistical profiler, the event-loop
watchdog's 20 ms tick and the system monitor feed a dashboard this cluster does not have. Left
at Dask's defaults they keep the command and its workers busy even when idle (about 0.2 of a
core on two workers); the memory monitor, which stops a worker running out of memory, stays."""


def local_cluster(distributed: Any, workers: int) -> Any:
    """A Dask ``LocalCluster`` of ``workers`` single-threaded worker processes on this machine.

    Its workers start the way local workers do (:func:`sim.workers.start_method`): forked on
    Linux, so that they begin with officesim imported and the floor plans built instead of
    importing everything afresh (seconds per worker); each refreshes its output streams on
    start (``sim.experiment.dask_worker``).
    """
    dask = importlib.import_module("dask")
    settings = {**LOCAL_CLUSTER_CONFIG, "distributed.worker.multiprocessing-method": start_method()}
    with dask.config.set(settings), quiet_fork():
        return distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
            preload=["sim.experiment.dask_worker"],
        )


def open_executor(jobs: int | None = 1, dask: str | None = None) -> Executor:
    """The executor for ``jobs`` local processes (None = all cores, 1 = this process) or Dask.

    Args:
        jobs: worker processes; 1 runs in this process; None uses every core.
        dask: a scheduler address (``tcp://host:8786``) or ``"local"`` to start a LocalCluster
            on this machine with ``jobs`` workers; overrides local processes.
    """
    if jobs is not None and jobs < 1:
        raise ExecutorError(f"--jobs must be at least 1, got {jobs}")
    if dask:
        return DaskExecutor(dask, jobs)
    if jobs == 1 or (jobs is None and available_cores() == 1):
        return SerialExecutor()
    return ProcessExecutor(jobs)
