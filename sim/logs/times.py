"""Dates, clock times and time stamps as logs write them, turned into (local date, seconds).

Logs write times three ways: a date column plus clock times (``990201`` and ``7:02:47``), naive
time stamps (``2024-03-05 09:12:00``, local wall time) and time stamps with an offset
(``2024-03-05T08:12:00Z``). Stamps with an offset are converted to the office's time zone
(``tz``); naive ones are taken as already local. A clock time earlier than the one it follows
passed midnight: :func:`after` moves it to the next day.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sim.errors import LogFileError
from sim.units import DAY, HOUR

_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?$")
_DATE_FORMATS = ("%y%m%d", "%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d")


class BadValue(ValueError):
    """A cell that cannot be read as the time it should hold (the record is dropped)."""


def zone(name: str | None, source: str) -> ZoneInfo | None:
    """The office's time zone (``Europe/Paris``); None keeps stamps' wall times as written."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LogFileError.single(
            source,
            "--tz",
            f"unknown time zone {name!r}; expected an IANA name such as 'Europe/Paris'",
        ) from None


def parse_date(text: str) -> dt.date:
    """A calendar date in one of the common log spellings (990201, 1999-02-01, 01.02.1999)."""
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise BadValue(f"unreadable date {text!r}")


def parse_clock(text: str) -> float:
    """``7:02:47`` → seconds after midnight (up to 24:00:00 and a little beyond, as logs write)."""
    match = _CLOCK_RE.match(text)
    if not match:
        raise BadValue(f"unreadable clock time {text!r}")
    h, m, s, frac = match.groups()
    seconds = int(h) * HOUR + int(m) * 60 + int(s or 0) + (float(f"0.{frac}") if frac else 0.0)
    if int(m) > 59 or int(s or 0) > 59 or seconds > 30 * HOUR:
        raise BadValue(f"unreadable clock time {text!r}")
    return seconds


def parse_stamp(text: str, tz: ZoneInfo | None) -> tuple[dt.date, float]:
    """A time stamp → (local date, seconds after its midnight)."""
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadValue(f"unreadable time stamp {text!r}") from None
    if stamp.tzinfo is not None and tz is not None:
        stamp = stamp.astimezone(tz)
    midnight = stamp.replace(hour=0, minute=0, second=0, microsecond=0)
    return stamp.date(), (stamp - midnight).total_seconds()


def on_day(text: str, day: dt.date, tz: ZoneInfo | None) -> float:
    """Seconds after midnight of ``day`` of a stamp (a later date gives more than 86,400 s)."""
    stamp_day, seconds = parse_stamp(text, tz)
    return seconds + (stamp_day - day).days * DAY


def after(clock: float, earlier: float) -> float:
    """A clock time that follows ``earlier``: one that looks earlier passed midnight."""
    if clock + 12 * HOUR < earlier:
        return clock + DAY
    return clock


def parse_number(text: str) -> float:
    """A number of seconds as logs write it (``166``, ``166.0``, ``166,5``)."""
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise BadValue(f"unreadable number {text!r}") from None
