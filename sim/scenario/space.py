"""The space half of a scenario: the workforce that occupies the floor, desks, rooms, levels.

Front-office rosters stay in ``staff``; ``space`` describes employees by team (counts, not
names) with their attendance pattern, the desk policy on the plan, meeting-room booking, how
people move between levels and what the floor costs. The engine simulates it beside the client
model in the same replication (see ``sim.model.space``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from sim.scenario.base import Clock, Duration, Frozen, Name, Probability
from sim.scenario.distributions import Distribution

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEK: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")

RENT_PER_M2_MONTH = 29.15
"""Average office rent in Germany's top cities 2024, per m2 and month (JLL)."""


class ClockSpread(Frozen):
    """A time of day that varies from person to person: normal around ``mean``."""

    mean: Clock = Field(description="The average time, e.g. '09:00'.")
    sd: Duration = Field(default=0.0, description="Standard deviation, e.g. '30 min'.")


class DaySplit(Frozen):
    """How an employee's time in the office divides between the desk, meetings and away."""

    desk: Probability = Field(default=0.6, description="Share of the stay at the desk.")
    meetings: Probability = Field(default=0.25, description="Share of the stay in meetings.")
    away: Probability = Field(default=0.15, description="Share of the stay away otherwise.")
    episode: Duration = Field(
        default=2700.0, description="Mean length of one spell away from the desk."
    )

    @model_validator(mode="after")
    def _sums_to_one(self) -> DaySplit:
        total = self.desk + self.meetings + self.away
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"desk + meetings + away must be 1, got {total:g}")
        return self


RoomKind = Literal["meeting", "focus", "phone_booth"]


class MeetingDemand(Frozen):
    """Room bookings a team makes each day: a Poisson number, each with a size and duration."""

    per_day: float = Field(ge=0, description="Mean bookings per day (Poisson).")
    size: int = Field(default=4, ge=1, le=500, description="People per booking (or the least).")
    size_max: int | None = Field(
        default=None, ge=1, le=500, description="With it, sizes are uniform from size to this."
    )
    duration: Distribution = Field(description="Length of a booking, e.g. '1 h'.")
    lead_time: Duration = Field(default=0.0, description="Booked this long before it starts.")
    kind: RoomKind = Field(default="meeting", description="Kind of room booked.")
    earliest: Clock = Field(default=9 * 3600.0, description="Earliest start.")
    latest: Clock = Field(default=17 * 3600.0, description="Latest start.")

    @model_validator(mode="after")
    def _window(self) -> MeetingDemand:
        if self.latest < self.earliest:
            raise ValueError("latest must not be before earliest")
        return self


class WorkTeam(Frozen):
    """A team of employees: how many, when they come in and how they spend the day."""

    employees: int = Field(ge=1, le=10_000, description="Members of the team.")
    attendance: Probability | list[Probability] = Field(
        default=0.6,
        description="Probability an employee comes in: one number, or one per day of 'week'.",
    )
    anchor_days: list[Weekday] = Field(
        default_factory=list,
        description="Days the team comes in together; with several, the team picks one of "
        "them at random each week.",
    )
    anchor_attendance: Probability = Field(
        default=0.9, description="Probability an employee comes in on the team's anchor day."
    )
    arrival: ClockSpread = Field(
        default_factory=lambda: ClockSpread.model_validate({"mean": "09:00", "sd": "30 min"})
    )
    departure: ClockSpread = Field(
        default_factory=lambda: ClockSpread.model_validate({"mean": "17:30", "sd": "30 min"})
    )
    day: DaySplit = Field(default_factory=DaySplit)
    neighbourhood: list[str] | None = Field(
        default=None, description="Space ids of the team's zone (neighbourhood policy)."
    )
    level: str | None = Field(
        default=None, description="Level the team sits on (stack plan); default: any level."
    )
    meetings: list[MeetingDemand] = Field(default_factory=list)


DeskPolicyName = Literal["assigned", "hot_desking", "neighbourhoods", "booking"]


class Desks(Frozen):
    """Where the workforce sits: the desks of the plan and the rule for who sits where."""

    policy: DeskPolicyName = Field(
        default="hot_desking",
        description="assigned, hot_desking, neighbourhoods or booking (see docs/space.md).",
    )
    ratio: float | None = Field(
        default=None,
        gt=0,
        le=2,
        description="Desks per employee: the first round(ratio x employees) desks of the plan "
        "are used. Default: every desk of the plan.",
    )
    source: Literal["plan", "density"] = Field(
        default="plan",
        description="'plan': desk points of the plan; 'density': desks generated at "
        "'m2_per_desk' in every open_plan space.",
    )
    m2_per_desk: float = Field(default=15.0, gt=1, le=100, description="For source 'density'.")
    overflow: Literal["anywhere", "none"] = Field(
        default="anywhere",
        description="Neighbourhoods: where someone sits when the team's zone is full.",
    )
    no_show: Probability = Field(default=0.1, description="Booking: share of bookings not used.")
    walk_in: Probability = Field(
        default=0.0, description="Booking: share of attending employees who come without booking."
    )
    auto_release: Duration | None = Field(
        default=1800.0,
        description="Booking: a desk not taken this long after the booked arrival is released.",
    )


class Rooms(Frozen):
    """Meeting rooms, focus rooms and phone booths from the plan, and how they are booked."""

    ghost: Probability = Field(
        default=0.0, description="Share of bookings nobody turns up for (ghost bookings)."
    )
    auto_release: Duration | None = Field(
        default=None,
        description="A room nobody checked into this long after the start is released.",
    )
    m2_per_seat: float = Field(
        default=2.0,
        gt=0.5,
        le=10,
        description="Seats of a room without seat points or a 'capacity' attribute.",
    )
    categories: dict[RoomKind, list[str]] = Field(
        default_factory=lambda: {  # type: ignore[arg-type]
            "meeting": ["meeting"],
            "focus": ["focus"],
            "phone_booth": ["phone_booth"],
        },
        description="Plan space categories counted as each kind of room.",
    )


class Lifts(Frozen):
    """Lift cars on every lift connector of the plan."""

    cars: int = Field(default=1, ge=1, le=20, description="Cars per lift connector.")
    capacity: int = Field(default=13, ge=1, le=60, description="Persons per car.")
    door_time: Duration = Field(default=10.0, description="Seconds per stop (doors, boarding).")
    per_level: Duration = Field(default=2.5, description="Travel time per level.")


class Movement(Frozen):
    """Moving through the building: between levels and through doors."""

    vertical: Literal["fastest", "lift", "stairs"] = Field(
        default="fastest", description="How people change level."
    )
    stair_speed: float = Field(default=0.92, gt=0, le=2, description="m/s along the stair.")
    lifts: Lifts = Field(default_factory=Lifts)
    door_flow: float | None = Field(
        default=1.3,
        gt=0,
        le=5,
        description="Persons per metre of door width per second through the building's "
        "outside doors (IMO MSC.1/Circ.1533); null: doors do not limit flow.",
    )
    trips: bool = Field(
        default=False,
        description="Simulate the 'adjacency' trips during the day: each goes from the desk of "
        "a seated member of one team to a seated colleague of the other, changing level by "
        "stairs or lift as 'vertical' says, waiting for the lift like everyone else.",
    )
    inner_doors: bool = Field(
        default=False,
        description="Doors between inner spaces on each walking route also limit flow, at "
        "'door_flow' times their width (the outside door always does).",
    )


class Space(Frozen):
    """The workforce on the plan and the space it uses."""

    layout: Path | None = Field(
        default=None,
        description="Plan with levels, relative to the scenario file (default: 'layout').",
    )
    week: list[Weekday] = Field(
        default_factory=lambda: list(WEEK),
        min_length=1,
        description="The days of a week in the office; simulated days cycle through them.",
    )
    hours: tuple[Clock, Clock] = Field(
        default=(7 * 3600.0, 20 * 3600.0),
        description="The building day for hourly profiles and room utilisation.",
    )
    teams: dict[Name, WorkTeam] = Field(min_length=1)
    desks: Desks = Field(default_factory=Desks)
    rooms: Rooms = Field(default_factory=Rooms)
    movement: Movement = Field(default_factory=Movement)
    rent_per_m2_month: float = Field(
        default=RENT_PER_M2_MONTH,
        ge=0,
        description="Rent per m2 and month of every level (average of Germany's top cities "
        "2024, JLL).",
    )
    level_rent: dict[str, float] = Field(
        default_factory=dict, description="Rent per m2 and month per level id (default: above)."
    )
    adjacency: dict[Name, dict[Name, float]] = Field(
        default_factory=dict,
        description="Trips per day between teams that work together (stack planning).",
    )

    @field_validator("layout", mode="after")
    @classmethod
    def _resolve_layout(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        base = (info.context or {}).get("base_dir")
        if value is not None and base is not None and not value.is_absolute():
            return (Path(base) / value).resolve()
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Space:
        for name, team in self.teams.items():
            if isinstance(team.attendance, list) and len(team.attendance) != len(self.week):
                raise ValueError(
                    f"teams.{name}.attendance has {len(team.attendance)} values for a week of "
                    f"{len(self.week)} days"
                )
            stray = [d for d in team.anchor_days if d not in self.week]
            if stray:
                raise ValueError(f"teams.{name}.anchor_days {stray} are not in 'week'")
        for a, row in self.adjacency.items():
            for b in [a, *row]:
                if b not in self.teams:
                    raise ValueError(f"adjacency names unknown team {b!r}")
        if self.hours[1] <= self.hours[0]:
            raise ValueError("hours: the end must be after the start")
        return self

    @property
    def employees(self) -> int:
        """Employees over all teams."""
        return sum(t.employees for t in self.teams.values())

    def attendance(self, team: str, weekday: int) -> float:
        """A team's attendance probability on day ``weekday`` of the week (no anchor)."""
        p = self.teams[team].attendance
        return float(p[weekday]) if isinstance(p, list) else float(p)
