"""What a lookup's answer does to a client, and clients who try self-service first.

A lookup whose class declares consequences ends correct, stale or unanswered (chances of the
IT level in force, or the lookup's own); a stale or missing answer then makes the client leave
without the deal, be called back (a callback task), come back another day at the same clock
time (the next day, or after ``repeat_after`` in whole days; a repeat visit that joins that
day's arrivals, a caller calling again; after the last simulated day it is counted but not
simulated), or carry on with back-office tasks that are wrong and come back as rework.

A class with self-service sends a share of its clients to a chat-bot or portal first: after the
bot time a contained request is done (its tasks are still created), an escalated one joins the
human queue with its patience counted from the start.

Every event is one row (class, time, kind) of ``ContactLog``; whole-run counters beside it let
the office check that every contact ends served, contained, lost, repeated or still open.
Streams: ``answer:<class>``, ``reaction:<class>``, ``rework-after:<class>``,
``repeat-after:<class>``,
``bot-try:<class>``, ``bot-contain:<class>`` and ``bot-time:<class>``.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim.errors import InternalError
from sim.model.backoffice import create_task
from sim.random_streams import Streams
from sim.scenario.backoffice import Lookup
from sim.scenario.distributions import Sampler, block_sampler
from sim.scenario.information import AnswerQuality, SelfService
from sim.scenario.it import ITIntegration
from sim.units import DAY

if TYPE_CHECKING:
    from sim.model.channels import Contact
    from sim.model.clients import ClassRuntime, Visit
    from sim.model.office import Office

CORRECT, STALE, UNANSWERED = 0, 1, 2
"""Lookup outcomes (``sim.scenario.information.OUTCOMES``)."""
NOTHING, LEAVE, CALLBACK, REPEAT, REWORK = -1, 0, 1, 2, 3
"""Reactions to a bad outcome (``sim.scenario.information.CONSEQUENCES``); NOTHING = carry on."""

EVENT_STALE = 0
EVENT_UNANSWERED = 1
EVENT_LEAVE = 2
EVENT_CALLBACK = 3
EVENT_REPEAT = 4
"""A repeat visit scheduled for the next day (within the run)."""
EVENT_REPEAT_BEYOND = 5
"""A repeat visit that would fall after the last simulated day (counted, not simulated)."""
EVENT_REWORK = 6
"""A wrong task came back as rework (a new task of the same type)."""
EVENT_REWORK_SET = 7
"""A client carried on after a bad answer with wrong tasks."""
EVENT_BOT_TRIED = 8
EVENT_CONTAINED = 9
EVENT_ESCALATED = 10
EVENT_NAMES = (
    "stale",
    "unanswered",
    "leave",
    "callback",
    "repeat",
    "repeat_beyond",
    "rework",
    "rework_set",
    "bot_tried",
    "contained",
    "escalated",
)


def _uniform(rng: np.random.Generator) -> Sampler:
    return block_sampler(lambda g, n: g.random(n), rng)


@dataclass
class AnswerRuntime:
    """A class's lookup consequences compiled for the engine."""

    quality: dict[str, tuple[float, float]]
    """(stale, unanswered) by IT level in force: the configured level's name or ``outage``."""
    reactions: dict[int, tuple[float, float, float, float]]
    """Cumulative shares (leave, callback, repeat, rework) by outcome (STALE, UNANSWERED)."""
    answer: Sampler
    react: Sampler
    rework_after: Sampler
    callback_task: str | None
    repeat_after: Sampler | None = None
    """Delay of a repeat visit (None: the next day)."""


@dataclass
class BotRuntime:
    """A class's self-service compiled for the engine."""

    share: float
    containment: float
    tries: Sampler
    contains: Sampler
    time: Sampler


@dataclass
class ContactLog:
    """Information and self-service events of one replication, and whole-run counters."""

    rows: list[tuple[int, float, int]] = field(default_factory=list)
    callback_rows: list[int] = field(default_factory=list)
    """Task record rows of callback tasks (their cycle time is the delayed answer)."""
    tried: int = 0
    contained: int = 0
    escalated: int = 0
    in_bot: int = 0
    left_without_deal: int = 0
    repeated: int = 0

    def add(self, cls: int, now: float, kind: int) -> None:
        """Record one event of class ``cls`` at time ``now``."""
        self.rows.append((cls, now, kind))

    def as_numpy(self) -> dict[str, np.ndarray]:
        """The events as numpy columns ``cls``, ``time``, ``kind``."""
        table = np.array(self.rows, dtype=float).reshape(len(self.rows), 3)
        return {
            "cls": table[:, 0].astype(np.int32),
            "time": table[:, 1],
            "kind": table[:, 2].astype(np.int8),
        }


def _quality(q: AnswerQuality) -> tuple[float, float]:
    return (q.stale, q.unanswered)


def answer_runtime(lookup: Lookup, it: ITIntegration, streams: Streams, name: str) -> AnswerRuntime:
    """The consequences of ``lookup`` (which has some) for class ``name``."""
    cons = lookup.consequences
    assert cons is not None
    own = lookup.quality
    manual = it.as_manual().answers
    configured = getattr(own, it.level, None) if own is not None else None
    outage = None
    if own is not None:
        outage = own.outage or own.manual
    reactions = {}
    for outcome, reaction in ((STALE, cons.stale), (UNANSWERED, cons.unanswered)):
        cumulative = np.cumsum(reaction.shares()).tolist()
        reactions[outcome] = (cumulative[0], cumulative[1], cumulative[2], cumulative[3])
    return AnswerRuntime(
        quality={
            it.level: _quality(configured or it.answers),
            "outage": _quality(outage or manual),
        },
        reactions=reactions,
        answer=_uniform(streams(f"answer:{name}")),
        react=_uniform(streams(f"reaction:{name}")),
        rework_after=cons.rework_after.sampler(streams(f"rework-after:{name}")),
        callback_task=cons.callback_task,
        repeat_after=(
            cons.repeat_after.sampler(streams(f"repeat-after:{name}"))
            if cons.repeat_after is not None
            else None
        ),
    )


def bot_runtime(spec: SelfService, streams: Streams, name: str) -> BotRuntime:
    """The self-service of class ``name``."""
    return BotRuntime(
        share=spec.share,
        containment=spec.containment,
        tries=_uniform(streams(f"bot-try:{name}")),
        contains=_uniform(streams(f"bot-contain:{name}")),
        time=spec.time.sampler(streams(f"bot-time:{name}")),
    )


def outcome(office: Office, cls: ClassRuntime, answered: bool) -> int:
    """How the lookup of a client of ``cls`` ended: CORRECT, STALE or UNANSWERED.

    One draw per lookup, also when nobody was there to answer (then always UNANSWERED), so
    that staffing does not shift the draws of later clients.
    """
    rt = cls.answers
    assert rt is not None
    u = rt.answer()
    if not answered:
        return UNANSWERED
    key = office.scenario.it.level if office.it.up else "outage"
    stale, unanswered = rt.quality[key]
    if u < stale:
        return STALE
    if u < stale + unanswered:
        return UNANSWERED
    return CORRECT


def react(cls: ClassRuntime, result: int) -> int:
    """The client's reaction to a lookup outcome (NOTHING after a correct answer)."""
    rt = cls.answers
    assert rt is not None
    if result == CORRECT:
        return NOTHING
    u = rt.react()
    for code, bound in enumerate(rt.reactions[result]):
        if u < bound:
            return code
    return NOTHING


def after_lookup(office: Office, visit: Visit | Contact, answered: bool) -> list[str]:
    """Apply the lookup's outcome and the client's reaction; the tasks the client still starts.

    Leaving (no deal) and coming back another day start no task now; a callback starts the
    callback task besides the client's own; wrong tasks are started and come back as rework.
    """
    cls = visit.cls
    tasks = visit.tasks
    contacts = office.contacts
    assert contacts is not None
    now = office.env.now
    result = outcome(office, cls, answered)
    if result == CORRECT:
        return tasks
    contacts.add(cls.index, now, EVENT_STALE if result == STALE else EVENT_UNANSWERED)
    reaction = react(cls, result)
    log = office.log
    if log.enabled:
        answer = "stale answer" if result == STALE else "no answer"
        then = ("leave without the deal", "call back", "come back another day", "wrong task")
        log.add(now, visit.case, answer if reaction == NOTHING else f"{answer}: {then[reaction]}")
    if reaction == LEAVE:
        contacts.add(cls.index, now, EVENT_LEAVE)
        contacts.left_without_deal += 1
        return []
    if reaction == REPEAT:
        _repeat(office, cls, visit.arrived)
        return []
    if reaction == CALLBACK:
        _callback(office, cls)
    elif reaction == REWORK and tasks:
        contacts.add(cls.index, now, EVENT_REWORK_SET)
        for task in tasks:
            office.env.process(_comes_back(office, cls, task))
    return tasks


def _repeat(office: Office, cls: ClassRuntime, arrived: float) -> None:
    """The client comes back another day at the clock time of this visit's arrival: the next
    day, or after the class's ``repeat_after`` rounded to whole days (after the last simulated
    day: counted, not simulated). A phone, chat or e-mail client contacts the office again."""
    contacts = office.contacts
    rt = cls.answers
    assert contacts is not None and rt is not None
    env = office.env
    contacts.repeated += 1
    days = 1 if rt.repeat_after is None else max(1, round(rt.repeat_after() / DAY))
    again = arrived + days * DAY
    if again >= office.scenario.days * DAY:
        contacts.add(cls.index, env.now, EVENT_REPEAT_BEYOND)
        return
    contacts.add(cls.index, env.now, EVENT_REPEAT)
    if cls.again is not None:
        start = cls.again

        def contact_again(_event: simpy.Event) -> None:
            start()

        env.timeout(again - env.now).callbacks.append(contact_again)
        return
    env.process(_visit_again(office, cls, again - env.now))


def _visit_again(
    office: Office, cls: ClassRuntime, delay: float
) -> Generator[simpy.Event, Any, None]:
    from sim.model.clients import client

    yield office.env.timeout(delay)
    yield office.env.process(client(office, cls))


def _callback(office: Office, cls: ClassRuntime) -> None:
    contacts = office.contacts
    bo = office.backoffice
    rt = cls.answers
    assert contacts is not None and bo is not None and rt is not None
    assert rt.callback_task is not None
    contacts.add(cls.index, office.env.now, EVENT_CALLBACK)
    contacts.callback_rows.append(create_task(office, bo.tasks[rt.callback_task], -1))


def _comes_back(office: Office, cls: ClassRuntime, task: str) -> Generator[simpy.Event, Any, None]:
    """A wrong task comes back as a new task of the same type after the rework delay."""
    rt = cls.answers
    bo = office.backoffice
    assert rt is not None and bo is not None
    yield office.env.timeout(rt.rework_after())
    contacts = office.contacts
    assert contacts is not None
    contacts.add(cls.index, office.env.now, EVENT_REWORK)
    create_task(office, bo.tasks[task], -1)


def tries_bot(cls: ClassRuntime) -> bool:
    """Whether an arriving client of ``cls`` tries self-service first (one draw per client)."""
    bot = cls.bot
    assert bot is not None
    return bot.tries() < bot.share


def in_bot(office: Office, visit: Visit) -> Generator[Any, Any, bool]:
    """The client's time in self-service; True when the request is contained there.

    A contained request starts its back-office tasks as a desk service would.
    """
    cls = visit.cls
    contained, duration = bot_start(office, cls, visit.case)
    if duration > 0:
        yield office.env.timeout(duration)
    bot_end(office, cls, visit, contained)
    return contained


def bot_start(office: Office, cls: ClassRuntime, case: str) -> tuple[bool, float]:
    """A contact of ``cls`` starts self-service now: whether it will be contained, and the time
    it spends there (drawn in this order, one of each per contact)."""
    bot = cls.bot
    contacts = office.contacts
    assert bot is not None and contacts is not None
    contained = bot.contains() < bot.containment
    duration = bot.time()
    contacts.tried += 1
    contacts.in_bot += 1
    now = office.env.now
    contacts.add(cls.index, now, EVENT_BOT_TRIED)
    office.log.add(now, case, "self-service", "start")
    return contained, duration


def bot_end(office: Office, cls: ClassRuntime, contact: Visit | Contact, contained: bool) -> None:
    """The contact's self-service ends now: contained (its tasks are started) or escalated."""
    contacts = office.contacts
    assert contacts is not None
    env = office.env
    contacts.in_bot -= 1
    office.log.add(env.now, contact.case, "self-service", "complete")
    if not contained:
        contacts.escalated += 1
        contacts.add(cls.index, env.now, EVENT_ESCALATED)
        return
    contacts.contained += 1
    contacts.add(cls.index, env.now, EVENT_CONTAINED)
    office.log.add(env.now, contact.case, "contained")
    if contact.tasks:
        bo = office.backoffice
        assert bo is not None
        for task in contact.tasks:
            create_task(office, bo.tasks[task], -1)


def desks_closed(office: Office) -> bool:
    """True outside opening hours, when an escalated contact finds nobody to hand over to.

    (Walk-ins come in opening hours only: such a contact gives up and counts as reneged. A
    phone, chat or e-mail class may wait for the morning instead, see ``after_hours``.)
    """
    hours = office.scenario.hours
    clock = office.env.now % DAY
    return not hours.open <= clock < hours.close


def contact_balance(office: Office, served: int, lost: int) -> dict[str, float]:
    """Every contact's end: served, contained, lost, repeated or still open (whole run).

    ``served`` and ``lost`` are the clients served at a desk and those who balked or reneged.
    Raises ``InternalError`` when the ends do not add up to the contacts.
    """
    contacts = office.contacts
    assert contacts is not None
    r = office.recorder
    arrived = r.arrived - contacts.escalated + contacts.tried
    ends = {
        "contacts": float(arrived),
        "served": float(served - contacts.left_without_deal - contacts.repeated),
        "contained": float(contacts.contained),
        "lost": float(lost + contacts.left_without_deal),
        "repeated": float(contacts.repeated),
        "open": float(r.inside + contacts.in_bot),
    }
    total = sum(v for k, v in ends.items() if k != "contacts")
    if total != ends["contacts"] or ends["served"] < 0:
        raise InternalError(
            "internal conservation check failed: contacts "
            f"{arrived} != served {ends['served']:.0f} + contained {contacts.contained} + lost "
            f"{ends['lost']:.0f} + repeated {contacts.repeated} + open {ends['open']:.0f}"
        )
    return ends
