"""Staff members' working lives: duty periods, breaks, and staying on after closing.

A break or a shift end never interrupts a client: the member leaves when the current service
ends (the break then lasts its full length). A member whose duty runs to closing time stays
until no client inside still needs one of their skills, so everyone inside is served.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

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
