"""A member's release in one step gives the levels and states of the step-by-step way.

``Dispatcher.release`` keeps a member who takes the next waiter at once busy (one update of the
busy level) instead of freeing them and starting them again; the integrals, maxima, states and
hand-overs must be the same to the bit as ``_release_then_pull``, which does it step by step.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from sim.model.dispatch import Dispatcher, Member
from sim.model.metrics import Level

Release = Callable[[Dispatcher, Member], None]


def _day(release: Release) -> tuple[Any, ...]:
    """Two members, one skill: hand-overs at once, an idle release and a break while busy."""
    env = simpy.Environment()
    busy, on = Level(), Level()
    members = [Member("role.t", i, ["a"], busy, on) for i in range(2)]
    d = Dispatcher(env, members, ["a"])
    calls: list[tuple[float, int | None]] = []
    states: list[tuple[float, ...]] = []

    def free(m: Member) -> None:
        release(d, m)
        states.append((busy.area, busy.last, busy.value, busy.max, m.state, m.busy_since))

    def call(member: Member | None) -> None:
        calls.append((env.now, None if member is None else member.index))

    def work() -> Generator[simpy.Event, Any, None]:
        for m in members:
            d.on_duty(m)
        first, second = d.idle_member("a"), d.idle_member("a")
        assert first is not None and second is not None
        yield env.timeout(1.7)
        for priority in (0, 2, 0):
            d.enqueue_call("a", priority, call)
        yield env.timeout(2.9)
        free(first)
        yield env.timeout(0.1)
        free(second)
        yield env.timeout(3.3)
        free(first)
        d.off_duty(second)
        yield env.timeout(1.1)
        free(second)
        yield env.timeout(0.7)
        free(first)

    env.process(work())
    env.run()
    levels = [busy, on, d.waiting, d.queue_level["a"]]
    return (
        [(lv.area, lv.last, lv.value, lv.max) for lv in levels],
        [(m.state, m.busy_since) for m in members],
        calls,
        states,
    )


def test_release_matches_the_step_by_step_release_bit_for_bit() -> None:
    one_step = _day(Dispatcher.release)
    step_by_step = _day(Dispatcher._release_then_pull)
    assert one_step == step_by_step
    assert len(one_step[2]) == 3 and len(one_step[3]) == 5
    assert one_step[0][0][0] > 0
