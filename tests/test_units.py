"""Durations with units, clock times (including YAML's sexagesimal integers) and formatting."""

from __future__ import annotations

import pytest
import yaml

from sim.units import (
    DAY,
    DURATION_UNITS,
    HOUR,
    MINUTE,
    format_clock,
    format_duration,
    parse_clock,
    parse_duration,
    unit_seconds,
)

UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}


def test_every_unit_is_covered() -> None:
    assert set(DURATION_UNITS) == set(UNIT_SECONDS)


@pytest.mark.parametrize(("unit", "seconds"), sorted(UNIT_SECONDS.items()))
def test_duration_in_every_unit(unit: str, seconds: float) -> None:
    assert parse_duration(f"2.5 {unit}") == pytest.approx(2.5 * seconds)
    assert parse_duration(f"3{unit}") == 3 * seconds
    assert parse_duration(f"  4  {unit.upper()} ") == 4 * seconds
    assert unit_seconds(unit) == seconds


def test_unit_constants() -> None:
    assert (MINUTE, HOUR, DAY) == (60.0, 3600.0, 86400.0)


@pytest.mark.parametrize("value", [5, 1.5, -3, 300])
def test_bare_numbers_are_refused(value: float) -> None:
    with pytest.raises(ValueError, match=f"duration {value} has no unit; write it with one"):
        parse_duration(value)


@pytest.mark.parametrize("zero", [0, 0.0])
def test_bare_zero_is_accepted(zero: float) -> None:
    assert parse_duration(zero) == 0.0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5", "expected a duration such as"),
        ("five min", "expected a duration such as"),
        ("5 min 3 s", "expected a duration such as"),
        (".5 h", "expected a duration such as"),
        ("5 m", "unknown time unit 'm'"),
        ("5 weeks", "unknown time unit 'weeks'"),
        ("", "expected a duration such as"),
        (True, "expected a duration such as '90 s'"),
        (None, "expected a duration such as '90 s'"),
        ([5, "min"], "expected a duration such as '90 s'"),
    ],
)
def test_bad_durations(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_duration(value)


def test_negative_duration_refused_unless_allowed() -> None:
    with pytest.raises(ValueError, match="'-2 min' is negative; expected zero or more"):
        parse_duration("-2 min")
    assert parse_duration("-2 min", allow_negative=True) == -120.0
    assert parse_duration("-0.5 h", allow_negative=True) == -1800.0


def test_negative_bare_number_still_needs_a_unit() -> None:
    with pytest.raises(ValueError, match="has no unit"):
        parse_duration(-5, allow_negative=True)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("00:00", 0),
        ("09:00", 9 * 3600),
        ("9:05", 9 * 3600 + 5 * 60),
        (" 17:30 ", 17 * 3600 + 30 * 60),
        ("23:59", 23 * 3600 + 59 * 60),
        ("24:00", 86400),
    ],
)
def test_clock_strings(text: str, seconds: float) -> None:
    assert parse_clock(text) == seconds


@pytest.mark.parametrize(
    ("line", "quoted"),
    [
        ("t: 17:30", "'17:30'"),
        ("t: 9:05", "'09:05'"),
        ("t: 24:00", "'24:00'"),
        ("t: 9:00", "'09:00'"),
    ],
)
def test_yaml_sexagesimal_integers_are_refused_with_the_quoted_form(line: str, quoted: str) -> None:
    raw = yaml.safe_load(line)["t"]
    assert isinstance(raw, int)  # YAML 1.1 reads an unquoted 17:30 as 1050 (minutes)
    with pytest.raises(
        ValueError, match=f"without quotes, YAML read it as the number {raw}; write {quoted}"
    ):
        parse_clock(raw)


def test_bare_hour_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="expected a clock time in quotes such as '09:00', got 9"):
        parse_clock(9)


def test_yaml_zero_padded_times_stay_strings() -> None:
    raw = yaml.safe_load("t: 09:00")["t"]
    assert raw == "09:00"
    assert parse_clock(raw) == 9 * 3600


def test_yaml_sexagesimal_past_midnight_is_refused() -> None:
    raw = yaml.safe_load("t: 25:00")["t"]
    assert raw == 1500
    with pytest.raises(
        ValueError, match=r"expected a clock time in quotes such as '09:00', got 1500$"
    ):
        parse_clock(raw)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("24:01", "'24:01' is not a time of day between 00:00 and 24:00"),
        ("25:00", "'25:00' is not a time of day"),
        ("12:60", "'12:60' is not a time of day"),
        ("9", "expected a clock time such as '09:00' \\(24-hour hh:mm\\), got '9'"),
        ("9:5", "got '9:5'"),
        ("09:00:00", "got '09:00:00'"),
        ("9 am", "got '9 am'"),
        ("", "got ''"),
        (-1, "got -1"),
        (3.5, "got 3.5"),
        (True, "got True"),
        (None, "got None"),
    ],
)
def test_bad_clock_times(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_clock(value)


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "00:00"), (32400, "09:00"), (63000, "17:30"), (86400, "24:00")]
)
def test_format_clock_round_trips(seconds: float, text: str) -> None:
    assert format_clock(seconds) == text
    assert parse_clock(text) == seconds


@pytest.mark.parametrize(
    ("seconds", "text"), [(90, "1.5 min"), (30, "30 s"), (300, "5 min"), (7200, "2 h")]
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
