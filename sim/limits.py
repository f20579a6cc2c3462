"""Limits on what officesim reads and builds, checked before the work that they bound.

A scenario or plan that passes validation must run without exhausting memory or time, so every
quantity that could grow without bound (file sizes, variants, points of a plan, nesting depth,
clients per replication) has a named limit. The defaults are far above any real office; a user
who really needs more raises a limit with its environment variable, which every message names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """One bound: what it counts, its default and the environment variable that raises it."""

    what: str
    """What is counted, in words (``scenario file size``)."""
    unit: str
    """The unit of the count (``bytes``, ``variants``)."""
    default: int
    env: str
    """Environment variable holding a larger (or smaller) value."""

    @property
    def value(self) -> int:
        """The limit in force: the environment variable when it holds a positive whole number."""
        raw = os.environ.get(self.env, "").strip().replace("_", "")
        if raw.isdigit() and int(raw) > 0:
            return int(raw)
        return self.default

    def exceeded(self, amount: float) -> bool:
        """True when ``amount`` is above the limit in force."""
        return amount > self.value

    def hint(self) -> str:
        """How to raise this limit, for messages that state the amount in their own words."""
        return f"the limit ({self.what}) is {self.value:,}; raise it with {self.env}=N"

    def message(self, amount: float, *, about: bool = False, detail: str = "") -> str:
        """Says that ``amount`` (``detail`` says of what) is over the limit, names the limit and
        how to raise it."""
        got = f"about {amount:,.0f}" if about else f"{amount:,.0f}"
        return (
            f"{got} {self.unit}{detail} is more than the limit of {self.value:,} ({self.what}); "
            f"if this is intended, raise it with the environment variable {self.env}=N"
        )


SCENARIO_BYTES = Limit("scenario file size", "bytes", 5_000_000, "OFFICESIM_MAX_SCENARIO_BYTES")
PLAN_BYTES = Limit("floor plan file size", "bytes", 100_000_000, "OFFICESIM_MAX_PLAN_BYTES")
ARCHIVE_BYTES = Limit(
    "unpacked size of an IMDF archive", "bytes", 200_000_000, "OFFICESIM_MAX_ARCHIVE_BYTES"
)
ARCHIVE_MEMBERS = Limit("files in an IMDF archive", "files", 10_000, "OFFICESIM_MAX_ARCHIVE_FILES")
NESTING = Limit("nesting depth of a YAML or JSON file", "levels", 100, "OFFICESIM_MAX_NESTING")
YAML_NODES = Limit(
    "values of a YAML file with its aliases expanded", "values", 1_000_000, "OFFICESIM_MAX_VALUES"
)
VARIANTS = Limit("variants of a sweep", "variants", 5_000, "OFFICESIM_MAX_VARIANTS")
PLAN_POINTS = Limit(
    "points of interest of a floor plan", "points", 200_000, "OFFICESIM_MAX_PLAN_POINTS"
)
PLAN_FEATURES = Limit(
    "spaces and openings of a floor plan", "features", 50_000, "OFFICESIM_MAX_PLAN_FEATURES"
)
USED_POINTS = Limit(
    "seats, desks and doors the model walks between", "points", 2_500, "OFFICESIM_MAX_USED_POINTS"
)
CLIENTS = Limit(
    "clients or tasks per replication", "per replication", 20_000_000, "OFFICESIM_MAX_CLIENTS"
)
