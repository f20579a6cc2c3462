"""Where a specific target's clients are measured: a KPI scope per target (``window.*``).

A client target of ``targets.specific`` covers some classes over an arrival window with its own
target wait, so its KPIs get a scope of their own, named after what it covers:
``window.advice_walk_in.12:00-14:00.within_15min`` (classes joined by ``+``, ``all`` for every
class, ``channel_phone`` for every class of a channel). The scope's ``service_level`` counts clients served within *that* target wait.
"""

from __future__ import annotations

from sim.scenario.spec import Scenario, SpecificTarget
from sim.units import MINUTE, format_clock


def target_wait(target: SpecificTarget, scenario: Scenario) -> float:
    """The target's waiting time in seconds (the scenario's target wait by default)."""
    return target.wait if target.wait is not None else scenario.targets.wait


def wait_text(seconds: float) -> str:
    """``15min`` for whole minutes, else ``450s`` (no dots: the text is part of a KPI key)."""
    minutes = seconds / MINUTE
    return f"{minutes:.0f}min" if minutes == round(minutes) else f"{seconds:.0f}s"


def segment_scope(target: SpecificTarget, scenario: Scenario) -> str:
    """The KPI scope of a client target (see the module docstring)."""
    if target.channel is not None:
        classes = f"channel_{target.channel}"
    else:
        classes = "+".join(target.clients) if target.clients else "all"
    start, end = target.window(scenario.hours.open, scenario.hours.close)
    window = f"{format_clock(start)}-{format_clock(end)}"
    return f"window.{classes}.{window}.within_{wait_text(target_wait(target, scenario))}"


def client_segments(scenario: Scenario) -> dict[str, SpecificTarget]:
    """Scope → the client target measured in it, for every client target of the scenario."""
    return {segment_scope(t, scenario): t for t in scenario.targets.specific if not t.is_task}
