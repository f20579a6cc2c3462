"""Scenario schema of the back office: teams, task types with routes, and where tasks come from."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.base import Arrivals, Clock, Crew, Duration, Frozen, Name, Probability
from sim.scenario.distributions import Distribution
from sim.scenario.information import Consequences, LookupQuality


class Rework(Frozen):
    """After a step, the task goes back to an earlier step with some probability."""

    probability: Probability
    to: int = Field(default=0, ge=0, description="Step number to go back to (0 = first).")


class Step(Frozen):
    """One step of a task's route: the team that does it and how long it takes."""

    team: Name
    time: Distribution = Field(description="Processing time of the step.")
    rework: Rework | None = None


class TaskType(Frozen):
    """A kind of back-office work: its route of steps, due time and priority."""

    description: str = ""
    steps: list[Step] = Field(min_length=1)
    due: Duration = Field(description="Due time from creation (SLA), e.g. '1 d' or '4 h'.")
    priority: int = Field(default=0, description="Higher is worked on first (never interrupts).")
    arrivals: Arrivals | None = Field(
        default=None,
        description="Tasks arriving directly (mail, phone, web) during opening hours, per hour.",
    )


class Recurring(Frozen):
    """Internal work that appears on a schedule (daily reconciliation, weekly payroll)."""

    task: Name
    at: Clock
    count: int = Field(default=1, ge=1, description="Tasks created each time.")
    every_days: int = Field(default=1, ge=1, description="1 = daily, 5 = weekly on 5-day weeks.")
    first_day: int = Field(default=0, ge=0, description="Day of the first occurrence (0-based).")


class Offsite(Frozen):
    """A team working in another building: hand-offs and lookups take a transfer time."""

    transfer_time: Distribution = Field(description="Courier or transfer time of documents.")
    area_m2: float = Field(default=0.0, ge=0, description="Office area rented elsewhere.")
    rent_per_m2: float = Field(default=0.0, ge=0, description="Monthly rent per m2 there.")


class Team(Crew):
    """A back-office team: a staff pool that works through its queue of task steps."""

    offsite: Offsite | None = None


class BackOffice(Frozen):
    """The back office: its teams, the kinds of task they process, and scheduled work."""

    teams: dict[Name, Team] = Field(min_length=1)
    tasks: dict[Name, TaskType] = Field(min_length=1)
    recurring: list[Recurring] = Field(default_factory=list)


class TaskSource(Frozen):
    """A task started when a client of a class has been served."""

    task: Name
    probability: Probability = 1.0


class Lookup(Frozen):
    """Information a front-office service needs from a back-office team while the client waits."""

    team: Name
    probability: Probability = Field(description="Share of services that need the lookup.")
    time: Distribution = Field(description="Time the back-office worker needs to answer.")
    quality: LookupQuality | None = Field(
        default=None,
        description="This lookup's own answer quality per IT level (default: it.answers).",
    )
    consequences: Consequences | None = Field(
        default=None,
        description="What clients do after a stale or missing answer; without it every "
        "answered lookup counts as correct.",
    )
