"""Human units at the edges: durations ("90 s", "5 min", "1.5 h"), clock times ("09:00"), rates.

The model's one internal time unit is the second (float). Clock times are seconds after midnight.
"""

from __future__ import annotations

import re

SECOND = 1.0
MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0

_UNIT_SECONDS: dict[str, float] = {
    "s": SECOND,
    "sec": SECOND,
    "secs": SECOND,
    "second": SECOND,
    "seconds": SECOND,
    "min": MINUTE,
    "mins": MINUTE,
    "minute": MINUTE,
    "minutes": MINUTE,
    "h": HOUR,
    "hr": HOUR,
    "hrs": HOUR,
    "hour": HOUR,
    "hours": HOUR,
    "d": DAY,
    "day": DAY,
    "days": DAY,
}

DURATION_UNITS = tuple(_UNIT_SECONDS)
DURATION_PATTERN = (
    r"^\s*-?\d+(\.\d+)?\s*(s|sec|secs|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?)\s*$"
)
CLOCK_PATTERN = r"^\s*([01]?\d|2[0-4]):[0-5]\d\s*$"

_DURATION_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$")
_CLOCK_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def unit_seconds(unit: str) -> float:
    """Seconds in one ``unit`` (e.g. ``"min"`` → 60); raises ``ValueError`` for unknown units."""
    try:
        return _UNIT_SECONDS[unit.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown time unit {unit!r}; expected one of s, min, h, d") from None


def parse_duration(value: object, *, allow_negative: bool = False) -> float:
    """Parse ``"90 s"``, ``"5 min"``, ``"1.5 h"`` into seconds.

    Bare numbers are refused: a duration without a unit is ambiguous, and guessing is how
    a 5-minute service becomes a 5-second one.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"expected a duration such as '90 s' or '5 min', got {value!r}")
    if isinstance(value, (int, float)):
        if value == 0:
            return 0.0
        raise ValueError(
            f"duration {value!r} has no unit; write it with one, e.g. '{value} min' or '{value} s'"
        )
    match = _DURATION_RE.match(value)
    if not match:
        raise ValueError(f"expected a duration such as '90 s', '5 min' or '1.5 h', got {value!r}")
    number, unit = match.groups()
    seconds = float(number) * unit_seconds(unit)
    if seconds < 0 and not allow_negative:
        raise ValueError(f"duration {value!r} is negative; expected zero or more")
    return seconds


def parse_clock(value: object) -> float:
    """Parse a clock time ``"09:00"`` (``"24:00"`` allowed for midnight at day end) into seconds."""
    if isinstance(value, int) and not isinstance(value, bool):
        hint = ""
        if 0 <= value <= 24 * 60:
            hint = (
                f" (if you wrote {value // 60}:{value % 60:02d} without quotes, YAML read it as "
                f"the number {value}; write '{value // 60:02d}:{value % 60:02d}')"
            )
        raise ValueError(f"expected a clock time in quotes such as '09:00', got {value!r}{hint}")
    if not isinstance(value, str):
        raise ValueError(f"expected a clock time such as '09:00', got {value!r}")
    match = _CLOCK_RE.match(value)
    if not match:
        raise ValueError(f"expected a clock time such as '09:00' (24-hour hh:mm), got {value!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes != 0):
        raise ValueError(f"{value!r} is not a time of day between 00:00 and 24:00")
    return hours * HOUR + minutes * MINUTE


def format_clock(seconds: float) -> str:
    """Seconds after midnight as ``hh:mm`` (for messages and reports)."""
    total = round(seconds / MINUTE)
    return f"{total // 60:02d}:{total % 60:02d}"


def format_duration(seconds: float) -> str:
    """A compact human rendering of a duration in seconds, e.g. ``5 min`` or ``90 s``."""
    if seconds >= HOUR and seconds % HOUR == 0:
        return f"{seconds / HOUR:g} h"
    if seconds >= MINUTE:
        return f"{seconds / MINUTE:g} min"
    return f"{seconds:g} s"


def duration_text(seconds: float) -> str:
    """A duration as text that parses back to exactly the same number of seconds, in the
    largest unit that divides it (``30 min``, ``2 d``, ``90 s``, ``12.5 s``), as a planner
    would write it."""
    if seconds == int(seconds):
        whole = int(seconds)
        for unit, size in (("d", int(DAY)), ("h", int(HOUR)), ("min", int(MINUTE))):
            if whole and whole % size == 0:
                return f"{whole // size} {unit}"
        return f"{whole} s"
    return f"{seconds!r} s"


def clock_text(seconds: float) -> str:
    """A clock time as ``hh:mm`` (clock times in scenarios have minute precision)."""
    return format_clock(seconds)
