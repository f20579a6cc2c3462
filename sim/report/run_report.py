"""The report of one scenario run, built from its results document (``officesim/results``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from sim.report import charts
from sim.report.channels_report import channels_section
from sim.report.charts import Series
from sim.report.common import (
    answer_cells,
    assumptions_section,
    est_of,
    finite,
    kpi_table,
    reproducibility,
    targets_table,
)
from sim.report.floor import floor_section
from sim.report.fmt import clock_labels, described_label
from sim.report.information_report import information_section, warnings_section
from sim.report.model import Chart, Report, Section
from sim.report.space_report import space_section
from sim.report.stats import hourly_band, ratio_band
from sim.results.headline import headline_of


def _headline_keys(c: _Ctx) -> list[str]:
    """The headline KPIs the terminal shows too (a back office on its own has its own)."""
    return [h.key for h in headline_of(c.kpis, clients=bool(c.classes))]


class _Ctx:
    """What every section needs from the document."""

    def __init__(self, doc: Mapping[str, Any]):
        self.doc = doc
        self.kpis: Mapping[str, Mapping[str, Any]] = doc.get("kpis", {})
        self.definition: Mapping[str, Any] = doc.get("scenario", {}).get("definition", {})
        self.reps: Sequence[Mapping[str, Any]] = doc.get("replications", [])
        self.currency = str(self.definition.get("costs", {}).get("currency", "EUR"))
        keys = list(self.reps[0].get("hourly", {})) if self.reps else []
        self.hourly_keys = keys
        n = len(self.reps[0]["hourly"][keys[0]]) if keys else 0
        self.hours = clock_labels(self.definition.get("hours", {}).get("open", "00:00"), n)
        self.x = [i + 0.5 for i in range(n)]
        self.classes = list(self.definition.get("client_classes", {}))
        self.target_wait_min = _minutes(self.definition.get("targets", {}).get("wait"))

    def label(self, scope: str) -> str:
        """A class, role or team as the scenario describes it (its id when undescribed)."""
        return described_label(scope, self.definition)

    def series(self, key: str, label: str, scale: float = 1.0, dashed: bool = False) -> Series:
        mean, low, high = hourly_band(self.reps, key)
        return Series(
            label,
            [v * scale for v in mean],
            [v * scale for v in low],
            [v * scale for v in high],
            dashed,
        )

    def hourly_chart(self, key: str, title: str, series: list[Series], ylabel: str) -> Chart:
        fig = partial(
            charts.band_chart,
            title,
            charts.XAxis(self.x, self.hours, "Opening hour (h)"),
            series,
            ylabel,
        )
        caption = (
            "Mean over replications of each opening hour's time average; the shaded band is "
            "the 95% confidence interval across replications."
        )
        return Chart(key, title, fig, caption)


def _minutes(text: Any) -> float | None:
    if not isinstance(text, str):
        return None
    from sim.units import MINUTE, parse_duration

    try:
        return parse_duration(text) / MINUTE
    except ValueError:
        return None


def summary_section(c: _Ctx) -> Section:
    """The question and the answer: targets with verdicts, headline KPIs."""
    d, run = c.definition, c.doc.get("run", {})
    measured = int(run.get("days", 1)) - int(run.get("warmup_days", 0))
    paragraphs = [str(d.get("description", "")).strip()] if d.get("description") else []
    paragraphs.append(
        f"{run.get('replications', len(c.reps))} replications × {measured} measured day(s), "
        f"seed {run.get('seed')}. Figures are means across replications with 95% confidence "
        "intervals (Student t) in brackets."
    )
    tables = [targets_table("targets", c.doc.get("targets", []), "Service targets")]
    tables.append(kpi_table("headline", "Headline KPIs", c.kpis, _headline_keys(c), c.currency))
    return Section("summary", "Summary: targets and headline results", paragraphs, tables=tables)


def day_section(c: _Ctx) -> Section | None:
    """Arrivals, queues, staff on duty and utilisation by hour of day."""
    if not c.hours:
        return None
    out = Section("day", "Across the day")
    if "arrivals" in c.hourly_keys:
        arrivals = [c.series("arrivals", "all clients")]
        arrivals += [
            c.series(f"arrivals.{k}", c.label(f"class.{k}"))
            for k in c.classes
            if f"arrivals.{k}" in c.hourly_keys
        ]
        out.charts.append(
            c.hourly_chart(
                "arrivals_by_hour",
                "Client arrivals by hour of day",
                arrivals if len(arrivals) > 2 else arrivals[:1],
                "Arrivals (clients/hour)",
            )
        )
    queues = [c.series("waiting", "all waiting clients")] if "waiting" in c.hourly_keys else []
    queues += [
        c.series(k, f"queue for {k.removeprefix('queue.')}")
        for k in c.hourly_keys
        if k.startswith("queue.") and not k.startswith("queue.team:")
    ]
    if queues:
        out.charts.append(
            c.hourly_chart(
                "queue_by_hour",
                "Clients waiting by hour of day (time-average queue length)",
                queues,
                "Clients waiting (clients)",
            )
        )
    on = [k for k in c.hourly_keys if k.startswith("on.")]
    if on:
        out.charts.append(
            c.hourly_chart(
                "staff_by_hour",
                "Staff on duty by hour of day (breaks excluded)",
                [c.series(k, c.label(k.removeprefix("on."))) for k in on],
                "Staff on duty (persons)",
            )
        )
        util = []
        for k in on:
            scope = k.removeprefix("on.")
            if f"busy.{scope}" in c.hourly_keys:
                mean, low, high = ratio_band(c.reps, f"busy.{scope}", k)
                pct = [[v * 100 for v in s] for s in (mean, low, high)]
                util.append(Series(c.label(scope), pct[0], pct[1], pct[2]))
        if util:
            out.charts.append(
                c.hourly_chart(
                    "utilisation_by_hour",
                    "Utilisation by hour of day (busy time / on-duty time)",
                    util,
                    "Utilisation (%)",
                )
            )
    return out


def waiting_section(c: _Ctx) -> Section:
    """Waiting-time percentiles and service level against the target, per client class."""
    scopes = ["all"] + [f"class.{k}" for k in c.classes]
    rows = [c.label(s) for s in scopes]
    stats = {
        name: [est_of(c.kpis, f"{s}.wait_{m}_min") for s in scopes]
        for name, m in (
            ("median", "p50"),
            ("mean", "mean"),
            ("90th pct", "p90"),
            ("95th pct", "p95"),
        )
    }
    wait_title = "Waiting time of served clients by client class"
    fig = partial(
        charts.dot_ranges,
        wait_title,
        rows,
        stats,
        "Waiting time (min)",
        target=c.target_wait_min,
        target_label=f"target wait ({c.target_wait_min:g} min)" if c.target_wait_min else "",
    )
    out = Section(
        "waiting",
        "Waiting times against the target",
        [
            "Shown are summary statistics of the waiting-time distribution, not a histogram: each "
            "replication's median, mean, 90th and 95th percentile wait of the clients it served, "
            "averaged over replications, with 95% confidence intervals. Lost clients (balked or "
            "reneged) have no wait here; they count against the service level below."
        ],
    )
    out.charts.append(Chart("waiting_times", wait_title, fig, "Dashed line: the target wait."))
    targets = {t["kpi"]: t for t in c.doc.get("targets", [])}
    for metric, title, target_key in (
        ("service_level", "Share of clients served within the target wait", "all.service_level"),
        ("lost_share", "Share of clients lost (balked or reneged)", "all.lost_share"),
    ):
        values = [est_of(c.kpis, f"{s}.{metric}", 100.0) for s in scopes]
        if not finite([v[0] for v in values]):
            continue
        t = targets.get(target_key)
        fig = partial(
            charts.estimate_bars,
            title,
            rows,
            values,
            "Share of arriving clients (%)",
            target=float(t["target"]) * 100 if t else None,
            target_label="target",
        )
        out.charts.append(Chart(metric, title, fig, "Bars: mean; whiskers: 95% CI."))
    keys = [f"{s}.{m}" for s in scopes for m in ("service_level", "wait_mean_min", "wait_p90_min")]
    out.tables.append(kpi_table("waiting", "Waiting by client class", c.kpis, keys, c.currency))
    return out


def utilisation_section(c: _Ctx) -> Section | None:
    """Utilisation by role and team with CIs, and on-duty, busy and overtime hours."""
    scopes = [k.removesuffix(".utilization") for k in c.kpis if k.endswith(".utilization")]
    if not scopes:
        return None
    title = "Utilisation by role and team (busy time / on-duty time)"
    fig = partial(
        charts.estimate_bars,
        title,
        [c.label(s) for s in scopes],
        [est_of(c.kpis, f"{s}.utilization", 100.0) for s in scopes],
        "Utilisation (%)",
    )
    keys = [
        f"{s}.{m}"
        for s in scopes
        for m in (
            "utilization",
            "on_duty_hours_per_day",
            "busy_hours_per_day",
            "overtime_hours_per_day",
        )
    ]
    return Section(
        "utilisation",
        "Utilisation of staff",
        charts=[Chart("utilisation", title, fig, "Bars: mean; whiskers: 95% CI.")],
        tables=[kpi_table("utilisation", "Staff time by role and team", c.kpis, keys, c.currency)],
    )


def backoffice_section(c: _Ctx) -> Section | None:
    """Open tasks across the day, cycle times against due times, task KPIs."""
    if "tasks.created_per_day" not in c.kpis:
        return None
    out = Section(
        "backoffice",
        "Back office: backlog and cycle times",
        [
            "Cycle time runs from a task's creation to the end of its last step; on-time share "
            "counts tasks still open at the end as late."
        ],
    )
    series = [c.series("tasks_open", "open tasks")] if "tasks_open" in c.hourly_keys else []
    series += [
        c.series(k, f"waiting for {k.removeprefix('queue.team:')}", dashed=True)
        for k in c.hourly_keys
        if k.startswith("queue.team:")
    ]
    if series:
        out.charts.append(
            c.hourly_chart(
                "backlog_by_hour",
                "Back-office work in progress by hour of day",
                series,
                "Tasks (count)",
            )
        )
    tasks = [
        k.removesuffix(".created_per_day")
        for k in c.kpis
        if k.startswith("task.") and k.endswith(".created_per_day")
    ]
    due = c.definition.get("back_office", {}).get("tasks", {}) if c.definition else {}
    if tasks:
        title = "Back-office cycle time by task type"
        fig = partial(
            charts.dot_ranges,
            title,
            [t.removeprefix("task.") for t in tasks],
            {
                "mean": [est_of(c.kpis, f"{t}.cycle_time_mean_h") for t in tasks],
                "90th pct": [est_of(c.kpis, f"{t}.cycle_time_p90_h") for t in tasks],
            },
            "Cycle time (h)",
            markers={
                "due time": [
                    (_minutes((due.get(t.removeprefix("task.")) or {}).get("due")) or math.nan) / 60
                    for t in tasks
                ]
            },
        )
        out.charts.append(Chart("cycle_times", title, fig, "Black tick: the task's due time."))
    keys = [k for k in c.kpis if k.startswith(("tasks.", "task.", "lookups."))]
    keys += [k for k in c.kpis if k.startswith("team.") and k.endswith("interruptions_per_day")]
    out.tables.append(kpi_table("backoffice", "Back-office KPIs", c.kpis, keys, c.currency))
    return out


def costs_section(c: _Ctx) -> Section | None:
    """Cost per day by component and staff cost by role."""
    parts = [k for k in c.kpis if k.startswith("cost.") and k.endswith("_per_day")]
    parts = [k for k in parts if k != "cost.total_per_day"]
    if not parts:
        return None
    staff = [
        k for k in c.kpis if k.startswith(("role.", "team.")) and k.endswith("staff_cost_per_day")
    ]
    keys = parts + staff
    labels = [k.removeprefix("cost.").removesuffix("_per_day").replace("_", " ") for k in parts]
    labels += [f"staff: {c.label(k.removesuffix('.staff_cost_per_day'))}" for k in staff]
    title = f"Cost per day by component ({c.currency}/day)"
    fig = partial(
        charts.estimate_bars,
        title,
        labels,
        [est_of(c.kpis, k) for k in keys],
        f"Cost ({c.currency}/day)",
        colours=["#0072B2"] * len(parts) + ["#56B4E9"] * len(staff),
    )
    table_keys = ["cost.total_per_day", "cost.per_served_client", *keys]
    return Section(
        "costs",
        "Costs",
        ["Dark bars: cost components (they add up to the total); light bars: staff cost by role."],
        charts=[Chart("costs", title, fig, "Bars: mean; whiskers: 95% CI.")],
        tables=[kpi_table("costs", "Cost breakdown", c.kpis, table_keys, c.currency)],
    )


def build_run_report(doc: Mapping[str, Any], *, results_dir: Path | None = None) -> Report:
    """The report of one run from its results.json document."""
    c = _Ctx(doc)
    sc = doc.get("scenario", {})
    run = doc.get("run", {})
    report = Report(
        "run",
        str(sc.get("name", "officesim run")),
        f"Simulation report · {run.get('replications', len(c.reps))} replications · "
        f"seed {run.get('seed')} · {doc.get('created_utc', '')}",
        answer=answer_cells(doc.get("targets", [])),
    )
    sections = [
        warnings_section(doc.get("warnings", [])),
        summary_section(c),
        floor_section(c.definition, c.kpis, doc.get("walking", {}).get("edge_traffic", [])),
        day_section(c),
        waiting_section(c),
        utilisation_section(c),
        channels_section(c.kpis, c.currency),
        backoffice_section(c),
        information_section(c.kpis, c.currency),
        costs_section(c),
        space_section(c.definition, c.kpis, c.reps, c.currency),
        assumptions_section(c.definition, sc.get("written_keys")),
        Section(
            "kpis",
            "Appendix: every KPI",
            tables=[kpi_table("kpis", "All KPIs", c.kpis, currency=c.currency)],
        ),
    ]
    report.sections = [s for s in sections if s is not None]
    report.reproducibility = reproducibility(
        {**doc, "seed_scheme": run.get("seed_scheme")},
        [
            ("scenario file", str(sc.get("file") or "none (scenario object)")),
            ("scenario sha256", str(sc.get("sha256") or "n/a")),
            ("root seed", str(run.get("seed"))),
            (
                "replications",
                f"{run.get('replications')} (replication i uses seeds spawned from (seed, i))",
            ),
            ("days / warm-up days", f"{run.get('days')} / {run.get('warmup_days')}"),
        ],
    )
    return report
