"""The scenario schema: what a planner writes in a YAML file, validated into immutable models.

Times are seconds internally; files carry units ("5 min") and clock times ("09:00").
Loading, overrides and error messages live in ``sim.scenario.loading``; cross-field checks in
``sim.scenario.checks``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator

from sim.scenario.assumptions import Assumption
from sim.scenario.backoffice import (
    BackOffice,
    Lookup,
    Offsite,
    Recurring,
    Rework,
    Step,
    TaskSource,
    TaskType,
    Team,
)
from sim.scenario.base import (
    NAME_PATTERN,
    Arrivals,
    Break,
    Clock,
    Crew,
    Duration,
    Frozen,
    Name,
    Probability,
    RatePerHour,
    Shift,
    SignedDuration,
)
from sim.scenario.blending import Blending
from sim.scenario.channels import (
    AfterHours,
    Channel,
    Channels,
    after_hours_default,
    walk_ins_only,
)
from sim.scenario.costs import Costs, Noise, Zoning
from sim.scenario.distributions import Distribution
from sim.scenario.information import SelfService
from sim.scenario.it import ITIntegration
from sim.scenario.space import Space
from sim.units import HOUR

__all__ = [
    "NAME_PATTERN",
    "SCENARIO_SCHEMA_VERSION",
    "Appointments",
    "Arrivals",
    "BackOffice",
    "Blending",
    "Break",
    "Channels",
    "ClientClass",
    "Clock",
    "Costs",
    "Crew",
    "Duration",
    "FloorUse",
    "Frozen",
    "ITIntegration",
    "Lookup",
    "Name",
    "Noise",
    "Offsite",
    "OpeningHours",
    "Optimization",
    "Probability",
    "RatePerHour",
    "Reception",
    "Recurring",
    "Rework",
    "Scenario",
    "Shift",
    "ShiftTimes",
    "SignedDuration",
    "Space",
    "SpecificTarget",
    "StaffRole",
    "Step",
    "Targets",
    "TaskSource",
    "TaskType",
    "Team",
    "Variants",
    "WaitingArea",
    "Walking",
    "Zoning",
]

SCENARIO_SCHEMA_VERSION = 1


class OpeningHours(Frozen):
    """When the door is open to clients each day."""

    open: Clock = Field(description="Opening time, e.g. '09:00'.")
    close: Clock = Field(description="Closing time, e.g. '17:00' ('24:00' for midnight).")

    @property
    def length(self) -> float:
        """Seconds the door is open each day."""
        return self.close - self.open

    @property
    def n_hours(self) -> int:
        """Number of (possibly partial) opening hours, the length of an hourly rate profile."""
        return math.ceil(self.length / HOUR - 1e-9)


class Appointments(Frozen):
    """Booked clients: a slot schedule repeated every day, with no-shows and punctuality."""

    times: list[Clock] | None = Field(default=None, description="Explicit slot times.")
    start: Clock | None = Field(default=None, description="First slot (with 'every').")
    end: Clock | None = Field(default=None, description="No slot at or after this time.")
    every: Duration | None = Field(default=None, description="Slot spacing, e.g. '20 min'.")
    per_slot: int = Field(default=1, ge=1, description="Clients booked per slot.")
    no_show: Probability = Field(
        default=0.0, description="Probability a booked client never comes."
    )
    punctuality_mean: SignedDuration = Field(
        default=0.0, description="Mean arrival offset from the slot (negative = early)."
    )
    punctuality_sd: Duration = Field(default=0.0, description="Spread of the arrival offset.")

    def slot_times(self) -> list[float]:
        """Slot times of one day (seconds after midnight), sorted."""
        slots = list(self.times or [])
        if self.every and self.start is not None and self.end is not None:
            t = self.start
            while t < self.end - 1e-9:
                slots.append(t)
                t += self.every
        return sorted(slots)


class ClientClass(Frozen):
    """A kind of client: how they arrive, what they need, how long they wait before leaving."""

    description: str = ""
    skill: Name = Field(description="The skill a staff member needs to serve this client.")
    arrivals: Arrivals | None = None
    appointments: Appointments | None = None
    service: Distribution = Field(description="Service time at the desk.")
    patience: Distribution | None = Field(
        default=None, description="Time a client waits before leaving unserved; none = waits."
    )
    priority: int = Field(default=0, description="Higher is served first (never interrupts).")
    reception: bool = Field(default=True, description="Goes through reception first, if any.")
    walking_speed: float | None = Field(
        default=None,
        gt=0,
        le=3,
        description="Walking speed in m/s (default: walking.client_speed).",
    )
    creates: list[TaskSource] = Field(
        default_factory=list, description="Back-office tasks a served client of this class starts."
    )
    lookup: Lookup | None = Field(
        default=None, description="Information needed from a back-office team during service."
    )
    self_service: SelfService | None = Field(
        default=None, description="Share who try a chat-bot or portal first, and how it ends."
    )
    channel: Channel = Field(
        default="walk_in",
        description="How these clients come: 'walk_in', 'phone', 'chat' or 'email' (web forms).",
    )
    after_hours_rate: RatePerHour = Field(
        default=0.0,
        description="Requests per hour outside opening hours (times the day's factor of "
        "'arrivals'), for a class whose 'after_hours' takes them (0: none).",
    )
    after_hours: AfterHours | None = Field(
        default=None,
        description="Requests outside opening hours: 'closed' (none are taken; an escalation "
        "from the bot after closing gives up), 'queue' (they wait for the morning) or 'bot' "
        "(every one tries self-service first; escalations wait for the morning). Default: "
        "'queue' for chat and e-mail, 'closed' for phone and walk-ins.",
    )

    @property
    def after_hours_mode(self) -> AfterHours:
        """What happens to requests outside opening hours (the written key or the channel's
        default, see ``sim.scenario.channels.after_hours_default``)."""
        return self.after_hours or after_hours_default(self.channel)


class Reception(Frozen):
    """An optional first step: a reception or triage desk every client visits first."""

    skill: Name = Field(default="reception", description="Skill that staffs the reception.")
    service: Distribution = Field(description="Time at the reception desk.")


class StaffRole(Crew):
    """A group of interchangeable front-office staff with the same skills, shifts and breaks."""

    skills: list[Name] = Field(
        min_length=1, description="Skills in priority order: the first is served first."
    )
    channels: list[Channel] = Field(
        default_factory=walk_ins_only,
        min_length=1,
        description="Channels the role answers, in priority order within each skill.",
    )


class WaitingArea(Frozen):
    """Where clients wait; a full waiting area turns new clients away (balking)."""

    capacity: int | None = Field(
        default=None,
        ge=0,
        description="Clients who can wait at once. Default: unlimited without a floor plan; "
        "with one, the seats of the waiting spaces (or their area x 'per_m2').",
    )
    per_m2: float | None = Field(
        default=None,
        gt=0,
        le=4,
        description="With a floor plan: clients per m2 of the waiting spaces (standing room "
        "counts), instead of one per seat.",
    )


class SpecificTarget(Frozen):
    """A target for some of the clients or some of the work, e.g. "advice walk-ins: 80% within
    15 min between 12:00 and 14:00", or "loan applications: 90% done in time".

    A client target covers the clients of ``clients`` (default: every class) who arrive between
    the two clock times of ``between`` (default: all opening hours); a task target covers the
    back-office tasks of type ``task``.
    """

    name: str | None = Field(
        default=None, description="How reports name the target (default: built from its fields)."
    )
    clients: list[Name] | None = Field(
        default=None, description="Client classes it covers (default: every class)."
    )
    channel: Channel | None = Field(
        default=None,
        description="Contact channel it covers (every class of that channel), instead of "
        "'clients', e.g. phone.",
    )
    between: tuple[Clock, Clock] | None = Field(
        default=None,
        description="Arrival window, e.g. ['12:00', '14:00'] (default: all opening hours).",
    )
    wait: Duration | None = Field(
        default=None, description="Target waiting time for this target (default: targets.wait)."
    )
    service_level: Probability | None = Field(
        default=None, description="Share of these clients to serve within the target wait."
    )
    max_abandonment: Probability | None = Field(
        default=None, description="Largest acceptable share of these clients lost."
    )
    task: Name | None = Field(default=None, description="Back-office task type it covers.")
    on_time: Probability | None = Field(
        default=None, description="Least share of these tasks completed within their due time."
    )

    @property
    def is_task(self) -> bool:
        """True for a back-office task target."""
        return self.task is not None

    def covered(self, classes: Mapping[str, ClientClass]) -> list[str] | None:
        """The client classes this target covers (None: every class)."""
        if self.channel is not None:
            return [name for name, cc in classes.items() if cc.channel == self.channel]
        return self.clients

    def window(self, opening: float, closing: float) -> tuple[float, float]:
        """The arrival window in seconds after midnight (the opening hours by default)."""
        return self.between if self.between is not None else (opening, closing)


class Targets(Frozen):
    """Service targets against which results are judged."""

    wait: Duration = Field(default=600.0, description="Target waiting time, e.g. '10 min'.")
    service_level: Probability = Field(
        default=0.8, description="Share of clients to serve within the target wait."
    )
    max_abandonment: Probability | None = Field(
        default=0.05, description="Largest acceptable share of clients lost (balked + reneged)."
    )
    max_backlog: float | None = Field(
        default=None,
        ge=0,
        description="Most open back-office tasks at the end of a day (mean over days); 0 means "
        "the backlog is cleared every day.",
    )
    task_on_time: Probability | None = Field(
        default=None,
        description="Least share of back-office tasks completed within their due time.",
    )
    specific: list[SpecificTarget] = Field(
        default_factory=list,
        description="Targets per client class and hour of day, or per back-office task type.",
    )


class Walking(Frozen):
    """Walking speeds on the floor plan (free walking speed 1.34 m/s: Weidmann 1992)."""

    client_speed: float = Field(default=1.34, gt=0, le=3, description="Clients, in m/s.")
    staff_speed: float = Field(default=1.34, gt=0, le=3, description="Staff, in m/s.")
    speed_density: Literal["none", "weidmann"] = Field(
        default="none",
        description="With a floor plan: 'weidmann' slows clients' walks as the public spaces "
        "fill (Weidmann 1992 speed-density relation over the clients inside); 'none': every "
        "walk at the free speed.",
    )


class FloorUse(Frozen):
    """Which features of the floor plan play which part (defaults pick them from the plan)."""

    entrance: str | None = Field(default=None, description="Entrance point id (default: first).")
    exit: str | None = Field(default=None, description="Exit point id (default: first exit).")
    waiting_spaces: list[str] | None = Field(
        default=None, description="Space ids where clients wait (default: all 'waiting' spaces)."
    )


class Variants(Frozen):
    """Alternatives of one scenario for a sweep: a full grid of values, or listed cases.

    Keys are key paths as in ``--set`` (``staff.teller.count``); values are what that key takes.
    """

    grid: dict[str, list[Any]] | None = Field(
        default=None, description="Every combination of these values (full factorial)."
    )
    cases: list[dict[str, Any]] | None = Field(
        default=None, description="Listed cases, each a mapping of key paths to values."
    )


class ShiftTimes(Frozen):
    """Let the optimiser move a role's shifts: each shift keeps its length and may start at any
    step between ``earliest`` and the time that makes it end at ``latest``."""

    earliest: Clock | None = Field(
        default=None, description="Earliest shift start (default: opening time)."
    )
    latest: Clock | None = Field(
        default=None, description="Latest shift end (default: closing time)."
    )
    step: Duration = Field(default=1800.0, gt=0, description="Step of start times, e.g. '30 min'.")


class Optimization(Frozen):
    """What ``officesim optimize`` minimises, and which shift times it may move."""

    objective: Literal["staff_cost", "total_cost", "weighted"] = Field(
        default="staff_cost",
        description="staff_cost: staff cost per day; total_cost: cost.total_per_day (staff, "
        "rent, IT, lost clients, late tasks); weighted: the sum of 'weights' x KPI.",
    )
    weights: dict[str, float] | None = Field(
        default=None,
        description="For objective 'weighted': KPI key -> weight, e.g. "
        "{cost.staff_per_day: 1, cost.lost_clients_per_day: 2}.",
    )
    shift_times: dict[Name, ShiftTimes] = Field(
        default_factory=dict,
        description="Roles or back-office teams (with shifts) whose shift start times the "
        "search may move.",
    )


class Scenario(Frozen):
    """A complete, validated description of one office to simulate."""

    name: str = Field(min_length=1)
    description: str = ""
    days: int = Field(default=1, ge=1, le=3660, description="Days simulated per replication.")
    warmup_days: int = Field(default=0, ge=0, description="Leading days left out of results.")
    replications: int = Field(default=10, ge=1, le=100_000)
    seed: int = Field(default=1, ge=0, description="Root seed; same seed, same results.")
    hours: OpeningHours
    waiting_area: WaitingArea = Field(default_factory=WaitingArea)
    reception: Reception | None = None
    client_classes: dict[Name, ClientClass] = Field(
        default_factory=dict,
        description="Kinds of client; none for a back office on its own (then 'back_office').",
    )
    staff: dict[Name, StaffRole] = Field(
        default_factory=dict, description="Front-office roles; none for a back office on its own."
    )
    targets: Targets = Field(default_factory=Targets)
    layout: Path | None = Field(
        default=None, description="Floor plan file, relative to the scenario file."
    )
    back_office: BackOffice | None = None
    it: ITIntegration = Field(default_factory=lambda: ITIntegration.model_validate({}))
    zoning: Zoning = Field(default_factory=Zoning)
    costs: Costs = Field(default_factory=Costs)
    floor: FloorUse = Field(default_factory=FloorUse)
    walking: Walking = Field(default_factory=Walking)
    space: Space | None = Field(
        default=None,
        description="The workforce on the floor: attendance, desks, rooms, levels (optional).",
    )
    variants: Variants | None = Field(
        default=None, description="Alternatives run by 'officesim sweep'."
    )
    optimize: Optimization = Field(default_factory=Optimization)
    channels: Channels = Field(
        default_factory=Channels, description="Chat sessions per agent, e-mail due time."
    )
    blending: Blending | None = Field(
        default=None,
        description="Front staff doing back-office tasks; back-office teams called forward.",
    )
    _assumptions: tuple[Assumption, ...] = PrivateAttr(default=())
    _written_keys: tuple[str, ...] | None = PrivateAttr(default=None)

    @property
    def assumptions(self) -> tuple[Assumption, ...]:
        """The scenario's uncertain numbers (ranges), run here at their point values.

        Written ranges come first, then the documented ranges of defaults the file leaves
        unset (see ``sim.scenario.assumptions``); empty for a scenario built from plain points.
        """
        return self._assumptions

    def with_assumptions(self, assumptions: tuple[Assumption, ...]) -> Scenario:
        """This scenario holding ``assumptions`` (the loader attaches them after validation)."""
        out = self.model_copy()
        out._assumptions = tuple(assumptions)
        return out

    @property
    def written_keys(self) -> tuple[str, ...] | None:
        """Key paths the scenario file (with its overrides) sets, with their ancestors.

        None for a scenario built from objects rather than a file; a report marks every other
        parameter as taken from a default.
        """
        return self._written_keys

    def with_written_keys(self, keys: tuple[str, ...]) -> Scenario:
        """This scenario remembering which keys its file set (the loader attaches them)."""
        out = self.model_copy()
        out._written_keys = tuple(keys)
        return out

    @field_validator("layout", mode="after")
    @classmethod
    def _resolve_layout(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        base = (info.context or {}).get("base_dir")
        if value is not None and base is not None and not value.is_absolute():
            return (Path(base) / value).resolve()
        return value

    def skills_needed(self) -> set[str]:
        """Every skill some client needs (service skills and the reception skill)."""
        needed = {c.skill for c in self.client_classes.values()}
        if self.reception is not None and any(c.reception for c in self.client_classes.values()):
            needed.add(self.reception.skill)
        return needed

    def echo(self) -> dict[str, Any]:
        """The scenario as plain JSON-ready data (for results files and reports)."""
        return self.model_dump(mode="json", by_alias=True)
