"""Report sections for contact channels and blended work (only when the results have them)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from sim.report import charts
from sim.report.common import est_of, kpi_table
from sim.report.model import Chart, Section

CHANNEL_KEYS = (
    "arrivals_per_day",
    "service_level",
    "abandonment_share",
    "response_time_mean_min",
    "response_time_p90_min",
    "backlog_at_close",
    "open_at_end",
)
SHARES = ("share_clients", "share_tasks", "share_switching", "share_idle")


def channel_keys(kpis: Mapping[str, Any]) -> list[str]:
    """The channel KPIs and blending time shares present in ``kpis``, in reading order."""
    channels = list(dict.fromkeys(k.split(".")[1] for k in kpis if k.startswith("channel.")))
    keys = [f"channel.{c}.{m}" for c in channels for m in CHANNEL_KEYS]
    scopes = list(dict.fromkeys(k.rsplit(".", 1)[0] for k in kpis if k.endswith(".share_idle")))
    keys += [f"{s}.{m}" for s in scopes for m in SHARES]
    return [k for k in keys if k in kpis]


def channels_section(kpis: Mapping[str, Mapping[str, Any]], currency: str) -> Section | None:
    """Service level, abandonment, response time and backlog per channel; time shares."""
    keys = channel_keys(kpis)
    if not keys:
        return None
    out = Section(
        "channels",
        "Channels and blended work",
        [
            "Per channel: service level (e-mail: answered within its due time), abandonment, "
            "time to answer and contacts open at closing. Per blending crew: shares of on-duty "
            "time on clients, on back-office tasks, switching and idle (they add up to 1)."
        ],
    )
    channels = [k.split(".")[1] for k in keys if k.endswith(".service_level")]
    if channels:
        title = "Service level by channel"
        fig = partial(
            charts.estimate_bars,
            title,
            channels,
            [est_of(kpis, f"channel.{c}.service_level", 100.0) for c in channels],
            "Service level (%)",
        )
        out.charts.append(Chart("channel_service_level", title, fig, "Whiskers: 95% CI."))
    out.tables.append(kpi_table("channels", "Channels and time shares", kpis, keys, currency))
    return out
