"""KPIs per contact channel (walk-in, phone, chat, e-mail), from the client records.

Written only when some class comes by phone, chat or e-mail (``records.channels`` is set), so a
walk-in office's results are unchanged. Per channel ``channel.<c>``:

- ``arrivals_per_day``, ``served_per_day``, ``abandonment_share`` (reneged over arrived);
- ``service_level``: share of arrived contacts answered within the target wait; for e-mail,
  share answered (handling finished) within the e-mail due time;
- ``response_time_mean_min`` / ``response_time_p90_min``: time to answer of answered contacts
  — the wait (speed of answer) for walk-ins, calls and chats; arrival to reply for e-mail;
- remote channels only: ``backlog_at_close`` (contacts open at closing, mean over measured
  days) and ``open_at_end`` (contacts still open when the run stopped).
"""

from __future__ import annotations

import math

import numpy as np

from sim.model.metrics import OUTCOME_RENEGED, OUTCOME_SERVED
from sim.model.records import OfficeRecords
from sim.units import MINUTE

CHANNEL_METRICS: dict[str, tuple[str, str]] = {
    "response_time_mean_min": (
        "min",
        "Mean time to answer (e-mail: to reply) of answered contacts",
    ),
    "response_time_p90_min": ("min", "90th percentile time to answer of answered contacts"),
    "backlog_at_close": ("contacts", "Contacts open at closing time (mean over days)"),
    "open_at_end": ("contacts", "Contacts still open when the run stopped"),
}


def channel_kpis(
    records: OfficeRecords, kpis: dict[str, float], days: int, target_wait: float
) -> None:
    """Add the ``channel.<c>.*`` KPIs of a replication with remote channels to ``kpis``."""
    ch = records.channels
    if ch is None:
        return
    rec = records.clients
    measured = rec["arrival"] >= records.measure_from
    of_class = np.asarray(ch.class_channels, dtype=object)
    channel = of_class[rec["cls"]] if len(rec["cls"]) else np.zeros(0, dtype=object)
    for c in dict.fromkeys(ch.class_channels):
        mask = measured & (channel == c)
        scope = f"channel.{c}"
        email = c == "email"
        answer = rec["time_in_system"] if email else rec["wait"]
        limit = ch.email_due if email else target_wait
        _one(kpis, scope, rec["outcome"][mask], answer[mask], limit, days)
        if c in ch.open_at_end:
            closes = ch.at_close[c]
            kpis[f"{scope}.backlog_at_close"] = float(np.mean(closes)) if closes else math.nan
            kpis[f"{scope}.open_at_end"] = float(ch.open_at_end[c])


def _one(
    kpis: dict[str, float],
    scope: str,
    outcome: np.ndarray,
    answer: np.ndarray,
    limit: float,
    days: int,
) -> None:
    served = outcome == OUTCOME_SERVED
    n = len(outcome)
    kpis[f"{scope}.arrivals_per_day"] = n / days
    kpis[f"{scope}.served_per_day"] = int(served.sum()) / days
    reneged = int((outcome == OUTCOME_RENEGED).sum())
    kpis[f"{scope}.abandonment_share"] = reneged / n if n else math.nan
    on_time = int((served & (answer <= limit)).sum())
    kpis[f"{scope}.service_level"] = on_time / n if n else math.nan
    times = answer[served] / MINUTE
    if len(times):
        kpis[f"{scope}.response_time_mean_min"] = float(times.mean())
        kpis[f"{scope}.response_time_p90_min"] = float(np.percentile(times, 90))
    else:
        kpis[f"{scope}.response_time_mean_min"] = math.nan
        kpis[f"{scope}.response_time_p90_min"] = math.nan
