"""An optional record of everything that happens in one replication, for process mining and
animation. Off by default: processes then write to a ``NullEventLog``, which forgets everything.

Each event is (time in seconds, case id, activity, lifecycle "start"/"complete"/"instant",
resource, location). Walks are kept apart as (case, start, end, from point, to point) so that an
animation can move a dot along the walking path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Event = tuple[float, str, str, str, str, str]
Walk = tuple[str, float, float, str, str]

EVENT_FIELDS = ("time", "case", "activity", "lifecycle", "resource", "location")


@dataclass
class EventLog:
    """Events, walks and case attributes of one replication."""

    events: list[Event] = field(default_factory=list)
    walks: list[Walk] = field(default_factory=list)
    cases: dict[str, dict[str, str]] = field(default_factory=dict)
    """Case id → attributes (``kind``: client or task; ``type``: class or task type)."""

    enabled = True
    """False for the null log: callers may then skip work done only to describe an event."""

    def add(
        self,
        time: float,
        case: str,
        activity: str,
        lifecycle: str = "instant",
        resource: str = "",
        location: str = "",
    ) -> None:
        """Record one event."""
        self.events.append((time, case, activity, lifecycle, resource, location))

    def walk(self, case: str, start: float, end: float, origin: str, target: str) -> None:
        """Record one walk of a case between two points of the plan."""
        self.walks.append((case, start, end, origin, target))

    def open_case(self, case: str, kind: str, type_: str) -> None:
        """Register a case (client or task) and its type."""
        self.cases[case] = {"kind": kind, "type": type_}

    def open_client(self, type_: str) -> str:
        """Register a new client case of class ``type_`` and return its id (``client-N``)."""
        case = f"client-{len(self.cases) + 1}"
        self.open_case(case, "client", type_)
        return case

    def sorted_events(self) -> list[Event]:
        """Events in time order (stable: simultaneous events keep their order)."""
        return sorted(self.events, key=lambda e: e[0])


class NullEventLog(EventLog):
    """The log of a run that keeps no log: every record is dropped."""

    enabled = False

    def add(
        self,
        time: float,
        case: str,
        activity: str,
        lifecycle: str = "instant",
        resource: str = "",
        location: str = "",
    ) -> None:
        """Drop the event."""

    def walk(self, case: str, start: float, end: float, origin: str, target: str) -> None:
        """Drop the walk."""

    def open_case(self, case: str, kind: str, type_: str) -> None:
        """Drop the case."""

    def open_client(self, type_: str) -> str:
        """No case id: nothing refers to it."""
        return ""


class _NoWalks(list[Walk]):
    """A walk list that keeps nothing: exported event logs carry no walks."""

    def append(self, item: Walk) -> None:
        """Drop the walk."""


class StreamingEventLog(EventLog):
    """An event log that hands its events on as the run goes, so memory stays flat.

    Every ``chunk`` events are sorted by time and passed to ``sink`` (which writes them to
    disk); cases are kept (one small entry per client or task), walks are not. Call
    :meth:`flush` at the end of the run for the last events. Sorting each chunk stably and
    merging chunks in order reproduces :meth:`EventLog.sorted_events` exactly.
    """

    def __init__(self, sink: Callable[[list[Event]], None], chunk: int = 50_000):
        super().__init__(walks=_NoWalks())
        self._sink = sink
        self._chunk = max(1, chunk)

    def add(
        self,
        time: float,
        case: str,
        activity: str,
        lifecycle: str = "instant",
        resource: str = "",
        location: str = "",
    ) -> None:
        """Record one event; a full chunk goes to the sink."""
        super().add(time, case, activity, lifecycle, resource, location)
        if len(self.events) >= self._chunk:
            self.flush()

    def flush(self) -> None:
        """Hand the events held so far to the sink, in time order."""
        if self.events:
            self._sink(self.sorted_events())
            self.events = []
