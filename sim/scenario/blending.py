"""Blended work: front-office staff doing back-office tasks, back-office staff called forward.

The two classic ways an office balances its halves. ``front`` lets a staff role work the task
queues of some back-office teams when no client waits for them (``clients_first``) or before
clients (``tasks_first``); ``back`` calls a team's members to serve some client queues while
at least ``when_waiting`` clients wait in them. Going straight from one kind of work to the
other costs ``switch_time`` (closing one system, opening the other, walking to the counter);
an idle spell in between absorbs it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.base import Duration, Frozen, Name
from sim.scenario.channels import Channel, walk_ins_only

DEFAULT_SWITCH_TIME = 60.0
"""Seconds to switch between client and task work (assumption, range 0-3 min)."""


class FrontToBack(Frozen):
    """A staff role that also works back-office task queues."""

    teams: list[Name] = Field(
        min_length=1, description="Back-office teams whose task steps the role also does."
    )
    rule: Literal["clients_first", "tasks_first"] = Field(
        default="clients_first",
        description="'clients_first': tasks only when no client waits for the role; "
        "'tasks_first': waiting tasks before clients.",
    )
    switch_time: Duration = Field(
        default=DEFAULT_SWITCH_TIME,
        description="Time to switch straight between client and task work.",
    )


class BackToFront(Frozen):
    """A back-office team called to serve clients when their queues grow."""

    skills: list[Name] = Field(min_length=1, description="Client skills the team serves.")
    channels: list[Channel] = Field(
        default_factory=walk_ins_only, description="Channels it serves them on."
    )
    when_waiting: int = Field(
        default=5,
        ge=1,
        description="Called while at least this many clients wait in those queues (together).",
    )
    switch_time: Duration = Field(
        default=DEFAULT_SWITCH_TIME,
        description="Time to switch straight between task and client work.",
    )


class Blending(Frozen):
    """Who blends front and back work (staff roles forward to tasks, teams back to clients)."""

    front: dict[Name, FrontToBack] = Field(
        default_factory=dict, description="Staff roles that also do back-office tasks."
    )
    back: dict[Name, BackToFront] = Field(
        default_factory=dict, description="Back-office teams called to the front."
    )
