"""Declarative distribution specs (as written in scenario files) and fast samplers on numpy Generators.

A spec is plain data validated by pydantic: nothing in a scenario file is evaluated as code.
Durations carry units ("5 min"); alternatively a ``unit`` key makes bare numbers mean that unit.
Samplers draw values in blocks from a numpy ``Generator`` and hand them out one by one, which
is an order of magnitude cheaper than one numpy call per draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from sim.units import DURATION_PATTERN, duration_text, parse_duration, unit_seconds

BLOCK_SIZE = 512
"""Values drawn per numpy call; a stream's draws do not depend on it (numpy fills blocks in order)."""

Sampler = Callable[[], float]


class _Spec(BaseModel):
    """Common parsing of duration-valued parameters (with units, or numbers plus ``unit``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, defer_build=True)
    _duration_fields: ClassVar[tuple[str, ...]] = ()

    unit: str | None = Field(
        default=None,
        description="Optional unit (s, min, h) for bare numbers; without it values need units.",
    )

    @model_validator(mode="before")
    @classmethod
    def _convert_durations(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        unit = data.get("unit")
        factor = unit_seconds(unit) if isinstance(unit, str) else None
        out = dict(data)
        for name in cls._duration_fields:
            if name in out:
                out[name] = _to_seconds(out[name], factor)
        return out

    def mean(self) -> float:
        """The distribution's mean in seconds (used for staffing formulas and reports)."""
        raise TypeError(f"{type(self).__name__} has no mean")  # overridden by every spec

    def block_drawer(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        """A function drawing ``n`` values (seconds) from a generator."""
        raise TypeError(f"{type(self).__name__} cannot be sampled")  # overridden by every spec

    def sampler(self, rng: np.random.Generator) -> Sampler:
        """A zero-argument callable returning the next draw (seconds) from ``rng``."""
        return block_sampler(self.block_drawer(), rng)


def _to_seconds(value: Any, factor: float | None) -> Any:
    """Convert one parameter (or a list of them) to seconds, leaving bad input for pydantic."""
    if isinstance(value, list):
        return [_to_seconds(v, factor) for v in value]
    if factor is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) * factor
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_duration(value)
    return value


def block_sampler(
    draw: Callable[[np.random.Generator, int], np.ndarray], rng: np.random.Generator
) -> Sampler:
    """A zero-argument callable returning ``draw(rng, n)``'s values one by one, ``n`` at a time."""

    def blocks() -> Iterator[float]:
        while True:
            yield from draw(rng, BLOCK_SIZE).tolist()

    return blocks().__next__


DURATION_JSON_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": DURATION_PATTERN, "examples": ["90 s", "5 min", "1.5 h"]},
        {"type": "number", "description": "a number in the distribution's 'unit'"},
    ]
}
Seconds = Annotated[
    float,
    Field(ge=0),
    WithJsonSchema(DURATION_JSON_SCHEMA),
    PlainSerializer(duration_text, when_used="json"),
]
PositiveSeconds = Annotated[
    float,
    Field(gt=0),
    WithJsonSchema(DURATION_JSON_SCHEMA),
    PlainSerializer(duration_text, when_used="json"),
]


class Fixed(_Spec):
    """Always the same value."""

    _duration_fields = ("value",)
    dist: Literal["fixed"]
    value: Seconds

    def mean(self) -> float:
        return self.value

    def block_drawer(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        value = self.value
        return lambda rng, n: np.full(n, value)


class Exponential(_Spec):
    """Exponential with the given mean (memoryless; the M in M/M/c)."""

    _duration_fields = ("mean",)
    dist: Literal["exponential"]
    mean_: PositiveSeconds = Field(alias="mean")

    def mean(self) -> float:
        return self.mean_

    def block_drawer(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        scale = self.mean_
        return lambda rng, n: rng.exponential(scale, n)


class Uniform(_Spec):
    """Uniform between ``low`` and ``high``."""

    _duration_fields = ("low", "high")
    dist: Literal["uniform"]
    low: Seconds
    high: Seconds

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("'high' must not be below 'low'")
        return self

    def mean(self) -> float:
        return (self.low + self.high) / 2

    def block_drawer(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        low, high = self.low, self.high
        return lambda rng, n: rng.uniform(low, high, n)


class Triangular(_Spec):
    """Triangular with ``low`` <= ``mode`` <= ``high`` (a common expert-estimate shape)."""

    _duration_fields = ("low", "mode", "high")
    dist: Literal["triangular"]
    low: Seconds
    mode: Seconds
    high: Seconds

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("expected low <= mode <= high")
        if self.low == self.high:
            raise ValueError("'low' and 'high' must differ (use dist: fixed for a constant)")
        return self

    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def block_drawer(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        low, mode, high = self.low, self.mode, self.high
        return lambda rng, n: rng.triangular(low, mode, high, n)


class Normal(_Spec):
    """Normal with ``mean`` and ``sd``, truncated at zero (negative draws are redrawn)."""

    _duration_fields = ("mean", "sd")
    dist: Literal["normal"]
    mean_: Seconds = Field(alias="mean")
    sd: PositiveSeconds

    def mean(self) -> float:
        alpha = -self.mean_ / self.sd
        pdf = math.exp(-0.5 * alpha * alpha) / math.sqrt(2 * math.pi)
        tail = 0.5 * math.erfc(alpha / math.sqrt(2))
        return self.mean_ + self.sd * pdf / tail

    def block_drawer(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        mu, sd = self.mean_, self.sd

        def draw(rng: np.random.Generator, n: int) -> np.ndarray:
            out = rng.normal(mu, sd, n)
            bad = out < 0
            while bad.any():
                out[bad] = rng.normal(mu, sd, int(bad.sum()))
                bad = out < 0
            return out

        return draw


class Lognormal(_Spec):
    """Lognormal given by its own mean and standard deviation (not those of the logarithm)."""

    _duration_fields = ("mean", "sd")
    dist: Literal["lognormal"]
    mean_: PositiveSeconds = Field(alias="mean")
    sd: PositiveSeconds

    def mean(self) -> float:
        return self.mean_

    def block_drawer(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        sigma2 = math.log1p((self.sd / self.mean_) ** 2)
        mu = math.log(self.mean_) - sigma2 / 2
        sigma = math.sqrt(sigma2)
        return lambda rng, n: rng.lognormal(mu, sigma, n)


class Gamma(_Spec):
    """Gamma given by mean and coefficient of variation (cv = sd / mean; cv = 1 is exponential)."""

    _duration_fields = ("mean",)
    dist: Literal["gamma"]
    mean_: PositiveSeconds = Field(alias="mean")
    cv: float = Field(gt=0, description="Coefficient of variation, sd / mean.")

    def mean(self) -> float:
        return self.mean_

    def block_drawer(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        shape = 1 / self.cv**2
        scale = self.mean_ * self.cv**2
        return lambda rng, n: rng.gamma(shape, scale, n)


class Empirical(_Spec):
    """Draws from observed values, optionally weighted (e.g. service times from a time study)."""

    _duration_fields = ("values",)
    dist: Literal["empirical"]
    values: list[Seconds] = Field(min_length=1)
    weights: list[Annotated[float, Field(ge=0)]] | None = None

    @model_validator(mode="after")
    def _weights_match(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"'weights' has {len(self.weights)} entries but 'values' has {len(self.values)}"
                )
            if sum(self.weights) <= 0:
                raise ValueError("'weights' must not all be zero")
        return self

    def _probabilities(self) -> np.ndarray | None:
        if self.weights is None:
            return None
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()

    def mean(self) -> float:
        p = self._probabilities()
        values = np.asarray(self.values, dtype=float)
        return float(values.mean() if p is None else values @ p)

    def block_drawer(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        values = np.asarray(self.values, dtype=float)
        p = self._probabilities()
        return lambda rng, n: rng.choice(values, size=n, p=p)


DistributionSpec = (
    Fixed | Exponential | Uniform | Triangular | Normal | Lognormal | Gamma | Empirical
)
DIST_NAMES = (
    "fixed",
    "exponential",
    "uniform",
    "triangular",
    "normal",
    "lognormal",
    "gamma",
    "empirical",
)


def _shorthand(value: Any) -> Any:
    """A bare duration such as ``"4 min"`` stands for a fixed distribution."""
    if isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return {"dist": "fixed", "value": value}  # a bare number is then refused for its unit
    if isinstance(value, dict) and "dist" not in value:
        raise ValueError(f"missing key 'dist' (one of: {', '.join(DIST_NAMES)})")
    return value


class _ShorthandJsonSchema:
    """Adds the bare-duration shorthand ("4 min" = fixed) to the JSON Schema of a distribution."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        shorthand = {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "a fixed duration, e.g. '4 min'",
        }
        return {"anyOf": [shorthand, handler(core_schema)]}


Distribution = Annotated[
    DistributionSpec,
    Field(discriminator="dist"),
    BeforeValidator(_shorthand),
    _ShorthandJsonSchema(),
]
"""The field type used in scenarios: a tagged spec, or a duration string meaning 'fixed'."""
