"""Scenario schema of costs and zoning effects (noise and interruptions)."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.base import Duration, Frozen, Probability


class Costs(Frozen):
    """Money: rent, the value of a lost client, penalties; staff rates sit with roles and teams."""

    currency: str = Field(default="EUR", max_length=8)
    rent_per_m2_month: float = Field(
        default=0.0, ge=0, description="Monthly rent per m2 for spaces without their own rent."
    )
    working_days_per_month: float = Field(default=21.0, gt=0, le=31)
    lost_client_value: float = Field(
        default=0.0, ge=0, description="Cost of a client who balked or reneged."
    )
    lost_deal_value: float = Field(
        default=0.0,
        ge=0,
        description="Value of a deal lost when a client leaves after a bad lookup answer.",
    )
    late_task_penalty: float = Field(default=0.0, ge=0, description="Cost per task done late.")


class Noise(Frozen):
    """What working within earshot of clients costs back-office staff."""

    performance_loss: Probability = Field(
        default=0.07,
        description="Slower work amid intelligible speech (Hongisto: at least 7%).",
    )
    interruptions_per_hour: float = Field(
        default=2.0, ge=0, description="Interruptions by clients or front staff (assumption)."
    )
    resumption: Duration = Field(
        default=120.0, description="Time lost getting back to work after each interruption."
    )
    exposure_distance: float = Field(
        default=8.0, ge=0, description="Metres within which an open space is within earshot."
    )


class Zoning(Frozen):
    """Zoning effects; which team sits where comes from its desks on the floor plan."""

    noise: Noise = Field(default_factory=Noise)
    lookup_resumption: Duration = Field(
        default=120.0, description="Time a worker loses when a lookup interrupts their task."
    )
