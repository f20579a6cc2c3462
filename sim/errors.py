"""Exception hierarchy: every problem a user can fix is an ``OfficesimError`` with located problems.

The CLI turns these into one line per problem and exit code 2; anything else is an internal error.
"""

from __future__ import annotations

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


class InternalError(RuntimeError):
    """An engine invariant failed (conservation, Little's law): a bug, never bad input."""


def format_path(loc: Iterable[object]) -> str:
    """Render a key location such as ``("staff", "teller", 0)`` as ``staff.teller[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
