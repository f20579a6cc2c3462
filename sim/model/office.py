"""Assemble one replication of an office from a Scenario, run it, and hand back its results.

The office owns the simpy environment, the dispatcher, the staff, client and task processes, and
the accumulators; ``run_replication`` is the one entry point the experiment layer calls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim.errors import InternalError
from sim.model.backoffice import (
    BackOfficeRuntime,
    StepRuntime,
    TaskRuntime,
    interrupt,
    noise_interruptions,
    paper_rounds,
    recurring_process,
    task_arrivals,
    team_skill,
)
from sim.model.clients import (
    ClassRuntime,
    appointment_times,
    arrival_process,
    walk_in_times,
)
from sim.model.dispatch import Dispatcher, Member
from sim.model.eventlog import EventLog
from sim.model.metrics import ClientRecords, Level
from sim.model.roster import MemberPlan, plan_role
from sim.model.staff import member_life
from sim.random_streams import Streams
from sim.scenario.base import Arrivals, Crew
from sim.scenario.distributions import Sampler
from sim.scenario.it import ITIntegration
from sim.scenario.spec import Scenario
from sim.units import DAY, HOUR

if TYPE_CHECKING:
    from sim.model.plan import FloorPlan


class Office:
    """The simulated office of one replication."""

    def __init__(
        self,
        scenario: Scenario,
        replication: int,
        plan: FloorPlan | None = None,
        *,
        event_log: EventLog | None = None,
    ):
        self.scenario = scenario
        self.log = event_log
        self.plan = plan
        self.replication = replication
        self.streams = Streams(scenario.seed, replication)
        self.env = simpy.Environment()
        self.records = ClientRecords()
        self.client_walks: Counter[tuple[int, int]] = Counter()
        """Walks of measured clients per (from, to) point pair (for traffic per edge)."""
        self.arrived = 0
        self.deflected = 0
        self.inside = 0
        self.left = 0
        self.total_wait = 0.0
        self.to_seat = 0
        """Clients walking to the waiting area (they count against its capacity)."""
        self.capacity = scenario.waiting_area.capacity
        if self.capacity is None and plan is not None:
            self.capacity = plan.waiting_capacity
        self.reception_skill = scenario.reception.skill if scenario.reception else ""
        self.measure_from = scenario.warmup_days * DAY
        self.horizon = (scenario.days + 1) * DAY
        self.overtime: dict[str, float] = {}
        self.staff_walks: dict[str, float] = {}
        """Seconds staff walked (lookups, carrying paper) per crew scope, or 'runner'."""
        self.it_up = True
        self.it_down_time = 0.0
        self._manual_it = scenario.it.as_manual()
        self.paper_it = scenario.it if scenario.it.handoff == "paper" else self._manual_it
        """The rules for paper hand-offs (the manual preset when paper is only the fallback)."""
        self._samplers: dict[str, Sampler] = {}
        """Samplers created on first use, keyed by stream name."""
        self.backlog_at_day_end: list[tuple[float, int]] = []
        self.crews: dict[str, Crew] = {f"role.{r}": role for r, role in scenario.staff.items()}
        teams = scenario.back_office.teams if scenario.back_office else {}
        self.crews.update({f"team.{t}": team for t, team in teams.items()})
        self.crew_busy = {c: Level() for c in self.crews}
        self.crew_on = {c: Level() for c in self.crews}
        self.classes = self._compile_classes()
        self.plans: list[MemberPlan] = []
        for scope, crew in self.crews.items():
            self.plans += plan_role(
                scope,
                crew,
                scenario.hours,
                scenario.days,
                serves_clients=scope.startswith("role."),
            )
        self.members = [self._member(p) for p in self.plans]
        self.dispatcher = Dispatcher(
            self.env,
            self.members,
            sorted(scenario.skills_needed()),
            [team_skill(t) for t in teams],
        )
        self.backoffice = self._compile_backoffice()
        self.snap_times: list[float] = []
        self.snap_areas: list[list[float]] = []
        self.levels: dict[str, Level] = {"waiting": self.dispatcher.waiting}
        self.levels.update({f"queue.{s}": lv for s, lv in self.dispatcher.queue_level.items()})
        self.levels.update({f"busy.{r}": lv for r, lv in self.crew_busy.items()})
        self.levels.update({f"on.{r}": lv for r, lv in self.crew_on.items()})
        if self.backoffice is not None:
            self.levels["tasks_open"] = self.backoffice.open_tasks

    # building -------------------------------------------------------------------------

    def _member(self, p: MemberPlan) -> Member:
        if p.role.startswith("role."):
            skills = list(self.scenario.staff[p.role[5:]].skills)
        else:
            skills = [team_skill(p.role[5:])]
        desk = -1
        if self.plan is not None:
            desks = self.plan.role_desks.get(p.role, ())
            desk = desks[p.index % len(desks)] if desks else -1
        member = Member(p.role, p.index, skills, self.crew_busy[p.role], self.crew_on[p.role], desk)
        if self.plan is not None and desk in self.plan.exposed:
            loss = self.scenario.zoning.noise.performance_loss
            member.slowdown = 1.0 / (1.0 - loss) if loss < 1 else 1.0
        if not p.role.startswith("role."):
            member.slowdown *= self.scenario.it.step_factor
        return member

    def _compile_classes(self) -> list[ClassRuntime]:
        s = self.scenario
        out = []
        for i, (name, cc) in enumerate(s.client_classes.items()):
            reception = None
            if s.reception is not None and cc.reception:
                reception = s.reception.service.sampler(self.streams(f"reception:{name}"))
            out.append(
                ClassRuntime(
                    index=i,
                    name=name,
                    skill=cc.skill,
                    priority=cc.priority,
                    service=cc.service.sampler(self.streams(f"service:{name}")),
                    patience=(
                        cc.patience.sampler(self.streams(f"patience:{name}"))
                        if cc.patience is not None
                        else None
                    ),
                    reception=reception,
                    speed=cc.walking_speed or s.walking.client_speed,
                    seat=(
                        uniform_sampler(self.streams(f"seats:{name}"))
                        if self.plan is not None
                        else None
                    ),
                    self_service=(
                        uniform_sampler(self.streams(f"self-service:{name}"))
                        if s.it.deflection > 0
                        else None
                    ),
                    creates=[(src.task, src.probability) for src in cc.creates],
                    creates_draw=(
                        uniform_sampler(self.streams(f"creates:{name}")) if cc.creates else None
                    ),
                    lookup=cc.lookup,
                    lookup_probability=cc.lookup.probability if cc.lookup else 0.0,
                    lookup_draw=(
                        uniform_sampler(self.streams(f"lookup-need:{name}"))
                        if cc.lookup is not None
                        else None
                    ),
                    lookup_time=(
                        cc.lookup.time.sampler(self.streams(f"lookup:{name}"))
                        if cc.lookup is not None
                        else None
                    ),
                )
            )
        return out

    def _compile_backoffice(self) -> BackOfficeRuntime | None:
        bo = self.scenario.back_office
        if bo is None:
            return None
        tasks = {}
        for k, (name, tt) in enumerate(bo.tasks.items()):
            steps = [
                StepRuntime(
                    skill=team_skill(st.team),
                    team=st.team,
                    time=st.time.sampler(self.streams(f"task:{name}:step{j}")),
                    rework_probability=st.rework.probability if st.rework else 0.0,
                    rework_to=st.rework.to if st.rework else 0,
                )
                for j, st in enumerate(tt.steps)
            ]
            tasks[name] = TaskRuntime(
                index=k,
                name=name,
                steps=steps,
                due=tt.due,
                priority=tt.priority,
                chance=uniform_sampler(self.streams(f"task-chance:{name}")),
            )
        offsite = {
            t: team.offsite.transfer_time.sampler(self.streams(f"offsite:{t}"))
            for t, team in bo.teams.items()
            if team.offsite is not None
        }
        it = self.scenario.it
        courier = None
        if it.carrier == "front_staff":
            role = it.courier_role or next(iter(self.scenario.staff))
            courier = self.scenario.staff[role].skills[0]
        runtime = BackOfficeRuntime(
            tasks=tasks,
            transfer_delay=it.transfer_delay.sampler(self.streams("handoff")),
            offsite=offsite,
            courier_skill=courier,
        )
        runtime.open_tasks = Level()
        return runtime

    # services used by processes ------------------------------------------------------------

    def effective_it(self) -> ITIntegration:
        """The IT level in force now: the scenario's, or manual work during an outage."""
        return self.scenario.it if self.it_up else self._manual_it

    def walk(
        self, cls: ClassRuntime, a: int, b: int, arrived: float, case: str = ""
    ) -> Generator[simpy.Event, Any, float]:
        """A client walks from point ``a`` to point ``b``; returns the metres walked."""
        assert self.plan is not None
        metres = self.plan.client_distance[a][b]
        if arrived >= self.measure_from:
            self.client_walks[(a, b)] += 1
        if metres > 0:
            start = self.env.now
            yield self.env.timeout(metres / cls.speed)
            if self.log is not None:
                self.log.walks.append(
                    (case, start, self.env.now, self.plan.ids[a], self.plan.ids[b])
                )
        return metres

    def note_staff_walk(self, member: Member | None, seconds: float) -> None:
        """Count a staff walk (a runner when ``member`` is None) for the walking KPIs."""
        if self.env.now >= self.measure_from and seconds > 0:
            scope = member.role if member is not None else "runner"
            self.staff_walks[scope] = self.staff_walks.get(scope, 0.0) + seconds

    def staff_walk_to_team(self, member: Member | None, team: str) -> float:
        """Seconds for a staff member (or a runner from the front desks) to reach ``team``."""
        if self.plan is None:
            return self.scenario.it.walk_without_plan
        start = member.desk if member is not None and member.desk >= 0 else self.plan.hub
        desks = self.plan.role_desks.get(f"team.{team}", ())
        if not desks:
            return self.scenario.it.walk_without_plan
        metres = min(self.plan.staff_distance[start][d] for d in desks)
        return metres / self.scenario.walking.staff_speed

    def lookup(self, member: Member, cls: ClassRuntime) -> Generator[simpy.Event, Any, float]:
        """Front staff get information from a back-office team while the client waits."""
        assert cls.lookup is not None and cls.lookup_time is not None
        env = self.env
        bo = self.backoffice
        assert bo is not None
        started = env.now
        team = cls.lookup.team
        it = self.effective_it()
        answer = cls.lookup_time()
        mode = it.lookup
        back_office = self.scenario.back_office
        assert back_office is not None
        offsite = back_office.teams[team].offsite is not None
        if mode == "walk" and offsite:
            mode = "phone"
        walk = self.staff_walk_to_team(member, team) if mode == "walk" else 0.0
        if walk:
            self.note_staff_walk(member, 2 * walk)
            yield env.timeout(walk)
        overhead = self._lookup_overhead(it)
        if overhead:
            yield env.timeout(overhead)
        answered = True
        if mode != "system":
            answered = yield from interrupt(self, team, answer, self.streams("interrupt"))
        if walk:
            yield env.timeout(walk)
        if env.now >= self.measure_from:
            bo.lookups += 1
            bo.lookups_failed += 0 if answered else 1
            bo.lookup_time += env.now - started
        return env.now - started

    def rekey_time(self, task: TaskRuntime, it: ITIntegration) -> float:
        """Re-keying time for a new task under the IT level in force (manual during outages)."""
        if it.rekey_time.mean() <= 0:
            return 0.0
        key = f"rekey:{task.name}:{it.level if it is self.scenario.it else 'fallback'}"
        sampler = self._samplers.get(key)
        if sampler is None:
            sampler = self._samplers[key] = it.rekey_time.sampler(self.streams(key))
        return sampler()

    def _lookup_overhead(self, it: ITIntegration) -> float:
        key = f"lookup-overhead:{it.level if it is self.scenario.it else 'fallback'}"
        sampler = self._samplers.get(key)
        if sampler is None:
            sampler = self._samplers[key] = it.lookup_overhead.sampler(self.streams(key))
        return sampler()

    # processes ---------------------------------------------------------------------------

    def _daily_times(
        self, key: str, arrivals: Arrivals | None, appointments: Any = None
    ) -> Iterator[np.ndarray]:
        s = self.scenario
        walk_rng = self.streams(f"arrivals:{key}")
        book_rng = self.streams(f"appointments:{key}")
        for day in range(s.days):
            parts = []
            if arrivals is not None:
                parts.append(walk_in_times(arrivals, s.hours, day, walk_rng))
            if appointments is not None:
                parts.append(appointment_times(appointments, s.hours, day, book_rng))
            yield np.sort(np.concatenate(parts)) if len(parts) > 1 else parts[0]

    def _snapshots(self) -> Generator[simpy.Event, None, None]:
        """Record every level's integral at opening-hour boundaries, day ends, warm-up end."""
        s = self.scenario
        env = self.env
        times = {self.measure_from}
        for day in range(s.days):
            base = day * DAY
            t = s.hours.open
            while t < s.hours.close:
                times.add(base + t)
                t += HOUR
            times.add(base + s.hours.close)
            times.add(base + DAY)
        for t in sorted(times):
            if t > env.now:
                yield env.timeout(t - env.now)
            if t == self.measure_from:
                for lv in self.levels.values():
                    lv.reset_max()
            self.snap_times.append(t)
            self.snap_areas.append([lv.area_at(t) for lv in self.levels.values()])
            if self.backoffice is not None and t % DAY == 0 and t > 0:
                self.backlog_at_day_end.append((t, self.backoffice.open_tasks.value))

    def _outages(self) -> Generator[simpy.Event, None, None]:
        it = self.scenario.it
        assert it.outage_every is not None and it.outage_repair is not None
        up = it.outage_every.sampler(self.streams("outage-every"))
        repair = it.outage_repair.sampler(self.streams("outage-repair"))
        env = self.env
        while env.now < self.horizon:
            yield env.timeout(up())
            self.it_up = False
            start = env.now
            yield env.timeout(repair())
            self.it_up = True
            self.it_down_time += max(0.0, env.now - max(start, self.measure_from))

    def _start_processes(self) -> None:
        env = self.env
        s = self.scenario
        for plan, member in zip(self.plans, self.members, strict=True):
            env.process(
                member_life(env, self.dispatcher, member, plan, self.overtime, self.measure_from)
            )
        for cls in self.classes:
            cc = s.client_classes[cls.name]
            times = self._daily_times(cls.name, cc.arrivals, cc.appointments)
            env.process(arrival_process(self, cls, times))
        env.process(self._snapshots())
        if s.it.outage_every is not None:
            env.process(self._outages())
        bo = s.back_office
        if bo is None or self.backoffice is None:
            return
        tasks = self.backoffice.tasks
        for name, tt in bo.tasks.items():
            if tt.arrivals is not None:
                times = self._daily_times(f"task:{name}", tt.arrivals)
                env.process(task_arrivals(self, tasks[name], times))
        for rec in bo.recurring:
            env.process(
                recurring_process(
                    self, tasks[rec.task], rec.at, rec.count, rec.every_days, rec.first_day
                )
            )
        if s.it.handoff == "paper" or s.it.outage_every is not None:
            for team in bo.teams:
                env.process(paper_rounds(self, team))
        noise = s.zoning.noise
        rate = noise.interruptions_per_hour / HOUR
        if self.plan is not None and rate > 0:
            for m in self.members:
                if m.desk in self.plan.exposed and m.role.startswith("team."):
                    rng = self.streams(f"noise:{m.role}:{m.index}")
                    env.process(noise_interruptions(self, m, rate, noise.resumption, rng))

    def simulate(self) -> None:
        """Simulate every day of the replication, then check that no client was lost."""
        self._start_processes()
        self.env.run(until=self.horizon)
        if self.arrived != self.left + self.inside:
            raise InternalError(
                f"internal conservation check failed: arrived {self.arrived} != left "
                f"{self.left} + inside {self.inside}"
            )


def uniform_sampler(rng: np.random.Generator) -> Sampler:
    """Uniform draws in [0, 1) from ``rng``, drawn in blocks."""

    def blocks() -> Iterator[float]:
        while True:
            yield from rng.random(512).tolist()

    return blocks().__next__
