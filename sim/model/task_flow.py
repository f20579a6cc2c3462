"""Back-office tasks, lookups and noise interruptions run by callbacks instead of processes.

``sim.model.backoffice`` takes a task through its route as a process (``_deliver`` then
``run_task``), does a front member's lookup as a generator (``lookup``) and interrupts exposed
workers with a ``noise_interruptions`` process. When no event log is kept, ``TaskFlow`` and
``Lookup`` do the same steps with scheduled callbacks:

- a process's start is an urgent event at the time it is started: ``clock.soon``;
- each ``yield env.timeout(d)`` is ``clock.later(d)``;
- a member handing the task its step (the queue's event succeeding) is ``clock.later(0)``.

So every step happens at the same time and in the same order, with the same draws, as in the
process; only the processes' own start-up and end events are not needed (same seed, same
records: ``tests/model/test_flows.py`` compares both ways bit for bit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sim.model import clock
from sim.model.backoffice import Parcel, TaskRuntime, next_step, staff_walk, team_skill
from sim.model.dispatch import BUSY, OFF, Member

if TYPE_CHECKING:
    from sim.model.clients import ClassRuntime
    from sim.model.office import Office
    from sim.scenario.it import ITIntegration


class TaskFlow:
    """Delivers tasks to the back office and runs them through their steps by callbacks."""

    __slots__ = ("dispatcher", "env", "office", "open_tasks", "records")

    def __init__(self, office: Office) -> None:
        bo = office.backoffice
        assert bo is not None
        self.office = office
        self.env = office.env
        self.dispatcher = office.dispatcher
        self.records = bo.records
        self.open_tasks = bo.open_tasks

    def deliver(self, batch: list[Parcel], delay: float) -> None:
        """Hand ``batch`` to the back office after ``delay`` seconds (a ``_deliver`` process)."""
        clock.soon(self.env, _Delivery(self, batch, delay).start)

    def noise(
        self, member: Member, rate_per_s: float, loss: float, rng: np.random.Generator
    ) -> None:
        """Interrupt ``member`` at random while they work (a ``noise_interruptions`` process)."""
        clock.soon(self.env, _Noise(self.office, member, rate_per_s, loss, rng).start)


class _Delivery:
    """A batch of tasks on its way: after the delay, each task starts as a process would."""

    __slots__ = ("batch", "delay", "flow")

    def __init__(self, flow: TaskFlow, batch: list[Parcel], delay: float) -> None:
        self.flow = flow
        self.batch = batch
        self.delay = delay

    def start(self, _event: object) -> None:
        if self.delay > 0:
            clock.later(self.flow.env, self.delay, self.arrive)
        else:
            self.arrive(None)

    def arrive(self, _event: object) -> None:
        flow = self.flow
        for task, row, rekey, error in self.batch:
            clock.soon(flow.env, _Task(flow, task, row, rekey, error).start)


class _Task:
    """One task on its route: the steps of ``run_task``, each wait one scheduled callback."""

    __slots__ = ("flow", "i", "member", "redo_first", "rekey", "row", "task")

    def __init__(self, flow: TaskFlow, task: TaskRuntime, row: int, rekey: float, error: bool):
        self.flow = flow
        self.task = task
        self.row = row
        self.rekey = rekey
        self.redo_first = error
        self.i = 0
        """The step being done."""
        self.member: Member | None = None

    def start(self, _event: object) -> None:
        """The task enters the back office now."""
        flow = self.flow
        flow.records.entered[self.row] = flow.env._now
        self._step()

    def _step(self) -> None:
        """Take an idle member for step ``i`` or queue for one; or complete the task."""
        flow = self.flow
        steps = self.task.steps
        if self.i < len(steps):
            skill = steps[self.i].skill
            member = flow.dispatcher.idle_member(skill)
            if member is None:
                flow.dispatcher.enqueue_call(skill, self.task.priority, self._called)
                return
            self._work(member)
            return
        now = flow.env._now
        flow.records.completed[self.row] = now
        flow.open_tasks.change(now, -1)

    def _called(self, member: Member | None) -> None:
        """A member takes the step from the queue; the task goes on in an event now."""
        self.member = member
        clock.later(self.flow.env, 0.0, self._resume)

    def _resume(self, _event: object) -> None:
        assert self.member is not None
        self._work(self.member)

    def _work(self, member: Member) -> None:
        """``member`` works on the step: its time is drawn now (plus re-keying, slowed down)."""
        duration = self.task.steps[self.i].time()
        if self.rekey:
            duration += self.rekey
            self.rekey = 0.0
        if member.slowdown != 1.0:
            duration *= member.slowdown
        self.member = member
        clock.later(self.flow.env, duration, self._worked)

    def _worked(self, _event: object) -> None:
        """The step's time is up: first make up time lost to interruptions, then hand on."""
        flow = self.flow
        member = self.member
        assert member is not None
        if member.debt > 0:
            owed, member.debt = member.debt, 0.0
            clock.later(flow.env, owed, self._worked)
            return
        flow.dispatcher.release(member)
        step = self.task.steps[self.i]
        self.i = next_step(self.task, step, self.i, self.redo_first, flow.records, self.row)
        self.redo_first = False
        self._step()


class _Noise:
    """Clients and front staff within earshot interrupting one worker, by callbacks."""

    __slots__ = ("loss", "mean", "member", "office", "rng")

    def __init__(
        self,
        office: Office,
        member: Member,
        rate_per_s: float,
        loss: float,
        rng: np.random.Generator,
    ) -> None:
        self.office = office
        self.member = member
        self.mean = 1 / rate_per_s
        self.loss = loss
        self.rng = rng

    def start(self, _event: object) -> None:
        clock.later(self.office.env, self.rng.exponential(self.mean), self._hit)

    def _hit(self, _event: object) -> None:
        office = self.office
        now = office.env._now
        if now >= office.horizon:
            return
        member = self.member
        if member.state == BUSY:
            member.debt += self.loss
            bo = office.backoffice
            if now >= office.measure_from and bo is not None:
                bo.noise_hits[member.role] = bo.noise_hits.get(member.role, 0) + 1
        clock.later(office.env, self.rng.exponential(self.mean), self._hit)


class Lookup:
    """A front member's lookup for a client of ``cls``: the steps of ``backoffice.lookup``
    (walk over, overhead, someone of the team answers or is interrupted, walk back), each wait
    one scheduled callback; ``then(answered)`` is called at the end, where the generator
    returns."""

    __slots__ = (
        "answer",
        "answered",
        "cls",
        "helper",
        "it",
        "member",
        "mode",
        "office",
        "started",
        "then",
        "walk",
    )

    def __init__(
        self, office: Office, member: Member, cls: ClassRuntime, then: Callable[[bool], object]
    ) -> None:
        self.office = office
        self.member = member
        self.cls = cls
        self.then = then
        self.answered = True
        self.helper: Member | None = None
        """The idle member of the team who answers (None: a busy one is interrupted)."""
        self.it: ITIntegration = office.it.configured
        self.started = 0.0
        self.answer = 0.0
        self.mode = "system"
        self.walk = 0.0

    def start(self) -> None:
        """The lookup begins now: draw the answer time, walk over if the IT level says so."""
        office = self.office
        cls = self.cls
        assert cls.lookup is not None and cls.lookup_time is not None
        back_office = office.scenario.back_office
        assert back_office is not None
        self.started = office.env._now
        team = cls.lookup.team
        it = self.it = office.it.effective()
        self.answer = cls.lookup_time()
        mode = it.lookup
        if mode == "walk" and back_office.teams[team].offsite is not None:
            mode = "phone"
        self.mode = mode
        walk = self.walk = staff_walk(office, self.member, team) if mode == "walk" else 0.0
        if walk:
            office.recorder.staff_walk(self.member.role, office.env._now, 2 * walk)
            clock.later(office.env, walk, self._there)
        else:
            self._there(None)

    def _there(self, _event: object) -> None:
        overhead = self.office.it.lookup_overhead(self.it)
        if overhead:
            clock.later(self.office.env, overhead, self._ask)
        else:
            self._ask(None)

    def _ask(self, _event: object) -> None:
        """Someone of the team answers (``backoffice.interrupt``), unless the system does."""
        if self.mode == "system":
            self._answered(True)
            return
        office = self.office
        assert self.cls.lookup is not None
        team = self.cls.lookup.team
        d = office.dispatcher
        skill = team_skill(team)
        helper = self.helper = d.idle_member(skill)
        if helper is not None:
            clock.later(office.env, self.answer, self._helped)
            return
        on_duty: list[Member] = [m for m in d.candidates[skill] if m.state != OFF]
        if not on_duty:
            self._answered(False)
            return
        rng = office.streams("interrupt")
        victim = on_duty[int(rng.random() * len(on_duty))]
        victim.debt += self.answer + office.scenario.zoning.lookup_resumption
        bo = office.backoffice
        if bo is not None and office.env._now >= office.measure_from:
            bo.interruptions[team] = bo.interruptions.get(team, 0) + 1
        clock.later(office.env, self.answer, self._heard)

    def _helped(self, _event: object) -> None:
        assert self.helper is not None
        self.office.dispatcher.release(self.helper)
        self._answered(True)

    def _heard(self, _event: object) -> None:
        self._answered(True)

    def _answered(self, answered: bool) -> None:
        self.answered = answered
        if self.walk:
            clock.later(self.office.env, self.walk, self._back)
        else:
            self._back(None)

    def _back(self, _event: object) -> None:
        """Back at the desk: count the lookup, then go on with the client."""
        office = self.office
        now = office.env._now
        bo = office.backoffice
        assert bo is not None
        if now >= office.measure_from:
            bo.lookups += 1
            bo.lookups_failed += 0 if self.answered else 1
            bo.lookup_time += now - self.started
        self.then(self.answered)
