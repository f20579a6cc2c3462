"""Skill-based routing: queues per skill, staff members holding ordered skills, and assignment.

A client needing skill *s* takes an idle on-duty member holding *s* (members for whom *s* ranks
highest first, then in member order); otherwise it joins the queue of *s*, ordered by class
priority, then arrival. A member who becomes free serves its skills in priority order, taking
the head of the first non-empty queue. Service is never interrupted: breaks and shift ends wait
for the current client. Reneging clients are removed lazily (skipped when they reach the head).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import Any

import simpy

from sim.model.clock import later
from sim.model.metrics import Level

OFF, IDLE, BUSY = 0, 1, 2


class Member:
    """One staff member: their skills in priority order and their current state."""

    __slots__ = (
        "busy_since",
        "debt",
        "desk",
        "index",
        "leave",
        "role",
        "role_busy",
        "role_on",
        "sessions",
        "skills",
        "slowdown",
        "state",
    )

    def __init__(
        self, role: str, index: int, skills: list[str], busy: Level, on: Level, desk: int = -1
    ):
        self.role = role
        self.index = index
        self.skills = skills
        self.desk = desk
        """Index of the member's desk on the floor plan (-1 without a plan)."""
        self.debt = 0.0
        """Seconds lost to interruptions, added to the task step being worked on."""
        self.slowdown = 1.0
        """Multiplier of task times (noise at the desk makes work slower)."""
        self.state = OFF
        self.leave: simpy.Event | None = None
        self.role_busy = busy
        self.role_on = on
        self.busy_since = 0.0
        self.sessions = 0
        """Chats the member holds now (see ``sim.model.channels``)."""


class Waiter:
    """Work waiting in a queue: ``call`` gets the member who takes it, or None on renege."""

    __slots__ = ("call", "skill", "waiting")

    def __init__(self, skill: str, call: Callable[[Any], object]):
        self.skill = skill
        self.call = call
        self.waiting = True


class ProcessWaiter(Waiter):
    """A process waiting in a queue: ``event`` succeeds with the member, or None on renege."""

    __slots__ = ("event",)

    def __init__(self, event: simpy.Event, skill: str):
        super().__init__(skill, event.succeed)
        self.event = event


class Dispatcher:
    """Queues per skill and the members who serve them."""

    def __init__(
        self,
        env: simpy.Environment,
        members: Iterable[Member],
        skills: Iterable[str],
        work_skills: Iterable[str] = (),
    ):
        self.env = env
        self.members = list(members)
        self.queues: dict[str, list[tuple[int, int, Waiter]]] = {s: [] for s in skills}
        self.client_skills = frozenset(self.queues)
        """Skills whose queues hold clients (they count in the waiting area)."""
        self.queues.update({s: [] for s in work_skills})
        self.queue_level: dict[str, Level] = {s: Level() for s in self.queues}
        self.waiting = Level()
        """All clients waiting in any queue (the waiting-area occupancy)."""
        self.need: dict[str, int] = dict.fromkeys(self.queues, 0)
        """Clients inside who still need each skill (for staying on after closing)."""
        self._need_cleared: dict[str, list[simpy.Event]] = {s: [] for s in self.queues}
        self._seq = 0
        ranked: dict[str, list[tuple[int, int, Member]]] = {s: [] for s in self.queues}
        for order, m in enumerate(self.members):
            for rank, s in enumerate(m.skills):
                if s in ranked:
                    ranked[s].append((rank, order, m))
        self.candidates: dict[str, list[Member]] = {
            s: [m for _, _, m in sorted(lst, key=lambda t: (t[0], t[1]))]
            for s, lst in ranked.items()
        }

    # clients -----------------------------------------------------------------------------

    def idle_member(self, skill: str) -> Member | None:
        """Claim an idle on-duty member with ``skill``, or None if all are busy or away."""
        for m in self.candidates[skill]:
            if m.state == IDLE:
                now = self.env._now
                m.state = BUSY
                m.busy_since = now
                m.role_busy.change(now, 1)
                return m
        return None

    def enqueue(self, skill: str, priority: int) -> ProcessWaiter:
        """Put a client in the queue of ``skill``; its event yields the serving member."""
        waiter = ProcessWaiter(self.env.event(), skill)
        self._push(waiter, priority)
        return waiter

    def enqueue_call(
        self, skill: str, priority: int, call: Callable[[Member | None], object]
    ) -> Waiter:
        """Put work in the queue of ``skill``; ``call`` gets the member (None on renege)."""
        waiter = Waiter(skill, call)
        self._push(waiter, priority)
        return waiter

    def _push(self, waiter: Waiter, priority: int) -> None:
        now = self.env._now
        skill = waiter.skill
        self._seq += 1
        heapq.heappush(self.queues[skill], (-priority, self._seq, waiter))
        self.queue_level[skill].change(now, 1)
        if skill in self.client_skills:
            self.waiting.change(now, 1)

    def start_patience(self, waiter: Waiter, delay: float) -> None:
        """Make ``waiter`` leave the queue after ``delay`` unless a member takes them first."""

        def expire(_event: simpy.Event) -> None:
            self.renege(waiter)

        later(self.env, delay, expire)

    def renege(self, waiter: Waiter) -> bool:
        """Take a waiting client out of its queue; False if a member already took them."""
        if not waiter.waiting:
            return False
        waiter.waiting = False
        now = self.env._now
        self.queue_level[waiter.skill].change(now, -1)
        if waiter.skill in self.client_skills:
            self.waiting.change(now, -1)
        waiter.call(None)
        return True

    def add_need(self, skill: str, delta: int) -> None:
        """Count clients inside who still need ``skill``; wake members waiting for it to clear."""
        n = self.need[skill] = self.need[skill] + delta
        if n == 0 and self._need_cleared[skill]:
            for ev in self._need_cleared[skill]:
                ev.succeed()
            self._need_cleared[skill] = []

    # members -----------------------------------------------------------------------------

    def release(self, m: Member) -> None:
        """``m`` finished a client: leave if a break or shift end is due, else take the next.

        A member who takes the next client at once stays busy: the busy level's -1 and +1 at
        this instant are one update of its integral, with the same result to the bit.
        """
        now = self.env._now
        if m.leave is not None:
            m.role_busy.change(now, -1)
            self._go_off(m)
            return
        waiter = self._next_waiter(m, now)
        if waiter is None:
            m.role_busy.change(now, -1)
            m.state = IDLE
            return
        m.role_busy.change(now, 0)
        m.busy_since = now
        waiter.call(m)

    def _release_then_pull(self, m: Member) -> None:
        """``release`` step by step: free ``m``, then ``_pull`` (for a dispatcher whose
        ``_pull`` does more than take the next waiter)."""
        now = self.env._now
        m.role_busy.change(now, -1)
        if m.leave is not None:
            self._go_off(m)
            return
        m.state = IDLE
        self._pull(m)

    def on_duty(self, m: Member) -> None:
        """``m`` starts (or resumes) duty and takes waiting work at once."""
        m.role_on.change(self.env._now, 1)
        m.state = IDLE
        self._pull(m)

    def off_duty(self, m: Member) -> simpy.Event:
        """Ask ``m`` to go off duty; the event fires once the current client (if any) is done."""
        ev = m.leave = self.env.event()
        if m.state != BUSY:
            self._go_off(m)
        return ev

    def needs_any(self, skills: Iterable[str]) -> simpy.Event | None:
        """An event for when a needed skill of ``skills`` is no longer needed; None if none is."""
        for s in skills:
            if self.need.get(s, 0) > 0:
                ev = self.env.event()
                self._need_cleared[s].append(ev)
                return ev
        return None

    def _go_off(self, m: Member) -> None:
        m.state = OFF
        m.role_on.change(self.env._now, -1)
        leave, m.leave = m.leave, None
        if leave is not None:
            leave.succeed()

    def _start(self, m: Member) -> None:
        m.state = BUSY
        m.busy_since = self.env._now
        m.role_busy.change(self.env._now, 1)

    def _pull(self, m: Member) -> None:
        """Idle ``m`` takes the first waiting work of their skills, if any."""
        waiter = self._next_waiter(m, self.env._now)
        if waiter is not None:
            self._start(m)
            waiter.call(m)

    def _next_waiter(self, m: Member, now: float) -> Waiter | None:
        """Take the first live waiter of ``m``'s skills (in their order) out of its queue."""
        queues = self.queues
        for s in m.skills:
            q = queues.get(s)
            while q:
                waiter = heapq.heappop(q)[2]
                if waiter.waiting:
                    waiter.waiting = False
                    self.queue_level[s].change(now, -1)
                    if s in self.client_skills:
                        self.waiting.change(now, -1)
                    return waiter
        return None

    def pop_waiter(self, skill: str) -> Waiter | None:
        """Take the next live waiter of ``skill``'s queue out of it (levels are the caller's)."""
        q = self.queues[skill]
        while q:
            waiter = heapq.heappop(q)[2]
            if waiter.waiting:
                waiter.waiting = False
                return waiter
        return None

    def dequeued(self, skill: str) -> None:
        """Count a waiter of ``skill`` taken out by ``pop_waiter`` as no longer waiting."""
        now = self.env._now
        self.queue_level[skill].change(now, -1)
        if skill in self.client_skills:
            self.waiting.change(now, -1)

    def queue_lengths(self) -> dict[str, int]:
        """Clients waiting per skill now."""
        return {s: lvl.value for s, lvl in self.queue_level.items()}

    def snapshot(self) -> dict[str, Any]:
        """A small debugging view of the current state."""
        return {
            "waiting": self.waiting.value,
            "queues": self.queue_lengths(),
            "states": {f"{m.role}#{m.index}": m.state for m in self.members},
        }
