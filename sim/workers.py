"""Worker processes that start fast and die with the command that started them.

Shared by the experiment executors (replications) and the report (chart rendering). On Linux
workers are forked: they start in milliseconds with every module imported and every cache of
the command filled. Elsewhere they come from a forkserver (or are spawned). Each worker exits
when the command is gone, whatever killed it, so that no worker keeps running or keeps the
command's terminal or pipes open.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

PARENT_POLL_SECONDS = 0.5
"""How often a worker checks that the command that started it is still alive."""


@contextmanager
def quiet_fork() -> Iterator[None]:
    """Python 3.12+ warns about forking a process that has threads (a progress bar's, say);
    workers touch no lock of the parent (see :func:`init_worker`), so the warning is noise."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*fork")
        yield


def start_method() -> str:
    """How local workers start: forked on Linux (they inherit imports and built plans), else
    from a forkserver (or spawned where there is none)."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def die_with_parent(parent: int) -> None:
    """Make this worker exit when process ``parent`` (the command that started it) is gone.

    On Linux the kernel sends SIGKILL the moment a forked worker's parent dies; everywhere a
    daemon thread also polls the parent, which also covers workers started by a forkserver
    (whose ``getppid()`` is the forkserver, not the command).
    """
    forked = os.getppid() == parent
    if forked and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if not _alive(parent, forked):
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if not _alive(parent, forked):
                os._exit(1)

    threading.Thread(target=watch, name="officesim-parent-watch", daemon=True).start()


def _alive(pid: int, forked: bool) -> bool:
    """Whether the command ``pid`` still runs: still our parent if it forked us, otherwise a
    process that exists and is not a zombie (a killed command stays one until reaped)."""
    if forked:
        return os.getppid() == pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return True


def init_worker(parent: int) -> None:
    """Leave Ctrl-C to the main process, die with it, and write to fresh stdout/stderr objects
    (a forked worker may inherit their locks held by a thread of the parent).

    The garbage collector is kept off what the worker inherits by its jobs themselves: a
    replication and a chart each run inside :func:`sim.collector.few_collections`.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    fresh_streams()


def fresh_streams() -> None:
    """Write to new stdout/stderr objects on the same descriptors: a forked process may
    have inherited the old objects' locks held by a thread of its parent."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name)
        try:
            fresh = open(  # noqa: SIM115 (lives as long as the worker)
                fd, "w", buffering=1, encoding=stream.encoding, errors=stream.errors, closefd=False
            )
        except (OSError, AttributeError, ValueError):
            continue
        setattr(sys, name, fresh)
