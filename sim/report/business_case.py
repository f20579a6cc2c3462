"""The report of a business case: NPV, payback, break-even and the cumulative cash flow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sim.report.charts import figure
from sim.report.fmt import num
from sim.report.model import Cell, Chart, Report, Section, Table
from sim.report.style import OKABE_ITO, TARGET_COLOUR


def cumulative_chart(title: str, flows: list[float]) -> Figure:
    """The cumulative cash flow by month (steps), with the zero line."""
    fig = figure(2.6)
    ax = fig.axes[0]
    months = np.arange(len(flows))
    cumulative = np.cumsum(np.asarray(flows, dtype=float))
    ax.step(months, cumulative, where="post", color=OKABE_ITO["blue"], zorder=3)
    ax.axhline(0, color=TARGET_COLOUR, linewidth=1.0)
    ax.set_xlabel("month")
    ax.set_ylabel("cumulative cash flow")
    ax.set_title(title)
    return fig


def _ci(e: Mapping[str, Any]) -> str:
    return f"{num(e.get('mean')):,.0f} (95% CI {num(e.get('ci_low')):,.0f} to {num(e.get('ci_high')):,.0f})"


def _month(m: Any) -> str:
    return "not within the horizon" if m is None else f"month {m}"


def build_business_case_report(doc: Mapping[str, Any]) -> Report:
    """The report of an ``officesim business-case`` document."""
    from sim.report.common import reproducibility

    option, baseline = doc.get("option"), doc.get("baseline")
    horizon = doc.get("horizon_months")
    npv = doc.get("npv", {})
    answer = [
        Cell(f"NPV over {horizon} months: {_ci(npv)}"),
        Cell(f"Payback: {_month(doc.get('payback_month'))}"),
    ]
    pos = doc.get("npv_positive")
    if pos:
        answer.append(
            Cell(
                f"P(NPV > 0) across the assumptions: {num(pos['p']):.0%} "
                f"(95% CI {num(pos['ci_low']):.0%} to {num(pos['ci_high']):.0%})"
            )
        )
    report = Report(
        "business-case",
        f"Business case: {option} instead of {baseline}",
        f"{horizon} months at {num(doc.get('discount_rate')):.0%} a year · "
        f"{doc.get('replications')} replications · seed {doc.get('seed')}",
        answer=answer,
    )
    rows: list[list[Cell | str]] = [
        ["net present value", _ci(npv)],
        ["payback (mean cash flow)", _month(doc.get("payback_month"))],
        ["payback month over replications", _ci(doc.get("payback_month_replications", {}))],
        ["discounted payback", _month(doc.get("discounted_payback_month"))],
        ["break-even implementation cost", _ci(doc.get("break_even_implementation_cost", {}))],
    ]
    across = doc.get("npv_across_assumptions")
    if across:
        rows.append(
            [
                "NPV across the assumptions",
                f"{num(across['mean']):,.0f} (90% of samples {num(across['p05']):,.0f} to "
                f"{num(across['p95']):,.0f})",
            ]
        )
    daily = [[name, _ci(e)] for name, e in doc.get("daily_cost", {}).items()]
    section = Section(
        "business_case",
        "Cash flow",
        [
            "Month 0 pays the implementation; until go-live nothing changes; training is paid in "
            "the go-live month; the ramp after go-live is simulated (slower service and step "
            "times, recovering) and every month's flow is the baseline's total daily cost "
            "minus the option's, times the working days of a month."
        ],
        charts=[
            Chart(
                "business_case_cumulative",
                "Cumulative cash flow",
                cumulative_chart(
                    "Cumulative cash flow (mean over replications)", doc["cash_flows"]
                ),
                "Payback is where the line crosses zero for good.",
            )
        ],
        tables=[
            Table("business_case_figures", "Figures", ["figure", "value"], rows),
            Table("business_case_daily", "Simulated total cost per day", ["run", "mean"], daily),
        ],
    )
    report.sections = [section]
    if doc.get("tornado"):
        report.sections.append(npv_tornado_section(doc))
    report.reproducibility = reproducibility(doc, [("root seed", str(doc.get("seed")))])
    return report


def npv_tornado_section(doc: Mapping[str, Any]) -> Section:
    """Which assumptions move the NPV most: the tornado of the one-at-a-time runs."""
    from sim.report.robustness import tornado_chart, tornado_table

    npv = num(doc.get("npv", {}).get("mean"))
    moving = [b for b in doc["tornado"] if num(b.get("swing")) > 0]
    paragraphs = [
        "Each assumption at its low and then its high value, all others at their point values, "
        f"{doc.get('replications')} replications each on the same clients as the base run "
        "(common random numbers); the line is the NPV at the point values."
    ]
    worth = doc.get("worth_measuring") or []
    if worth:
        paragraphs.append(
            "Worth measuring before deciding (largest swing of the NPV): "
            + "; ".join(str(w) for w in worth)
            + "."
        )
    still = [str(b["factor"]) for b in doc["tornado"] if num(b.get("swing")) == 0]
    if still:
        paragraphs.append("Did not move the NPV at all: " + ", ".join(still) + ".")
    section = Section("business_case_tornado", "What moves the NPV", paragraphs)
    if moving:
        title = f"NPV over {doc.get('horizon_months')} months: what moves it"
        section.charts.append(
            Chart(
                "business_case_tornado",
                "What moves the NPV",
                tornado_chart(title, npv, moving, "net present value"),
                "Longest bars first: the assumptions whose range moves the NPV most.",
            )
        )
    section.tables.append(tornado_table("business_case_tornado", doc))
    return section
