"""Back-office work: tasks created at the front or on schedules, hand-offs, and task routes.

A task's route is a list of steps, each done by a team. Steps queue in the team's queue by task
priority (then creation order); a step's time is drawn when it starts. Rework sends a task back
to an earlier step; a data-entry error repeats the first step once. Backlog simply stays queued
overnight. Interruptions (lookups, noise) are owed by the worker as ``debt`` and added to the
step they interrupt.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim.errors import InternalError
from sim.model.arrivals import daily_times
from sim.model.dispatch import BUSY, OFF, Member
from sim.scenario.backoffice import Recurring
from sim.scenario.distributions import Sampler
from sim.units import DAY, HOUR

if TYPE_CHECKING:
    from sim.model.clients import ClassRuntime
    from sim.model.office import Office
    from sim.model.task_flow import TaskFlow


def team_skill(team: str) -> str:
    """The dispatcher skill of a back-office team's queue."""
    return f"team:{team}"


@dataclass
class StepRuntime:
    """One step compiled for the hot path."""

    skill: str
    team: str
    time: Sampler
    rework_probability: float
    rework_to: int


@dataclass
class TaskRuntime:
    """A task type compiled for the hot path."""

    index: int
    name: str
    steps: list[StepRuntime]
    due: float
    priority: int
    chance: Sampler
    """Uniform draws in [0, 1) for errors and rework decisions."""


@dataclass
class TaskRecords:
    """One row per task: type, creation, entry into the back office, completion, reworks."""

    kind: list[int] = field(default_factory=list)
    created: list[float] = field(default_factory=list)
    entered: list[float] = field(default_factory=list)
    completed: list[float] = field(default_factory=list)
    reworks: list[int] = field(default_factory=list)

    def new(self, kind: int, created: float) -> int:
        """Add a task (not yet in the back office, not completed) and return its row."""
        self.kind.append(kind)
        self.created.append(created)
        self.entered.append(math.nan)
        self.completed.append(math.nan)
        self.reworks.append(0)
        return len(self.kind) - 1

    def as_numpy(self) -> dict[str, np.ndarray]:
        """The records as numpy arrays, one per column."""
        return {
            "kind": np.asarray(self.kind, dtype=np.int32),
            "created": np.asarray(self.created, dtype=float),
            "entered": np.asarray(self.entered, dtype=float),
            "completed": np.asarray(self.completed, dtype=float),
            "reworks": np.asarray(self.reworks, dtype=np.int32),
        }


Parcel = tuple[TaskRuntime, int, float, bool]
"""A task on its way to the back office: (type, record row, re-keying time, data-entry error)."""


def create_task(office: Office, task: TaskRuntime, origin: int) -> int:
    """A task is born now (at point ``origin`` of the plan, -1 if none) and sent on its way;
    returns its record row."""
    bo = office.backoffice
    assert bo is not None
    env = office.env
    now = env.now
    row = bo.records.new(task.index, now)
    bo.open_tasks.change(now, 1)
    log = office.log
    if log.enabled:
        log.open_case(f"task-{row + 1}", "task", task.name)
        log.add(now, f"task-{row + 1}", "create", location=office.walking.point_id(origin))
    it = office.it.effective()
    rekey = office.it.rekey_time(task.name, it)
    error = task.chance() < it.error_probability
    team = task.steps[0].team
    if it.handoff == "paper":
        bo.outbox.setdefault(team, []).append((task, row, rekey, error))
        return row
    delay = bo.transfer_delay()
    interval = it.pickup_interval
    if interval > 0:
        delay += math.ceil(now / interval) * interval - now
    delay += bo.offsite_transfer(team)
    deliver(office, [(task, row, rekey, error)], delay)
    return row


def deliver(office: Office, batch: list[Parcel], delay: float) -> None:
    """Send ``batch`` to the back office, arriving after ``delay`` seconds: by callbacks when
    the office runs tasks that way (``sim.model.task_flow``), else as a process."""
    bo = office.backoffice
    assert bo is not None
    if bo.flow is not None:
        bo.flow.deliver(batch, delay)
    else:
        office.env.process(_deliver(office, batch, delay))


def _deliver(
    office: Office, batch: list[Parcel], delay: float
) -> Generator[simpy.Event, Any, None]:
    if delay > 0:
        yield office.env.timeout(delay)
    for task, row, rekey, error in batch:
        office.env.process(run_task(office, task, row, rekey, error))


def run_task(
    office: Office, task: TaskRuntime, row: int, rekey: float, error: bool
) -> Generator[simpy.Event, Any, None]:
    """Take a task through its route of steps, with rework and interruptions."""
    env = office.env
    d = office.dispatcher
    bo = office.backoffice
    assert bo is not None
    records = bo.records
    records.entered[row] = env.now
    log = office.log
    case = f"task-{row + 1}"
    log.add(env.now, case, "enter back office")
    i = 0
    redo_first = error
    steps = task.steps
    while i < len(steps):
        step = steps[i]
        member = d.idle_member(step.skill)
        if member is None:
            member = yield d.enqueue(step.skill, task.priority).event
        duration = step.time()
        if rekey:
            duration += rekey
            rekey = 0.0
        if member.slowdown != 1.0:
            duration *= member.slowdown
        who = f"{member.role}#{member.index}" if log.enabled else ""
        log.add(env.now, case, f"step {i + 1} ({step.team})", "start", who)
        yield env.timeout(duration)
        while member.debt > 0:
            owed, member.debt = member.debt, 0.0
            yield env.timeout(owed)
        log.add(env.now, case, f"step {i + 1} ({step.team})", "complete", who)
        d.release(member)
        i = next_step(task, step, i, redo_first, records, row)
        redo_first = False
    records.completed[row] = env.now
    bo.open_tasks.change(env.now, -1)
    log.add(env.now, case, "complete")


def next_step(
    task: TaskRuntime, step: StepRuntime, i: int, redo_first: bool, records: TaskRecords, row: int
) -> int:
    """The step after step ``i``: the same step again for a data error, a rework target, or next."""
    if i == 0 and redo_first:
        records.reworks[row] += 1
        return 0
    if step.rework_probability and task.chance() < step.rework_probability:
        records.reworks[row] += 1
        return step.rework_to
    return i + 1


def paper_rounds(office: Office, team: str) -> Generator[simpy.Event, Any, None]:
    """Collect the paper outbox for ``team`` every pickup interval in opening hours and carry it."""
    env = office.env
    s = office.scenario
    bo = office.backoffice
    assert bo is not None
    for day in range(s.days):
        base = day * DAY
        t = s.hours.open
        times = []
        interval = max(office.it.paper.pickup_interval, 60.0)
        while t < s.hours.close:
            t += interval
            times.append(min(t, s.hours.close))
        for when in times:
            if base + when > env.now:
                yield env.timeout(base + when - env.now)
            batch = bo.outbox.pop(team, [])
            if batch:
                env.process(_carry(office, team, batch))


def staff_walk(office: Office, member: Member | None, team: str) -> float:
    """Seconds for a member (a runner from the front desks when None) to reach ``team``."""
    desk = member.desk if member is not None else -1
    return office.walking.staff_seconds_to_team(desk, team)


def _carry(office: Office, team: str, batch: list[Parcel]) -> Generator[simpy.Event, Any, None]:
    """Carry a batch of paper to ``team``: by courier/transfer, runner, or a front member."""
    env = office.env
    bo = office.backoffice
    assert bo is not None
    recorder = office.recorder
    offsite = bo.offsite_transfer(team)
    if offsite > 0:
        yield env.timeout(offsite)
    elif office.it.paper.carrier == "front_staff" and bo.courier_skill:
        d = office.dispatcher
        member = d.idle_member(bo.courier_skill)
        if member is None:
            member = yield d.enqueue(bo.courier_skill, bo.courier_priority).event
        walk = staff_walk(office, member, team)
        recorder.staff_walk(member.role, env.now, 2 * walk)
        yield env.timeout(walk)
        deliver(office, batch, 0.0)
        yield env.timeout(walk)
        d.release(member)
        return
    else:
        walk = staff_walk(office, None, team)
        recorder.staff_walk("runner", env.now, 2 * walk)
        yield env.timeout(walk)
    deliver(office, batch, 0.0)


def recurring_process(
    office: Office, task: TaskRuntime, rec: Recurring
) -> Generator[simpy.Event, Any, None]:
    """Create ``rec.count`` tasks at clock time ``rec.at`` every ``rec.every_days`` days."""
    env = office.env
    for day in range(rec.first_day, office.scenario.days, rec.every_days):
        when = day * DAY + rec.at
        if when > env.now:
            yield env.timeout(when - env.now)
        for _ in range(rec.count):
            create_task(office, task, -1)


def task_arrivals(
    office: Office, task: TaskRuntime, daily_times: Any
) -> Generator[simpy.Event, Any, None]:
    """Tasks arriving directly (mail, phone, web) at Poisson times."""
    env = office.env
    for times in daily_times:
        for t in times.tolist():
            yield env.timeout(t - env.now)
            create_task(office, task, -1)


def lookup(office: Office, member: Member, cls: ClassRuntime) -> Generator[simpy.Event, Any, bool]:
    """Front staff get information from a back-office team while the client waits; False when
    nobody of the team was there to answer."""
    assert cls.lookup is not None and cls.lookup_time is not None
    env = office.env
    bo = office.backoffice
    back_office = office.scenario.back_office
    assert bo is not None and back_office is not None
    started = env.now
    team = cls.lookup.team
    it = office.it.effective()
    answer = cls.lookup_time()
    mode = it.lookup
    if mode == "walk" and back_office.teams[team].offsite is not None:
        mode = "phone"
    walk = staff_walk(office, member, team) if mode == "walk" else 0.0
    if walk:
        office.recorder.staff_walk(member.role, env.now, 2 * walk)
        yield env.timeout(walk)
    overhead = office.it.lookup_overhead(it)
    if overhead:
        yield env.timeout(overhead)
    answered = True
    if mode != "system":
        answered = yield from interrupt(office, team, answer, office.streams("interrupt"))
    if walk:
        yield env.timeout(walk)
    if env.now >= office.measure_from:
        bo.lookups += 1
        bo.lookups_failed += 0 if answered else 1
        bo.lookup_time += env.now - started
    return answered


def interrupt(
    office: Office, team: str, answer: float, rng: np.random.Generator
) -> Generator[simpy.Event, Any, bool]:
    """Someone of ``team`` answers a question taking ``answer`` seconds; False if nobody is there.

    An idle member is taken for the answer; otherwise a busy member is interrupted, and owes the
    answer time plus the resumption time to the step they were working on.
    """
    d = office.dispatcher
    skill = team_skill(team)
    member = d.idle_member(skill)
    if member is not None:
        yield office.env.timeout(answer)
        d.release(member)
        return True
    on_duty: list[Member] = [m for m in d.candidates[skill] if m.state != OFF]
    if not on_duty:
        return False
    victim = on_duty[int(rng.random() * len(on_duty))]
    victim.debt += answer + office.scenario.zoning.lookup_resumption
    bo = office.backoffice
    if bo is not None and office.env.now >= office.measure_from:
        bo.interruptions[team] = bo.interruptions.get(team, 0) + 1
    yield office.env.timeout(answer)
    return True


def noise_interruptions(
    office: Office, member: Member, rate_per_s: float, loss: float, rng: np.random.Generator
) -> Generator[simpy.Event, Any, None]:
    """Clients and front staff within earshot interrupt ``member`` at random while they work."""
    env = office.env
    bo = office.backoffice
    assert bo is not None
    while True:
        yield env.timeout(rng.exponential(1 / rate_per_s))
        if env.now >= office.horizon:
            return
        if member.state == BUSY:
            member.debt += loss
            if env.now >= office.measure_from:
                bo.noise_hits[member.role] = bo.noise_hits.get(member.role, 0) + 1


def start_back_office(office: Office) -> None:
    """Start the back office's processes: task arrivals, schedules, paper rounds, noise."""
    s = office.scenario
    bo = s.back_office
    runtime = office.backoffice
    if bo is None or runtime is None:
        return
    env = office.env
    tasks = runtime.tasks
    for name, tt in bo.tasks.items():
        if tt.arrivals is not None:
            times = daily_times(s, office.streams, f"task:{name}", tt.arrivals)
            env.process(task_arrivals(office, tasks[name], times))
    for rec in bo.recurring:
        env.process(recurring_process(office, tasks[rec.task], rec))
    if s.it.handoff == "paper" or s.it.outage_every is not None:
        for team in bo.teams:
            env.process(paper_rounds(office, team))
    noise = s.zoning.noise
    rate = noise.interruptions_per_hour / HOUR
    if rate <= 0:
        return
    for m in office.members:
        if office.walking.exposed(m.desk) and m.role.startswith("team."):
            rng = office.streams(f"noise:{m.role}:{m.index}")
            if runtime.flow is not None:
                runtime.flow.noise(m, rate, noise.resumption, rng)
            else:
                env.process(noise_interruptions(office, m, rate, noise.resumption, rng))


def check_tasks(bo: BackOfficeRuntime) -> None:
    """Every task created is done or still open (none is lost); raises ``InternalError``."""
    completed = bo.records.completed
    done = sum(1 for c in completed if not math.isnan(c))
    if done + bo.open_tasks.value != len(completed):
        raise InternalError(
            f"internal conservation check failed: tasks created {len(completed)} != done "
            f"{done} + open {bo.open_tasks.value}"
        )


@dataclass
class BackOfficeRuntime:
    """The back office's state in one replication."""

    tasks: dict[str, TaskRuntime]
    transfer_delay: Sampler
    offsite: dict[str, Sampler]
    """Transfer-time samplers of off-site teams."""
    courier_skill: str | None
    courier_priority: int = 10**6
    records: TaskRecords = field(default_factory=TaskRecords)
    open_tasks: Any = None
    outbox: dict[str, list[Parcel]] = field(default_factory=dict)
    interruptions: dict[str, int] = field(default_factory=dict)
    noise_hits: dict[str, int] = field(default_factory=dict)
    lookups: int = 0
    lookups_failed: int = 0
    lookup_time: float = 0.0
    flow: TaskFlow | None = None
    """Runs tasks and noise by callbacks (``sim.model.task_flow``); None: as processes."""

    def offsite_transfer(self, team: str) -> float:
        """A transfer time to ``team`` if it works off-site, else 0."""
        sampler = self.offsite.get(team)
        return sampler() if sampler is not None else 0.0
