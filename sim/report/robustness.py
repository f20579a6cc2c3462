"""The robustness of a verdict: tornado chart, probability the verdict holds, what to measure.

Built from the ``sensitivity`` record of a results document (the ``robustness`` entry of a
compare document, or a whole ``officesim/sensitivity`` document); nothing is simulated here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.report.charts import figure
from sim.report.fmt import kpi_label, num
from sim.report.model import Cell, Chart, Report, Section, Table
from sim.report.style import OKABE_ITO, TARGET_COLOUR
from sim.units import format_duration

TORNADO_BARS = 12


def _bound(x: Any, unit: str | None) -> str:
    value = num(x)
    if math.isnan(value):
        return "n/a"
    return format_duration(value) if unit == "s" else f"{value:g}"


def tornado_chart(
    title: str, base: float, bars: Sequence[Mapping[str, Any]], xlabel: str
) -> Figure:
    """Horizontal bars from the base value to the value at each factor's low and high end,
    largest swing on top."""
    shown = list(bars)[:TORNADO_BARS]
    fig = figure(max(2.2, 1.3 + 0.42 * len(shown)))
    ax = fig.axes[0]
    y = np.arange(len(shown))[::-1]
    for k, bar in enumerate(shown):
        lo = num(bar["at_low"]["mean"]) - base
        hi = num(bar["at_high"]["mean"]) - base
        ax.barh(y[k], lo, left=base, color=OKABE_ITO["sky"], height=0.6, zorder=3)
        ax.barh(y[k], hi, left=base, color=OKABE_ITO["vermillion"], height=0.6, zorder=3)
    ax.axvline(base, color=TARGET_COLOUR, linewidth=1.0)
    ax.set_yticks(y, [_factor_label(b) for b in shown])
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    fig.legend(
        handles=[
            Patch(color=OKABE_ITO["sky"], label="assumption at its low value"),
            Patch(color=OKABE_ITO["vermillion"], label="assumption at its high value"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    return fig


def _factor_label(bar: Mapping[str, Any]) -> str:
    unit = bar.get("unit")
    name = str(bar["factor"]).replace(" [", "\n[")
    return f"{name} ({_bound(bar['low'], unit)} – {_bound(bar['high'], unit)})"


def robustness_section(sens: Mapping[str, Any], section_id: str = "robustness") -> Section:
    """The verdict, the tornado, the probability the verdict holds, what to measure."""
    kpi = str(sens.get("kpi", ""))
    options = list(sens.get("short_labels") or sens.get("option_labels", []))
    diff = len(options) == 2
    value = f"{kpi_label(kpi)}: {options[1]} − {options[0]}" if diff else kpi_label(kpi)
    what = f"the difference in {kpi_label(kpi)}" if diff else kpi_label(kpi)
    base = num(sens.get("base", {}).get("mean"))
    paragraphs = []
    sweep = sens.get("sweep")
    if sweep:
        paragraphs.append(_sweep_text(sweep, kpi))
    paragraphs.append(f"Verdict at the point values: {sens.get('verdict', '')}.")
    holds = sens.get("verdict_holds")
    prob = sens.get("probabilistic") or {}
    if holds and prob:
        paragraphs.append(
            f"Probability the verdict holds when all assumptions vary together: "
            f"{num(holds['p']):.0%} (95% CI {num(holds['ci_low']):.0%} to "
            f"{num(holds['ci_high']):.0%}, over {prob['samples']} Latin hypercube samples of "
            f"{prob['replications']} replications each)."
        )
        if sweep:
            paragraphs.append(
                "That is the probability the best variant stays ahead of the runner-up; that it "
                "stays ahead of every other variant too is at most as likely."
            )
    if prob:
        paragraphs.append(_split_text(prob))
    worth = sens.get("worth_measuring") or []
    if worth:
        paragraphs.append(
            "Worth measuring before deciding: " + "; ".join(str(w) for w in worth) + "."
        )
    bars = [b for b in sens.get("tornado", []) if num(b.get("swing")) > 0]
    still = [b["factor"] for b in sens.get("tornado", []) if num(b.get("swing")) == 0]
    if still:
        paragraphs.append("Did not move the value at all: " + ", ".join(still) + ".")
    section = Section(
        section_id, "Robustness: does the verdict survive its assumptions?", paragraphs
    )
    if bars:
        section.charts.append(
            Chart(
                f"{section_id}_tornado",
                f"What moves {what}",
                tornado_chart(f"What moves {what}", base, bars, value),
                "One assumption at a time at its low and high value, all others at their point "
                f"values, {sens.get('replications')} replications each with common random "
                "numbers; the line is the value at the point values. Longest bars first.",
            )
        )
    section.tables.append(tornado_table(section_id, sens))
    return section


def _sweep_text(sweep: Mapping[str, Any], kpi: str) -> str:
    """Where the two analysed variants stand among the sweep's variants."""
    means = [num(m) for m in sweep.get("kpi_means", [])]
    ranked = sorted((m, i + 1) for i, m in enumerate(means) if not math.isnan(m))
    listed = ", ".join(f"variant {i}: {m:,.4g}" for m, i in ranked)
    return (
        f"Of the {sweep.get('variants')} variants, {sweep.get('best_label')} is the best on "
        f"{kpi_label(kpi)} at the point values of the assumptions, and "
        f"{sweep.get('runner_up_label')} is the runner-up, its closest competitor: the "
        f"analysed value is their difference, best − runner-up (each variant's mean, lowest "
        f"first: {listed})."
    )


def _split_text(prob: Mapping[str, Any]) -> str:
    share = num(prob.get("noise_share"))
    advice = (
        "simulation noise dominates: run more replications per sample before reading more "
        "into the assumptions"
        if share > 0.5
        else "the assumptions dominate: better data on them narrows the answer more than "
        "more replications would"
    )
    return (
        f"Across the samples the value has mean {num(prob['mean']):,.2f} and 90% of samples "
        f"lie between {num(prob['p05']):,.2f} and {num(prob['p95']):,.2f}. Spread caused by "
        f"the assumptions: sd {num(prob['assumption_sd']):,.2f}; simulation noise of a "
        f"sample: sd {num(prob['noise_sd']):,.2f} ({share:.0%} of the variance): {advice}."
    )


def tornado_table(section_id: str, sens: Mapping[str, Any]) -> Table:
    """The one-at-a-time runs of ``sens['tornado']`` as a table (every factor, moved or not)."""
    rows: list[list[Cell | str]] = []
    records = []
    for b in sens.get("tornado", []):
        unit = b.get("unit")
        rows.append(
            [
                b["factor"],
                b.get("origin", ""),
                f"{_bound(b['low'], unit)} / {_bound(b['mode'], unit)} / {_bound(b['high'], unit)}",
                Cell(f"{num(b['at_low']['mean']):,.2f}", "num"),
                Cell(f"{num(b['at_high']['mean']):,.2f}", "num"),
                Cell(f"{num(b['swing']):,.2f}", "num"),
            ]
        )
        records.append(
            {
                "factor": b["factor"],
                "origin": b.get("origin"),
                "low": b["low"],
                "mode": b["mode"],
                "high": b["high"],
                "value_at_low": b["at_low"]["mean"],
                "value_at_high": b["at_high"]["mean"],
                "swing": b["swing"],
            }
        )
    return Table(
        f"{section_id}_tornado",
        "Assumptions, one at a time",
        [
            "assumption",
            "range from",
            "low / point / high",
            "value at low",
            "value at high",
            "swing",
        ],
        rows,
        records,
        "'documented' ranges are those of docs/assumptions.md for defaults the files leave unset.",
    )


def build_sensitivity_report(doc: Mapping[str, Any]) -> Report:
    """The report of an ``officesim sensitivity`` document."""
    from sim.report.common import reproducibility

    options = list(doc.get("option_labels", []))
    title = "Sensitivity: " + " vs ".join(options)
    report = Report(
        "sensitivity",
        title,
        f"{doc.get('runs')} distinct runs, {doc.get('replications_total')} replications · seed "
        f"{doc.get('seed')} · {doc.get('created_utc', '')}",
        answer=[Cell(str(doc.get("verdict", "")))],
    )
    holds = doc.get("verdict_holds")
    if holds:
        report.answer.append(
            Cell(
                f"Probability the verdict holds: {num(holds['p']):.0%} "
                f"(95% CI {num(holds['ci_low']):.0%} to {num(holds['ci_high']):.0%})"
            )
        )
    report.sections = [robustness_section(doc)]
    report.reproducibility = reproducibility(
        doc, [("root seed", str(doc.get("seed"))), ("replications", str(doc.get("replications")))]
    )
    return report
