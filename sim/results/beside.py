"""Write one output file in a forked process while this process writes the others.

``kpis.xlsx`` takes longest of a command's output files (openpyxl loads in about 0.2 s and
builds the workbook in 0.1 s, pure Python), and it depends on nothing the other files need.
Where processes fork (Linux) and this process runs a single thread, it is written by a forked
copy of this process, which needs no message to start (it has the data already) and sends
back only the outcome; elsewhere, or when forking fails, it is written here as before. An
error in the copy (a full disk, say) is raised here as if the file had been written here.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any

from sim.workers import die_with_parent, quiet_fork, start_method


def _child(conn: Any, parent: int, work: Callable[[], object]) -> None:
    """In the forked copy: do ``work``, send back None or the error, leave at once."""
    try:
        die_with_parent(parent)
        work()
        outcome: BaseException | None = None
    except BaseException as exc:  # everything goes back to the caller
        outcome = exc
    try:
        conn.send(outcome)
    except Exception:  # an error that does not pickle: its text instead
        conn.send(RuntimeError(f"{type(outcome).__name__}: {outcome}"))
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the parent's buffers


class Beside:
    """``work`` running in a forked copy of this process (or, where it cannot, not yet).

    Call :meth:`wait` (always, also when the caller fails meanwhile) to get its outcome: it
    returns when the work is done, raises the work's error, and does the work here if the
    copy could not be started or died without an answer.
    """

    def __init__(self, work: Callable[[], object]):
        self._work = work
        self._process: Any = None
        if start_method() != "fork" or threading.active_count() > 1:
            return  # forking a process with threads could copy a lock held by another thread
        context = multiprocessing.get_context("fork")
        self._conn, child_conn = context.Pipe(duplex=False)
        try:
            with quiet_fork():
                self._process = context.Process(
                    target=_child, args=(child_conn, os.getpid(), work), daemon=True
                )
                self._process.start()
        except OSError:
            self._process = None
        finally:
            child_conn.close()

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
