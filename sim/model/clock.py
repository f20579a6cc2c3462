"""The engine's clock: callbacks scheduled on a simpy environment's queue, and its run loop.

Callback flows (``QuickClient``, ``WalkingClient``, back-office tasks, arrival chains,
patience timers) do not need a ``simpy.Timeout`` or a process per step: ``later``, ``at`` and
``soon`` put the callback itself on the same event queue with the same (time, priority, event
id) key a timeout (or a process's start) would get, so events keep exactly the order they would
have had (same seed, same results). ``run`` steps the queue like
``simpy.Environment.run(until=...)`` does, without a method call and an exception handler per
event; it calls a queued callback with ``None`` where simpy would hand a callback its event.
A queue holding callbacks is therefore stepped by ``run`` only, never by ``env.step``.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from types import FunctionType, MethodType
from typing import Any

import simpy
from simpy.events import NORMAL, URGENT

from sim.errors import InternalError

_CALLBACKS = frozenset((FunctionType, MethodType))
"""The types of what ``later``, ``at`` and ``soon`` queue (anything else is a simpy event)."""


def later(env: simpy.Environment, delay: float, fn: Callable[[Any], object]) -> None:
    """Call ``fn(None)`` after ``delay`` seconds, where ``env.timeout(delay)`` would fire."""
    queue: list[Any] = env._queue
    heappush(queue, (env._now + delay, NORMAL, next(env._eid), fn))


def soon(env: simpy.Environment, fn: Callable[[Any], object]) -> None:
    """Call ``fn(None)`` now, where a process started now would take its first step.

    A process begins with an urgent event at the current time, so it runs after the urgent
    events already due now and before any normal one; this call has the same key.
    """
    queue: list[Any] = env._queue
    heappush(queue, (env._now, URGENT, next(env._eid), fn))


def at(env: simpy.Environment, when: float, fn: Callable[[Any], object]) -> None:
    """Call ``fn(None)`` at the absolute time ``when`` (normal priority)."""
    queue: list[Any] = env._queue
    heappush(queue, (when, NORMAL, next(env._eid), fn))


def run(env: simpy.Environment, until: float) -> None:
    """Process events until time ``until``, as ``env.run(until=until)`` does.

    The stop is an urgent event at ``until`` scheduled now, as simpy schedules it, so the
    events processed and their order are the same; a failed event that nobody defused raises
    as it would in simpy.
    """
    stop = simpy.Event(env)
    stop._ok = True
    stop._value = None
    env.schedule(stop, URGENT, until - env._now)
    queue: list[Any] = env._queue
    event: Any
    callbacks_types = _CALLBACKS
    while queue:
        env._now, _, _, event = heappop(queue)
        if type(event) in callbacks_types:
            event(None)
            continue
        if event is stop:
            return
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc
    raise InternalError("internal error: the event queue ran empty before the end of the run")
