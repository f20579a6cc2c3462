"""Client arrivals (walk-ins and appointments) and each client's way through the front office.

Everything random about a client (service time, patience, reception time, waiting seat) is drawn
from the class's own streams at arrival, in arrival order, so two scenarios that differ only in
staffing see exactly the same clients (common random numbers).

With a floor plan, a client walks entrance → (reception desk) → a seat in the waiting area when
nobody is free → the desk of the member who calls them → exit. The member is reserved while the
client walks up to the desk, as when a number is called. Waiting time counts time in a queue
only; time in the office includes every walk.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.model.backoffice import create_task
from sim.model.dispatch import Member
from sim.model.metrics import OUTCOME_BALKED, OUTCOME_RENEGED, OUTCOME_SERVED
from sim.scenario.backoffice import Lookup
from sim.scenario.distributions import Sampler
from sim.scenario.spec import Appointments, Arrivals, OpeningHours
from sim.units import DAY, HOUR

if TYPE_CHECKING:
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
    seat: Sampler | None = None
    """Uniform draws in [0, 1) choosing a waiting seat (with a floor plan)."""
    self_service: Sampler | None = None
    """Uniform draws deciding self-service (only when the IT level deflects requests)."""
    creates: list[tuple[str, float]] = field(default_factory=list)
    """(task type, probability) of back-office tasks started after service."""
    creates_draw: Sampler | None = None
    lookup: Lookup | None = None
    lookup_draw: Sampler | None = None
    lookup_probability: float = 0.0
    lookup_time: Sampler | None = None


def walk_in_times(
    arrivals: Arrivals, hours: OpeningHours, day: int, rng: np.random.Generator
) -> np.ndarray:
    """Arrival times (absolute seconds) of one day's walk-ins: Poisson, rate constant per hour.

    Within each hour the count is Poisson(rate × length) and the times are uniform order
    statistics, which is exactly a homogeneous Poisson process on that hour.
    """
    rates = arrivals.hourly(hours.n_hours)
    factor = arrivals.factor(day)
    chunks = []
    base = day * DAY
    for h, rate in enumerate(rates):
        start = hours.open + h * HOUR
        end = min(start + HOUR, hours.close)
        expected = rate * factor * (end - start) / HOUR
        n = rng.poisson(expected) if expected > 0 else 0
        if n:
            chunks.append(np.sort(rng.uniform(base + start, base + end, n)))
    return np.concatenate(chunks) if chunks else np.zeros(0)


def appointment_times(
    ap: Appointments, hours: OpeningHours, day: int, rng: np.random.Generator
) -> np.ndarray:
    """Arrival times of one day's booked clients: slots minus no-shows plus punctuality offsets.

    Clients early before opening wait outside and enter at opening; the door closes at closing
    time, so an offset never moves a booked client past closing.
    """
    slots = np.repeat(np.asarray(ap.slot_times(), dtype=float), ap.per_slot)
    show = rng.random(len(slots)) >= ap.no_show
    offsets = rng.normal(ap.punctuality_mean, ap.punctuality_sd, len(slots))
    times = slots + (offsets if ap.punctuality_sd > 0 else ap.punctuality_mean)
    times = np.clip(times[show], hours.open, np.nextafter(hours.close, hours.open))
    return np.sort(times) + day * DAY


def arrival_process(
    office: Office, cls: ClassRuntime, daily_times: Any
) -> Generator[Any, Any, None]:
    """Release one day's arrivals after another, starting a client process for each."""
    env = office.env
    for times in daily_times:
        for t in times.tolist():
            yield env.timeout(t - env.now)
            env.process(client(office, cls))


def member_id(member: Member) -> str:
    """A staff member's name in event logs, e.g. ``role.teller#2``."""
    return f"{member.role}#{member.index}"


def client(office: Office, cls: ClassRuntime) -> Generator[Any, Any, None]:
    """One client: balk if the waiting area is full, queue (maybe renege), be served, leave."""
    env = office.env
    d = office.dispatcher
    plan = office.plan
    log = office.log
    arrived = env.now
    case = ""
    if log is not None:
        case = f"client-{len(log.cases) + 1}"
        log.open_case(case, "client", cls.name)
    service = cls.service()
    patience = cls.patience() if cls.patience is not None else None
    needs_lookup = False
    if cls.lookup_draw is not None:
        needs_lookup = cls.lookup_draw() < cls.lookup_probability
    tasks: list[str] = []
    draw = cls.creates_draw
    if draw is not None:
        tasks = [t for t, p in cls.creates if draw() < p]
    if cls.self_service is not None and cls.self_service() < office.effective_it().deflection:
        if arrived >= office.measure_from:
            office.deflected += 1
        if log is not None:
            log.add(arrived, case, "self-service")
        return
    if cls.reception is None:
        stages: tuple[tuple[str, float], ...] = ((cls.skill, service),)
    else:
        stages = ((office.reception_skill, cls.reception()), (cls.skill, service))
    seat = -1
    if plan is not None and cls.seat is not None:
        seat = plan.seats[int(cls.seat() * len(plan.seats))]
    office.arrived += 1
    if log is not None:
        log.add(arrived, case, "arrive", location=plan.ids[plan.entrance] if plan else "")
    member = d.idle_member(stages[0][0])
    if (
        member is None
        and office.capacity is not None
        and d.waiting.value + office.to_seat >= office.capacity
    ):
        office.records.add(cls.index, arrived, OUTCOME_BALKED, 0.0, 0.0)
        office.left += 1
        if log is not None:
            log.add(arrived, case, "balk")
        return
    office.inside += 1
    for skill, _ in stages:
        d.add_need(skill, 1)
    deadline = arrived + patience if patience is not None else None
    wait = 0.0
    walked = 0.0
    here = plan.entrance if plan is not None else -1
    for i, (skill, duration) in enumerate(stages):
        if member is None and plan is not None and here != seat:
            office.to_seat += 1
            walked += yield from office.walk(cls, here, seat, arrived, case)
            office.to_seat -= 1
            here = seat
        if member is None:
            member = d.idle_member(skill)
        if member is None:
            queued = env.now
            waiter = d.enqueue(skill, cls.priority)
            if log is not None:
                log.add(queued, case, f"wait for {skill}", "start")
            if deadline is not None:
                d.start_patience(waiter, max(deadline - env.now, 0.0))
            member = yield waiter.event
            wait += env.now - queued
            if log is not None:
                log.add(env.now, case, f"wait for {skill}", "complete")
            if member is None:
                if log is not None:
                    log.add(env.now, case, "renege")
                for later, _ in stages[i:]:
                    d.add_need(later, -1)
                if plan is not None:
                    walked += yield from office.walk(cls, here, plan.exit, arrived, case)
                office.total_wait += wait
                office.records.add(
                    cls.index, arrived, OUTCOME_RENEGED, wait, env.now - arrived, walked
                )
                office.inside -= 1
                office.left += 1
                return
        d.add_need(skill, -1)
        if plan is not None:
            walked += yield from office.walk(cls, here, member.desk, arrived, case)
            here = member.desk
        last = i == len(stages) - 1
        if last:
            duration *= office.effective_it().service_factor
        activity = "service" if last else "reception"
        if log is not None:
            where = plan.ids[member.desk] if plan is not None and member.desk >= 0 else ""
            log.add(env.now, case, activity, "start", member_id(member), where)
        yield env.timeout(duration)
        if last and needs_lookup:
            if log is not None:
                log.add(env.now, case, "lookup", "start", member_id(member))
            yield from office.lookup(member, cls)
            if log is not None:
                log.add(env.now, case, "lookup", "complete", member_id(member))
        if log is not None:
            log.add(env.now, case, activity, "complete", member_id(member))
        d.release(member)
        if last and tasks:
            bo = office.backoffice
            assert bo is not None
            for task in tasks:
                create_task(office, bo.tasks[task], member.desk)
        member = None
    if plan is not None:
        walked += yield from office.walk(cls, here, plan.exit, arrived, case)
    office.total_wait += wait
    office.records.add(cls.index, arrived, OUTCOME_SERVED, wait, env.now - arrived, walked)
    if log is not None:
        log.add(env.now, case, "leave")
    office.inside -= 1
    office.left += 1
