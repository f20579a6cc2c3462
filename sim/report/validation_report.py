"""The validation part of the calibration report: simulated vs observed, overall and per hour.

Rendered from the ``validation`` part of a ``calibration.json`` document; it says plainly where
the model and the data disagree (95% intervals that do not meet).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sim.report.charts import Series, XAxis, band_chart
from sim.report.model import Cell, Chart, Section, Table

METRIC_LABELS = {
    "arrivals_per_day": ("Contacts per day", 1.0, ""),
    "abandonment_share": ("Abandonment share", 100.0, "%"),
    "wait_mean_min": ("Mean wait of the served", 1.0, " min"),
    "service_level": ("Served within the target wait", 100.0, "%"),
}


def _num(v: Any) -> float:
    return math.nan if v is None else float(v)


def _est_text(e: Mapping[str, Any], scale: float, unit: str) -> str:
    m, lo, hi = (
        _num(e.get("mean")) * scale,
        _num(e.get("ci_low")) * scale,
        _num(e.get("ci_high")) * scale,
    )
    if math.isnan(lo):
        return f"{m:.2f}{unit}"
    return f"{m:.2f}{unit} [{lo:.2f}, {hi:.2f}]"


def overlap(r: Mapping[str, Any]) -> bool:
    """Whether the observed and simulated 95% intervals of a row meet."""
    o, s = r["observed"], r["simulated"]
    lo = max(_num(o.get("ci_low")), _num(s.get("ci_low")))
    hi = min(_num(o.get("ci_high")), _num(s.get("ci_high")))
    return not (lo > hi)


def _series(
    label: str, ests: list[Mapping[str, Any]], scale: float, dashed: bool = False
) -> Series:
    mean, low, high = ([_num(e[k]) * scale for e in ests] for k in ("mean", "ci_low", "ci_high"))
    return Series(label, mean, low, high, dashed=dashed)


def validation_section(val: Mapping[str, Any]) -> Section:
    """Simulated vs observed, overall (table) and per hour (charts), with the misses named."""
    rows: list[list[Cell | str]] = []
    for r in val["overall"]:
        label, scale, unit = METRIC_LABELS[r["metric"]]
        err = r["relative_error"]
        rows.append(
            [
                label,
                Cell(_est_text(r["observed"], scale, unit), "num"),
                Cell(_est_text(r["simulated"], scale, unit), "num"),
                Cell("n/a" if err is None else f"{err:+.1%}", "num" if overlap(r) else "missed"),
            ]
        )
    charts = []
    for metric in ("abandonment_share", "wait_mean_min"):
        label, scale, unit = METRIC_LABELS[metric]
        hourly = [r for r in val["hourly"] if r["metric"] == metric]
        x = list(range(len(hourly)))
        obs = _series("observed", [r["observed"] for r in hourly], scale)
        sim = _series("simulated", [r["simulated"] for r in hourly], scale, dashed=True)
        fig = band_chart(
            f"{label}: simulated vs observed, by hour of arrival",
            XAxis(x, [r["scope"] for r in hourly], "hour of arrival"),
            [obs, sim],
            f"{label}{unit}",
        )
        charts.append(
            Chart(
                f"validation_{metric}",
                f"Simulated vs observed: {label}",
                fig,
                "Observed: pooled over the dates, band = spread of daily values (95%); "
                "simulated: mean of replications with its 95% CI.",
            )
        )
    misses = [
        f"{r['scope']} ({METRIC_LABELS[r['metric']][0].lower()}, {r['relative_error']:+.0%})"
        for r in val["hourly"]
        if not overlap(r) and r["relative_error"] is not None
    ]
    period = f"{len(val['validated_on'])} dates {val['validated_on'][0]}..{val['validated_on'][-1]}"
    holdout = (
        (
            f"Fitted on the {len(val['fitted_on'])} dates before {val['holdout']}, validated on "
            f"the {period} from it: an honest out-of-sample test. "
        )
        if val["holdout"]
        else (f"Fitted and validated on the same {period} (an in-sample check). ")
    )
    text = [
        holdout + f"The calibrated scenario ran {val['replications']} replications with the "
        "staffing observed in the validated period.",
        (
            "Where the model does not reproduce the data (95% intervals apart): "
            + "; ".join(misses)
            + ". Misses concentrated in the first and last hours usually mean the staffing estimate "
            "is off where agents come and go; misses everywhere in one direction mean capacity is "
            "misjudged (agents seen are not agents available) or patience differs by time of day."
        )
        if misses
        else "Every hourly figure agrees with the data within the 95% intervals.",
    ]
    return Section(
        "validation",
        "Validation: simulated vs observed",
        text,
        charts=charts,
        tables=[
            Table(
                "validation",
                "Simulated vs observed, whole period",
                ["figure", "observed [95% CI over days]", "simulated [95% CI]", "relative error"],
                rows,
                records=list(val["overall"]) + list(val["hourly"]),
            )
        ],
    )
