"""Where replications run: in this process, in local worker processes, or on a Dask cluster.

Every executor takes tasks ``(key, scenario, replication)`` and yields ``(key, result)`` as
replications finish, in any order. A replication's result depends only on the scenario and its
number, never on the executor, the worker or the order, so all executors give identical results.
At most a few tasks per worker are in flight at once, so memory stays bounded however many
replications an experiment has.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from sim.errors import OfficesimError, ResourceError
from sim.experiment.replication import run_replication
from sim.results.summary import ReplicationResult
from sim.scenario.spec import Scenario

Task = tuple[int, Scenario, int]
"""(caller's key, scenario, replication number)."""
Done = tuple[int, ReplicationResult]
"""(caller's key, result)."""

IN_FLIGHT_PER_WORKER = 4


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
    """Run one replication on a worker (a module-level function, importable everywhere)."""
    return key, run_replication(scenario, replication)


class Executor:
    """Runs replication tasks and yields their results as they finish (serial base case)."""

    name = "serial"

    def __init__(self) -> None:
        self.workers = 1

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[Done]:
        """Run ``tasks``; yield each ``(key, result)`` when it finishes."""
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


def _init_worker() -> None:
    """Leave Ctrl-C to the main process, and exit a worker whose parent is gone (e.g. the main
    process was killed with SIGKILL)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="officesim-parent-watch", daemon=True).start()


def _bounded(
    tasks: Iterable[Task],
    submit: Callable[[Task], Future[Done]],
    limit: int,
) -> Iterator[Done]:
    """Submit tasks keeping at most ``limit`` in flight; yield results as they finish."""
    pending: set[Future[Done]] = set()
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


class ProcessExecutor(Executor):
    """Local worker processes (``concurrent.futures.ProcessPoolExecutor``)."""

    name = "processes"

    def __init__(self, jobs: int | None = None):
        super().__init__()
        self.workers = jobs or available_cores()
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["sim.model.office"])
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, initializer=_init_worker
        )

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[Done]:
        """Run ``tasks`` on the pool, a few per worker in flight at a time."""

        def submit(task: Task) -> Future[Done]:
            return self._pool.submit(run_task, *task)

        yield from _bounded(tasks, submit, self.workers * IN_FLIGHT_PER_WORKER)

    def close(self) -> None:
        """Shut the pool down, cancelling tasks not yet started."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """A Dask distributed cluster: a scheduler address, or ``"local"`` for a LocalCluster.

    Workers of a remote cluster need officesim installed, and any layout file a scenario uses
    at the same path.
    """

    name = "dask"

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
                self._cluster = distributed.LocalCluster(
                    n_workers=jobs or available_cores(),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
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

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[Done]:
        """Submit tasks to the cluster, a few per worker thread in flight at a time."""
        as_completed = importlib.import_module("dask.distributed").as_completed

        def submit(task: Task) -> Any:
            key, scenario, replication = task
            if self._scattered is None or self._scattered[0] is not scenario:
                self._scattered = (scenario, self._client.scatter(scenario, broadcast=True))
            return self._client.submit(run_task, key, self._scattered[1], replication, pure=False)

        limit = self.workers * IN_FLIGHT_PER_WORKER
        it = iter(tasks)
        queue = as_completed()
        in_flight = 0
        for task in it:
            queue.add(submit(task))
            in_flight += 1
            if in_flight >= limit:
                break
        for fut in queue:
            done: Done = fut.result()
            fut.release()
            in_flight -= 1
            task_next = next(it, None)
            if task_next is not None:
                queue.add(submit(task_next))
                in_flight += 1
            yield done

    def _shutdown(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this executor started it."""
        self._shutdown()


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
