"""Warnings about a valid scenario: things that run, but probably not as the planner meant.

Unlike the checks (``sim.scenario.checks``), these never stop a run; the command line prints
each once per scenario file, and results.json keeps them under ``warnings``.
"""

from __future__ import annotations

from sim.scenario.spec import Scenario
from sim.units import format_duration


def scenario_warnings(s: Scenario) -> list[tuple[str, str]]:
    """(key path, message) of every warning about ``s``, in a stable order."""
    out: list[tuple[str, str]] = []
    if s.it.deflection > 0:
        out.append(
            (
                "it.deflection",
                "deprecated: a global self-service share whose requests never come in and "
                "start no back-office tasks; write 'self_service: {share, containment, time}' "
                "on the client classes instead (contained requests still start their tasks)",
            )
        )
    if (
        s.back_office is not None
        and "level" not in s.it.model_fields_set
        and s.it.handoff == "paper"
    ):
        out.append(
            (
                "it.level",
                "not set, so the back office works under the default IT level 'manual': every "
                "task waits for a paper round (every "
                f"{format_duration(s.it.pickup_interval)}), which turns a plain queueing "
                "network into a batched one; set 'it: {level: integrated, outage_every: null, "
                "outage_repair: null}' for a neutral IT, or 'level: manual' to keep paper",
            )
        )
    out += [
        (
            f"client_classes.{name}.lookup.quality",
            "has no effect without 'consequences': the answer quality of a lookup only counts "
            "where the class says what clients do after a stale or missing answer",
        )
        for name, cc in s.client_classes.items()
        if cc.lookup is not None
        and cc.lookup.quality is not None
        and cc.lookup.consequences is None
    ]
    return out


def warning_lines(s: Scenario, source: str) -> list[str]:
    """The warnings as lines to print, e.g. ``warning: office.yaml: it.level: not set, ...``."""
    return [f"warning: {source}: {key}: {msg}" for key, msg in scenario_warnings(s)]
