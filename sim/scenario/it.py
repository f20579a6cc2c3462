"""IT integration levels: named presets (manual, partial, integrated), every value overridable.

Preset values are documented assumptions (docs/assumptions.md); the error rates follow the
re-keying error rates of Paulsen et al. (PLoS ONE 2012). A scenario names a level and overrides
whatever it knows better, e.g. ``it: {level: partial, rekey_time: "90 s"}``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from sim.scenario.base import Duration, Frozen, Name, Probability
from sim.scenario.distributions import Distribution
from sim.scenario.information import AnswerQuality

Level = Literal["manual", "partial", "integrated"]

PRESETS: dict[str, dict[str, Any]] = {
    "manual": {
        "handoff": "paper",
        "pickup_interval": "2 h",
        "carrier": "runner",
        "transfer_delay": "0 s",
        "lookup": "walk",
        "lookup_overhead": "30 s",
        "walk_without_plan": "2 min",
        "rekey_time": {"dist": "triangular", "low": "2 min", "mode": "3 min", "high": "6 min"},
        "error_probability": 0.037,
        "service_factor": 1.0,
        "deflection": 0.0,
        "answers": {"stale": 0.08, "unanswered": 0.1},
        "outage_every": None,
        "outage_repair": None,
        "monthly_cost": 0.0,
    },
    "partial": {
        "handoff": "electronic",
        "pickup_interval": "30 min",
        "carrier": "runner",
        "transfer_delay": "0 s",
        "lookup": "phone",
        "lookup_overhead": "1 min",
        "walk_without_plan": "2 min",
        "rekey_time": {"dist": "triangular", "low": "30 s", "mode": "1 min", "high": "3 min"},
        "error_probability": 0.018,
        "service_factor": 1.0,
        "deflection": 0.0,
        "answers": {"stale": 0.05, "unanswered": 0.05},
        "outage_every": None,
        "outage_repair": None,
        "monthly_cost": 600.0,
    },
    "integrated": {
        "handoff": "electronic",
        "pickup_interval": "0 s",
        "carrier": "runner",
        "transfer_delay": "0 s",
        "lookup": "system",
        "lookup_overhead": "20 s",
        "walk_without_plan": "2 min",
        "rekey_time": "0 s",
        "error_probability": 0.005,
        "service_factor": 0.9,
        "deflection": 0.0,
        "answers": {"stale": 0.01, "unanswered": 0.01},
        "outage_every": {"dist": "exponential", "mean": "480 h"},
        "outage_repair": {"dist": "lognormal", "mean": "2 h", "sd": "1.5 h"},
        "monthly_cost": 4000.0,
    },
}


class Rollout(Frozen):
    """Introducing the IT level: what it costs once, when it goes live, how staff get used to it.

    Read by the business case (``officesim business-case``), never by a single run: the ramp
    is simulated there as representative weeks with slower service and step times.
    """

    implementation_cost: float = Field(
        default=0.0, ge=0, description="One-off cost (project, migration), paid at the start."
    )
    go_live_month: int = Field(
        default=0, ge=0, le=600, description="Months from the start until the system is used."
    )
    training_hours: float = Field(
        default=0.0,
        ge=0,
        description="Hours of training per staff member and team member, paid before go-live.",
    )
    ramp_slowdown: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Extra share of service and step time at go-live (0.3 = 30% slower).",
    )
    ramp_weeks: float = Field(
        default=0.0, ge=0, le=520, description="Working weeks until the slowdown has gone."
    )


class ITIntegration(Frozen):
    """How front and back office exchange work and information."""

    level: Level = Field(default="manual", description="Preset that fills unspecified values.")
    handoff: Literal["paper", "electronic"] = Field(
        description="Paper is carried in batches; electronic hand-offs arrive after the delay."
    )
    pickup_interval: Duration = Field(
        description="Paper is collected (or the inbox checked) this often; 0 = continuously."
    )
    carrier: Literal["runner", "front_staff"] = Field(
        description="Who carries paper: a runner (no staff time) or front staff (walks the plan)."
    )
    courier_role: Name | None = Field(
        default=None, description="Front role whose members carry paper (carrier: front_staff)."
    )
    transfer_delay: Distribution = Field(description="Extra delay of every hand-off.")
    lookup: Literal["walk", "phone", "system"] = Field(
        description="How front staff get information from the back office."
    )
    lookup_overhead: Distribution = Field(
        description="Time to reach someone (dialling, asking) or for the system to answer."
    )
    walk_without_plan: Duration = Field(
        description="One-way walk to the back office when the scenario has no floor plan."
    )
    rekey_time: Distribution = Field(description="Time added to each task to re-enter data.")
    error_probability: Probability = Field(
        description="Chance a task's data has an entry error, so its first step is redone."
    )
    service_factor: float = Field(
        gt=0, le=2, description="Multiplier of front-office service times (CRM speed-up < 1)."
    )
    deflection: Probability = Field(
        description="Deprecated shorthand: share of every class's requests handled by "
        "self-service (they never come in and start no tasks); use "
        "client_classes.<name>.self_service."
    )
    answers: AnswerQuality = Field(
        description="Chances a lookup is answered stale or wrong, or not at all (they act "
        "where a lookup declares consequences)."
    )
    outage_every: Distribution | None = Field(
        description="Time between system failures (integrated); none = never fails."
    )
    outage_repair: Distribution | None = Field(description="Time to repair a failure.")
    monthly_cost: float = Field(ge=0, description="IT cost per month.")
    step_factor: float = Field(
        default=1.0,
        gt=0,
        le=3,
        description="Multiplier of back-office step times (1 = as given; a rollout ramp > 1).",
    )
    rollout: Rollout = Field(
        default_factory=Rollout, description="Introduction costs and ramp (business case)."
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_from_preset(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        level = data.get("level", "manual")
        # An unknown level is reported once, as such; the manual preset fills the rest so that
        # no follow-on "missing key" errors appear.
        preset = PRESETS.get(level, PRESETS["manual"]) if isinstance(level, str) else None
        if preset is None:
            return data
        return {**preset, **data}

    @model_validator(mode="after")
    def _outage_pair(self) -> ITIntegration:
        if (self.outage_every is None) != (self.outage_repair is None):
            raise ValueError("give both 'outage_every' and 'outage_repair', or neither")
        return self

    def as_manual(self) -> ITIntegration:
        """The fallback during a system outage: the manual preset, keeping this level's costs."""
        return ITIntegration.model_validate(
            {"level": "manual", "monthly_cost": self.monthly_cost, "step_factor": self.step_factor}
        )
