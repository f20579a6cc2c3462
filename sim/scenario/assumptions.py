"""Assumptions: numbers a planner is unsure of, written as ranges instead of points.

Any number (or duration) in a scenario may be written as ``{low, mode, high}`` (triangular
over scenarios) or ``{low, high}`` (uniform), optionally with a ``note`` saying where the range
comes from, e.g. ``it: {level: integrated, service_factor: {low: 0.85, mode: 0.9, high: 1.0}}``.
Such a range is an *assumption*: it describes what we do not know about the office, not the
day-to-day randomness of arrivals and service (which distributions with ``dist:`` describe).

The ranges are taken out of the raw scenario data before validation: the scenario is
validated and run with each range's point value (the mode, or the middle of a uniform range),
and keeps the list of its assumptions with their key paths for the sensitivity analysis.
The documented ranges of the IT presets and of the unsourced defaults (docs/assumptions.md)
are :data:`DOCUMENTED_RANGES`; they apply wherever a scenario leaves such a value unset.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from sim.errors import Problem
from sim.units import parse_duration

RANGE_KEYS = frozenset({"low", "mode", "high", "note"})
Shape = Literal["triangular", "uniform"]
PathPart = str | int


@dataclass(frozen=True)
class Assumption:
    """One uncertain number of a scenario: where it is, its range and its point value.

    Durations are held in seconds (``duration`` True) and written back with a unit.
    """

    path: tuple[PathPart, ...]
    low: float
    mode: float
    high: float
    shape: Shape = "triangular"
    duration: bool = False
    origin: str = "scenario"
    """``scenario`` (written in the file) or ``documented`` (a documented default's range)."""
    note: str = ""
    whole: bool = False
    """Whole numbers only (all bounds written as integers, e.g. a staff count): values round."""

    @property
    def key(self) -> str:
        """The dotted key path, e.g. ``it.service_factor`` or ``client_classes.a.arrivals.rate``."""
        return ".".join(str(p) for p in self.path)

    @property
    def point(self) -> float:
        """The value the scenario is validated and run with."""
        return self.mode

    @property
    def is_point(self) -> bool:
        """True when the range has collapsed to one value (nothing to vary)."""
        return self.low == self.high

    def value(self, x: float) -> Any:
        """``x`` as scenario data at this path (a duration gets its unit back)."""
        if self.duration:
            return f"{x!r} s"
        if self.whole:
            return round(x)
        return x

    def ppf(self, u: float) -> float:
        """The value at quantile ``u`` of the range's distribution (for Latin hypercube samples)."""
        if self.is_point:
            return self.mode
        from scipy import stats  # only sensitivity analyses sample ranges: keep loading light

        width = self.high - self.low
        if self.shape == "uniform":
            return float(stats.uniform.ppf(u, loc=self.low, scale=width))
        c = (self.mode - self.low) / width
        return float(stats.triang.ppf(u, c, loc=self.low, scale=width))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (durations in seconds)."""
        return {
            "key": self.key,
            "low": self.low,
            "mode": self.mode,
            "high": self.high,
            "shape": self.shape,
            "unit": "s" if self.duration else None,
            "origin": self.origin,
            "note": self.note,
        }


def is_range(value: Any) -> bool:
    """True for a mapping written as a range: only low/mode/high/note keys, low and high given.

    Distributions always carry ``dist``, so a triangular *distribution* is never taken for a
    range.
    """
    return (
        isinstance(value, Mapping)
        and "low" in value
        and "high" in value
        and set(value) <= RANGE_KEYS
    )


def extract_assumptions(
    data: Mapping[str, Any], source: str = "<scenario>"
) -> tuple[dict[str, Any], list[Assumption], list[Problem]]:
    """Split raw scenario data into point data and the assumptions written as ranges.

    Returns the data with every range replaced by its point value, the assumptions in
    document order, and a problem for every malformed range (its key path named).
    """
    found: list[Assumption] = []
    problems: list[Problem] = []

    def walk(node: Any, path: tuple[PathPart, ...]) -> Any:
        if is_range(node):
            made = _parse_range(node, path, source, problems)
            if made is None:
                return node
            found.append(made)
            return made.value(made.point)
        if isinstance(node, Mapping):
            return {k: walk(v, (*path, str(k))) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, (*path, i)) for i, v in enumerate(node)]
        return node

    out = walk(dict(data), ())
    return out, found, problems


def _parse_range(
    node: Mapping[str, Any], path: tuple[PathPart, ...], source: str, problems: list[Problem]
) -> Assumption | None:
    where = _dotted(path)
    bounds = {k: node[k] for k in ("low", "mode", "high") if k in node}
    note = node.get("note", "")
    if not isinstance(note, str):
        problems.append(
            Problem(source, f"{where}.note", "expected text saying where it comes from")
        )
        return None
    duration = any(isinstance(v, str) for v in bounds.values())
    numbers: dict[str, float] = {}
    for k, v in bounds.items():
        try:
            if duration:
                numbers[k] = parse_duration(v, allow_negative=True)
            elif isinstance(v, bool) or not isinstance(v, int | float):
                raise ValueError(f"expected a number, got {v!r}")
            else:
                numbers[k] = float(v)
        except ValueError as exc:
            problems.append(Problem(source, f"{where}.{k}", f"range bound: {exc}"))
            return None
        if not math.isfinite(numbers[k]):
            problems.append(Problem(source, f"{where}.{k}", "range bound must be finite"))
            return None
    low, high = numbers["low"], numbers["high"]
    shape: Shape = "triangular" if "mode" in numbers else "uniform"
    mode = numbers.get("mode", (low + high) / 2)
    if not low <= mode <= high:
        problems.append(
            Problem(
                source, where, f"range needs low <= mode <= high, got {low:g}, {mode:g}, {high:g}"
            )
        )
        return None
    whole = not duration and all(isinstance(v, int) for v in bounds.values())
    if whole and "mode" not in numbers:
        mode = float(round(mode))
    return Assumption(path, low, mode, high, shape, duration, "scenario", note, whole)


def _dotted(path: Sequence[PathPart]) -> str:
    return ".".join(str(p) for p in path)


# --- documented ranges of presets and unsourced defaults ------------------------------------

DocumentedRange = tuple[float, float, float, bool]
"""(low, mode, high, is_duration); durations in seconds."""

IT_RANGES: dict[str, dict[str, DocumentedRange]] = {
    "manual": {
        "pickup_interval": (3600.0, 7200.0, 14400.0, True),
        "lookup_overhead.value": (15.0, 30.0, 60.0, True),
        "error_probability": (0.018, 0.037, 0.055, False),
    },
    "partial": {
        "pickup_interval": (900.0, 1800.0, 3600.0, True),
        "lookup_overhead.value": (30.0, 60.0, 120.0, True),
        "error_probability": (0.009, 0.018, 0.03, False),
        "monthly_cost": (400.0, 600.0, 1000.0, False),
    },
    "integrated": {
        "service_factor": (0.8, 0.9, 1.0, False),
        "lookup_overhead.value": (10.0, 20.0, 60.0, True),
        "error_probability": (0.002, 0.005, 0.01, False),
        "outage_every.mean": (240 * 3600.0, 480 * 3600.0, 960 * 3600.0, True),
        "monthly_cost": (3000.0, 4000.0, 6000.0, False),
    },
}
"""Documented ranges of the IT presets (docs/assumptions.md), by level; the mode is the preset."""

ANSWER_RANGES: dict[str, dict[str, DocumentedRange]] = {
    "manual": {
        "answers.stale": (0.03, 0.08, 0.15, False),
        "answers.unanswered": (0.05, 0.1, 0.2, False),
    },
    "partial": {
        "answers.stale": (0.02, 0.05, 0.1, False),
        "answers.unanswered": (0.02, 0.05, 0.1, False),
    },
    "integrated": {
        "answers.stale": (0.002, 0.01, 0.03, False),
        "answers.unanswered": (0.0, 0.01, 0.03, False),
    },
}
"""Documented ranges of the answer-quality presets, applied where a lookup has consequences
(elsewhere the chances act on nothing)."""

CHANNEL_RANGES: dict[str, dict[str, DocumentedRange]] = {
    "chat": {
        "chat.sessions": (2.0, 3.0, 4.0, False),
        "chat.slowdown": (0.0, 0.15, 0.3, False),
    },
    "email": {"email.due": (4 * 3600.0, 24 * 3600.0, 48 * 3600.0, True)},
}
"""Documented ranges of the channel defaults (under ``channels``), applied where some class comes
by that channel."""
WHOLE_RANGES = frozenset({"chat.sessions"})
"""Channel defaults that take whole numbers only."""

DEFAULT_RANGES: dict[str, DocumentedRange] = {
    "zoning.noise.performance_loss": (0.04, 0.07, 0.12, False),
    "zoning.noise.interruptions_per_hour": (1.0, 2.0, 4.0, False),
    "zoning.noise.resumption": (60.0, 120.0, 300.0, True),
    "zoning.noise.exposure_distance": (5.0, 8.0, 12.0, False),
    "zoning.lookup_resumption": (60.0, 120.0, 300.0, True),
    "costs.working_days_per_month": (20.0, 21.0, 22.0, False),
}
"""Documented ranges of unsourced defaults, applied to scenarios with a floor plan (where
noise, interruptions and rent act; docs/assumptions.md)."""


def documented_assumptions(data: Mapping[str, Any]) -> list[Assumption]:
    """Ranges of the documented defaults that ``data`` (raw scenario data) leaves unset.

    The IT preset ranges apply for the scenario's IT level when the scenario has a back office
    or an ``it`` block (else no hand-off or lookup uses them); zoning ranges only with a floor
    plan, since without one nobody is exposed to noise or walks to a colleague.
    """
    raw_it = data.get("it")
    it: Mapping[str, Any] = raw_it if isinstance(raw_it, Mapping) else {}
    level = it.get("level", "manual")
    uses_it = data.get("back_office") is not None or "it" in data
    out: list[Assumption] = []
    ranges = dict(IT_RANGES.get(str(level), {})) if uses_it else {}
    if _has_consequences(data):
        ranges.update(ANSWER_RANGES.get(str(level), {}))
    for key, rng in ranges.items():
        if _unset(it, key.split(".")) and _applies(it, key):
            out.append(_documented(("it", *key.split(".")), rng))
    if data.get("layout") is not None:
        for key, rng in DEFAULT_RANGES.items():
            if _unset(data, key.split(".")):
                out.append(_documented(tuple(key.split(".")), rng))
    out += _channel_assumptions(data)
    return out


def _channel_assumptions(data: Mapping[str, Any]) -> list[Assumption]:
    """Ranges of the chat and e-mail defaults, for the channels some class comes by."""
    classes = data.get("client_classes")
    used = {
        cc.get("channel")
        for cc in (classes.values() if isinstance(classes, Mapping) else ())
        if isinstance(cc, Mapping)
    }
    raw = data.get("channels")
    channels: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    out = []
    for channel, ranges in CHANNEL_RANGES.items():
        if channel not in used:
            continue
        for key, rng in ranges.items():
            if _unset(channels, key.split(".")):
                made = _documented(("channels", *key.split(".")), rng)
                out.append(replace(made, whole=key in WHOLE_RANGES))
    return out


def _has_consequences(data: Mapping[str, Any]) -> bool:
    """True when some client class's lookup declares consequences (raw scenario data)."""
    classes = data.get("client_classes")
    if not isinstance(classes, Mapping):
        return False
    for cc in classes.values():
        lookup = cc.get("lookup") if isinstance(cc, Mapping) else None
        if isinstance(lookup, Mapping) and lookup.get("consequences") is not None:
            return True
    return False


def _applies(it: Mapping[str, Any], key: str) -> bool:
    """A preset's outage range only matters while its outages are not switched off."""
    head = key.split(".")[0]
    return not (head in it and it[head] is None)


def _unset(node: Mapping[str, Any], parts: Sequence[str]) -> bool:
    """True when no prefix of ``parts`` is given in ``node`` (the default then applies)."""
    cur: Any = node
    for part in parts:
        if not isinstance(cur, Mapping) or part not in cur:
            return True
        cur = cur[part]
    return False


def _documented(path: tuple[str, ...], rng: DocumentedRange) -> Assumption:
    low, mode, high, duration = rng
    return Assumption(path, low, mode, high, "triangular", duration, "documented")


def set_path(data: Mapping[str, Any], path: Sequence[PathPart], value: Any) -> dict[str, Any]:
    """A copy of ``data`` with the value at ``path`` replaced (missing mappings are created)."""
    out: dict[str, Any] = _copy(data)
    node: Any = out
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, list):
            if last:
                node[int(part)] = value
            else:
                node = node[int(part)]
        else:
            if last:
                node[str(part)] = value
            else:
                nxt = node.get(str(part))
                if not isinstance(nxt, dict | list):
                    nxt = {}
                    node[str(part)] = nxt
                node = nxt
    return out


def _copy(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node
