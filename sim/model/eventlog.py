"""An optional record of everything that happens in one replication, for process mining and
animation. Off by default: the hot path only checks ``office.log is None``.

Each event is (time in seconds, case id, activity, lifecycle "start"/"complete"/"instant",
resource, location). Walks are kept apart as (case, start, end, from point, to point) so that an
animation can move a dot along the walking path.
"""

from __future__ import annotations

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

    def open_case(self, case: str, kind: str, type_: str) -> None:
        """Register a case (client or task) and its type."""
        self.cases[case] = {"kind": kind, "type": type_}

    def sorted_events(self) -> list[Event]:
        """Events in time order (stable: simultaneous events keep their order)."""
        return sorted(self.events, key=lambda e: e[0])
