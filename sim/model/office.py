"""Assemble one replication of an office from a Scenario and run it.

``Office`` builds the world and wires small collaborators together: the IT policy
(``model.it``), the walking strategy (``model.walking``), the waiting area, the dispatcher, the
back office, the recorder and the event log (a null log unless one is asked for). Processes use
those collaborators; the office itself holds no behaviour beyond starting them. ``records()``
hands the results layer plain arrays and counters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.collector import few_collections
from sim.errors import InternalError
from sim.model import blending, clock
from sim.model import channels as remote
from sim.model import compile as build
from sim.model.arrivals import daily_times
from sim.model.backoffice import BackOfficeRuntime, check_tasks, start_back_office
from sim.model.clients import ClassRuntime
from sim.model.crowding import CrowdSpeed
from sim.model.dispatch import Dispatcher, Member
from sim.model.eventlog import EventLog, NullEventLog
from sim.model.flows import ArrivalChain
from sim.model.information import ContactLog, contact_balance
from sim.model.it import ITPolicy
from sim.model.metrics import OUTCOME_SERVED, Level, Recorder
from sim.model.records import (
    BackOfficeRecords,
    ContactRecords,
    LevelRecords,
    OfficeRecords,
    SeatRecords,
)
from sim.model.roster import MemberPlan, plan_role
from sim.model.seats import SeatBank
from sim.model.snapshots import Snapshots
from sim.model.staff import MemberLife, member_life
from sim.model.task_flow import TaskFlow
from sim.model.waiting import WaitingArea
from sim.model.walking import NoWalking, PlanWalking, public_area
from sim.random_streams import Streams
from sim.scenario.base import Crew
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
        s = scenario
        self.scenario = s
        self.replication = replication
        self.streams = Streams(s.seed, replication)
        self.env = simpy.Environment()
        self.measure_from = s.warmup_days * DAY
        self.horizon = (s.days + 1) * DAY
        self.log: EventLog = event_log if event_log is not None else NullEventLog()
        self.it = ITPolicy(s.it, self.streams)
        unplanned = s.it.walk_without_plan
        self.walking = (
            PlanWalking(plan, s.walking.staff_speed, unplanned)
            if plan is not None
            else NoWalking(s.walking.staff_speed, unplanned)
        )
        self.recorder = Recorder(self.measure_from)
        self.reception_skill = s.reception.skill if s.reception else ""
        self.crews: dict[str, Crew] = {f"role.{r}": role for r, role in s.staff.items()}
        teams = s.back_office.teams if s.back_office else {}
        self.crews.update({f"team.{t}": team for t, team in teams.items()})
        self.crew_busy = {c: Level() for c in self.crews}
        self.crew_on = {c: Level() for c in self.crews}
        self.classes: list[ClassRuntime] = build.client_classes(s, self.streams, plan is not None)
        self.contacts: ContactLog | None = (
            ContactLog()
            if any(c.answers is not None or c.bot is not None for c in self.classes)
            else None
        )
        """Information and self-service events (None when no class uses them)."""
        self.balance: dict[str, float] = {}
        """Every contact's end (served, contained, lost, repeated, open), after the run."""
        self.plans: list[MemberPlan] = []
        for scope, crew in self.crews.items():
            self.plans += plan_role(
                scope, crew, s.hours, s.days, serves_clients=scope.startswith("role.")
            )
        self.members = [self._member(p) for p in self.plans]
        self.channels = (
            remote.ChannelBook(remote.remote_channels(s), self.measure_from)
            if remote.uses_channels(s)
            else None
        )
        self.dispatcher: Dispatcher = blending.dispatcher(
            self.env,
            s,
            self.members,
            remote.walk_in_queues(s),
            build.team_skills(s) + remote.remote_queues(s),
        )
        chat = s.channels.chat
        self.chat = remote.ChatDesk(self, chat.sessions, chat.slowdown)
        capacity = s.waiting_area.capacity
        if capacity is None:
            capacity = self.walking.capacity
        self.waiting = WaitingArea(capacity, self.dispatcher.waiting)
        self.seats: SeatBank | None = (
            SeatBank(plan.seats, plan.client_distance) if plan is not None and plan.seats else None
        )
        """The waiting seats of the plan (None without a plan or seats)."""
        self.crowd: CrowdSpeed | None = (
            CrowdSpeed(public_area(plan))
            if plan is not None and s.walking.speed_density == "weidmann"
            else None
        )
        """Walking speed falling with density in the public spaces (None: free speed)."""
        self.backoffice: BackOfficeRuntime | None = build.back_office(s, self.streams)
        if self.backoffice is not None and not self.log.enabled:
            self.backoffice.flow = TaskFlow(self)
        self.levels: dict[str, Level] = {"waiting": self.dispatcher.waiting}
        self.levels.update({f"queue.{s}": lv for s, lv in self.dispatcher.queue_level.items()})
        self.levels.update({f"busy.{r}": lv for r, lv in self.crew_busy.items()})
        self.levels.update({f"on.{r}": lv for r, lv in self.crew_on.items()})
        if isinstance(self.dispatcher, blending.BlendingDispatcher):
            self.levels.update(self.dispatcher.levels())
        if self.backoffice is not None:
            self.levels["tasks_open"] = self.backoffice.open_tasks
        if self.seats is not None:
            self.levels["seats_taken"] = self.seats.level
        self.snapshots = Snapshots(self.levels, self.backoffice, self.measure_from)

    def _member(self, p: MemberPlan) -> Member:
        if p.role.startswith("role."):
            role = self.scenario.staff[p.role[5:]]
            queues = remote.role_queues(role.skills, role.channels)
            skills = blending.role_skills(self.scenario, p.role[5:], queues)
        else:
            skills = [build.team_skill(p.role[5:])]
        desk = self.walking.desk(p.role, p.index)
        member = Member(p.role, p.index, skills, self.crew_busy[p.role], self.crew_on[p.role], desk)
        if self.walking.exposed(desk):
            loss = self.scenario.zoning.noise.performance_loss
            member.slowdown = 1.0 / (1.0 - loss) if loss < 1 else 1.0
        if not p.role.startswith("role.") or any(s.startswith("team:") for s in skills):
            member.slowdown *= self.scenario.it.step_factor
        return member

    def _start_processes(self) -> None:
        env = self.env
        s = self.scenario
        for plan, member in zip(self.plans, self.members, strict=True):
            if self.log.enabled:
                env.process(member_life(env, self.dispatcher, member, plan, self.recorder))
            else:
                MemberLife(env, self.dispatcher, member, plan, self.recorder).start()
        for cls in self.classes:
            cc = s.client_classes[cls.name]
            times = daily_times(s, self.streams, cls.name, cc.arrivals, cc.appointments)
            if cc.after_hours_rate > 0:
                times = remote.with_after_hours(s, self.streams, cls.name, times)
            ArrivalChain(self, cls, times)
        if self.channels is not None:
            env.process(self.channels.closing_samples(env, s))
        env.process(self.snapshots.run(env, snapshot_times(s, self.measure_from)))
        if s.it.outage_every is not None:
            env.process(self.it.outages(env, self.horizon, self.measure_from))
        start_back_office(self)

    def simulate(self) -> None:
        """Simulate every day of the replication, then check that no client, contact or task
        was lost."""
        self._start_processes()
        with few_collections():
            clock.run(self.env, self.horizon)
        r = self.recorder
        if r.arrived != r.left + r.inside:
            raise InternalError(
                f"internal conservation check failed: arrived {r.arrived} != left "
                f"{r.left} + inside {r.inside}"
            )
        if self.contacts is not None:
            outcomes = r.records.as_numpy()["outcome"]
            served = int((outcomes == OUTCOME_SERVED).sum())
            self.balance = contact_balance(self, served, len(outcomes) - served)
        if self.backoffice is not None:
            check_tasks(self.backoffice)
        remote.check(self)
        blending.check(self)

    def records(self) -> OfficeRecords:
        """Everything the run measured, as plain arrays and counters for the results layer."""
        end = self.env.now
        r = self.recorder
        snaps = self.snapshots
        levels = LevelRecords(
            names=tuple(self.levels),
            snap_times=tuple(snaps.times),
            areas=snaps.area_table(),
            area_at_end={n: lv.area_at(end) for n, lv in self.levels.items()},
            maxima={n: lv.max for n, lv in self.levels.items()},
        )
        return OfficeRecords(
            end=end,
            measure_from=self.measure_from,
            clients=r.records.as_numpy(),
            class_names=tuple(c.name for c in self.classes),
            class_speeds=build.speeds(self.classes),
            levels=levels,
            arrived=r.arrived,
            left=r.left,
            inside=r.inside,
            deflected=r.deflected,
            total_wait=r.total_wait,
            overtime=dict(r.overtime),
            staff_walks=dict(r.staff_walks),
            it_down_time=self.it.down_time,
            client_walks=self.walking.client_walks.copy(),
            back_office=self._back_office_records(),
            channels=remote.channel_records(self),
            contacts=self._contact_records(),
            seats=(
                SeatRecords(len(self.seats.seats), self.seats.sat, self.seats.stood)
                if self.seats is not None
                else None
            ),
        )

    def _contact_records(self) -> ContactRecords | None:
        c = self.contacts
        if c is None:
            return None
        return ContactRecords(
            events=c.as_numpy(),
            callback_rows=np.asarray(c.callback_rows, dtype=np.int64),
            balance=dict(self.balance),
        )

    def _back_office_records(self) -> BackOfficeRecords | None:
        bo = self.backoffice
        if bo is None:
            return None
        return BackOfficeRecords(
            tasks=bo.records.as_numpy(),
            task_names=tuple(bo.tasks),
            due=build.task_due(bo),
            backlog_at_day_end=tuple(self.snapshots.backlog_at_day_end),
            interruptions=dict(bo.interruptions),
            noise_hits=dict(bo.noise_hits),
            lookups=bo.lookups,
            lookups_failed=bo.lookups_failed,
            lookup_time=bo.lookup_time,
        )


def snapshot_times(s: Scenario, measure_from: float) -> list[float]:
    """Opening-hour boundaries, closing times, day ends and the end of the warm-up, sorted."""
    times = {measure_from}
    for day in range(s.days):
        base = day * DAY
        t = s.hours.open
        while t < s.hours.close:
            times.add(base + t)
            t += HOUR
        times.add(base + s.hours.close)
        times.add(base + DAY)
    return sorted(times)
