"""Contacts that do not walk in: phone calls, chats and e-mails (web forms).

A remote contact takes no seat, walks nowhere and does not count against the waiting area. It
queues for its skill on its own channel (``sim.scenario.channels.channel_skill``), so only
members whose role answers that channel take it:

- a **call** waits with the class's patience and hangs up when it runs out;
- a **chat** waits the same way, but an agent holds up to ``k`` chats at once: a chat goes to an
  idle agent, else to an agent already chatting with a free session; each chat's handling time
  is multiplied by ``1 + slowdown x (other sessions open when it starts)``. An agent whose chat
  ends refills the free session from the chat queue; with no chat left open they are free for
  any work. With ``slowdown`` 0, one agent is exactly ``k`` servers;
- an **e-mail** is a backlog item: no patience, and staff do not stay on after closing for it;
  what is left at closing is answered the next morning.

A class with ``self_service`` sends its share of contacts to a chat-bot or voice bot first
(``sim.model.information``): a contained one ends there (its back-office tasks are still
started), an escalated one joins the human queue after the bot time with the patience left
(an e-mail joins the backlog; its reply time still counts from the request). A contact whose
service needs a lookup holds while the agent asks the back office or a system, with the same
outcomes and consequences as at a counter (a caller who "comes back another day" calls again).

Requests outside opening hours (``after_hours_rate``, times the day's factor) are taken by a
class whose ``after_hours`` is 'queue' (they wait as messages without patience until staff are
back; chats and e-mails by default) or 'bot' (every one tries self-service first; escalations
wait for the morning). Each contact's numbers are drawn at arrival from the class's streams, in
arrival order, like a walk-in's.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim.errors import InternalError
from sim.model import information
from sim.model.backoffice import create_task, lookup
from sim.model.dispatch import BUSY, Member
from sim.model.metrics import OUTCOME_RENEGED, OUTCOME_SERVED, Level
from sim.model.records_channels import ChannelRecords
from sim.random_streams import Streams
from sim.scenario.channels import REMOTE, channel_of, channel_skill
from sim.units import DAY, HOUR

if TYPE_CHECKING:
    from sim.model.clients import ClassRuntime
    from sim.model.office import Office
    from sim.scenario.spec import Scenario

LITTLE_TOLERANCE = 1e-6
"""Largest relative gap between a channel's queue integral and its contacts' waits."""


def uses_channels(s: Scenario) -> bool:
    """True when some client class comes by phone, chat or e-mail."""
    return any(cc.channel in REMOTE for cc in s.client_classes.values())


def remote_channels(s: Scenario) -> list[str]:
    """The remote channels some class comes by, in the order phone, chat, email."""
    used = {cc.channel for cc in s.client_classes.values()}
    return [c for c in ("phone", "chat", "email") if c in used]


def remote_queues(s: Scenario) -> list[str]:
    """The queues of the remote channels' classes, sorted (the dispatcher's non-seat queues)."""
    return sorted(
        {
            channel_skill(cc.skill, cc.channel)
            for cc in s.client_classes.values()
            if cc.channel in REMOTE
        }
    )


def walk_in_queues(s: Scenario) -> list[str]:
    """The walk-in queues: every skill a walk-in needs (reception included), sorted."""
    needed = {cc.skill for cc in s.client_classes.values() if cc.channel == "walk_in"}
    walkers = [cc for cc in s.client_classes.values() if cc.channel == "walk_in"]
    if s.reception is not None and any(cc.reception for cc in walkers):
        needed.add(s.reception.skill)
    return sorted(needed)


def role_queues(skills: Sequence[str], channels: Sequence[str]) -> list[str]:
    """A role's queues in the order it serves them: by skill, then by channel within a skill."""
    return [channel_skill(skill, ch) for skill in skills for ch in channels]


class ChannelBook:
    """What the remote channels count in one replication (for KPIs and conservation)."""

    def __init__(self, channels: list[str], measure_from: float) -> None:
        self.channels = channels
        self.measure_from = measure_from
        self.arrived = dict.fromkeys(channels, 0)
        self.done = dict.fromkeys(channels, 0)
        self.contained = dict.fromkeys(channels, 0)
        """Contacts solved by self-service (they never reach the human queue)."""
        self.in_bot = dict.fromkeys(channels, 0)
        """Contacts in self-service now."""
        self.open = {c: Level() for c in channels}
        """Contacts in the human queue or being handled (not yet finished)."""
        self.wait = dict.fromkeys(channels, 0.0)
        """Seconds queued by contacts that left the queue."""
        self.queued = dict.fromkeys(channels, 0)
        self.queued_since = dict.fromkeys(channels, 0.0)
        """Sum of arrival times of contacts still queued (their waits so far, at any time)."""
        self.at_close: dict[str, list[int]] = {c: [] for c in channels}

    def closing_samples(
        self, env: simpy.Environment, s: Scenario
    ) -> Generator[simpy.Event, Any, None]:
        """Count each channel's open contacts at every measured day's closing time."""
        for day in range(s.days):
            when = day * DAY + s.hours.close
            if when > env.now:
                yield env.timeout(when - env.now)
            if when >= self.measure_from:
                for c in self.channels:
                    self.at_close[c].append(self.open[c].value)


class ChatDesk:
    """Chat sessions: agents holding several chats, and refilling free sessions."""

    def __init__(self, office: Office, sessions: int, slowdown: float) -> None:
        self.dispatcher = office.dispatcher
        self.sessions = sessions
        self.slowdown = slowdown

    def spare(self, queue: str) -> Member | None:
        """An agent of ``queue`` already chatting with a free session (None if none)."""
        k = self.sessions
        for m in self.dispatcher.candidates[queue]:
            if m.state == BUSY and 0 < m.sessions < k and m.leave is None:
                return m
        return None

    def factor(self, member: Member) -> float:
        """The handling-time multiplier of a chat the member has just taken."""
        return 1.0 + self.slowdown * (member.sessions - 1)

    def fill(self, member: Member) -> None:
        """Give ``member`` waiting chats until their sessions are full or no chat waits."""
        d = self.dispatcher
        queues = [q for q in member.skills if q.endswith("@chat")]
        while member.sessions < self.sessions and member.leave is None:
            for q in queues:
                waiter = d.pop_waiter(q)
                if waiter is not None:
                    d.dequeued(q)
                    waiter.call(member)
                    break
            else:
                return

    def end(self, member: Member) -> None:
        """One of ``member``'s chats ended: refill the session, or free the member."""
        member.sessions -= 1
        if member.sessions == 0:
            self.dispatcher.release(member)
        elif member.leave is None:
            self.fill(member)


class RemoteFlow:
    """Contacts of one phone, chat or e-mail class, run by callbacks (no process per contact)."""

    def __init__(self, office: Office, cls: ClassRuntime) -> None:
        self.office = office
        self.env = office.env
        self.dispatcher = office.dispatcher
        self.recorder = office.recorder
        self.it = office.it
        book = office.channels
        assert book is not None
        self.book = book
        self.cls = cls
        self.channel = cls.channel
        self.queue = channel_skill(cls.skill, cls.channel)
        self.patient = cls.channel != "email"
        self.chat = office.chat if cls.channel == "chat" else None
        s = office.scenario
        self.opens, self.closes = s.hours.open, s.hours.close
        self.after_hours = s.client_classes[cls.name].after_hours_mode
        self.log = office.log

    def in_hours(self, now: float) -> bool:
        """True when ``now`` is within opening hours."""
        return self.opens <= now % DAY < self.closes

    def arrive(self) -> None:
        """A contact of the class comes in now: to the bot first, or to the human queue."""
        cls = self.cls
        now = self.env.now
        service = cls.service()
        patience = cls.patience() if cls.patience is not None and self.patient else None
        lookup = cls.lookup_draw() < cls.lookup_probability if cls.lookup_draw else False
        tasks = _tasks(cls)
        if cls.self_service is not None and cls.self_service() < self.it.effective().deflection:
            if now >= self.office.measure_from:
                self.recorder.deflected += 1
            return
        self.book.arrived[self.channel] += 1
        contact = Contact(self, now, service, tasks)
        contact.patience = patience
        contact.needs_lookup = lookup
        if self.log.enabled:
            contact.case = self.log.open_client(cls.name)
        if cls.bot is not None and self.tries_bot(now):
            self.to_bot(contact)
            return
        self.join(contact)

    def tries_bot(self, now: float) -> bool:
        """Whether the contact tries self-service: the class's share, and every request
        outside opening hours with ``after_hours: bot`` (one draw per contact either way)."""
        tried = information.tries_bot(self.cls)
        return tried or (self.after_hours == "bot" and not self.in_hours(now))

    def to_bot(self, contact: Contact) -> None:
        """The contact spends the bot time in self-service, then ends there or escalates."""
        office = self.office
        contained, duration = information.bot_start(office, self.cls, contact.case)
        self.book.in_bot[self.channel] += 1

        def end(_event: simpy.Event | None = None) -> None:
            self.book.in_bot[self.channel] -= 1
            information.bot_end(office, self.cls, contact, contained)
            if contained:
                self.book.contained[self.channel] += 1
            else:
                self.join(contact)

        if duration > 0:
            self.env.timeout(duration).callbacks.append(end)
        else:
            end()

    def join(self, contact: Contact) -> None:
        """The contact joins the human queue of its channel now (or is answered at once).

        Patience runs from the first arrival (an escalated contact has only what the bot time
        left of it) and only in opening hours; outside them a class whose ``after_hours`` is
        'closed' takes no contact (an escalation then gives up), any other waits for the
        morning.
        """
        env = self.env
        now = env.now
        in_hours = self.in_hours(now)
        recorder = self.recorder
        recorder.arrived += 1
        recorder.inside += 1
        book = self.book
        book.open[self.channel].change(now, 1)
        contact.queued = now
        if self.log.enabled:
            self.log.add(now, contact.case, "arrive")
        if not in_hours and self.after_hours == "closed":
            self.record(contact, OUTCOME_RENEGED, 0.0)
            return
        contact.holds = self.patient and in_hours
        d = self.dispatcher
        if contact.holds:
            d.add_need(self.queue, 1)
        member = d.idle_member(self.queue)
        if member is None and self.chat is not None:
            member = self.chat.spare(self.queue)
        if member is not None:
            self.serve(member, contact, 0.0)
            return
        book.queued[self.channel] += 1
        book.queued_since[self.channel] += now
        if self.log.enabled:
            self.log.add(now, contact.case, f"wait for {self.queue}", "start")
        waiter = d.enqueue_call(self.queue, self.cls.priority, contact.called)
        if contact.patience is not None and in_hours:
            d.start_patience(waiter, max(contact.patience - (now - contact.arrived), 0.0))

    def serve(self, member: Member, contact: Contact, wait: float) -> None:
        """``member`` takes the contact now, after ``wait`` seconds in the queue."""
        if contact.holds:
            self.dispatcher.add_need(self.queue, -1)
        duration = contact.service * self.it.effective().service_factor
        if self.log.enabled:
            self.describe(contact, "service", "start", member)
        chat = self.chat
        if chat is not None:
            member.sessions += 1
            duration *= chat.factor(member)
        done = _Done(self, contact, member, wait)
        self.env.timeout(duration).callbacks.append(done.fire)
        if chat is not None and member.sessions == 1:
            chat.fill(member)

    def describe(self, contact: Contact, activity: str, lifecycle: str, member: Member) -> None:
        """Log an event of the contact done by ``member`` (with an event log only)."""
        who = f"{member.role}#{member.index}"
        self.log.add(self.env.now, contact.case, activity, lifecycle, who)

    def dequeue(self, contact: Contact, wait: float) -> None:
        """The contact leaves the queue now (taken or given up)."""
        if self.log.enabled:
            self.log.add(self.env.now, contact.case, f"wait for {self.queue}", "complete")
        book = self.book
        book.queued[self.channel] -= 1
        book.queued_since[self.channel] -= contact.queued
        book.wait[self.channel] += wait

    def record(self, contact: Contact, outcome: int, wait: float) -> None:
        """The contact ends now (answered or given up)."""
        now = self.env.now
        if self.log.enabled:
            self.log.add(now, contact.case, "leave" if outcome == OUTCOME_SERVED else "renege")
        recorder = self.recorder
        recorder.records.add(self.cls.index, contact.arrived, outcome, wait, now - contact.arrived)
        recorder.inside -= 1
        recorder.left += 1
        book = self.book
        book.done[self.channel] += 1
        book.open[self.channel].change(now, -1)


def _tasks(cls: ClassRuntime) -> list[str]:
    draw = cls.creates_draw
    if draw is None:
        return []
    chances = draw.take(len(cls.creates))
    return [t for (t, p), u in zip(cls.creates, chances, strict=True) if u < p]


class Contact:
    """One remote contact: maybe in self-service, then waiting, then called by a member or
    given up."""

    __slots__ = (
        "arrived",
        "case",
        "cls",
        "flow",
        "holds",
        "needs_lookup",
        "patience",
        "queued",
        "service",
        "tasks",
    )

    def __init__(self, flow: RemoteFlow, arrived: float, service: float, tasks: list[str]) -> None:
        self.flow = flow
        self.cls = flow.cls
        self.arrived = arrived
        """When the contact came in (self-service included)."""
        self.queued = arrived
        """When it joined the human queue (after any self-service)."""
        self.service = service
        self.tasks = tasks
        self.case = ""
        self.holds = False
        """True when staff stay on after closing until it is answered (calls and chats joining
        the queue in opening hours)."""
        self.patience: float | None = None
        self.needs_lookup = False

    def called(self, member: Member | None) -> None:
        flow = self.flow
        wait = flow.env.now - self.queued
        flow.dequeue(self, wait)
        if member is None:
            if self.holds:
                flow.dispatcher.add_need(flow.queue, -1)
            flow.record(self, OUTCOME_RENEGED, wait)
            return
        flow.serve(member, self, wait)


class _Done:
    """The end of a remote contact's handling: a lookup if it needs one, then free the member,
    start its tasks and record it."""

    __slots__ = ("contact", "flow", "member", "wait")

    def __init__(self, flow: RemoteFlow, contact: Contact, member: Member, wait: float) -> None:
        self.flow = flow
        self.contact = contact
        self.member = member
        self.wait = wait

    def fire(self, _event: simpy.Event) -> None:
        if self.contact.needs_lookup:
            self.flow.env.process(self.look_up())
            return
        self.finish()

    def look_up(self) -> Generator[simpy.Event, Any, None]:
        """The member asks the back office (or a system) while the contact holds, as at a
        counter; the answer's outcome has the class's consequences."""
        flow = self.flow
        office = flow.office
        contact = self.contact
        if flow.log.enabled:
            flow.describe(contact, "lookup", "start", self.member)
        answered = yield from lookup(office, self.member, contact.cls)
        if flow.log.enabled:
            flow.describe(contact, "lookup", "complete", self.member)
        if contact.cls.answers is not None:
            contact.tasks = information.after_lookup(office, contact, answered)
        self.finish()

    def finish(self) -> None:
        flow = self.flow
        if flow.log.enabled:
            flow.describe(self.contact, "service", "complete", self.member)
        if flow.chat is not None:
            flow.chat.end(self.member)
        else:
            flow.dispatcher.release(self.member)
        if self.contact.tasks:
            office = flow.office
            bo = office.backoffice
            assert bo is not None
            for task in self.contact.tasks:
                create_task(office, bo.tasks[task], self.member.desk)
        flow.record(self.contact, OUTCOME_SERVED, self.wait)


def with_after_hours(
    s: Scenario, streams: Streams, name: str, days: Iterator[np.ndarray]
) -> Iterator[np.ndarray]:
    """Each day's arrival times with Poisson requests outside opening hours added around them.

    Day ``d`` gets requests in ``[d, d + open)`` and ``[d + close, d + 1 day)`` at the class's
    ``after_hours_rate`` per hour times the day's factor of its ``arrivals`` (a Monday twice as
    busy by day is twice as busy by night), on the stream ``after-hours:<class>``; the
    opening-hour arrivals are unchanged.
    """
    cc = s.client_classes[name]
    rng = streams(f"after-hours:{name}")
    for day, inside in enumerate(days):
        base = day * DAY
        rate = cc.after_hours_rate * (cc.arrivals.factor(day) if cc.arrivals else 1.0)
        parts = [
            _poisson(rng, rate, base, base + s.hours.open),
            inside,
            _poisson(rng, rate, base + s.hours.close, base + DAY),
        ]
        yield np.concatenate(parts)


def _poisson(rng: np.random.Generator, rate: float, start: float, end: float) -> np.ndarray:
    expected = rate * (end - start) / HOUR
    n = rng.poisson(expected) if expected > 0 else 0
    return np.sort(rng.uniform(start, end, n)) if n else np.zeros(0)


def check(office: Office) -> None:
    """Conservation per channel: every contact arrived is finished, contained by self-service,
    still in self-service or still open, and the
    integral of each channel's queues equals its contacts' waits (Little's law)."""
    book = office.channels
    if book is None:
        return
    end = office.env.now
    levels = office.dispatcher.queue_level
    for c in book.channels:
        still = book.open[c].value
        ends = book.done[c] + book.contained[c] + book.in_bot[c] + still
        if book.arrived[c] != ends or still < 0 or book.in_bot[c] < 0:
            raise InternalError(
                f"internal conservation check failed on channel {c}: arrived "
                f"{book.arrived[c]} != finished {book.done[c]} + contained {book.contained[c]} "
                f"+ in self-service {book.in_bot[c]} + open {still}"
            )
        area = sum(lv.area_at(end) for q, lv in levels.items() if channel_of(q) == c)
        waits = book.wait[c] + book.queued[c] * end - book.queued_since[c]
        if abs(area - waits) > LITTLE_TOLERANCE * max(1.0, waits):
            raise InternalError(
                f"internal check failed on channel {c}: the integral of its queues {area:.6g} "
                f"differs from its contacts' waits {waits:.6g}"
            )


def channel_records(office: Office) -> ChannelRecords | None:
    """The channels' counters as plain data for the results layer (None without channels)."""
    book = office.channels
    if book is None:
        return None
    return ChannelRecords(
        class_channels=tuple(c.channel for c in office.classes),
        at_close={c: tuple(v) for c, v in book.at_close.items()},
        open_at_end={c: book.open[c].value for c in book.channels},
        email_due=office.scenario.channels.email.due,
    )
