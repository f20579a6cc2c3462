"""Time shares of crews that blend client and back-office work (``work.<scope>.<kind>`` levels).

For each blending crew, over the measured days: the share of its on-duty time spent on clients,
on back-office tasks, switching between the two, and idle. The four add up to 1 (the engine
checks on every run that clients + tasks + switching equals the crew's busy time).
"""

from __future__ import annotations

import math

from sim.model.records import OfficeRecords

BLENDING_METRICS: dict[str, tuple[str, str]] = {
    "share_clients": ("share", "Share of on-duty time serving clients"),
    "share_tasks": ("share", "Share of on-duty time on back-office tasks"),
    "share_switching": ("share", "Share of on-duty time switching between clients and tasks"),
    "share_idle": ("share", "Share of on-duty time with no work"),
}


def blending_kpis(records: OfficeRecords, kpis: dict[str, float]) -> None:
    """Add ``<scope>.share_*`` of every blending crew to ``kpis`` (nothing without blending)."""
    levels = records.levels
    scopes = [n.removeprefix("work.").removesuffix(".clients") for n in levels.names]
    scopes = [s for s, n in zip(scopes, levels.names, strict=True) if n.startswith("work.")]
    scopes = [s for s in scopes if not s.endswith((".tasks", ".switching"))]
    for scope in scopes:
        on = _window(records, f"on.{scope}")
        busy = _window(records, f"busy.{scope}")
        for kind in ("clients", "tasks", "switching"):
            value = _window(records, f"work.{scope}.{kind}")
            kpis[f"{scope}.share_{kind}"] = value / on if on > 0 else math.nan
        kpis[f"{scope}.share_idle"] = (on - busy) / on if on > 0 else math.nan


def _window(records: OfficeRecords, name: str) -> float:
    """A level's integral over the measured days (from the end of the warm-up to the end)."""
    levels = records.levels
    row = levels.snap_times.index(records.measure_from)
    return levels.area_at_end[name] - float(levels.areas[row, levels.names.index(name)])
