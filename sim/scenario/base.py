"""Building blocks shared by every part of the scenario schema: units, names, crews, arrivals.

Times are seconds internally; files carry units ("5 min") and clock times ("09:00").
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from sim.units import (
    CLOCK_PATTERN,
    DURATION_PATTERN,
    clock_text,
    duration_text,
    parse_clock,
    parse_duration,
)

NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
MAX_MEMBERS = 10_000
"""More members in one role or shift than any office has: almost always a typo."""

Clock = Annotated[
    float,
    BeforeValidator(parse_clock),
    PlainSerializer(clock_text, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN, "examples": ["09:00", "17:30"]}),
]
"""A clock time, "hh:mm", stored as seconds after midnight."""

Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(duration_text, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["90 s", "5 min"]}),
]
"""A non-negative duration with a unit ("90 s", "5 min", "1.5 h"), stored as seconds."""

SignedDuration = Annotated[
    float,
    BeforeValidator(lambda v: parse_duration(v, allow_negative=True)),
    PlainSerializer(duration_text, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["-2 min"]}),
]
"""A duration that may be negative (e.g. arriving early for an appointment)."""

Probability = Annotated[float, Field(ge=0, le=1)]
RatePerHour = Annotated[float, Field(ge=0, description="Clients per hour.")]
Name = Annotated[str, Field(pattern=NAME_PATTERN)]


class Frozen(BaseModel):
    """Base for all scenario models: immutable, unknown keys refused."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False, defer_build=True
    )


class Arrivals(Frozen):
    """Walk-in arrivals: a Poisson process whose rate may change every opening hour."""

    rate: RatePerHour | list[RatePerHour] = Field(
        description="Clients per hour: one number, or one per opening hour (first = first hour).",
    )
    day_factors: list[Annotated[float, Field(ge=0)]] | None = Field(
        default=None,
        description="Multipliers per day, repeating (e.g. five weekdays: [1.3, 1, 1, 1.1, 0.9]).",
    )

    def hourly(self, n_hours: int) -> list[float]:
        """The rate profile per opening hour, in clients per hour."""
        if isinstance(self.rate, list):
            return list(self.rate)
        return [float(self.rate)] * n_hours

    def factor(self, day: int) -> float:
        """The multiplier for day ``day`` (0-based)."""
        if not self.day_factors:
            return 1.0
        return self.day_factors[day % len(self.day_factors)]


class Shift(Frozen):
    """A block of working time, repeated every day, for ``count`` members of a role."""

    start: Clock
    end: Clock
    count: int = Field(ge=0, le=MAX_MEMBERS, description="Staff members working this shift.")


class Break(Frozen):
    """A break every member of a role takes (staggered so that not all leave at once)."""

    start: Clock = Field(description="When the first member goes on break.")
    duration: Duration
    stagger: Duration = Field(default=0.0, description="Offset between consecutive members.")


class Crew(Frozen):
    """Members with the same shifts and breaks: the common part of staff roles and teams."""

    description: str = ""
    count: int | None = Field(
        default=None,
        ge=0,
        le=MAX_MEMBERS,
        description="Members working all opening hours (or give 'shifts').",
    )
    shifts: list[Shift] | None = None
    breaks: list[Break] = Field(default_factory=list)
    cost_per_hour: float = Field(default=0.0, ge=0, description="Cost per on-duty hour.")
    desks: list[str] | None = Field(
        default=None,
        description="Desk or counter ids on the floor plan where members work (one per member "
        "on duty at once); needed when the scenario has a layout.",
    )
