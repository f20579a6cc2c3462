"""Report sections for information quality and self-service, and for a scenario's warnings.

Both read results.json only: the information section appears when the run has lookup
consequences or self-service KPIs, the warnings section when the document has warnings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sim.report.common import kpi_table
from sim.report.model import Section
from sim.results.kpis_information import INFORMATION_METRICS


def information_section(kpis: Mapping[str, Mapping[str, Any]], currency: str) -> Section | None:
    """Bad answers and what they caused (lost deals, callbacks, repeat visits, rework), and
    self-service contacts, overall and per class."""
    keys = [k for k in kpis if k.rsplit(".", 1)[-1] in INFORMATION_METRICS]
    if not keys:
        return None
    overall = [k for k in keys if k.startswith("all.")]
    per_class = [k for k in keys if k.startswith("class.")]
    cost = [k for k in ("cost.lost_deal_value_per_day",) if k in kpis]
    out = Section(
        "information",
        "Information quality and self-service",
        [
            "What stale or missing answers at lookups cost (clients who leave without the deal, "
            "callbacks, repeat visits, wrong tasks coming back), and how many contacts "
            "self-service solved or handed on. Clients who left without the deal were served "
            "at the desk, so they also count among the served."
        ],
    )
    out.tables.append(kpi_table("information", "Overall", kpis, overall + cost, currency))
    if per_class:
        out.tables.append(
            kpi_table("information_by_class", "By client class", kpis, per_class, currency)
        )
    return out


def warnings_section(warnings: Sequence[Mapping[str, Any]]) -> Section | None:
    """The scenario's warnings (valid, but probably not what was meant), if any."""
    if not warnings:
        return None
    return Section(
        "warnings",
        "Warnings about the scenario",
        [f"{w.get('key', '')}: {w.get('message', '')}" for w in warnings],
    )
