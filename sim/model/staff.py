"""Staff members' working lives: duty periods, breaks, and staying on after closing.

A break or a shift end never interrupts a client: the member leaves when the current service
ends (the break then lasts its full length). A member whose duty runs to closing time stays
until no client inside still needs one of their skills, so everyone inside is served.

``member_life`` is the process kept for runs with an event log; ``MemberLife`` does the same
by callbacks otherwise (``tests/model/test_flows.py`` compares both ways bit for bit).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from sim.model import clock
from sim.model.dispatch import Dispatcher, Member
from sim.model.metrics import Recorder
from sim.model.roster import MemberPlan


def member_life(
    env: simpy.Environment,
    dispatcher: Dispatcher,
    member: Member,
    plan: MemberPlan,
    recorder: Recorder,
) -> Generator[Any, Any, None]:
    """Go on and off duty as the plan says; count time worked past a scheduled end as overtime."""
    overtime = recorder.overtime
    for period in plan.periods:
        if period.start > env.now:
            yield env.timeout(period.start - env.now)
        dispatcher.on_duty(member)
        for start, length in period.breaks:
            if start > env.now:
                yield env.timeout(start - env.now)
            yield dispatcher.off_duty(member)
            yield env.timeout(length)
            dispatcher.on_duty(member)
        if period.end > env.now:
            yield env.timeout(period.end - env.now)
        if period.closes:
            while (cleared := dispatcher.needs_any(member.skills)) is not None:
                yield cleared
        yield dispatcher.off_duty(member)
        extra = env.now - max(period.end, recorder.measure_from)
        if extra > 0:
            overtime[member.role] = overtime.get(member.role, 0.0) + extra


class MemberLife:
    """``member_life`` by scheduled callbacks, for a run without an event log.

    Each ``yield env.timeout(d)`` of the process is ``clock.later(d)``, each ``yield event`` a
    callback appended to the event, and the process's start an urgent call now
    (``clock.soon``): the same steps at the same times in the same order as the process, so
    the records are the same bit for bit; only the process's own start and end events are not
    needed.
    """

    __slots__ = ("dispatcher", "env", "member", "period", "periods", "recorder", "step")

    def __init__(
        self,
        env: simpy.Environment,
        dispatcher: Dispatcher,
        member: Member,
        plan: MemberPlan,
        recorder: Recorder,
    ) -> None:
        self.env = env
        self.dispatcher = dispatcher
        self.member = member
        self.periods = plan.periods
        self.recorder = recorder
        self.period = 0
        """The duty period being lived."""
        self.step = 0
        """The break of the period coming next."""

    def start(self) -> None:
        """Begin now, where the process would take its first step."""
        clock.soon(self.env, self._next_period)

    def _next_period(self, _event: object) -> None:
        if self.period == len(self.periods):
            return
        env = self.env
        start = self.periods[self.period].start
        if start > env._now:
            clock.later(env, start - env._now, self._on)
        else:
            self._on(None)

    def _on(self, _event: object) -> None:
        self.dispatcher.on_duty(self.member)
        self.step = 0
        self._next_break()

    def _next_break(self) -> None:
        env = self.env
        period = self.periods[self.period]
        if self.step < len(period.breaks):
            start = period.breaks[self.step][0]
            if start > env._now:
                clock.later(env, start - env._now, self._to_break)
            else:
                self._to_break(None)
            return
        if period.end > env._now:
            clock.later(env, period.end - env._now, self._at_end)
        else:
            self._at_end(None)

    def _to_break(self, _event: object) -> None:
        _then(self.dispatcher.off_duty(self.member), self._on_break)

    def _on_break(self, _event: object) -> None:
        length = self.periods[self.period].breaks[self.step][1]
        clock.later(self.env, length, self._back)

    def _back(self, _event: object) -> None:
        self.dispatcher.on_duty(self.member)
        self.step += 1
        self._next_break()

    def _at_end(self, _event: object) -> None:
        """The scheduled end: stay while a client inside needs the member, then go off."""
        if self.periods[self.period].closes:
            cleared = self.dispatcher.needs_any(self.member.skills)
            if cleared is not None:
                _then(cleared, self._at_end)
                return
        _then(self.dispatcher.off_duty(self.member), self._off)

    def _off(self, _event: object) -> None:
        period = self.periods[self.period]
        recorder = self.recorder
        extra = self.env._now - max(period.end, recorder.measure_from)
        if extra > 0:
            role = self.member.role
            recorder.overtime[role] = recorder.overtime.get(role, 0.0) + extra
        self.period += 1
        self._next_period(None)


def _then(event: simpy.Event, fn: Callable[[Any], None]) -> None:
    """Call ``fn`` when ``event`` is processed, where a process yielding it would resume."""
    callbacks = event.callbacks
    assert callbacks is not None
    callbacks.append(fn)
