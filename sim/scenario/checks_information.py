"""Cross-field checks of lookup consequences and self-service (see ``sim.scenario.information``)."""

from __future__ import annotations

from collections.abc import Iterator

from sim.scenario.spec import ClientClass, Scenario
from sim.spelling import did_you_mean
from sim.units import DAY, format_duration

SHORTEST_REPEAT = DAY / 2
"""Least mean of ``repeat_after``: a return is rounded to whole days, at least one."""


def check_information(s: Scenario) -> Iterator[tuple[str, str]]:
    """Problems of the classes' lookup consequences: missing callback tasks, rework of nothing."""
    tasks = list(s.back_office.tasks) if s.back_office else []
    for name, cc in s.client_classes.items():
        yield from _check_consequences(f"client_classes.{name}.lookup.consequences", cc, tasks)


def _check_consequences(path: str, cc: ClientClass, tasks: list[str]) -> Iterator[tuple[str, str]]:
    cons = cc.lookup.consequences if cc.lookup is not None else None
    if cons is None:
        return
    reactions = (("stale", cons.stale), ("unanswered", cons.unanswered))
    callbacks = [k for k, r in reactions if r.callback > 0]
    if callbacks and cons.callback_task is None:
        yield (
            f"{path}.callback_task",
            f"'{callbacks[0]}.callback' calls clients back, but no 'callback_task' says which "
            "back-office task does it; expected the name of a task type",
        )
    if cons.callback_task is not None and cons.callback_task not in tasks:
        hint = did_you_mean(cons.callback_task, tasks) or f" (known: {', '.join(tasks) or 'none'})"
        yield f"{path}.callback_task", f"no task type '{cons.callback_task}'{hint}"
    if cons.repeat_after is not None and cons.repeat_after.mean() < SHORTEST_REPEAT:
        yield (
            f"{path}.repeat_after",
            f"a repeat visit comes back another day (the delay is rounded to whole days), but "
            f"this delay has a mean of {format_duration(cons.repeat_after.mean())}; expected a "
            "mean of at least 12 h (e.g. '2 d'); for an answer the same day use 'callback'",
        )
    for key, reaction in reactions:
        if reaction.rework > 0 and not cc.creates:
            yield (
                f"{path}.{key}.rework",
                "wrong tasks come back as rework, but this class starts no back-office task; "
                "expected 'creates' on the class, or no 'rework' share",
            )
