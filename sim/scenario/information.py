"""Scenario schema of information quality and self-service: how a lookup's answer turns out,
what clients do about a bad answer, and which clients try a chat-bot or portal first.

A lookup with ``consequences`` ends in one of three outcomes: answered correctly, answered with
stale or wrong information, or unanswered. The chances come from the IT level in force
(``it.answers``; during an outage the manual fallback's), and a lookup may set its own per
level under ``quality``. For each bad outcome the class declares the shares of clients who
leave without the deal, are called back later, come back another day, or whose back-office
task is wrong and comes back as rework; the rest carry on as if answered.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.base import Frozen, Name, Probability
from sim.scenario.distributions import Distribution, Fixed

OUTCOMES = ("correct", "stale", "unanswered")
"""How a lookup ends, in the order of the outcome codes of the engine."""

CONSEQUENCES = ("leave", "callback", "repeat", "rework")
"""What a client does after a bad answer, in the order of the consequence codes."""


class AnswerQuality(Frozen):
    """The chances that a lookup's answer is stale or wrong, or that nobody answers it.

    The rest of the time the answer is correct. Nobody of the team being on duty always ends
    a lookup unanswered, whatever these chances say.
    """

    stale: Probability = Field(default=0.0, description="Chance the answer is stale or wrong.")
    unanswered: Probability = Field(default=0.0, description="Chance the lookup goes unanswered.")

    @model_validator(mode="after")
    def _at_most_one(self) -> AnswerQuality:
        if self.stale + self.unanswered > 1 + 1e-9:
            raise ValueError(
                f"'stale' ({self.stale:g}) and 'unanswered' ({self.unanswered:g}) add up to more "
                "than 1; expected at most 1 (the rest is answered correctly)"
            )
        return self


class LookupQuality(Frozen):
    """A lookup's own answer quality per IT level in force; a level left out uses ``it.answers``.

    ``outage`` applies while the integrated system is down (default: the manual fallback's).
    """

    manual: AnswerQuality | None = None
    partial: AnswerQuality | None = None
    integrated: AnswerQuality | None = None
    outage: AnswerQuality | None = None


class Reaction(Frozen):
    """Shares of clients reacting to one bad outcome; they add up to at most 1."""

    leave: Probability = Field(default=0.0, description="Leave without the deal (a lost sale).")
    callback: Probability = Field(
        default=0.0, description="Are called back later: a callback task and a delayed answer."
    )
    repeat: Probability = Field(
        default=0.0,
        description="Come back another day (a repeat visit: the next day, or after "
        "'repeat_after'; a caller calls again).",
    )
    rework: Probability = Field(
        default=0.0,
        description="Carry on, but the back-office tasks they start are wrong and come back as "
        "rework later.",
    )

    @model_validator(mode="after")
    def _at_most_one(self) -> Reaction:
        total = self.leave + self.callback + self.repeat + self.rework
        if total > 1 + 1e-9:
            raise ValueError(
                f"the shares add up to {total:g}; expected at most 1 (the rest carry on as if "
                "answered)"
            )
        return self

    def shares(self) -> tuple[float, float, float, float]:
        """(leave, callback, repeat, rework), in the order of ``CONSEQUENCES``."""
        return (self.leave, self.callback, self.repeat, self.rework)


class Consequences(Frozen):
    """What the clients of a class do when their lookup is answered wrongly or not at all."""

    stale: Reaction = Field(default_factory=Reaction, description="After a stale or wrong answer.")
    unanswered: Reaction = Field(default_factory=Reaction, description="After no answer.")
    deal_value: float | None = Field(
        default=None,
        ge=0,
        description="Value of a deal lost when a client leaves (default: costs.lost_deal_value).",
    )
    callback_task: Name | None = Field(
        default=None,
        description="Back-office task type created for each callback (needed with callbacks).",
    )
    rework_after: Distribution = Field(
        default_factory=lambda: Fixed.model_validate({"dist": "fixed", "value": "24 h"}),
        description="Time from a wrong task's creation until it comes back as rework.",
    )
    repeat_after: Distribution | None = Field(
        default=None,
        description="Time until a client who comes back another day returns, rounded to whole "
        "days (at least one), at the same clock time, e.g. '3 d' or {dist: uniform, low: 1 d, "
        "high: 5 d} (default: the next day).",
    )


class SelfService(Frozen):
    """Clients of the class who try a chat-bot, kiosk or portal before a person.

    A contained request is solved there (its back-office tasks are still created: an online
    order is still an order); an escalated one joins the human queue after the bot time, with
    its patience counted from the start of the bot conversation.
    """

    share: Probability = Field(description="Share of the class's clients who try self-service.")
    containment: Probability = Field(description="Share of those the self-service solves.")
    time: Distribution = Field(
        default_factory=lambda: Fixed.model_validate({"dist": "fixed", "value": "0 s"}),
        description="Time spent in self-service before being solved or escalated.",
    )
