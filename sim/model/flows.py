"""How a class's clients are started and, for walk-ins, run by callbacks instead of processes.

``ArrivalChain`` releases a class's arrivals one after another. Each arrival starts a client
the cheapest way its class allows, with the same rules and the same numbers:

- ``QuickClient`` (``sim.model.clients``) for a plain class: queue and service only;
- ``WalkingClient`` for walk-ins who walk a floor plan, see the reception, take waiting seats
  and start back-office tasks, when no event log is kept and the IT level cannot change
  during a run: each step (walk to a seat, the queue, walk up and service, the walk out) is one
  scheduled callback instead of the resumption of a generator;
  a lookup during the service is a ``Lookup`` of callbacks (``sim.model.task_flow``);
- the ``client`` process otherwise (event logs, IT outages, self-service, bots, and the clients
  whose lookup's answer has consequences, known at arrival).

A callback client schedules exactly the events the process would, at the same times and in
the same order (a call from the queue is still one event at the time of the call), so the two
ways give identical records; only the process's start and end events are not needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy
from simpy.events import URGENT

from sim.model import clock
from sim.model.backoffice import create_task
from sim.model.channels import RemoteFlow
from sim.model.clients import (
    ClassRuntime,
    QuickClient,
    Visit,
    _admit,
    _arrive,
    _leave_seat,
    _record,
    _walk_seconds,
    after_arrival,
    client,
)
from sim.model.dispatch import Member
from sim.model.metrics import OUTCOME_RENEGED, OUTCOME_SERVED
from sim.model.task_flow import Lookup

if TYPE_CHECKING:
    from sim.model.office import Office


class ArrivalChain:
    """Releases a class's arrivals one after another by callbacks, without a process.

    Each arrival is one timeout whose callback starts the client and schedules the next
    arrival. The chain starts with an urgent event at time zero, exactly where a process
    looping over the times would have started.
    """

    def __init__(self, office: Office, cls: ClassRuntime, daily_times: Iterator[np.ndarray]):
        self.env = office.env
        self._days = daily_times
        self._times: Iterator[float] = iter(())
        self._start, self._next_first = _starter(office, cls)
        begin = simpy.Event(self.env)
        begin._ok = True
        begin._value = None
        begin.callbacks.append(self._schedule_next)
        self.env.schedule(begin, URGENT)

    def _schedule_next(self, _event: simpy.Event) -> None:
        env = self.env
        for t in self._times:
            clock.later(env, t - env._now, self._arrive)
            return
        for times in self._days:
            self._times = iter(times.tolist())
            for t in self._times:
                clock.later(env, t - env._now, self._arrive)
                return

    def _arrive(self, event: simpy.Event) -> None:
        """Start the client now and schedule the next arrival, in the order the client's way
        needs (see ``_starter``)."""
        if self._next_first:
            self._schedule_next(event)
            self._start()
            return
        self._start()
        self._schedule_next(event)


def _starter(office: Office, cls: ClassRuntime) -> tuple[Callable[[], object], bool]:
    """How to start a client of ``cls`` now, and whether the next arrival is scheduled first.

    A process's start is an urgent event, so a process runs after the next arrival is
    scheduled; ``WalkingClient`` keeps that order by scheduling the next arrival first.
    ``QuickClient`` and remote contacts have always run before it.
    """
    if cls.channel != "walk_in":
        flow = RemoteFlow(office, cls)
        cls.again = flow.arrive
        return flow.arrive, False
    if cls.plain and not office.log.enabled:
        return QuickClient(office, cls).arrive, False
    if WalkingClient.fits(office, cls):
        return WalkingClient(office, cls).arrive, True
    env = office.env

    def start() -> object:
        return env.process(client(office, cls))

    return start, True


class WalkingClient:
    """Walk-in clients of one class run by callbacks (see the module docstring).

    Each client is a ``_Walker``: its steps are the ones of ``sim.model.clients.client`` in the
    same order, and every wait is one scheduled callback where the process yields an event.
    """

    def __init__(self, office: Office, cls: ClassRuntime) -> None:
        self.office = office
        self.env = office.env
        self.dispatcher = office.dispatcher
        self.walking = office.walking
        self.seats = office.seats
        self.waiting = office.waiting
        self.measure_from = office.measure_from
        self.service_factor = office.it.configured.service_factor
        self.cls = cls
        self.metres = office.walking.client_metres
        """Metres between two points for a client (``Walking.client_metres``)."""

    @staticmethod
    def fits(office: Office, cls: ClassRuntime) -> bool:
        """True when clients of ``cls`` can run by callbacks in ``office``: no event log, an IT
        level that cannot change, no self-service and no bot."""
        return (
            not office.log.enabled
            and office.it.static
            and cls.self_service is None
            and cls.bot is None
        )

    def arrive(self) -> None:
        """A client of the class arrives now; one whose lookup's answer has consequences runs
        as a process."""
        office = self.office
        visit = _arrive(office, self.cls)
        if visit is None:
            return
        if visit.needs_lookup and self.cls.answers is not None:
            self.env.process(after_arrival(office, visit))
            return
        if _admit(office, visit):
            _Walker(self, visit).stage(0)


class _Walker:
    """One client of a ``WalkingClient`` class on the way through the office."""

    __slots__ = ("flow", "i", "last", "measured", "queued", "visit")

    def __init__(self, flow: WalkingClient, visit: Visit) -> None:
        self.flow = flow
        self.visit = visit
        self.i = 0
        """The stage being done (reception, then service)."""
        self.last = len(visit.stages) == 1
        """True when stage ``i`` is the last one."""
        self.measured = visit.arrived >= flow.measure_from
        """True when the client's walks count for traffic (arrived after the warm-up)."""
        self.queued = 0.0
        """When the client joined the queue of the stage."""

    def _walk(self, target: int, then: Callable[[Any], object]) -> None:
        """Walk to point ``target``, then ``then(None)`` (at once when there is no way)."""
        flow = self.flow
        visit = self.visit
        metres = flow.metres(visit.here, target, self.measured)
        visit.here = target
        visit.walked += metres
        if metres > 0:
            clock.later(flow.env, _walk_seconds(flow.office, visit, metres), then)
        else:
            then(None)

    def stage(self, i: int) -> None:
        """Begin stage ``i``: nobody free yet, so first to a waiting seat (with a plan)."""
        self.i = i
        self.last = i == len(self.visit.stages) - 1
        flow = self.flow
        visit = self.visit
        seats = flow.seats
        if visit.member is None and seats is not None:
            slot, point = seats.take(visit.here, self.measured)
            visit.seat = slot
            flow.waiting.to_seat += 1
            self._walk(point, self._sit)
            return
        self._find_member()

    def _sit(self, _event: object) -> None:
        """At the seat (or the place to stand): sit down, then look for a member."""
        flow = self.flow
        flow.waiting.to_seat -= 1
        assert flow.seats is not None
        flow.seats.sit(flow.env._now, self.visit.seat)
        self.visit.seated = True
        self._find_member()

    def _find_member(self) -> None:
        """Take an idle member of the stage's skill, or join its queue (with patience)."""
        flow = self.flow
        visit = self.visit
        d = flow.dispatcher
        skill = visit.stages[self.i][0]
        if visit.member is None:
            visit.member = d.idle_member(skill)
        if visit.member is not None:
            self._go_up()
            return
        now = flow.env._now
        self.queued = now
        waiter = d.enqueue_call(skill, visit.cls.priority, self._answer)
        if visit.deadline is not None:
            d.start_patience(waiter, max(visit.deadline - now, 0.0))

    def _answer(self, member: Member | None) -> None:
        """A member calls the client (None: patience ran out); they react in an event now."""
        self.visit.member = member
        clock.later(self.flow.env, 0.0, self._called)

    def _called(self, _event: object) -> None:
        """The wait is over: count it, then go up to the desk or give up."""
        visit = self.visit
        visit.wait += self.flow.env._now - self.queued
        self._go_up()

    def _go_up(self) -> None:
        """Leave the seat; walk up to the member's desk and be served, as one event."""
        flow = self.flow
        visit = self.visit
        env = flow.env
        if flow.seats is not None:
            _leave_seat(flow.seats, visit, env._now)
        member = visit.member
        if member is None:
            self._renege()
            return
        skill, duration = visit.stages[self.i]
        flow.dispatcher.add_need(skill, -1)
        desk = member.desk
        metres = flow.metres(visit.here, desk, self.measured)
        visit.here = desk
        visit.walked += metres
        if self.last:
            duration *= flow.service_factor
        if metres > 0:
            walk = _walk_seconds(flow.office, visit, metres)
            clock.at(env, (env._now + walk) + duration, self._served)
        else:
            clock.later(env, duration, self._served)

    def _served(self, _event: object) -> None:
        """The stage's service ends, or the last one needs a lookup first (the member and the
        client wait for it)."""
        visit = self.visit
        if visit.needs_lookup and self.last:
            assert visit.member is not None
            Lookup(self.flow.office, visit.member, visit.cls, self._looked_up).start()
            return
        self._done()

    def _looked_up(self, _answered: bool) -> None:
        self._done()

    def _done(self) -> None:
        """Free the member, start tasks, go on or walk out."""
        flow = self.flow
        visit = self.visit
        member = visit.member
        assert member is not None
        flow.dispatcher.release(member)
        last = self.last
        if last and visit.tasks:
            bo = flow.office.backoffice
            assert bo is not None
            for task in visit.tasks:
                create_task(flow.office, bo.tasks[task], member.desk)
        visit.member = None
        if not last:
            self.stage(self.i + 1)
            return
        self._walk(flow.walking.exit, self._left)

    def _left(self, _event: object) -> None:
        _record(self.flow.office, self.visit, OUTCOME_SERVED)

    def _renege(self) -> None:
        """The client gave up at the stage: no later stage is needed; they walk out."""
        d = self.flow.dispatcher
        for later, _ in self.visit.stages[self.i :]:
            d.add_need(later, -1)
        self._walk(self.flow.walking.exit, self._gone)

    def _gone(self, _event: object) -> None:
        _record(self.flow.office, self.visit, OUTCOME_RENEGED)
