"""KPIs of the back office (tasks, lookups, interruptions, IT outages) and of costs.

Tasks count from their creation; cycle time runs from creation (at the front desk, on a
schedule, or on arrival) to the end of the last step. ``on_time_share`` is the share of tasks
created in the measured days that were completed within their due time; tasks still open at
the end count as not on time. Costs are per measured day.
"""

from __future__ import annotations

import math

import numpy as np

from sim.layout import Floor
from sim.model.metrics import OUTCOME_BALKED, OUTCOME_RENEGED
from sim.model.records import OfficeRecords
from sim.scenario.spec import Scenario
from sim.units import HOUR, MINUTE

BACKOFFICE_METRICS: dict[str, tuple[str, str]] = {
    "created_per_day": ("tasks/day", "Tasks created per day"),
    "completed_per_day": ("tasks/day", "Tasks completed per day"),
    "backlog_end_of_day": ("tasks", "Open tasks at the end of a day (mean over days)"),
    "open_mean": ("tasks", "Time-average number of open tasks over the measured days"),
    "cycle_time_mean_h": ("h", "Mean time from creation to completion"),
    "cycle_time_p90_h": ("h", "90th percentile time from creation to completion"),
    "handoff_delay_mean_h": ("h", "Mean time from creation to arrival in the back office"),
    "on_time_share": ("share", "Share of tasks completed within their due time"),
    "rework_per_day": ("tasks/day", "Steps repeated for rework or data errors, per day"),
    "late_per_day": ("tasks/day", "Tasks not completed within their due time, per day"),
    "interruptions_per_day": ("count/day", "Interruptions of the team's work per day"),
    "lookups_per_day": ("count/day", "Lookups front staff made, per day"),
    "lookup_time_mean_min": ("min", "Mean time a lookup holds the client and front staff"),
    "lookups_unanswered_per_day": ("count/day", "Lookups nobody of the team was there to answer"),
    "outage_hours_per_day": ("h/day", "Hours per day the integrated system was down"),
    "staff_per_day": ("currency/day", "Staff cost per day"),
    "rent_per_day": ("currency/day", "Rent of the floor (and off-site space) per day"),
    "it_per_day": ("currency/day", "IT cost per day"),
    "lost_clients_per_day": ("currency/day", "Value of clients lost, per day"),
    "late_tasks_per_day": ("currency/day", "Penalties for late tasks, per day"),
    "total_per_day": ("currency/day", "Total cost per day"),
    "per_served_client": ("currency", "Total cost per client served"),
}


def backoffice_kpis(
    s: Scenario, records: OfficeRecords, kpis: dict[str, float], open_mean: float
) -> None:
    """Add task, team-interruption, lookup and outage KPIs for a finished replication.

    ``open_mean`` is the time-average number of open tasks over the measured days.
    """
    days = s.days - s.warmup_days
    bo = records.back_office
    if s.it.outage_every is not None:
        kpis["it.outage_hours_per_day"] = records.it_down_time / HOUR / days
    if bo is None:
        return
    rec = bo.tasks
    measured = rec["created"] >= records.measure_from
    _task_kpis(kpis, "tasks", rec, measured, bo.due, days)
    for index, name in enumerate(bo.task_names):
        _task_kpis(kpis, f"task.{name}", rec, measured & (rec["kind"] == index), bo.due, days)
    ends = [n for t, n in bo.backlog_at_day_end if t > records.measure_from]
    kpis["tasks.backlog_end_of_day"] = float(np.mean(ends)) if ends else math.nan
    kpis["tasks.open_mean"] = open_mean
    for team in s.back_office.teams if s.back_office else {}:
        hits = bo.interruptions.get(team, 0) + bo.noise_hits.get(f"team.{team}", 0)
        kpis[f"team.{team}.interruptions_per_day"] = hits / days
    if any(c.lookup is not None for c in s.client_classes.values()):
        kpis["lookups.lookups_per_day"] = bo.lookups / days
        kpis["lookups.lookup_time_mean_min"] = (
            bo.lookup_time / bo.lookups / MINUTE if bo.lookups else math.nan
        )
        kpis["lookups.lookups_unanswered_per_day"] = bo.lookups_failed / days


def _task_kpis(
    kpis: dict[str, float],
    scope: str,
    rec: dict[str, np.ndarray],
    mask: np.ndarray,
    due: np.ndarray,
    days: int,
) -> None:
    created = rec["created"][mask]
    completed = rec["completed"][mask]
    done = ~np.isnan(completed)
    cycle = completed[done] - created[done]
    on_time = done.copy()
    on_time[done] = cycle <= due[rec["kind"][mask][done]]
    entered = rec["entered"][mask]
    handed = ~np.isnan(entered)
    n = len(created)
    kpis[f"{scope}.created_per_day"] = n / days
    kpis[f"{scope}.completed_per_day"] = float(done.sum()) / days
    kpis[f"{scope}.cycle_time_mean_h"] = float(cycle.mean()) / HOUR if len(cycle) else math.nan
    kpis[f"{scope}.cycle_time_p90_h"] = (
        float(np.percentile(cycle, 90)) / HOUR if len(cycle) else math.nan
    )
    kpis[f"{scope}.handoff_delay_mean_h"] = (
        float((entered[handed] - created[handed]).mean()) / HOUR if handed.any() else math.nan
    )
    kpis[f"{scope}.on_time_share"] = float(on_time.sum()) / n if n else math.nan
    kpis[f"{scope}.late_per_day"] = float(n - on_time.sum()) / days
    kpis[f"{scope}.rework_per_day"] = float(rec["reworks"][mask].sum()) / days


def cost_kpis(
    s: Scenario, records: OfficeRecords, kpis: dict[str, float], floor: Floor | None
) -> None:
    """Add the cost breakdown per measured day and the cost per served client."""
    days = s.days - s.warmup_days
    c = s.costs
    per_day = 1.0 / c.working_days_per_month
    rent_month = 0.0
    if floor is not None:
        for space in floor.spaces:
            rate = space.attributes.get("rent_per_m2", c.rent_per_m2_month)
            rent_month += float(space.area) * float(rate)  # type: ignore[arg-type]
    for team in (s.back_office.teams if s.back_office else {}).values():
        if team.offsite is not None:
            rent_month += team.offsite.area_m2 * team.offsite.rent_per_m2
    rec = records.clients
    measured = rec["arrival"] >= records.measure_from
    lost = np.isin(rec["outcome"][measured], (OUTCOME_BALKED, OUTCOME_RENEGED)).sum()
    staff = kpis["all.staff_cost_per_day"]
    rent = rent_month * per_day
    it = s.it.monthly_cost * per_day
    lost_value = float(lost) / days * c.lost_client_value
    late = kpis.get("tasks.late_per_day", 0.0) * c.late_task_penalty
    total = staff + rent + it + lost_value + late
    served = kpis["all.served_per_day"]
    kpis["cost.staff_per_day"] = staff
    kpis["cost.rent_per_day"] = rent
    kpis["cost.it_per_day"] = it
    kpis["cost.lost_clients_per_day"] = lost_value
    kpis["cost.late_tasks_per_day"] = late
    kpis["cost.total_per_day"] = total
    kpis["cost.per_served_client"] = total / served if served else math.nan
