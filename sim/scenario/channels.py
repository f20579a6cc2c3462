"""Contact channels: how a client class reaches the office, and the settings of each channel.

A class comes by one channel: ``walk_in`` (in person, the default), ``phone`` (a caller holds
with patience, takes no seat and walks nowhere), ``chat`` (an agent holds up to ``sessions``
chats at once, each slower by ``slowdown`` per other session) or ``email`` (e-mails and web
forms: a backlog answered within a due time, nobody gives up). Staff roles list the channels
they answer (default: walk-ins only), so a scenario without channels runs as before. A remote
class may take requests outside opening hours (``after_hours``: wait for the morning, or try
the chat-bot first); chats and e-mails do by default.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.base import Duration, Frozen

Channel = Literal["walk_in", "phone", "chat", "email"]
CHANNELS: tuple[str, ...] = ("walk_in", "phone", "chat", "email")
REMOTE: frozenset[str] = frozenset({"phone", "chat", "email"})
"""Channels whose clients are not in the building (no seat, no walking, no waiting area)."""
AROUND_THE_CLOCK: frozenset[str] = frozenset({"chat", "email"})
"""Channels that take requests outside opening hours by default (answered when staff are back)."""
AfterHours = Literal["closed", "queue", "bot"]
"""What a class does with requests outside opening hours (``ClientClass.after_hours``)."""


def after_hours_default(channel: str) -> AfterHours:
    """The default of ``after_hours``: chats and e-mails wait for the morning ('queue'), walk-ins
    and calls are not taken outside opening hours ('closed') — as before the key existed."""
    return "queue" if channel in AROUND_THE_CLOCK else "closed"


def walk_ins_only() -> list[Channel]:
    """The default channels of a staff role: walk-ins only."""
    return ["walk_in"]


def channel_skill(skill: str, channel: str) -> str:
    """The queue of ``skill`` on ``channel``: the skill itself for walk-ins, else ``skill@channel``.

    Skill names cannot hold ``@``, so the queues of one skill on different channels never mix.
    """
    return skill if channel == "walk_in" else f"{skill}@{channel}"


def channel_of(queue: str) -> str:
    """The channel of a queue named by ``channel_skill``."""
    _, _, channel = queue.partition("@")
    return channel or "walk_in"


class Chat(Frozen):
    """Chat: one agent holds several sessions at once."""

    sessions: int = Field(
        default=3, ge=1, le=20, description="Chats one agent holds at once (k); 1 = like a call."
    )
    slowdown: float = Field(
        default=0.15,
        ge=0,
        le=2,
        description="Extra handling time per other session open when a chat starts "
        "(0.15: 15% slower for each other chat).",
    )


class Email(Frozen):
    """E-mail and web forms: a backlog with a due time, not a queue with patience."""

    due: Duration = Field(default=86_400.0, description="Answer within this time, e.g. '24 h'.")


class Channels(Frozen):
    """Settings of the channels that need them (chat sessions, e-mail due time)."""

    chat: Chat = Field(default_factory=Chat)
    email: Email = Field(default_factory=Email)
