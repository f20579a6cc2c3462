"""Blended work: staff moving between client and back-office work, and what that costs.

``BlendingDispatcher`` is the dispatcher of a scenario with a ``blending`` section (a plain
``Dispatcher`` runs every other scenario, so blending costs nothing when unused):

- a front role that blends holds the task queues of its teams after its client queues
  (``clients_first``: a task only when no client waits for the member) or before them
  (``tasks_first``), so the ordinary rule "serve your queues in order" applies;
- a team called forward takes clients from the watched queues while at least ``when_waiting``
  clients wait in them together: an idle member at once when a client joins, a busy one when
  their current step ends; otherwise it works its task queue;
- a member going straight from one kind of work to the other (client ↔ task) first spends
  ``switch_time`` switching; an idle spell in between absorbs the switch. The client or task
  they switch to keeps waiting (and counts as waiting) until the switch is over.

For the time-share KPIs, each blending crew has levels ``work.<scope>.clients``,
``work.<scope>.tasks`` and ``work.<scope>.switching``; on every run their integrals must add up
to the crew's busy time (``check``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import simpy

from sim.errors import InternalError
from sim.model.backoffice import team_skill
from sim.model.dispatch import IDLE, Dispatcher, Member, Waiter
from sim.model.metrics import Level
from sim.scenario.channels import channel_skill

if TYPE_CHECKING:
    from sim.model.office import Office
    from sim.scenario.spec import Scenario

KINDS = ("clients", "tasks", "switching")
TOLERANCE = 1e-6
"""Largest relative gap between a crew's work levels and its busy time."""


def kind_of(queue: str) -> str:
    """``tasks`` for a back-office team's queue, ``clients`` for any client queue."""
    return "tasks" if queue.startswith("team:") else "clients"


def role_skills(s: Scenario, role: str, queues: list[str]) -> list[str]:
    """The queues of a member of staff role ``role``, with its teams' task queues if it blends."""
    front = s.blending.front.get(role) if s.blending is not None else None
    if front is None:
        return queues
    tasks = [team_skill(t) for t in front.teams]
    return queues + tasks if front.rule == "clients_first" else tasks + queues


class CallUp:
    """A team called to the front: its members, the watched client queues and the threshold."""

    __slots__ = ("levels", "members", "queues", "threshold")

    def __init__(self, queues: list[str], threshold: int, levels: list[Level]) -> None:
        self.queues = queues
        self.threshold = threshold
        self.levels = levels
        self.members: list[Member] = []

    def due(self) -> bool:
        """True while enough clients wait in the watched queues."""
        return sum(lv.value for lv in self.levels) >= self.threshold


class BlendingDispatcher(Dispatcher):
    """A dispatcher that also tracks blending crews' kinds of work and switching."""

    def __init__(
        self,
        env: simpy.Environment,
        members: Iterable[Member],
        skills: Iterable[str],
        work_skills: Iterable[str],
        s: Scenario,
    ) -> None:
        super().__init__(env, members, skills, work_skills)
        b = s.blending
        assert b is not None
        crews = {f"role.{r}": f.switch_time for r, f in b.front.items()}
        crews |= {f"team.{t}": f.switch_time for t, f in b.back.items()}
        self.work: dict[tuple[str, str], Level] = {
            (scope, kind): Level() for scope in crews for kind in KINDS
        }
        self.switch_time = {m: crews[m.role] for m in self.members if m.role in crews}
        self.current: dict[Member, tuple[str, Level]] = {}
        self.last: dict[Member, str] = {}
        self.callups: dict[Member, CallUp] = {}
        self.watch: dict[str, list[CallUp]] = {}
        for team, back in b.back.items():
            queues = [channel_skill(sk, ch) for sk in back.skills for ch in back.channels]
            queues = [q for q in queues if q in self.queues]
            call = CallUp(queues, back.when_waiting, [self.queue_level[q] for q in queues])
            call.members = [m for m in self.members if m.role == f"team.{team}"]
            for m in call.members:
                self.callups[m] = call
            for q in queues:
                self.watch.setdefault(q, []).append(call)

    def levels(self) -> dict[str, Level]:
        """The work levels by name, ``work.<scope>.<kind>``."""
        return {f"work.{scope}.{kind}": lv for (scope, kind), lv in self.work.items()}

    def idle_member(self, skill: str) -> Member | None:
        m = super().idle_member(skill)
        if m is not None and m in self.switch_time:
            self._begin(m, kind_of(skill))
        return m

    def release(self, m: Member) -> None:
        if m not in self.switch_time:
            super().release(m)
            return
        kind, level = self.current.pop(m)
        level.change(self.env.now, -1)
        self.last[m] = kind
        self._release_then_pull(m)
        self.last.pop(m, None)

    def _push(self, waiter: Waiter, priority: int) -> None:
        super()._push(waiter, priority)
        for call in self.watch.get(waiter.skill, ()):
            for m in call.members:
                if not call.due():
                    break
                if m.state == IDLE:
                    self._take(m, call.queues)

    def _pull(self, m: Member) -> None:
        if m not in self.switch_time:
            super()._pull(m)
            return
        call = self.callups.get(m)
        if call is not None and call.due() and self._take(m, call.queues):
            return
        self._take(m, m.skills)

    def _take(self, m: Member, queues: list[str]) -> bool:
        """``m`` takes the head of the first non-empty of ``queues`` (switching first if due)."""
        for q in queues:
            waiter = self.pop_waiter(q)
            if waiter is None:
                continue
            self._start(m)
            kind = kind_of(q)
            last = self.last.get(m)
            switch = self.switch_time[m]
            if last is None or last == kind or switch <= 0:
                self._hand(m, q, waiter)
                return True
            level = self.work[(m.role, "switching")]
            level.change(self.env.now, 1)
            self.current[m] = ("switching", level)
            done = _Switched(self, m, q, waiter)
            self.env.timeout(switch).callbacks.append(done.fire)
            return True
        return False

    def _hand(self, m: Member, queue: str, waiter: Waiter) -> None:
        self.dequeued(queue)
        self._begin(m, kind_of(queue))
        waiter.call(m)

    def _begin(self, m: Member, kind: str) -> None:
        level = self.work[(m.role, kind)]
        level.change(self.env.now, 1)
        self.current[m] = (kind, level)


class _Switched:
    """The end of a member's switch: the waiting client or task is handed over."""

    __slots__ = ("dispatcher", "member", "queue", "waiter")

    def __init__(self, d: BlendingDispatcher, m: Member, queue: str, waiter: Waiter) -> None:
        self.dispatcher = d
        self.member = m
        self.queue = queue
        self.waiter = waiter

    def fire(self, _event: simpy.Event) -> None:
        d = self.dispatcher
        _, level = d.current.pop(self.member)
        level.change(d.env.now, -1)
        d._hand(self.member, self.queue, self.waiter)


def dispatcher(
    env: simpy.Environment,
    s: Scenario,
    members: list[Member],
    skills: list[str],
    work_skills: list[str],
) -> Dispatcher:
    """The dispatcher for ``s``: a plain one unless the scenario blends work."""
    if s.blending is None or not (s.blending.front or s.blending.back):
        return Dispatcher(env, members, skills, work_skills)
    return BlendingDispatcher(env, members, skills, work_skills, s)


def check(office: Office) -> None:
    """Each blending crew's client, task and switching time adds up to its busy time."""
    d = office.dispatcher
    if not isinstance(d, BlendingDispatcher):
        return
    end = office.env.now
    for scope in {scope for scope, _ in d.work}:
        parts = sum(d.work[(scope, kind)].area_at(end) for kind in KINDS)
        busy = office.crew_busy[scope].area_at(end)
        if abs(parts - busy) > TOLERANCE * max(1.0, busy):
            raise InternalError(
                f"internal conservation check failed for {scope}: client, task and switching "
                f"time {parts:.6g} s != busy time {busy:.6g} s"
            )
