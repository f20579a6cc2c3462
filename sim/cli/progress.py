"""Progress bars with an ETA for long work, on a terminal only (rich); silent when piped.

Kept free of heavy imports so that commands can create it before any simulation starts.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from sim.experiment.replicate import Tally


class ProgressBars:
    """One bar per label (e.g. replications, variants), shown on stderr unless ``quiet``."""

    def __init__(self, labels: Sequence[str], *, quiet: bool = False):
        self.labels = list(labels)
        self.enabled = not quiet and sys.stderr.isatty()
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> Self:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            width = max(len(label) for label in self.labels)
            self._bar = Progress(
                TextColumn(f"{{task.description:<{width}}}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                transient=True,
            )
            self._bar.__enter__()
            self._tasks = {label: self._bar.add_task(label, total=None) for label in self.labels}
        return self

    def set(self, label: str, done: int, total: int | None) -> None:
        """Show ``done`` of ``total`` for the bar ``label``."""
        if self._bar is not None:
            self._bar.update(self._tasks[label], completed=done, total=total)

    def replications(self, done: int, total: int) -> None:
        """A progress callback for replications: ``progress(done, total)``."""
        self.set("replications", done, total)

    def tally(self, tally: Tally) -> None:
        """A progress callback for an experiment: its replications done of the total."""
        self.replications(tally.replications_done, tally.replications_total)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)
