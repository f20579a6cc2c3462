"""Work done in a forked copy of this process, while this process does other work.

Two shapes, both for Linux, where a fork starts in milliseconds with everything this process
has loaded (elsewhere, or when forking fails, the work is done here, as before):

- :class:`Beside` does a given job now, beside this process. ``kpis.xlsx`` takes longest of a
  command's output files (openpyxl loads in about 0.2 s and builds the workbook in 0.1 s, pure
  Python), and it depends on nothing the other files need, so a copy writes it while this
  process writes the others; the copy needs no message to start (it has the data already) and
  sends back only the outcome.
- :class:`Standby` gets ready now (imports modules) and does one job later, when asked. A run's
  report needs matplotlib and the report layer (about a second to import) only once the
  results are written; a copy forked when the command starts imports them while this process
  loads and simulates the scenario, then renders the report when handed the results folder.

An error in the copy (a full disk, say) is raised here as if the work had been done here; a
copy that dies without an answer has its work done here.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import signal
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from sim.workers import die_with_parent, fresh_streams, quiet_fork, start_method

T = TypeVar("T")


def _child(conn: Any, parent: int, work: Callable[[], object]) -> None:
    """In the forked copy: do ``work``, send back None or the error, leave at once."""
    try:
        die_with_parent(parent)
        gc.freeze()  # what the copy inherited stays: collections need not walk (and copy) it
        work()
        outcome: BaseException | None = None
    except BaseException as exc:  # everything goes back to the caller
        outcome = exc
    try:
        _send(conn, outcome)
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the parent's buffers


def _send(conn: Any, outcome: object) -> None:
    """Send ``outcome``; an error that does not pickle goes as its text instead."""
    try:
        conn.send(outcome)
    except Exception:
        error = outcome[1] if isinstance(outcome, tuple) else outcome
        text = RuntimeError(f"{type(error).__name__}: {error}")
        conn.send((False, text) if isinstance(outcome, tuple) else text)


def _can_fork() -> bool:
    """Whether a copy may be forked: on Linux, from a single thread (forking a process with
    threads could copy a lock held by another thread)."""
    return start_method() == "fork" and threading.active_count() == 1


def _fork(target: Callable[..., None], args: tuple[Any, ...], *, daemon: bool) -> tuple[Any, Any]:
    """A forked process running ``target(conn, parent_pid, *args)``, and this side's end of a
    two-way pipe to it; the process is None (and the pipe closed) when it could not start."""
    context = multiprocessing.get_context("fork")
    conn, child_conn = context.Pipe(duplex=True)
    try:
        with quiet_fork():
            process = context.Process(
                target=target, args=(child_conn, os.getpid(), *args), daemon=daemon
            )
            process.start()
    except OSError:
        conn.close()
        return None, conn
    finally:
        child_conn.close()
    return process, conn


class Beside:
    """``work`` running in a forked copy of this process (or, where it cannot, not yet).

    Call :meth:`wait` (always, also when the caller fails meanwhile) to get its outcome: it
    returns when the work is done, raises the work's error, and does the work here if the
    copy could not be started or died without an answer.
    """

    def __init__(self, work: Callable[[], object]):
        self._work = work
        self._process: Any = None
        if not _can_fork():
            return
        self._process, self._conn = _fork(_child, (work,), daemon=True)

    def wait(self) -> None:
        """Wait for the work; raise its error; do it here if no copy did it."""
        if self._process is None:
            self._work()
            return
        answered, outcome = self._outcome()
        if not answered:
            self._work()  # the copy died without an answer (killed, out of memory)
        elif outcome is not None:
            raise outcome

    def abandon(self) -> None:
        """Let the copy finish and ignore its outcome (the caller failed meanwhile)."""
        if self._process is not None:
            self._outcome()

    def _outcome(self) -> tuple[bool, BaseException | None]:
        """Whether the copy answered, and its error; the copy has ended on return."""
        try:
            return True, self._conn.recv()
        except EOFError:
            return False, None
        finally:
            self._conn.close()
            self._process.join()
            self._process = None


def _standby(
    conn: Any, parent: int, modules: Sequence[str], prepare: Callable[[Callable[[], bool]], object]
) -> None:
    """In the forked copy: import ``modules``, ``prepare`` (told whether the job is waiting),
    wait for one job, send back its outcome."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle
        die_with_parent(parent)
        fresh_streams()
        for module in modules:  # names of a fixed table in the code (the report's modules)
            with contextlib.suppress(ImportError):  # the job raises it, with its own message
                importlib.import_module(module)
        gc.freeze()  # what is loaded stays: collections need not walk through it again
        with contextlib.suppress(Exception):  # work done ahead only: the job does it anyway
            prepare(conn.poll)
        try:
            job = conn.recv()
        except EOFError:
            return  # the command ended or no longer needs the copy
        if job is None:
            return
        function, args = job
        try:
            outcome: tuple[bool, object] = (True, function(*args))
        except BaseException as exc:  # everything goes back to the caller
            outcome = (False, exc)
        _send(conn, outcome)
    finally:
        os._exit(0)


def _nothing(waiting: Callable[[], bool]) -> None:
    """No work to do ahead of the job."""


def _end(process: Any, conn: Any, owner: int) -> None:
    """Kill a standby copy and reap it, in the process that made it (not in copies of that
    process forked since, such as workers, which inherit the object)."""
    if os.getpid() != owner:
        return
    conn.close()
    process.kill()
    process.join()


class Standby(Generic[T]):
    """A forked copy of this process that imports ``modules`` now and does one job later.

    ``prepare`` (if given) is called in the copy once the modules are loaded, before the job
    comes, to do work ahead that the job would otherwise do (while this process is busy with
    other work, the copy has a core to itself); it is given a function that tells whether the
    job has arrived, so that it can stop early. Its errors are ignored: what it did not get
    done the job does. :meth:`start` hands the copy the job, :meth:`result` waits for the job's
    result (and raises the job's error). The job is done here, at :meth:`result`, when no copy
    could be forked or the copy died without an answer. :meth:`close` (also on leaving a
    ``with`` block) ends a copy given no job. The job and its arguments go to the copy by
    pickle: the job is a module-level function.
    """

    def __init__(
        self,
        modules: Sequence[str],
        prepare: Callable[[Callable[[], bool]], object] | None = None,
    ):
        self._process: Any = None
        self._job: tuple[Callable[..., T], tuple[Any, ...]] | None = None
        self._sent = False
        if not _can_fork():
            return
        # Not a daemon, so that its job may start workers of its own (chart drawing); it is
        # killed when this object goes or at exit, whichever comes first.
        self._process, self._conn = _fork(
            _standby, (tuple(modules), prepare or _nothing), daemon=False
        )
        if self._process is not None:
            self._end = weakref.finalize(self, _end, self._process, self._conn, os.getpid())

    def start(self, function: Callable[..., T], *args: Any) -> None:
        """Hand ``function(*args)`` to the copy (or keep it for :meth:`result` to do here)."""
        if self._job is not None:
            raise RuntimeError("a standby copy does one job")
        self._job = (function, args)
        if self._process is not None:
            try:
                self._conn.send(self._job)
                self._sent = True
            except BrokenPipeError:
                self.close()  # the copy is gone: the job is done here

    def result(self) -> T:
        """The started job's result, once done; its error raised here."""
        if self._job is None:
            raise RuntimeError("no job was started")
        function, args = self._job
        answer = self._answer() if self._sent else None
        if answer is None:
            return function(*args)  # no copy, or it died without an answer
        done, value = answer
        if not done:
            raise value
        return value

    def _answer(self) -> tuple[bool, Any] | None:
        """The copy's (done, value), or None when it died without one; it has ended on return."""
        try:
            return self._conn.recv()
        except EOFError:
            return None
        finally:
            self._sent = False
            self.close()

    def close(self) -> None:
        """End the copy at once (it writes nothing before it is given a job, and a job of a
        command that failed or was interrupted is not wanted); nothing if it has ended."""
        if self._process is None:
            return
        self._end()
        self._process = None

    def __enter__(self) -> Standby[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
