"""What a finished replication hands to the results layer: plain arrays, counters and integrals.

KPIs are computed from these records alone, never from the engine's objects, so the results
layer depends on data, not on how the engine is built.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from sim.model.records_channels import ChannelRecords


@dataclass(frozen=True)
class LevelRecords:
    """Time-weighted levels: their names, integrals at snapshot times, final integrals, maxima.

    Names are ``waiting``, ``queue.<skill>``, ``busy.<scope>``, ``on.<scope>`` and, with a back
    office, ``tasks_open``, and with waiting seats, ``seats_taken``; ``areas`` has one row per snapshot time and one column per name.
    """

    names: tuple[str, ...]
    snap_times: tuple[float, ...]
    areas: np.ndarray
    area_at_end: dict[str, float]
    maxima: dict[str, int]


@dataclass(frozen=True)
class BackOfficeRecords:
    """The back office's tasks (one row each) and its counters."""

    tasks: dict[str, np.ndarray]
    """Columns ``kind``, ``created``, ``entered``, ``completed``, ``reworks``."""
    task_names: tuple[str, ...]
    due: np.ndarray
    """Due time in seconds per task type, indexed by ``kind``."""
    backlog_at_day_end: tuple[tuple[float, int], ...]
    interruptions: dict[str, int]
    noise_hits: dict[str, int]
    lookups: int
    lookups_failed: int
    lookup_time: float


@dataclass(frozen=True)
class ContactRecords:
    """Information and self-service events (``sim.model.information``) and contact ends."""

    events: dict[str, np.ndarray]
    """Columns ``cls``, ``time``, ``kind`` (an ``EVENT_*`` code of ``sim.model.information``)."""
    callback_rows: np.ndarray
    """Task record rows of the callback tasks."""
    balance: dict[str, float]
    """Whole-run contacts and their ends: served, contained, lost, repeated, open."""


@dataclass(frozen=True)
class SeatRecords:
    """The waiting seats of the plan and how measured waiting clients found them."""

    seats: int
    sat: int
    """Waits that began on a free seat (a client with reception can wait twice)."""
    stood: int
    """Waits that began with every seat taken: the client stood."""


@dataclass(frozen=True)
class OfficeRecords:
    """Everything one replication measured."""

    end: float
    """Model time at which the run stopped (seconds)."""
    measure_from: float
    clients: dict[str, np.ndarray]
    """Columns ``cls``, ``arrival``, ``outcome``, ``wait``, ``time_in_system``, ``walked``,
    ``crowd_delay``."""
    class_names: tuple[str, ...]
    class_speeds: np.ndarray
    """Walking speed (m/s) per client class, indexed by ``cls``."""
    levels: LevelRecords
    arrived: int
    left: int
    inside: int
    deflected: int
    total_wait: float
    overtime: dict[str, float]
    staff_walks: dict[str, float]
    it_down_time: float
    client_walks: Counter[tuple[int, int]] = field(default_factory=Counter)
    back_office: BackOfficeRecords | None = None
    contacts: ContactRecords | None = None
    channels: ChannelRecords | None = None
    """Channel of each class and remote channels' backlogs (None when all clients walk in)."""
    seats: SeatRecords | None = None
    """Waiting seats (None without a plan with seats); their occupancy is level
    ``seats_taken``."""
