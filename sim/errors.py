"""Exception hierarchy: every problem a user can fix is an ``OfficesimError`` with located problems.

The CLI turns these into one line per problem and exit code 2 (3 for a ``ResourceError``: the
machine, not the input); anything else is an internal error.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is (file and key path) and what is wrong."""

    source: str
    """The file (or "<scenario>" / "<layout>" for in-memory data)."""
    path: str
    """Dotted key path inside the file, e.g. ``staff.teller.count``; empty for the whole file."""
    message: str
    """What is wrong and what was expected."""

    def __str__(self) -> str:
        where = f"{self.source}: {self.path}" if self.path else self.source
        return f"{where}: {self.message}"


class OfficesimError(Exception):
    """Base class of every error officesim reports to users as bad input."""

    def __init__(self, problems: Sequence[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("officesim", "", problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, source: str, path: str, message: str) -> OfficesimError:
        """An error holding one problem."""
        return cls([Problem(source, path, message)])


class ScenarioError(OfficesimError):
    """A scenario file is missing, unreadable or invalid."""


class LayoutError(OfficesimError):
    """A floor plan is missing, unreadable or invalid."""


class RoutingError(LayoutError):
    """No walking path exists where the model needs one (names the spaces involved)."""


class LogFileError(OfficesimError):
    """A ticket, call or task log is missing, unreadable, or lacks what calibration needs."""


class ResourceError(OfficesimError):
    """The machine, not the input, stopped the work: a full disk, a read-only or forbidden
    folder, a damaged results store, an unreachable Dask scheduler (exit code 3)."""


class InternalError(RuntimeError):
    """An engine invariant failed (conservation, Little's law): a bug, never bad input."""


OS_ADVICE: dict[int, str] = {
    errno.ENOSPC: "the disk is full: free space, or write to another folder with -o",
    errno.EDQUOT: "the disk quota is used up: free space, or write to another folder with -o",
    errno.EROFS: "the folder is on a read-only file system: choose another folder with -o",
    errno.EACCES: "permission denied: choose a folder you may write to with -o, or fix its "
    "permissions",
    errno.EPERM: "operation not permitted: choose another folder with -o, or fix its permissions",
    errno.EMFILE: "too many open files: lower --jobs, or raise the limit (ulimit -n)",
    errno.ENOMEM: "out of memory: lower --jobs or the replications, or close other programs",
}


def resource_error(exc: OSError) -> ResourceError:
    """A located, actionable message for an operating-system error (disk full, read-only...)."""
    where = str(exc.filename) if exc.filename else "officesim"
    reason = exc.strerror or str(exc) or type(exc).__name__
    advice = OS_ADVICE.get(exc.errno or -1, "check the file and the folder, then run again")
    return ResourceError([Problem(where, "", f"{reason}; {advice}")])


def format_path(loc: Iterable[object]) -> str:
    """Render a key location such as ``("staff", "teller", 0)`` as ``staff.teller[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
