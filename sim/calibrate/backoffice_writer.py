"""A back-office task log's calibration as a scenario fragment and a document for the report.

The fragment holds ``tasks:`` entries for a scenario's ``back_office`` section: each task type's
arrival rate, its route of steps with fitted step times, and rework. The log records steps, not
who was on duty, so teams are left to the planner: a team size nobody measured would be an
invented number. ``due`` is the observed 95th percentile of the time from a task's first start to
its last end — a measurement to replace with the office's service promise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from sim.calibrate.backoffice import TaskTypeFit
from sim.calibrate.document import clean, fit_record
from sim.calibrate.writer import distribution_lines
from sim.logs import TaskLog
from sim.units import DAY, HOUR


def _lead_p95(log: TaskLog, ttype: str) -> float:
    leads = []
    for task in np.unique(log.task[log.type == ttype]):
        rows = log.task == task
        days = (log.day[rows] - log.day[rows].min()).astype(int) * DAY
        leads.append(float((log.end[rows] + days).max() - (log.start[rows] + days).min()))
    return float(np.quantile(leads, 0.95))


def tasks_yaml(log: TaskLog, fits: list[TaskTypeFit]) -> str:
    """The fragment text, each number with where it came from."""
    lines = [
        f"# Back-office task types calibrated from {Path(log.source).name} (format tasks):",
        f"# {log.rows_read:,} steps read, {log.dropped.total:,} dropped. Paste under 'back_office:'"
        " of a scenario",
        "# and staff each team named below (the log records steps, not who was on duty).",
        "tasks:",
    ]
    for f in fits:
        lines += [
            f"  {f.type}:",
            f"    description: {f.tasks:,} tasks over {f.days} dates in {Path(log.source).name}",
            f"    due: {_lead_p95(log, f.type) / HOUR:.2f} h  # observed 95th percentile lead time",
            "    arrivals:",
            f"      rate: {f.per_hour:.3f}  # {f.tasks:,} tasks / ({f.days} dates x "
            f"{f.hours / HOUR:.1f} h), 95% CI {f.per_hour_ci[0]:.3f}-{f.per_hour_ci[1]:.3f}",
            "    steps:",
        ]
        for s in f.steps:
            lines.append(f"      - team: {s.team}  # step '{s.step}', {s.done:,} completions")
            lines.append("        time:")
            lines += distribution_lines(s.time.best, "          ")
            if s.rework:
                lines.append(
                    f"        rework: {{probability: {s.rework_p:.4f}, to: {s.back_to}}}  # "
                    f"{s.rework} of {s.done} repeated, 95% CI {s.rework_ci[0]:.3f}-{s.rework_ci[1]:.3f}"
                )
    return "\n".join(lines) + "\n"


def tasks_document(log: TaskLog, fits: list[TaskTypeFit]) -> dict[str, Any]:
    """The task calibration as plain data (schema ``officesim/calibration``, log kind tasks)."""
    return clean(
        {
            "schema": "officesim/calibration",
            "version": 1,
            "log_kind": "tasks",
            "source": log.source,
            "format": "tasks",
            "rows_read": log.rows_read,
            "records_fitted": len(log),
            "dropped": [
                {"reason": r, "count": n, "first_line": ln} for r, n, ln in log.dropped.as_rows()
            ],
            "task_types": [
                {
                    "type": f.type,
                    "tasks": f.tasks,
                    "per_hour": f.per_hour,
                    "per_hour_ci": list(f.per_hour_ci),
                    "steps": [
                        {
                            "step": s.step,
                            "team": s.team,
                            "done": s.done,
                            "rework": s.rework,
                            "rework_p": s.rework_p,
                            "rework_ci": list(s.rework_ci),
                            "time": fit_record(s.time.best),
                        }
                        for s in f.steps
                    ],
                }
                for f in fits
            ],
        }
    )
