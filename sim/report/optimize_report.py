"""The report of a staffing optimisation: the plan, its cost and targets, and the search trace."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from sim.report import charts
from sim.report.common import answer_cells, kpi_table, reproducibility, targets_table
from sim.report.fmt import estimate_text, num, scalar_text
from sim.report.model import Cell, Chart, Report, Section, Table
from sim.results.kpis import unit_of

COST_KPI = "all.staff_cost_per_day"


def _objective_unit(doc: Mapping[str, Any]) -> tuple[str, str]:
    """The objective's label and unit."""
    objective = str(doc.get("objective", COST_KPI))
    if objective == COST_KPI:
        return "Staff cost per day", unit_of(COST_KPI)
    if objective == "cost.total_per_day":
        return "Total cost per day (staff, rent, IT, lost clients, late tasks)", unit_of(objective)
    if objective == "staff hours per day":
        return objective.capitalize(), "h/day"
    return f"Weighted objective: {objective}", ""


def plan_table(doc: Mapping[str, Any]) -> Table:
    """The chosen staffing per role: count, or shifts with counts."""
    rows: list[list[Cell | str]] = []
    records = []
    for role, spec in doc.get("plan", {}).items():
        if "count" in spec:
            rows.append([role, "all opening hours", Cell(str(spec["count"]), "num")])
            records.append({"role": role, "shift": "all opening hours", "count": spec["count"]})
        for sh in spec.get("shifts", []):
            span = f"{sh['start']}–{sh['end']}"
            rows.append([role, span, Cell(str(sh["count"]), "num")])
            records.append({"role": role, "shift": span, "count": sh["count"]})
    return Table(
        "plan",
        "Chosen staffing",
        ["Role", "Shift", "Staff"],
        rows,
        records,
        note="Apply it with: " + " ".join(f"--set {o}" for o in doc.get("overrides", [])),
    )


def trace_section(doc: Mapping[str, Any]) -> Section:
    """Every plan evaluated: cost with CI by verdict, and the table."""
    label, unit = _objective_unit(doc)
    trace = doc.get("trace", [])
    out = Section(
        "trace",
        "How the search went",
        [
            "The search starts from the queueing-theory requirement, adds staff while targets "
            "are missed, then removes staff while the targets stay met; every plan is simulated "
            "with the same replication seeds (common random numbers)."
        ],
    )
    if trace:
        title = f"Plans evaluated by the search: {label.lower()} and verdict"
        costs = [
            (
                num(t["cost"].get("mean")),
                num(t["cost"].get("ci_low")),
                num(t["cost"].get("ci_high")),
            )
            for t in trace
        ]
        fig = partial(
            charts.trace_chart,
            title,
            [int(t["step"]) for t in trace],
            costs,
            [str(t["status"]) for t in trace],
            [bool(t["chosen"]) for t in trace],
            f"{label} ({unit.replace('currency', 'currency units')})",
        )
        out.charts.append(Chart("trace", title, fig, "Whiskers: 95% CI; grey line: moves made."))
    rows: list[list[Cell | str]] = []
    for t in trace:
        plan = ", ".join(f"{k}={v}" for k, v in t.get("plan", {}).items())
        rows.append(
            [
                Cell(str(t["step"]), "num"),
                str(t.get("phase", "")),
                Cell(plan, "mono"),
                Cell(str(t.get("replications")), "num"),
                Cell(estimate_text(t.get("cost"), unit), "num"),
                Cell(str(t["status"]), str(t["status"])),
                "yes" if t.get("chosen") else "",
                str(t.get("note", "")),
            ]
        )
    records = [
        {
            **{k: v for k, v in t.items() if k not in ("plan", "cost")},
            **t.get("plan", {}),
            **{f"cost_{k}": v for k, v in (t.get("cost") or {}).items()},
        }
        for t in trace
    ]
    out.tables.append(
        Table(
            "trace",
            "Search trace",
            ["Step", "Phase", "Plan", "Replications", label, "Verdict", "Moved", "Note"],
            rows,
            records,
        )
    )
    return out


def build_optimize_report(doc: Mapping[str, Any]) -> Report:
    """The report of an optimize document."""
    label, unit = _objective_unit(doc)
    feasible = bool(doc.get("feasible"))
    headline = (
        Cell(
            f"✓ Cheapest plan found that meets every target: {label.lower()} "
            f"{estimate_text(doc.get('cost'), unit)}",
            "met",
        )
        if feasible
        else Cell("✗ No plan found that meets every target with confidence.", "missed")
    )
    report = Report(
        "optimize",
        f"{doc.get('scenario', 'Scenario')}: staffing optimisation",
        f"{len(doc.get('trace', []))} plans evaluated · {doc.get('replications')} replications "
        f"for the chosen plan · {doc.get('created_utc', '')}",
        answer=[headline, *answer_cells(doc.get("targets", []))],
    )
    summary = Section(
        "summary",
        "The plan",
        tables=[
            plan_table(doc),
            targets_table("targets", doc.get("targets", []), "Service targets of the chosen plan"),
        ],
    )
    staff = doc.get("hourly_staff", {})
    reqs = {
        role: [float(r.get("required", 0)) for r in rows]
        for role, rows in doc.get("requirements", {}).items()
    }
    if staff:
        n = max(len(v) for v in staff.values())
        hours = [f"{h + 1}" for h in range(n)]
        title = "Staff on duty per opening hour: chosen plan against the requirement"
        fig = partial(charts.staffing_steps, title, hours, staff, reqs)
        summary.charts.append(
            Chart(
                "staffing",
                title,
                fig,
                "Dotted: staff each hour needs by queueing theory (Erlang C/A) — the search's "
                "starting point; solid: the simulated plan. Hours are numbered from opening.",
            )
        )
    req_rows: list[list[Cell | str]] = []
    req_records = []
    for role, rows in doc.get("requirements", {}).items():
        for r in rows:
            req_rows.append(
                [role]
                + [
                    Cell(scalar_text(r.get(k)), "num")
                    for k in (
                        "hour",
                        "arrivals_per_hour",
                        "offered_erlangs",
                        "erlang_c",
                        "erlang_a",
                        "required",
                    )
                ]
            )
            req_records.append({"role": role, **r})
    if req_rows:
        summary.tables.append(
            Table(
                "requirements",
                "Analytic requirement per opening hour",
                [
                    "Role",
                    "Hour",
                    "Arrivals/h",
                    "Offered load (Erlang)",
                    "Erlang C",
                    "Erlang A",
                    "Required",
                ],
                req_rows,
                req_records,
            )
        )
    report.sections = [
        summary,
        trace_section(doc),
        Section(
            "kpis",
            "Appendix: every KPI of the chosen plan",
            tables=[kpi_table("kpis", "All KPIs", doc.get("kpis", {}))],
        ),
    ]
    report.reproducibility = reproducibility(doc, [("objective", str(doc.get("objective")))])
    return report
