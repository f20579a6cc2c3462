"""Numbers for people: KPI values with units, estimates with confidence intervals, labels."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sim.results.kpis import METRICS, metric_of

SCOPE_NAMES = {"all": "All clients", "waiting_area": "Waiting area", "tasks": "All tasks"}


def num(value: Any) -> float:
    """A document value as float (None and missing become NaN)."""
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def unit_text(unit: str, currency: str = "EUR") -> str:
    """A KPI unit for axis labels and tables (``currency/day`` → ``EUR/day``, ``share`` → ``%``)."""
    if unit == "share":
        return "%"
    return unit.replace("currency", currency)


def value_text(value: Any, unit: str, currency: str = "EUR") -> str:
    """One value in its unit: shares as percentages, money with thousands separators."""
    v = num(value)
    if math.isnan(v):
        return "n/a"
    if unit == "share":
        return f"{v:.1%}"
    if unit.startswith("currency"):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    return f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"


def estimate_text(est: Mapping[str, Any] | None, unit: str, currency: str = "EUR") -> str:
    """``mean [low, high]`` with the unit's formatting (mean alone without an interval)."""
    if not est:
        return "n/a"
    text = value_text(est.get("mean"), unit, currency)
    low, high = num(est.get("ci_low")), num(est.get("ci_high"))
    if not (math.isnan(low) or math.isnan(high)):
        text += f" [{value_text(low, unit, currency)}, {value_text(high, unit, currency)}]"
    return text


def shown_number(text: str) -> float:
    """The number a displayed value stands for (``-0.0%`` → 0.0, ``1,250`` → 1250.0)."""
    try:
        value = float(text.replace(",", "").removesuffix("%"))
    except ValueError:
        return math.nan
    return value / 100 if text.endswith("%") else value


def shown_significant(est: Mapping[str, Any] | None, unit: str) -> bool:
    """True when a difference's interval excludes zero *as displayed*: both bounds, rounded as
    the report shows them, are non-zero and on the same side (``[-0.0%, -0.0%]`` is not)."""
    if not est:
        return False
    low = shown_number(value_text(est.get("ci_low"), unit))
    high = shown_number(value_text(est.get("ci_high"), unit))
    return low > 0 or high < 0


def with_unit(text: str, unit: str, currency: str = "EUR") -> str:
    """``Mean wait (min)``: a label with its unit in brackets."""
    u = unit_text(unit, currency)
    return f"{text} ({u})" if u else text


def kpi_label(key: str) -> str:
    """A readable name of a KPI key: ``role.teller.utilization`` → ``Teller: busy time …``."""
    metric = metric_of(key)
    scope = key[: -len(metric) - 1] if key != metric else ""
    description = METRICS.get(metric, ("", metric.replace("_", " ")))[1]
    if scope in ("all", "cost", ""):
        return description
    return f"{scope_label(scope)}: {description}"


SHORT = {
    "wait_mean_min": "Mean wait",
    "wait_p90_min": "90th percentile wait",
    "service_level": "Served within target",
    "lost_share": "Clients lost",
    "staff_cost_per_day": "Staff cost",
    "total_per_day": "Total cost",
}


def short_label(key: str) -> str:
    """A short axis label of a headline KPI (its description when none is defined)."""
    return SHORT.get(metric_of(key), kpi_label(key))


def scope_label(scope: str) -> str:
    """``class.walk_in`` → ``walk_in``, ``role.teller`` → ``teller (role)``, ``all`` → ``All clients``."""
    if scope in SCOPE_NAMES:
        return SCOPE_NAMES[scope]
    kind, _, name = scope.partition(".")
    if kind == "class":
        return name
    if kind in ("role", "team", "task", "queue"):
        return f"{name} ({kind})"
    return scope


SCOPE_PLACES = {
    "class": ("client_classes",),
    "role": ("staff",),
    "team": ("back_office", "teams"),
    "task": ("back_office", "tasks"),
}
"""Where the scenario describes the class, role, team or task a KPI key names."""

SHORT_DESCRIPTION = 48
"""Longest description used as a chart or table label (longer ones stay in the appendix)."""


def described_label(scope: str, definition: Mapping[str, Any] | None) -> str:
    """A scope as the scenario describes it (``class.walk_in`` → ``Walk-in counter business``)
    when its description is short enough for a label, else :func:`scope_label`."""
    kind, _, name = scope.partition(".")
    place: Any = definition or {}
    for part in SCOPE_PLACES.get(kind, ()):
        place = place.get(part) if isinstance(place, Mapping) else None
    spec = place.get(name) if isinstance(place, Mapping) and kind in SCOPE_PLACES else None
    text = " ".join(str(spec.get("description") or "").split()) if isinstance(spec, Mapping) else ""
    return text if 0 < len(text) <= SHORT_DESCRIPTION else scope_label(scope)


def clock_labels(open_text: str, n_hours: int) -> list[str]:
    """Opening hours as ranges: ``09:00`` and 3 hours → ``["09–10", "10–11", "11–12"]``.

    Minutes are kept when the office opens off the hour (``08:30–09:30``).
    """
    h, m = (int(x) for x in open_text.split(":"))
    if m:
        return [
            f"{(h + i) % 24:02d}:{m:02d}–{(h + i + 1) % 24:02d}:{m:02d}" for i in range(n_hours)
        ]
    return [f"{(h + i) % 24:02d}–{(h + i + 1) % 24:02d}" for i in range(n_hours)]


def scalar_text(value: Any) -> str:
    """A scenario parameter's value as written (lists inline, None as 'none')."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "[" + ", ".join(scalar_text(v) for v in value) + "]"
    return str(value)
