"""What a log becomes once read: flat per-contact and per-task-step records, plus what was dropped.

Every time is seconds after midnight of the record's own ``day`` (a local calendar date), so a
service that runs past midnight simply has a start near 86,400 s and an end beyond it. Records are
kept as columns (numpy arrays): fitting works on whole columns, and two weeks of a call centre are
a few hundred kilobytes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

DEFAULT_DAY_TYPES: dict[str, str] = {
    "monday": "weekday",
    "tuesday": "weekday",
    "wednesday": "weekday",
    "thursday": "weekday",
    "friday": "weekday",
    "saturday": "saturday",
    "sunday": "sunday",
}
"""Day of the week → day type, for offices open Monday to Friday (override per log format)."""


def day_type_of(day: dt.date, day_types: dict[str, str]) -> str:
    """The day type (``weekday``, ``friday``, ...) of a calendar date."""
    return day_types[WEEKDAY_NAMES[day.weekday()]]


@dataclass
class Dropped:
    """Records left out of calibration, counted per reason (never silently)."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, int] = field(default_factory=dict)
    """The first line number (1-based, header = 1) that had each reason."""

    def add(self, reason: str, line: int) -> None:
        """Count one dropped record."""
        self.counts[reason] += 1
        self.examples.setdefault(reason, line)

    @property
    def total(self) -> int:
        """Records dropped for any reason."""
        return sum(self.counts.values())

    def as_rows(self) -> list[tuple[str, int, int]]:
        """(reason, count, first line) rows, most frequent first."""
        return [(r, n, self.examples[r]) for r, n in self.counts.most_common()]


@dataclass(frozen=True)
class ContactLog:
    """One row per client contact (ticket or call) that reached the queue for a desk or agent."""

    source: str
    """The file the records were read from."""
    fmt: str
    """The log format (preset name)."""
    day: np.ndarray
    """Local calendar date of arrival (``datetime64[D]``)."""
    cls: np.ndarray
    """Client class (service, call type) as written in the log."""
    arrival: np.ndarray
    """Arrival at the queue, seconds after midnight of ``day``."""
    wait: np.ndarray
    """Seconds waited: until service for served contacts, until leaving for abandoned ones."""
    served: np.ndarray
    """True when an agent served the contact; False when the client left unserved."""
    service: np.ndarray
    """Seconds of service (NaN when not served)."""
    agent: np.ndarray
    """Who served (empty string when not served)."""
    booked: np.ndarray
    """Appointment time, seconds after midnight of ``day`` (NaN for walk-ins)."""
    no_show: np.ndarray
    """True for a booked client who never came (such rows carry no arrival or wait)."""
    exact_leave: np.ndarray
    """For abandoned contacts: True when the time the client left is known (a hang-up), False
    when only an upper bound is (a ticket called while its client had already gone)."""
    rows_read: int
    dropped: Dropped
    day_types: dict[str, str]

    def __len__(self) -> int:
        return len(self.arrival)

    def select(self, mask: np.ndarray) -> ContactLog:
        """The records where ``mask`` is true (dropped counts stay those of the whole file)."""
        cols = {name: getattr(self, name)[mask] for name in CONTACT_COLUMNS}
        return ContactLog(
            self.source,
            self.fmt,
            rows_read=self.rows_read,
            dropped=self.dropped,
            day_types=self.day_types,
            **cols,
        )

    def days(self) -> list[dt.date]:
        """The distinct calendar dates with records, in order."""
        return [d.astype(object) for d in np.unique(self.day)]

    def day_type(self) -> np.ndarray:
        """The day type of every record."""
        names = {d: day_type_of(d, self.day_types) for d in self.days()}
        return np.array([names[d.astype(object)] for d in self.day], dtype=object)

    @property
    def present(self) -> np.ndarray:
        """Contacts who came (not no-shows)."""
        return ~self.no_show


CONTACT_COLUMNS = (
    "day",
    "cls",
    "arrival",
    "wait",
    "served",
    "service",
    "agent",
    "booked",
    "no_show",
    "exact_leave",
)


def contact_log(
    source: str,
    fmt: str,
    rows: list[dict[str, object]],
    rows_read: int,
    dropped: Dropped,
    day_types: dict[str, str],
) -> ContactLog:
    """Assemble a ``ContactLog`` from per-record dicts holding the ``CONTACT_COLUMNS``."""

    def col(name: str, dtype: object, default: object) -> np.ndarray:
        return np.array([r.get(name, default) for r in rows], dtype=dtype)  # type: ignore[call-overload]

    return ContactLog(
        source,
        fmt,
        day=np.array([r["day"] for r in rows], dtype="datetime64[D]"),
        cls=col("cls", object, ""),
        arrival=col("arrival", float, np.nan),
        wait=col("wait", float, np.nan),
        served=col("served", bool, False),
        service=col("service", float, np.nan),
        agent=col("agent", object, ""),
        booked=col("booked", float, np.nan),
        no_show=col("no_show", bool, False),
        exact_leave=col("exact_leave", bool, True),
        rows_read=rows_read,
        dropped=dropped,
        day_types=day_types,
    )


@dataclass(frozen=True)
class TaskLog:
    """One row per step of a back-office task: which task, its type, the step, when it ran."""

    source: str
    task: np.ndarray
    type: np.ndarray
    step: np.ndarray
    team: np.ndarray
    day: np.ndarray
    """Local calendar date the step started (``datetime64[D]``)."""
    start: np.ndarray
    """Step start, seconds after midnight of ``day``."""
    end: np.ndarray
    """Step end, seconds after midnight of ``day`` (beyond 86,400 when it ran past midnight)."""
    rows_read: int
    dropped: Dropped
    day_types: dict[str, str]

    def __len__(self) -> int:
        return len(self.task)
