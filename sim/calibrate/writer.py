"""Write a calibration as a scenario file, with a comment on every number saying where it came from.

The file is plain YAML in the style of the shipped scenarios: each calibrated number carries n,
period, fit and confidence interval; the few choices that are not measurements (target wait,
replications) say so. Staffing is the observed one (agents seen serving), as stacked shifts.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import yaml

from sim.calibrate.arrivals import ArrivalFit
from sim.calibrate.fit import Calibration
from sim.calibrate.mle import Fit
from sim.calibrate.staffing import IDLE_GAP, ObservedStaffing, stacked_shifts
from sim.scenario.loading import validate_scenario
from sim.scenario.spec import Scenario
from sim.units import HOUR


def _clock(seconds: float) -> str:
    h, rem = divmod(round(seconds), 3600)
    return f'"{h:02d}:{rem // 60:02d}"'


def _s(seconds: float) -> str:
    return f"{seconds:.1f} s"


def _n(value: int) -> str:
    return f"{value:,}"


def period_text(dates: tuple[dt.date, ...] | list[dt.date]) -> str:
    """``10 dates 1999-02-01..1999-02-14``."""
    if not dates:
        return "no dates"
    return f"{len(dates)} dates {min(dates).isoformat()}..{max(dates).isoformat()}"


def _fit_comment(fit: Fit, others: tuple[Fit, ...], n: int, what: str) -> str:
    rest = ", ".join(f"{f.family} {f.aic - fit.aic:+,.0f}" for f in others if f is not fit)
    return (
        f"MLE ({what}) of {_n(n)} values; lowest AIC {fit.aic:,.0f} (others: {rest}); "
        f"95% CI of the mean {fit.mean_ci[0]:.1f}-{fit.mean_ci[1]:.1f} s"
    )


def distribution_lines(fit: Fit, indent: str) -> list[str]:
    """The scenario lines of a fitted distribution (mean/sd or mean/cv), with their CIs."""
    out = [f"{indent}dist: {fit.family}"]
    ci = f"  # 95% CI {fit.mean_ci[0]:.1f}-{fit.mean_ci[1]:.1f} s"
    out.append(f"{indent}mean: {_s(fit.mean)}{ci}")
    if fit.family == "lognormal":
        out.append(f"{indent}sd: {_s(fit.sd)}  # 95% CI {fit.sd_ci[0]:.1f}-{fit.sd_ci[1]:.1f} s")
    elif fit.family == "gamma":
        cv = fit.sd / fit.mean
        out.append(f"{indent}cv: {cv:.4f}  # shape {fit.params[0]:.4f} (cv = 1 / sqrt(shape))")
    return out


def _rate_lines(fit: ArrivalFit, window: tuple[float, float], indent: str) -> list[str]:
    out = [f"{indent}rate:"]
    hourly = {int(r.start // HOUR): r for r in fit.intervals}
    for h in range(int(window[0] // HOUR), math.ceil(window[1] / HOUR)):
        r = hourly[h]
        out.append(
            f"{indent}  - {r.per_hour:.2f}  # {h:02d}-{h + 1:02d} h: {_n(r.count)} arrivals over "
            f"{r.days} {fit.day_type} dates, 95% CI {r.ci_low:.2f}-{r.ci_high:.2f} (exact Poisson)"
        )
    totals = fit.daily_totals()
    mean = float(np.mean(totals))
    out.append(f"{indent}day_factors:  # day total / mean day total ({mean:.1f}), in date order")
    for d, n in zip(fit.dates, totals, strict=True):
        out.append(f"{indent}  - {n / mean:.4f}  # {d.isoformat()} ({d.strftime('%A')}): {_n(n)}")
    return out


def _class_lines(cal: Calibration, group: str) -> list[str]:
    a, s, p = cal.arrivals[group], cal.service[group], cal.patience[group]
    out = [
        f"  {group}:",
        f"    description: Contacts of group {group} in {Path(cal.log.source).name}",
    ]
    out.append(f"    skill: {group}")
    out.append(
        f"    # Poisson arrivals, one rate per opening hour: calls per hour on {a.day_type} dates"
    )
    out.append(
        f"    # (index of dispersion p = {a.dispersion.p_value:.3g}; conditional-uniform test "
        f"p = {a.uniform.p_value:.3g}, Brown et al. 2005)."
    )
    out.append("    arrivals:")
    out.extend(_rate_lines(a, cal.window, "      "))
    out.append(f"    # Service: {_fit_comment(s.best, s.fits, s.n, 'all services')}.")
    out.append(
        f"    # Observed mean {s.mean:.1f} s (95% CI {s.mean_ci[0]:.1f}-{s.mean_ci[1]:.1f}); "
        f"{s.short_share:.1%} last under 10 s."
    )
    if s.body:
        b = s.body[0]
        out.append(
            f"    # Services of 10 s or more: best fit {b.family} (KS {b.ks:.3f}), "
            f"mean {b.mean:.1f} s, sd {b.sd:.1f} s."
        )
    out.append("    service:")
    out.extend(distribution_lines(s.best, "      "))
    how = "censored: abandoned = observed, served = right-censored"
    out.append(
        f"    # Patience: {_fit_comment(p.best, p.fits, p.n, how)}; {_n(p.abandoned)} abandoned."
    )
    out.append(
        f"    # Ignoring censoring (abandoned waits only) would give a mean of {p.naive.mean:.1f} s."
    )
    out.append("    patience:")
    out.extend(distribution_lines(p.best, "      "))
    return out


STAFFING_TEXT = {
    "present": "agents present (time between the first and last of a run of services with no idle "
    f"gap over {IDLE_GAP / 60:.0f} min), mean over the dates, rounded per quarter hour",
    "seen": "distinct agents seen serving, mean over the dates, rounded per interval; an upper "
    "bound on capacity: an agent seen in an interval may have worked part of it",
}


def _staff_lines(cal: Calibration, staffing: ObservedStaffing) -> list[str]:
    mean = staffing.mean_agents()
    counts = [round(float(v)) for v in mean]
    raised = bool(counts) and counts[-1] == 0
    if raised:
        counts[-1] = 1  # someone must serve those still waiting at closing
    shifts = stacked_shifts(counts, list(staffing.starts), staffing.length)
    per_hour: dict[int, list[int]] = {}
    for k, start in enumerate(staffing.starts):
        per_hour.setdefault(int(start // HOUR), []).append(k)
    busy = staffing.busy.sum(axis=0)
    on = staffing.agents.sum(axis=0) * staffing.length
    out = [
        "staff:",
        "  agents:",
        f"    description: Agents as observed ({staffing.method})",
        f"    skills: [{', '.join(cal.groups)}]",
        f"    # Staffing: {STAFFING_TEXT[staffing.method]};",
        f"    # {period_text(staffing.dates)} ({staffing.day_type}). Per hour: agents, occupancy:",
    ]
    for h, ks in sorted(per_hour.items()):
        occ = busy[ks].sum() / on[ks].sum() if on[ks].sum() > 0 else float("nan")
        out.append(
            f"    #   {h:02d}-{h + 1:02d} h: {float(np.mean(mean[ks])):5.2f} agents, occupancy {occ:.0%}"
        )
    if raised:
        out.append(
            "    # The last quarter hour had no agent on average: one is kept until closing."
        )
    out.append("    shifts:")
    for start, end, n in shifts:
        out.append(f"      - {{start: {_clock(start)}, end: {_clock(end)}, count: {n}}}")
    return out


def scenario_yaml(
    cal: Calibration, staffing: ObservedStaffing | None = None, name: str | None = None
) -> str:
    """The calibrated scenario as YAML text (``staffing`` defaults to the fitted period's)."""
    staffing = staffing or cal.staffing
    src = Path(cal.log.source).name
    log = cal.log
    kept = len(log)
    dropped = log.dropped.total
    first = cal.arrivals[cal.groups[0]]
    lines = [
        f"# Calibrated from {src} (format {log.fmt}) by 'officesim calibrate'.",
        f"# Records: {_n(log.rows_read)} read, {_n(dropped)} dropped (reasons in the calibration "
        f"report), {_n(kept)} fitted.",
        f"# Fitted on {cal.day_type} dates: {period_text(first.dates)}; staffing observed on "
        f"{period_text(staffing.dates)}.",
        "# Every number below says where it came from; re-run the calibration on new data rather",
        "# than editing them by hand.",
        "",
        f"name: {name or 'Calibrated ' + Path(src).stem}",
        "description: >",
        f"  Calibrated from {src}: {cal.day_type} days, groups {', '.join(cal.groups)}, observed staffing.",
        f"# One simulated day per fitted {cal.day_type} date (their totals are the day factors).",
        f"days: {len(first.dates)}",
        "warmup_days: 0",
        "# Replications: a choice, not a measurement (20 gives usable intervals).",
        "replications: 20",
        "seed: 1",
        f"# Whole hours with arrivals on at least 80% of the {cal.day_type} dates.",
        "hours:",
        f"  open: {_clock(cal.window[0])}",
        f"  close: {_clock(cal.window[1])}",
        "# A choice, not a measurement: the share of clients answered within 'wait'.",
        "targets:",
        f"  wait: {_s(cal.options.target_wait)}",
        "  service_level: 0.8",
        "  max_abandonment: 0.05",
        "client_classes:",
    ]
    for g in cal.groups:
        lines.extend(_class_lines(cal, g))
    lines.extend(_staff_lines(cal, staffing))
    return "\n".join(lines) + "\n"


def build_scenario(cal: Calibration, staffing: ObservedStaffing | None = None) -> Scenario:
    """The calibrated scenario, validated exactly as the written file will be."""
    data = yaml.safe_load(scenario_yaml(cal, staffing))
    return validate_scenario(data, "<calibrated scenario>")


__all__ = ["build_scenario", "distribution_lines", "period_text", "scenario_yaml"]
