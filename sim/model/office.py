"""Assemble one replication of an office from a Scenario, run it, and hand back its results.

The office owns the simpy environment, the dispatcher, the staff and client processes, and the
accumulators; ``run_replication`` is the one entry point the experiment layer calls.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim.distributions import Sampler
from sim.errors import ModelError
from sim.kpis import compute_kpis
from sim.metrics import ClientRecords, Level
from sim.model.clients import (
    ClassRuntime,
    appointment_times,
    arrival_process,
    walk_in_times,
)
from sim.model.dispatch import Dispatcher, Member
from sim.model.roster import plan_role
from sim.model.staff import member_life
from sim.random_streams import Streams
from sim.results import ReplicationResult
from sim.scenario import Scenario
from sim.units import DAY, HOUR

if TYPE_CHECKING:
    from sim.plan import FloorPlan


class Office:
    """The simulated office of one replication."""

    def __init__(self, scenario: Scenario, replication: int, plan: FloorPlan | None = None):
        self.scenario = scenario
        self.plan = plan
        self.client_walks: Counter[tuple[int, int]] = Counter()
        """Walks of measured clients per (from, to) point pair (for traffic per edge)."""
        self.replication = replication
        self.streams = Streams(scenario.seed, replication)
        self.env = simpy.Environment()
        self.records = ClientRecords()
        self.arrived = 0
        self.inside = 0
        self.left = 0
        self.total_wait = 0.0
        self.capacity = scenario.waiting_area.capacity
        if self.capacity is None and plan is not None:
            self.capacity = plan.waiting_capacity
        self.reception_skill = scenario.reception.skill if scenario.reception else ""
        self.measure_from = scenario.warmup_days * DAY
        self.horizon = (scenario.days + 1) * DAY
        self.overtime: dict[str, float] = {}
        self.role_busy = {r: Level() for r in scenario.staff}
        self.role_on = {r: Level() for r in scenario.staff}
        self.classes = self._compile_classes()
        plans = [
            plan
            for name, role in scenario.staff.items()
            for plan in plan_role(name, role, scenario.hours, scenario.days)
        ]
        self.members = [
            Member(
                p.role,
                p.index,
                list(scenario.staff[p.role].skills),
                self.role_busy[p.role],
                self.role_on[p.role],
                self._desk(p.role, p.index),
            )
            for p in plans
        ]
        self.plans = plans
        self.dispatcher = Dispatcher(self.env, self.members, sorted(scenario.skills_needed()))
        self.snap_times: list[float] = []
        self.snap_areas: list[list[float]] = []
        self.levels: dict[str, Level] = {"waiting": self.dispatcher.waiting}
        self.levels.update({f"queue.{s}": lv for s, lv in self.dispatcher.queue_level.items()})
        self.levels.update({f"busy.{r}": lv for r, lv in self.role_busy.items()})
        self.levels.update({f"on.{r}": lv for r, lv in self.role_on.items()})

    def _desk(self, role: str, index: int) -> int:
        if self.plan is None:
            return -1
        desks = self.plan.role_desks.get(role, ())
        return desks[index % len(desks)] if desks else -1

    def walk(
        self, cls: ClassRuntime, a: int, b: int, arrived: float
    ) -> Generator[simpy.Event, Any, float]:
        """A client walks from point ``a`` to point ``b``; returns the metres walked."""
        assert self.plan is not None
        metres = self.plan.client_distance[a][b]
        if arrived >= self.measure_from:
            self.client_walks[(a, b)] += 1
        if metres > 0:
            yield self.env.timeout(metres / cls.speed)
        return metres

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
                        _uniform(self.streams(f"seats:{name}")) if self.plan is not None else None
                    ),
                )
            )
        return out

    def _daily_arrivals(self, name: str) -> Iterator[np.ndarray]:
        s = self.scenario
        cc = s.client_classes[name]
        walk_rng = self.streams(f"arrivals:{name}")
        book_rng = self.streams(f"appointments:{name}")
        for day in range(s.days):
            parts = []
            if cc.arrivals is not None:
                parts.append(walk_in_times(cc.arrivals, s.hours, day, walk_rng))
            if cc.appointments is not None:
                parts.append(appointment_times(cc.appointments, s.hours, day, book_rng))
            yield np.sort(np.concatenate(parts)) if len(parts) > 1 else parts[0]

    def _snapshots(self) -> Generator[simpy.Event, None, None]:
        """Record every level's integral at each opening-hour boundary and at the warm-up end."""
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
        for t in sorted(times):
            if t > env.now:
                yield env.timeout(t - env.now)
            if t == self.measure_from:
                for lv in self.levels.values():
                    lv.reset_max()
            self.snap_times.append(t)
            self.snap_areas.append([lv.area_at(t) for lv in self.levels.values()])

    def run(self) -> ReplicationResult:
        """Simulate all days and return this replication's KPIs."""
        started = time.perf_counter()
        env = self.env
        for plan, member in zip(self.plans, self.members, strict=True):
            env.process(
                member_life(env, self.dispatcher, member, plan, self.overtime, self.measure_from)
            )
        for cls in self.classes:
            env.process(arrival_process(self, cls, self._daily_arrivals(cls.name)))
        env.process(self._snapshots())
        env.run(until=self.horizon)
        if self.arrived != self.left + self.inside:
            raise ModelError(
                f"internal conservation check failed: arrived {self.arrived} != left "
                f"{self.left} + inside {self.inside}"
            )
        kpis, hourly, checks = compute_kpis(self)
        return ReplicationResult(
            replication=self.replication,
            kpis=kpis,
            hourly=hourly,
            checks=checks,
            wall_time=time.perf_counter() - started,
            traffic=self._traffic(),
        )

    def _traffic(self) -> dict[str, float]:
        """Client traversals per walking-network edge per measured day, keyed ``"u|v"``."""
        if self.plan is None:
            return {}
        days = self.scenario.days - self.scenario.warmup_days
        edges = self.plan.edge_traffic(self.client_walks, "client")
        return {f"{u}|{v}": n / days for (u, v), n in sorted(edges.items())}


def _uniform(rng: np.random.Generator) -> Sampler:
    def blocks() -> Iterator[float]:
        while True:
            yield from rng.random(512).tolist()

    return blocks().__next__


def run_replication(
    scenario: Scenario, replication: int, plan: FloorPlan | None = None
) -> ReplicationResult:
    """Run replication number ``replication`` of ``scenario`` (deterministic given the seed).

    A scenario with a layout needs its ``FloorPlan``; when not given it is obtained from
    ``sim.plan.plan_for`` (loaded once per process and cached).
    """
    if plan is None and scenario.layout is not None:
        from sim.plan import plan_for

        plan = plan_for(scenario)
    return Office(scenario, replication, plan).run()
