"""The headline KPIs: the few numbers shown first wherever a run's results are shown.

One list for every place that shows them (the run report's "Headline KPIs" table, the lines
``officesim run`` prints, the plan ``officesim optimize`` prints), so that the terminal and the
report never disagree on what counts as a headline. Each KPI carries a short label for the
terminal and the number format it is printed with; the report labels KPIs from their
definitions (``sim.results.kpis``). A KPI a scenario does not produce (no back office, no cost
model) is left out where it is shown.
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping
from dataclasses import dataclass

from sim.results.kpis import unit_of
from sim.results.summary import Estimate


@dataclass(frozen=True)
class HeadlineKpi:
    """One headline KPI: its key, a short label and how its numbers are formatted."""

    key: str
    label: str
    """Short label for the terminal, with its unit where it has one, e.g. ``Mean wait (min)``."""
    pattern: str
    """``str.format`` pattern of one number, e.g. ``{:.1%}`` for a share."""


HEADLINE: tuple[HeadlineKpi, ...] = (
    HeadlineKpi("all.arrivals_per_day", "Clients arriving per day", "{:.1f}"),
    HeadlineKpi("all.served_per_day", "Clients served per day", "{:.1f}"),
    HeadlineKpi("all.lost_share", "Lost (balked + reneged)", "{:.1%}"),
    HeadlineKpi("all.wait_mean_min", "Mean wait (min)", "{:.2f}"),
    HeadlineKpi("all.wait_p90_min", "90th percentile wait (min)", "{:.2f}"),
    HeadlineKpi("all.service_level", "Served within target wait", "{:.1%}"),
    HeadlineKpi("all.time_in_system_mean_min", "Mean time in office (min)", "{:.2f}"),
    HeadlineKpi("waiting_area.occupancy_mean", "Mean clients waiting", "{:.2f}"),
    HeadlineKpi("tasks.backlog_end_of_day", "Open tasks at end of day", "{:.1f}"),
    HeadlineKpi("tasks.on_time_share", "Tasks done in time", "{:.1%}"),
    HeadlineKpi("all.staff_cost_per_day", "Staff cost per day", "{:,.0f}"),
    HeadlineKpi("cost.total_per_day", "Total cost per day", "{:,.0f}"),
    HeadlineKpi("cost.per_served_client", "Cost per served client", "{:,.2f}"),
)

BACK_OFFICE_HEADLINE: tuple[HeadlineKpi, ...] = (
    HeadlineKpi("tasks.created_per_day", "Tasks created per day", "{:.1f}"),
    HeadlineKpi("tasks.completed_per_day", "Tasks completed per day", "{:.1f}"),
    HeadlineKpi("tasks.cycle_time_mean_h", "Mean cycle time (h)", "{:.2f}"),
    HeadlineKpi("tasks.on_time_share", "Done within due time", "{:.1%}"),
    HeadlineKpi("tasks.backlog_end_of_day", "Open tasks at day end", "{:.1f}"),
    HeadlineKpi("all.staff_cost_per_day", "Staff cost per day", "{:,.0f}"),
    HeadlineKpi("cost.total_per_day", "Total cost per day", "{:,.0f}"),
)
"""The headline of a back office on its own (a scenario without client classes)."""


def headline_of(available: Container[str], *, clients: bool = True) -> list[HeadlineKpi]:
    """The headline KPIs among ``available`` (KPI keys), in headline order; ``clients`` False
    for a back office on its own."""
    chosen = HEADLINE if clients else BACK_OFFICE_HEADLINE
    return [h for h in chosen if h.key in available]


def pattern_of(key: str) -> str:
    """The number format of any KPI: its headline pattern, else a percentage for shares and
    two decimals otherwise."""
    for h in (*HEADLINE, *BACK_OFFICE_HEADLINE):
        if h.key == key:
            return h.pattern
    return "{:.1%}" if unit_of(key) == "share" else "{:.2f}"


def format_estimate(est: Estimate | None, pattern: str) -> str:
    """``92.8%  [91.8%, 93.6%]``: mean and 95% CI in ``pattern``; ``n/a`` when undefined."""
    if est is None or math.isnan(est.mean):
        return "n/a"
    text = pattern.format(est.mean)
    if not math.isnan(est.ci_low):
        text += f"  [{pattern.format(est.ci_low)}, {pattern.format(est.ci_high)}]"
    return text


def headline_rows(kpis: Mapping[str, Estimate], *, clients: bool = True) -> list[tuple[str, str]]:
    """(label, formatted estimate) of every headline KPI in ``kpis``, for terminal tables."""
    chosen = headline_of(kpis, clients=clients)
    return [(h.label, format_estimate(kpis[h.key], h.pattern)) for h in chosen]
