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

from sim.model.dispatch import BUSY, OFF, Member
from sim.scenario.distributions import Sampler
from sim.units import DAY

if TYPE_CHECKING:
    from sim.model.office import Office


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


def create_task(office: Office, task: TaskRuntime, origin: int) -> None:
    """A task is born now (at point ``origin`` of the plan, -1 if none) and sent on its way."""
    bo = office.backoffice
    assert bo is not None
    row = bo.records.new(task.index, office.env.now)
    bo.open_tasks.change(office.env.now, 1)
    if office.log is not None:
        office.log.open_case(f"task-{row + 1}", "task", task.name)
        where = office.plan.ids[origin] if office.plan is not None and origin >= 0 else ""
        office.log.add(office.env.now, f"task-{row + 1}", "create", location=where)
    it = office.effective_it()
    rekey = office.rekey_time(task, it)
    error = task.chance() < it.error_probability
    team = task.steps[0].team
    if it.handoff == "paper":
        bo.outbox.setdefault(team, []).append((task, row, rekey, error))
        return
    delay = bo.transfer_delay()
    interval = it.pickup_interval
    now = office.env.now
    if interval > 0:
        delay += math.ceil(now / interval) * interval - now
    delay += bo.offsite_transfer(team)
    office.env.process(_deliver(office, [(task, row, rekey, error)], delay))


def _deliver(
    office: Office, batch: list[tuple[TaskRuntime, int, float, bool]], delay: float
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
    bo.records.entered[row] = env.now
    log = office.log
    case = f"task-{row + 1}"
    if log is not None:
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
        if log is not None:
            who = f"{member.role}#{member.index}"
            log.add(env.now, case, f"step {i + 1} ({step.team})", "start", who)
        yield env.timeout(duration)
        while member.debt > 0:
            owed, member.debt = member.debt, 0.0
            yield env.timeout(owed)
        if log is not None:
            log.add(env.now, case, f"step {i + 1} ({step.team})", "complete", who)
        d.release(member)
        if i == 0 and redo_first:
            redo_first = False
            bo.records.reworks[row] += 1
            continue
        if step.rework_probability and task.chance() < step.rework_probability:
            bo.records.reworks[row] += 1
            i = step.rework_to
            continue
        i += 1
    bo.records.completed[row] = env.now
    bo.open_tasks.change(env.now, -1)
    if log is not None:
        log.add(env.now, case, "complete")


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
        interval = max(office.paper_it.pickup_interval, 60.0)
        while t < s.hours.close:
            t += interval
            times.append(min(t, s.hours.close))
        for when in times:
            if base + when > env.now:
                yield env.timeout(base + when - env.now)
            batch = bo.outbox.pop(team, [])
            if batch:
                env.process(_carry(office, team, batch))


def _carry(
    office: Office, team: str, batch: list[tuple[TaskRuntime, int, float, bool]]
) -> Generator[simpy.Event, Any, None]:
    """Carry a batch of paper to ``team``: by courier/transfer, runner, or a front member."""
    env = office.env
    bo = office.backoffice
    assert bo is not None
    offsite = bo.offsite_transfer(team)
    if offsite > 0:
        yield env.timeout(offsite)
    elif office.paper_it.carrier == "front_staff" and bo.courier_skill:
        d = office.dispatcher
        member = d.idle_member(bo.courier_skill)
        if member is None:
            member = yield d.enqueue(bo.courier_skill, bo.courier_priority).event
        walk = office.staff_walk_to_team(member, team)
        office.note_staff_walk(member, 2 * walk)
        yield env.timeout(walk)
        env.process(_deliver(office, batch, 0.0))
        yield env.timeout(walk)
        d.release(member)
        return
    else:
        walk = office.staff_walk_to_team(None, team)
        office.note_staff_walk(None, 2 * walk)
        yield env.timeout(walk)
    env.process(_deliver(office, batch, 0.0))


def recurring_process(
    office: Office, task: TaskRuntime, at: float, count: int, every: int, first: int
) -> Generator[simpy.Event, Any, None]:
    """Create ``count`` tasks at clock time ``at`` every ``every`` days from day ``first``."""
    env = office.env
    for day in range(first, office.scenario.days, every):
        when = day * DAY + at
        if when > env.now:
            yield env.timeout(when - env.now)
        for _ in range(count):
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
    outbox: dict[str, list[tuple[TaskRuntime, int, float, bool]]] = field(default_factory=dict)
    interruptions: dict[str, int] = field(default_factory=dict)
    noise_hits: dict[str, int] = field(default_factory=dict)
    lookups: int = 0
    lookups_failed: int = 0
    lookup_time: float = 0.0

    def offsite_transfer(self, team: str) -> float:
        """A transfer time to ``team`` if it works off-site, else 0."""
        sampler = self.offsite.get(team)
        return sampler() if sampler is not None else 0.0
