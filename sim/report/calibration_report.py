"""The calibration report: what was read and dropped, every fit, and simulated vs observed.

Built from a ``calibration.json`` document (schema ``officesim/calibration``); it runs no
simulation. Sections: records read and dropped; arrival profile with 95% bands per day type and
the Poisson tests; service fits (AIC table, QQ plot); patience (Kaplan-Meier survival with the
censored fits, hazard, and what ignoring censoring would give); observed staffing; and, when the
document holds one, the validation with the places where the model misses the data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats

from sim.report.calibration_charts import qq_chart, staffing_chart, survival_chart
from sim.report.charts import Series, XAxis, band_chart
from sim.report.model import Cell, Chart, Report, Section, Table
from sim.report.validation_report import METRIC_LABELS, overlap, validation_section

FAMILIES = {"lognormal": stats.lognorm, "gamma": stats.gamma, "exponential": stats.expon}


def _num(v: Any) -> float:
    return math.nan if v is None else float(v)


def _hour_label(seconds: float) -> str:
    h, rem = divmod(round(seconds), 3600)
    return f"{h:02d}:{rem // 60:02d}"


def dropped_section(doc: Mapping[str, Any]) -> Section:
    """Records read, fitted and dropped per reason."""
    rows: list[list[Cell | str]] = [
        [r["reason"], Cell(f"{r['count']:,}", "num"), Cell(str(r["first_line"]), "num")]
        for r in doc["dropped"]
    ]
    total = sum(r["count"] for r in doc["dropped"])
    return Section(
        "records",
        "Records read and dropped",
        [
            f"{doc['rows_read']:,} rows read from {doc['source']} (format {doc['format']}); "
            f"{total:,} dropped, {doc['records_fitted']:,} kept. Nothing is dropped silently: "
            "every reason is listed with its count and the first line that had it."
        ],
        tables=[
            Table(
                "dropped",
                "Dropped records",
                ["reason", "records", "first line"],
                rows,
                records=list(doc["dropped"]),
            )
        ],
    )


def arrivals_section(doc: Mapping[str, Any]) -> Section:
    """The arrival profile of every day type with its 95% bands, and the Poisson tests."""
    profile = doc["profile"]
    series, rows = [], []
    starts = sorted({iv["start"] for p in profile.values() for iv in p["intervals"]})
    for day_type, p in profile.items():
        by_start = {iv["start"]: iv for iv in p["intervals"]}
        pick = lambda key: [_num(by_start[s][key]) if s in by_start else math.nan for s in starts]  # noqa: E731, B023
        series.append(
            Series(
                f"{day_type} ({len(p['dates'])} dates)",
                pick("per_hour"),
                pick("ci_low"),
                pick("ci_high"),
            )
        )
        d, u = p["dispersion"], p["uniform"]
        rows.append(
            [
                day_type,
                Cell(str(len(p["dates"])), "num"),
                Cell(
                    f"{d['statistic']:.0f} on {d['size']} df, p = {_num(d['p_value']):.2g}", "num"
                ),
                Cell(
                    f"KS {_num(u['statistic']):.3f}, n = {u['size']:,}, p = {_num(u['p_value']):.2g}",
                    "num",
                ),
            ]
        )
    step = starts[1] - starts[0] if len(starts) > 1 else 3600.0
    chart = band_chart(
        "Arrival rate by time of day and day type (95% bands, exact Poisson)",
        XAxis(
            [s / 3600 for s in starts],
            [_hour_label(s) if (s % 3600 == 0) else "" for s in starts],
            "time of day",
        ),
        series,
        "arrivals per hour",
    )
    return Section(
        "arrivals",
        "Arrivals: a non-homogeneous Poisson process",
        [
            f"Rates per {step / 60:.0f}-minute interval, pooled over the dates of each day type. "
            "The index-of-dispersion test compares the day-to-day variance of each interval's "
            "count with its mean (equal for Poisson counts; a small p-value means the days differ "
            "by more than chance: a day-level factor, as Brown et al. 2005 found). The "
            "conditional-uniform test (Brown et al. 2005, 3.1) checks that arrivals within an "
            "interval are spread as a Poisson process spreads them.",
        ],
        charts=[
            Chart(
                "arrival_profile",
                "Arrival profile",
                chart,
                "Lines are rates per hour; shaded bands their 95% confidence intervals.",
            )
        ],
        tables=[
            Table(
                "poisson_tests",
                "Tests of the Poisson assumption",
                ["day type", "dates", "index of dispersion", "conditional uniform"],
                rows,
            )
        ],
    )


def _fit_rows(fits: Sequence[Mapping[str, Any]]) -> list[list[Cell | str]]:
    best = fits[0]["aic"] if fits else math.nan
    return [
        [
            f["family"],
            Cell(f"{f['aic']:,.0f}", "num"),
            Cell(f"{f['aic'] - best:+,.0f}", "num"),
            Cell(
                f"{_num(f['mean_s']):.1f} [{_num(f['mean_ci_s'][0]):.1f}, {_num(f['mean_ci_s'][1]):.1f}]",
                "num",
            ),
            Cell(f"{_num(f['sd_s']):.1f}", "num"),
            Cell(f"{_num(f['ks']):.3f}", "num"),
        ]
        for f in fits
    ]


FIT_COLUMNS = ["family", "AIC", "ΔAIC", "mean s [95% CI]", "sd s", "KS distance"]


def service_section(group: str, svc: Mapping[str, Any]) -> Section:
    """Service-time fits by AIC, all services and the body, with a QQ plot."""
    best = svc["fits"][0]["family"]
    body = svc["body_fits"][0]["family"] if svc["body_fits"] else "none"
    qq = qq_chart(
        f"Service times of {group}: QQ plot against the {best} fit",
        svc["qq"]["fitted_s"],
        svc["qq"]["observed_s"],
        best,
    )
    return Section(
        f"service-{group}",
        f"Service times: {group}",
        [
            f"{svc['n']:,} services, observed mean {svc['mean_s']:.1f} s (95% CI "
            f"{svc['mean_ci_s'][0]:.1f}-{svc['mean_ci_s'][1]:.1f}), sd {svc['sd_s']:.1f} s. "
            f"{svc['short_share']:.1%} last under 10 s (transfers, hang-ups at pick-up), more "
            f"than any of the families allows. Over all services the best fit by AIC is {best} "
            f"(written into the scenario: it keeps the observed mean); without the short ones it "
            f"is {body}.",
        ],
        charts=[
            Chart(
                f"qq_{group}",
                f"QQ plot, {group}",
                qq,
                "Points on the diagonal: the fitted distribution has the observed quantiles.",
            )
        ],
        tables=[
            Table(
                f"service_fits_{group}",
                "Maximum-likelihood fits, all services",
                FIT_COLUMNS,
                _fit_rows(svc["fits"]),
                records=svc["fits"],
            ),
            Table(
                f"service_body_{group}",
                "Fits to services of 10 s or more",
                FIT_COLUMNS,
                _fit_rows(svc["body_fits"]),
                records=svc["body_fits"],
            ),
        ],
    )


def _sf(fit: Mapping[str, Any], t: np.ndarray) -> list[float]:
    *shapes, scale = fit["params"]
    return [float(v) for v in FAMILIES[fit["family"]](*shapes, loc=0, scale=scale).sf(t)]


def patience_section(group: str, pat: Mapping[str, Any]) -> Section:
    """Kaplan-Meier survival with censored fits, hazard, and the naive estimate."""
    km = pat["km"]
    t = np.asarray(km["t_s"], dtype=float)
    best = pat["fits"][0]
    curves: dict[str, Sequence[float]] = {
        f"censored MLE {f['family']}": _sf(f, t) for f in pat["fits"][:2]
    }
    curves["abandoned only (censoring ignored)"] = _sf(pat["naive"], t)
    chart = survival_chart(
        f"Patience of {group}: survival curve", km["t_s"], km["sf"], km["low"], km["high"], curves
    )
    hazard: list[list[Cell | str]] = [
        [
            f"{h['from_s'] / 60:.0f}-{h['from_s'] / 60 + 1:.0f} min",
            Cell(f"{_num(h['per_min']):.3f}", "num"),
            Cell(str(h["events"]), "num"),
        ]
        for h in pat["hazard"]
    ]
    return Section(
        f"patience-{group}",
        f"Patience: {group}",
        [
            f"{pat['abandoned']:,} clients abandoned (their wait is their patience); the other "
            f"{pat['n'] - pat['abandoned']:,} with a wait were served, which shows only that their "
            f"patience was longer (right-censored). Best censored fit: {best['family']}, mean "
            f"{best['mean_s']:.0f} s (95% CI {_num(best['mean_ci_s'][0]):.0f}-{_num(best['mean_ci_s'][1]):.0f}). "
            f"Fitting the abandoned waits alone gives a mean of {pat['naive']['mean_s']:.0f} s: "
            "ignoring censoring makes clients look far less patient than they are.",
        ],
        charts=[
            Chart(
                f"survival_{group}",
                f"Patience survival, {group}",
                chart,
                "Step line: Kaplan-Meier with its 95% band; dashed: fitted distributions.",
            )
        ],
        tables=[
            Table(
                f"patience_fits_{group}",
                "Censored maximum-likelihood fits",
                FIT_COLUMNS,
                _fit_rows(pat["fits"]),
                records=pat["fits"],
            ),
            Table(
                f"hazard_{group}",
                "Abandonment hazard by time waited",
                ["waited", "abandonments per minute waiting", "abandonments"],
                hazard,
                records=pat["hazard"],
            ),
        ],
    )


def appointments_section(groups: Mapping[str, Any]) -> Section | None:
    """No-show rate and punctuality of booked clients, per group (None without bookings)."""
    rows: list[list[Cell | str]] = []
    for group, g in groups.items():
        a = g.get("appointments")
        if not a:
            continue
        rows.append(
            [
                group,
                Cell(f"{a['booked']:,}", "num"),
                Cell(
                    f"{a['no_show']:.1%} [{a['no_show_ci'][0]:.1%}, {a['no_show_ci'][1]:.1%}]",
                    "num",
                ),
                Cell(
                    f"{_num(a['offset_mean']) / 60:+.1f} min, sd {_num(a['offset_sd']) / 60:.1f}",
                    "num",
                ),
            ]
        )
    if not rows:
        return None
    return Section(
        "appointments",
        "Appointments: no-shows and punctuality",
        [
            "No-show share with its exact (Clopper-Pearson) interval; punctuality is arrival minus "
            "booked time (negative = early). Use them for 'no_show', 'punctuality_mean' and "
            "'punctuality_sd' of the class's appointments."
        ],
        tables=[
            Table(
                "appointments",
                "Booked clients",
                ["group", "booked", "no-show [95% CI]", "arrival - booked time"],
                rows,
            )
        ],
    )


def staffing_section(st: Mapping[str, Any]) -> Section:
    """Observed staffing and occupancy per interval."""
    hours = [s / 3600 for s in st["starts_s"]]
    chart = staffing_chart(
        f"Agents working ({st['method']}) and their occupancy",
        hours,
        st["mean_agents"],
        [_num(o) for o in st["occupancy"]],
    )
    return Section(
        "staffing",
        "Staffing as observed",
        [
            f"Estimated from who served when on {len(st['dates'])} {st['day_type']} dates "
            f"(method '{st['method']}'). 'seen' counts every agent with a service in the interval "
            "(an upper bound on capacity); 'present' counts each agent for the time between the "
            "first and last of a run of services with no gap over 5 minutes."
        ],
        charts=[Chart("staffing", "Observed staffing", chart, "Bars: agents; line: occupancy.")],
    )


def tasks_section(doc: Mapping[str, Any]) -> Section:
    """Task types of a back-office log: arrival rates, step times, rework."""
    rows: list[list[Cell | str]] = []
    for t in doc["task_types"]:
        for s in t["steps"]:
            time = s["time"]
            rows.append(
                [
                    t["type"],
                    f"{t['per_hour']:.3f} [{t['per_hour_ci'][0]:.3f}, {t['per_hour_ci'][1]:.3f}]",
                    s["step"],
                    s["team"],
                    Cell(f"{s['done']:,}", "num"),
                    Cell(f"{time['family']} mean {time['mean_s'] / 60:.1f} min", "num"),
                    Cell(
                        f"{s['rework_p']:.1%} [{s['rework_ci'][0]:.1%}, {s['rework_ci'][1]:.1%}]",
                        "num",
                    ),
                ]
            )
    return Section(
        "tasks",
        "Back-office task types",
        [
            "Arrival rate per working hour (95% CI, exact Poisson), step times by AIC, rework: the "
            "share of a step's completions followed by the same or an earlier step."
        ],
        tables=[
            Table(
                "task_types",
                "Task types and steps",
                [
                    "type",
                    "tasks per hour [95% CI]",
                    "step",
                    "team",
                    "done",
                    "time",
                    "rework [95% CI]",
                ],
                rows,
                records=list(doc["task_types"]),
            )
        ],
    )


def build_calibration_report(doc: Mapping[str, Any]) -> Report:
    """The calibration report of a ``calibration.json`` document."""
    if doc.get("log_kind") == "tasks":
        report = Report(
            "calibration",
            f"Calibration of {str(doc['source']).rsplit('/', 1)[-1]}",
            "Calibration report · back-office task log",
        )
        report.sections = [dropped_section(doc), tasks_section(doc)]
        report.reproducibility = [("log file", str(doc["source"])), ("format", "tasks")]
        return report
    report = Report(
        "calibration",
        f"Calibration of {doc['source'].rsplit('/', 1)[-1]}",
        f"Calibration report · {doc['day_type']} · {len(doc['fitted_dates'])} dates fitted",
    )
    sections = [dropped_section(doc), arrivals_section(doc)]
    for group, g in doc["groups"].items():
        sections += [service_section(group, g["service"]), patience_section(group, g["patience"])]
    booked = appointments_section(doc["groups"])
    if booked is not None:
        sections.append(booked)
    sections.append(staffing_section(doc["staffing"]))
    if doc.get("validation"):
        val = doc["validation"]
        sections.append(validation_section(val))
        report.answer = [
            Cell(
                f"{METRIC_LABELS[r['metric']][0]}: simulated {r['relative_error']:+.1%} vs observed",
                "met" if overlap(r) else "missed",
            )
            for r in val["overall"]
            if r["relative_error"] is not None
        ]
    report.sections = sections
    report.reproducibility = [
        ("log file", str(doc["source"])),
        ("format", str(doc["format"])),
        ("scenario written", str(doc.get("scenario_file") or "none")),
        ("fitted dates", ", ".join(doc["fitted_dates"])),
    ]
    return report
