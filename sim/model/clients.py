"""Each client's way through the front office, from arrival to leaving.

Everything random about a client (service time, patience, reception time) is drawn
from the class's own streams at arrival, in arrival order, so two scenarios that differ only in
staffing see exactly the same clients (common random numbers).

With a floor plan, a client walks entrance → (reception desk) → the nearest free seat of the
waiting area when nobody is free, or a place to stand when every seat is taken
(``sim.model.seats``) → the desk of the member who calls them → exit. The member is reserved while the
client walks up to the desk, as when a number is called. Waiting time counts time in a queue
only; time in the office includes every walk.

Two ways to run a client, with the same rules and the same numbers:

- ``client`` is a simpy process through every stage (reception, walks, lookups, tasks);
- ``QuickClient`` serves a class that needs none of that (no plan, no reception, no lookups, no
  tasks, no self-service, no event log) with callbacks instead of a process: an arrival, at
  most a patience timer, and one timeout for the service; a waiting client is a queue entry,
  not a suspended process.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from heapq import heappush
from typing import TYPE_CHECKING, Any

import simpy
from simpy.events import NORMAL, Timeout

from sim.model import clock, information
from sim.model.backoffice import create_task, lookup
from sim.model.dispatch import Member
from sim.model.metrics import OUTCOME_BALKED, OUTCOME_RENEGED, OUTCOME_SERVED
from sim.model.seats import STANDING, SeatBank
from sim.scenario.backoffice import Lookup
from sim.scenario.distributions import Sampler

if TYPE_CHECKING:
    from sim.model.compile import UniformDraws
    from sim.model.information import AnswerRuntime, BotRuntime
    from sim.model.office import Office


@dataclass
class ClassRuntime:
    """A client class compiled for the hot path: plain attributes and bound samplers."""

    index: int
    name: str
    skill: str
    priority: int
    service: Sampler
    patience: Sampler | None
    reception: Sampler | None
    speed: float
    """Walking speed in m/s."""
    walks: bool = False
    """True when clients of the class walk on a floor plan (and take waiting seats)."""
    self_service: Sampler | None = None
    """Uniform draws deciding self-service (only when the IT level deflects requests)."""
    creates: list[tuple[str, float]] = field(default_factory=list)
    """(task type, probability) of back-office tasks started after service."""
    creates_draw: UniformDraws | None = None
    lookup: Lookup | None = None
    lookup_draw: Sampler | None = None
    lookup_probability: float = 0.0
    lookup_time: Sampler | None = None
    answers: AnswerRuntime | None = None
    """What a lookup's answer does (only when the lookup declares consequences)."""
    bot: BotRuntime | None = None
    """Self-service tried first (only when the class declares it)."""
    channel: str = "walk_in"
    """How the class comes (``sim.scenario.channels``); other than walk-ins, ``RemoteFlow``."""
    again: Callable[[], object] | None = None
    """Starts a repeat contact of a remote class (set by its ``ArrivalChain``); walk-ins
    come back as a new ``client`` process."""

    @property
    def plain(self) -> bool:
        """True when a client of this class only queues and is served (see ``QuickClient``)."""
        return (
            self.reception is None
            and not self.walks
            and self.self_service is None
            and self.creates_draw is None
            and self.lookup_draw is None
            and self.bot is None
        )


class At(Timeout):
    """A timeout that fires at the absolute time ``when``.

    ``At(env, (now + a) + b)`` fires at exactly the float time two timeouts of ``a`` then ``b``
    would reach, so walking up to a desk and the service there can be one event.
    """

    def __init__(self, env: simpy.Environment, when: float):
        self.env = env
        self.callbacks = []
        self._value = None
        self._delay = when - env.now
        self._ok = True
        heappush(env._queue, (when, NORMAL, next(env._eid), self))


def member_id(member: Member) -> str:
    """A staff member's name in event logs, e.g. ``role.teller#2``."""
    return f"{member.role}#{member.index}"


class Visit:
    """One client's state on the way through the office."""

    __slots__ = (
        "arrived",
        "case",
        "cls",
        "crowd_delay",
        "deadline",
        "here",
        "member",
        "needs_lookup",
        "patience",
        "seat",
        "seated",
        "stages",
        "tasks",
        "wait",
        "walked",
    )

    def __init__(self, cls: ClassRuntime, arrived: float, case: str) -> None:
        self.cls = cls
        self.arrived = arrived
        self.case = case
        self.deadline: float | None = None
        self.patience: float | None = None
        self.here = -1
        self.member: Member | None = None
        self.needs_lookup = False
        self.seat = STANDING
        """The waiting seat slot held (``STANDING``: none)."""
        self.seated = False
        self.stages: tuple[tuple[str, float], ...] = ()
        self.tasks: list[str] = []
        self.wait = 0.0
        self.walked = 0.0
        self.crowd_delay = 0.0
        """Seconds the client's walks took beyond the free speed (speed-density)."""


def client(office: Office, cls: ClassRuntime) -> Generator[Any, Any, None]:
    """One client: maybe try self-service first, balk if the waiting area is full, queue (maybe
    renege), be served, leave."""
    visit = _arrive(office, cls)
    if visit is None:
        return
    yield from after_arrival(office, visit)


def after_arrival(office: Office, visit: Visit) -> Generator[Any, Any, None]:
    """A client whose numbers are drawn (``_arrive``): the rest of their way as a process."""
    cls = visit.cls
    if cls.bot is not None and information.tries_bot(cls):
        contained = yield from information.in_bot(office, visit)
        if contained:
            return
        if information.desks_closed(office):
            _too_late(office, visit)
            return
    if not _admit(office, visit):
        return
    for i in range(len(visit.stages)):
        served = yield from _stage(office, visit, i)
        if not served:
            yield from _renege(office, visit, i)
            return
    yield from _leave(office, visit)


def _arrive(office: Office, cls: ClassRuntime) -> Visit | None:
    """Draw the client's numbers; None when served by the (deprecated) global self-service."""
    now = office.env._now
    log = office.log
    recorder = office.recorder
    visit = Visit(cls, now, log.open_client(cls.name))
    service = cls.service()
    visit.patience = cls.patience() if cls.patience is not None else None
    if cls.lookup_draw is not None:
        visit.needs_lookup = cls.lookup_draw() < cls.lookup_probability
    draw = cls.creates_draw
    if draw is not None:
        chances = draw.take(len(cls.creates))
        visit.tasks = [t for (t, p), u in zip(cls.creates, chances, strict=True) if u < p]
    if cls.self_service is not None and cls.self_service() < office.it.effective().deflection:
        if now >= office.measure_from:
            recorder.deflected += 1
        log.add(now, visit.case, "self-service")
        return None
    visit.stages = ((cls.skill, service),)
    return visit


def _admit(office: Office, visit: Visit) -> bool:
    """Admit the client to the front office now; False when they balk at a full waiting area.

    Patience counts from the arrival (for an escalated self-service contact, from the start of
    the self-service).
    """
    now = office.env._now
    log = office.log
    recorder = office.recorder
    cls = visit.cls
    service = visit.stages[0][1]
    if cls.reception is None:
        visit.stages = ((cls.skill, service),)
    else:
        visit.stages = ((office.reception_skill, cls.reception()), (cls.skill, service))
    walking = office.walking
    visit.here = walking.entrance
    recorder.arrived += 1
    if log.enabled:
        log.add(now, visit.case, "arrive", location=walking.point_id(walking.entrance))
    d = office.dispatcher
    visit.member = d.idle_member(visit.stages[0][0])
    if visit.member is None and office.waiting.full():
        recorder.records.add(cls.index, visit.arrived, OUTCOME_BALKED, 0.0, 0.0)
        recorder.left += 1
        log.add(now, visit.case, "balk")
        return False
    recorder.inside += 1
    for skill, _ in visit.stages:
        d.add_need(skill, 1)
    if visit.patience is not None:
        visit.deadline = visit.arrived + visit.patience
    return True


def _too_late(office: Office, visit: Visit) -> None:
    """An escalated self-service contact after closing time gives up: recorded as reneged."""
    now = office.env._now
    recorder = office.recorder
    recorder.arrived += 1
    recorder.records.add(visit.cls.index, visit.arrived, OUTCOME_RENEGED, 0.0, now - visit.arrived)
    recorder.left += 1
    office.log.add(now, visit.case, "renege")


def _walk(office: Office, visit: Visit, target: int) -> Generator[simpy.Event, Any, float]:
    """Walk from where the client is to point ``target``; returns the metres walked."""
    env = office.env
    walking = office.walking
    origin = visit.here
    metres = walking.client_metres(origin, target, visit.arrived >= office.measure_from)
    if metres > 0:
        start = env.now
        yield env.timeout(_walk_seconds(office, visit, metres))
        office.log.walk(
            visit.case, start, env.now, walking.point_id(origin), walking.point_id(target)
        )
    visit.here = target
    visit.walked += metres
    return metres


def _walk_seconds(office: Office, visit: Visit, metres: float) -> float:
    """Seconds for the client to walk ``metres`` now (slower in a crowd when modelled)."""
    free = visit.cls.speed
    crowd = office.crowd
    if crowd is None:
        return metres / free
    seconds = metres / crowd.speed(free, office.recorder.inside)
    visit.crowd_delay += seconds - metres / free
    return seconds


def _stage(office: Office, visit: Visit, i: int) -> Generator[Any, Any, bool]:
    """Stage ``i`` (reception or service): wait for a member, walk up, be served; False on
    renege."""
    d = office.dispatcher
    skill, duration = visit.stages[i]
    if visit.member is None and office.seats is not None:
        yield from _take_seat(office, office.seats, visit)
    if visit.member is None:
        visit.member = d.idle_member(skill)
    if visit.member is None:
        visit.member = yield from _queue(office, visit, skill)
    if office.seats is not None:
        _leave_seat(office.seats, visit, office.env.now)
    if visit.member is None:
        return False
    member = visit.member
    d.add_need(skill, -1)
    last = i == len(visit.stages) - 1
    yield from _walk_up_and_serve(office, visit, member, duration, last)
    if last and visit.needs_lookup:
        office.log.add(office.env.now, visit.case, "lookup", "start", member_id(member))
        answered = yield from lookup(office, member, visit.cls)
        office.log.add(office.env.now, visit.case, "lookup", "complete", member_id(member))
        if visit.cls.answers is not None:
            visit.tasks = information.after_lookup(office, visit, answered)
    activity = "service" if last else "reception"
    office.log.add(office.env.now, visit.case, activity, "complete", member_id(member))
    d.release(member)
    if last and visit.tasks:
        bo = office.backoffice
        assert bo is not None
        for task in visit.tasks:
            create_task(office, bo.tasks[task], member.desk)
    visit.member = None
    return True


def _take_seat(office: Office, seats: SeatBank, visit: Visit) -> Generator[Any, Any, None]:
    """Walk to the nearest free waiting seat (or stand beside the nearest seat) and sit."""
    slot, point = seats.take(visit.here, visit.arrived >= office.measure_from)
    visit.seat = slot
    waiting = office.waiting
    waiting.to_seat += 1
    yield from _walk(office, visit, point)
    waiting.to_seat -= 1
    seats.sit(office.env.now, slot)
    visit.seated = True


def _leave_seat(seats: SeatBank, visit: Visit, now: float) -> None:
    """The client is called (or gives up): their seat, if any, is free again."""
    if visit.seated:
        seats.release(now, visit.seat, seated=True)
    visit.seat = STANDING
    visit.seated = False


def _queue(office: Office, visit: Visit, skill: str) -> Generator[Any, Any, Member | None]:
    """Wait in the queue of ``skill``; the member who calls the client, or None on renege."""
    env = office.env
    d = office.dispatcher
    log = office.log
    queued = env.now
    waiter = d.enqueue(skill, visit.cls.priority)
    log.add(queued, visit.case, f"wait for {skill}", "start")
    if visit.deadline is not None:
        d.start_patience(waiter, max(visit.deadline - env.now, 0.0))
    member = yield waiter.event
    visit.wait += env.now - queued
    log.add(env.now, visit.case, f"wait for {skill}", "complete")
    return member


def _walk_up_and_serve(
    office: Office, visit: Visit, member: Member, duration: float, last: bool
) -> Generator[Any, Any, None]:
    """Walk to ``member``'s desk and be served there (the last stage at the IT level's speed).

    Without an event log and with an IT level that cannot change during the walk, the walk and
    the service are one event ending at the same time.
    """
    env = office.env
    it = office.it
    if office.log.enabled or not it.static:
        yield from _walk(office, visit, member.desk)
        if last:
            duration *= it.effective().service_factor
        activity = "service" if last else "reception"
        where = office.walking.point_id(member.desk)
        office.log.add(env.now, visit.case, activity, "start", member_id(member), where)
        yield env.timeout(duration)
        return
    walking = office.walking
    metres = walking.client_metres(visit.here, member.desk, visit.arrived >= office.measure_from)
    visit.here = member.desk
    visit.walked += metres
    if last:
        duration *= it.configured.service_factor
    if metres > 0:
        yield At(env, (env.now + _walk_seconds(office, visit, metres)) + duration)
    else:
        yield env.timeout(duration)


def _renege(office: Office, visit: Visit, i: int) -> Generator[Any, Any, None]:
    """The client gave up waiting at stage ``i``: they walk out, recorded as reneged."""
    env = office.env
    office.log.add(env.now, visit.case, "renege")
    for later, _ in visit.stages[i:]:
        office.dispatcher.add_need(later, -1)
    yield from _walk(office, visit, office.walking.exit)
    _record(office, visit, OUTCOME_RENEGED)


def _leave(office: Office, visit: Visit) -> Generator[Any, Any, None]:
    """The client walks out after the last stage, recorded as served."""
    yield from _walk(office, visit, office.walking.exit)
    _record(office, visit, OUTCOME_SERVED)
    office.log.add(office.env.now, visit.case, "leave")


def _record(office: Office, visit: Visit, outcome: int) -> None:
    recorder = office.recorder
    recorder.total_wait += visit.wait
    tis = office.env._now - visit.arrived
    recorder.records.add(visit.cls.index, visit.arrived, outcome, visit.wait, tis, visit.walked)
    if visit.crowd_delay:
        recorder.records.delay_last(visit.crowd_delay)
    recorder.inside -= 1
    recorder.left += 1


class QuickClient:
    """Clients of a plain class (see ``ClassRuntime.plain``) run by callbacks, not processes.

    The same rules and the same order of random draws as ``client``: draw service and patience
    at arrival, balk when the waiting area is full, else take an idle member or queue with a
    patience timer; the service is one timeout whose callback records the client and frees the
    member, who then calls the next client straight away.
    """

    def __init__(self, office: Office, cls: ClassRuntime) -> None:
        self.env = office.env
        self.dispatcher = office.dispatcher
        self.recorder = office.recorder
        self.waiting = office.waiting
        self.it = office.it
        self.cls = cls
        self.index = cls.index
        self.skill = cls.skill
        self.factor = office.it.configured.service_factor if office.it.static else None
        """The IT level's service factor when it cannot change (None: ask the policy)."""

    def arrive(self) -> None:
        """A client of the class arrives now."""
        cls = self.cls
        now = self.env._now
        service = cls.service()
        patience = cls.patience() if cls.patience is not None else None
        recorder = self.recorder
        recorder.arrived += 1
        d = self.dispatcher
        member = d.idle_member(self.skill)
        if member is None and self.waiting.full():
            recorder.records.add(self.index, now, OUTCOME_BALKED, 0.0, 0.0)
            recorder.left += 1
            return
        recorder.inside += 1
        d.add_need(self.skill, 1)
        if member is not None:
            self._serve(member, now, service, 0.0)
            return
        visit = _QuickVisit(self, now, service)
        waiter = d.enqueue_call(self.skill, cls.priority, visit.called)
        if patience is not None:
            d.start_patience(waiter, max(now + patience - now, 0.0))

    def _serve(self, member: Member, arrived: float, service: float, wait: float) -> None:
        self.dispatcher.add_need(self.skill, -1)
        factor = self.factor if self.factor is not None else self.it.effective().service_factor
        done = _Done(self, member, arrived, wait)
        duration = service * factor
        clock.later(self.env, duration, done.fire)

    def record(self, arrived: float, outcome: int, wait: float) -> None:
        """The client leaves now (served or reneged)."""
        recorder = self.recorder
        recorder.total_wait += wait
        recorder.records.add(self.index, arrived, outcome, wait, self.env._now - arrived)
        recorder.inside -= 1
        recorder.left += 1


class _QuickVisit:
    """A waiting client of a ``QuickClient`` class: called by a member, or gives up."""

    __slots__ = ("arrived", "flow", "service")

    def __init__(self, flow: QuickClient, arrived: float, service: float) -> None:
        self.flow = flow
        self.arrived = arrived
        self.service = service

    def called(self, member: Member | None) -> None:
        flow = self.flow
        wait = flow.env._now - self.arrived
        if member is None:
            flow.dispatcher.add_need(flow.skill, -1)
            flow.record(self.arrived, OUTCOME_RENEGED, wait)
            return
        flow._serve(member, self.arrived, self.service, wait)


class _Done:
    """The end of a ``QuickClient`` service: record the client, free the member."""

    __slots__ = ("arrived", "flow", "member", "wait")

    def __init__(self, flow: QuickClient, member: Member, arrived: float, wait: float) -> None:
        self.flow = flow
        self.member = member
        self.arrived = arrived
        self.wait = wait

    def fire(self, _event: simpy.Event) -> None:
        flow = self.flow
        flow.dispatcher.release(self.member)
        flow.record(self.arrived, OUTCOME_SERVED, self.wait)
