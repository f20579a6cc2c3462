"""KPIs of information quality and self-service: bad answers and what they cost, bot contacts.

Counts are per measured day, by the time of the event (the lookup, the bot's end, a wrong
task's return). A lost deal is a client served at the desk who left without the deal after a
stale or missing answer: ``served_per_day`` still counts them (they were served), and
``lost_deals_per_day`` counts them apart, valued at the class's ``deal_value`` (default
``costs.lost_deal_value``) in ``cost.lost_deal_value_per_day``, which ``cost.total_per_day``
includes. ``repeat_visits_per_day`` counts the clients who will come back another day,
including those whose return falls after the last simulated day.
"""

from __future__ import annotations

import math

import numpy as np

from sim.model import information as info
from sim.model.records import OfficeRecords
from sim.scenario.spec import Scenario
from sim.units import HOUR

INFORMATION_METRICS: dict[str, tuple[str, str]] = {
    "stale_answers_per_day": ("count/day", "Lookups answered with stale or wrong information"),
    "no_answers_per_day": ("count/day", "Lookups that went unanswered"),
    "lost_deals_per_day": ("clients/day", "Clients who left without the deal after a bad answer"),
    "lost_deal_value_per_day": ("currency/day", "Value of the deals lost after bad answers"),
    "callbacks_per_day": ("clients/day", "Clients to be called back after a bad answer"),
    "callback_delay_mean_h": ("h", "Mean time until a callback task is done (delayed answer)"),
    "repeat_visits_per_day": (
        "clients/day",
        "Clients who come back another day after a bad answer",
    ),
    "wrong_info_rework_per_day": (
        "tasks/day",
        "Tasks that came back as rework because of wrong information",
    ),
    "bot_tried_per_day": ("clients/day", "Clients who tried self-service first"),
    "contained_per_day": ("clients/day", "Requests solved by self-service"),
    "escalated_per_day": ("clients/day", "Self-service contacts handed on to the human queue"),
    "containment_share": ("share", "Share of self-service contacts solved there"),
}

SHOWN_WHEN_PRESENT = (
    "all.lost_deals_per_day",
    "all.repeat_visits_per_day",
    "all.callbacks_per_day",
    "all.wrong_info_rework_per_day",
    "all.contained_per_day",
    "cost.lost_deal_value_per_day",
)
"""Outcome KPIs that decision tables and comparison reports show whenever a run has them."""

_COUNTS = (
    ("stale_answers_per_day", info.EVENT_STALE),
    ("no_answers_per_day", info.EVENT_UNANSWERED),
    ("lost_deals_per_day", info.EVENT_LEAVE),
    ("callbacks_per_day", info.EVENT_CALLBACK),
    ("wrong_info_rework_per_day", info.EVENT_REWORK),
)
_BOT_COUNTS = (
    ("bot_tried_per_day", info.EVENT_BOT_TRIED),
    ("contained_per_day", info.EVENT_CONTAINED),
    ("escalated_per_day", info.EVENT_ESCALATED),
)


def deal_value(s: Scenario, name: str) -> float:
    """The value of a deal a client of class ``name`` loses by leaving."""
    lookup = s.client_classes[name].lookup
    own = lookup.consequences.deal_value if lookup and lookup.consequences else None
    return own if own is not None else s.costs.lost_deal_value


def information_kpis(s: Scenario, records: OfficeRecords, kpis: dict[str, float]) -> None:
    """Add the information and self-service KPIs (nothing when no class uses them), and the
    value of lost deals to the costs."""
    contacts = records.contacts
    if contacts is None:
        return
    days = s.days - s.warmup_days
    ev = contacts.events
    measured = ev["time"] >= records.measure_from
    lost_value = 0.0
    with_answers = {n for n, c in s.client_classes.items() if c.lookup and c.lookup.consequences}
    with_bot = {n for n, c in s.client_classes.items() if c.self_service is not None}
    totals: dict[str, float] = {}
    for index, name in enumerate(records.class_names):
        mine = measured & (ev["cls"] == index)
        kinds = np.bincount(ev["kind"][mine], minlength=len(info.EVENT_NAMES))
        scope = f"class.{name}"
        out: dict[str, float] = {}
        if name in with_answers:
            for metric, kind in _COUNTS:
                out[metric] = kinds[kind] / days
            repeats = kinds[info.EVENT_REPEAT] + kinds[info.EVENT_REPEAT_BEYOND]
            out["repeat_visits_per_day"] = repeats / days
            out["lost_deal_value_per_day"] = out["lost_deals_per_day"] * deal_value(s, name)
            lost_value += out["lost_deal_value_per_day"]
        if name in with_bot:
            for metric, kind in _BOT_COUNTS:
                out[metric] = kinds[kind] / days
            ended = kinds[info.EVENT_CONTAINED] + kinds[info.EVENT_ESCALATED]
            out["containment_share"] = kinds[info.EVENT_CONTAINED] / ended if ended else math.nan
        for metric, value in out.items():
            kpis[f"{scope}.{metric}"] = value
            if metric != "containment_share":
                totals[metric] = totals.get(metric, 0.0) + value
    for metric, value in totals.items():
        kpis[f"all.{metric}"] = value
    if with_bot:
        tried = totals["contained_per_day"] + totals["escalated_per_day"]
        kpis["all.containment_share"] = totals["contained_per_day"] / tried if tried else math.nan
    if with_answers:
        kpis["all.callback_delay_mean_h"] = _callback_delay(records)
        _add_cost(kpis, lost_value)


def _callback_delay(records: OfficeRecords) -> float:
    """Mean creation-to-completion time of the callback tasks created in the measured days."""
    bo = records.back_office
    contacts = records.contacts
    if bo is None or contacts is None or not len(contacts.callback_rows):
        return math.nan
    rows = contacts.callback_rows
    created = bo.tasks["created"][rows]
    completed = bo.tasks["completed"][rows]
    done = (created >= records.measure_from) & ~np.isnan(completed)
    return float((completed[done] - created[done]).mean()) / HOUR if done.any() else math.nan


def _add_cost(kpis: dict[str, float], lost_value: float) -> None:
    """Put the value of lost deals into the cost breakdown and its totals."""
    kpis["cost.lost_deal_value_per_day"] = lost_value
    total = kpis["cost.total_per_day"] + lost_value
    kpis["cost.total_per_day"] = total
    served = kpis["all.served_per_day"]
    kpis["cost.per_served_client"] = total / served if served else math.nan


def contact_checks(records: OfficeRecords) -> dict[str, float]:
    """The whole-run contact balance for the run's checks (empty without the new flows)."""
    contacts = records.contacts
    if contacts is None:
        return {}
    return {f"contacts_{k}": v for k, v in contacts.balance.items()}
