"""The log layouts officesim reads out of the box, and how each row becomes a record.

- ``callcenter``: call-by-call records in the layout of the Anonymous Bank data (Technion SEE
  lab; Brown et al., JASA 2005): a date column, clock times of the voice unit, queue and service.
- ``tickets``: a queue-ticket export as Qmatic-style systems write it, one row per ticket:
  ticket, service, issue time, call time, end time, outcome, desk or agent (optional booked time
  for appointments).
- ``tasks``: a back-office task log, one row per step: task, type, step, team, start, end.

A row parser returns the record's fields, or a ``str``: the reason it is dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sim.logs.records import DEFAULT_DAY_TYPES
from sim.logs.times import (
    BadValue,
    after,
    on_day,
    parse_clock,
    parse_date,
    parse_number,
    parse_stamp,
)
from sim.units import DAY

Row = dict[str, str]
Parsed = dict[str, object] | str
RowParser = Callable[[Row, ZoneInfo | None], Parsed]

ISRAELI_WEEK: dict[str, str] = {
    "sunday": "weekday",
    "monday": "weekday",
    "tuesday": "weekday",
    "wednesday": "weekday",
    "thursday": "weekday",
    "friday": "friday",
    "saturday": "saturday",
}
"""The Anonymous Bank's week: Sunday to Thursday full days, Friday short, Saturday evening."""


@dataclass(frozen=True)
class LogFormat:
    """A log layout: its fields with their usual column names, and its row parser."""

    name: str
    kind: str
    """``contacts`` (tickets, calls) or ``tasks`` (back-office steps)."""
    description: str
    columns: dict[str, str]
    """Field → column name in the file as the preset expects it."""
    required: tuple[str, ...]
    parse: RowParser
    day_types: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_DAY_TYPES))


def _next_day(rec: dict[str, object]) -> dict[str, object]:
    """A contact whose arrival passed midnight belongs to the next date."""
    arrival = float(rec["arrival"])  # type: ignore[arg-type]
    if arrival >= DAY:
        rec["day"] = rec["day"] + dt.timedelta(days=1)  # type: ignore[operator]
        rec["arrival"] = arrival - DAY
        if "booked" in rec:
            rec["booked"] = float(rec["booked"]) - DAY  # type: ignore[arg-type]
    return rec


def parse_call(row: Row, tz: ZoneInfo | None) -> Parsed:
    """One call of the call-centre layout (Anonymous Bank fields)."""
    outcome = row["outcome"].upper()
    if outcome == "PHANTOM":
        return "phantom call (a virtual call to ignore)"
    if outcome not in ("AGENT", "HANG"):
        return "unknown outcome (expected AGENT, HANG or PHANTOM)"
    try:
        day = parse_date(row["date"])
        vru_exit = parse_clock(row["vru_exit"])
        wait = parse_number(row["q_time"])
        ser_time = parse_number(row["ser_time"])
        queued = wait > 0
        q_start = after(parse_clock(row["q_start"]), vru_exit) if queued else vru_exit
    except BadValue:
        return "unreadable date, time or number"
    if wait < 0 or ser_time < 0:
        return "negative duration"
    server = row.get("server", "").strip()
    no_server = server in ("", "NO_SERVER")
    if outcome == "HANG":
        if not queued:
            return "hung up in the voice-response unit (never queued)"
        if ser_time > 0:
            return "hung up but carries a service time"
        rec: dict[str, object] = {"served": False, "wait": wait, "agent": ""}
    else:
        if no_server:
            return "served without a server (NO_SERVER)"
        if ser_time == 0:
            return "served with zero service time"
        rec = {"served": True, "wait": wait, "service": ser_time, "agent": server}
    rec.update(day=day, cls=row.get("cls", "") or "all", arrival=q_start)
    return _next_day(rec)


_SERVED = {"served", "done", "completed", "complete", "finished", "ok", "agent", "called"}
_LEFT = {"abandoned", "left", "walked out", "no call", "not called", "noshow at call", "hang"}
_NO_SHOW = {"no-show", "no_show", "noshow", "no show", "missed appointment"}


def _outcome_of(row: Row) -> str | None:
    """served / left / no_show, from the outcome cell or, without one, from the times given."""
    text = row.get("outcome", "").strip().lower()
    if not text:
        return "served" if row.get("called") and row.get("ended") else "left"
    if text in _SERVED:
        return "served"
    if text in _LEFT:
        return "left"
    if text in _NO_SHOW:
        return "no_show"
    if text in ("cancelled", "canceled", "deleted", "test"):
        return "cancelled"
    return None


def _stamp(row: Row, key: str, day: dt.date, tz: ZoneInfo | None) -> float:
    """Seconds after midnight of ``day`` of a stamp or (with a date column) a clock time."""
    text = row[key]
    if row.get("date"):
        return parse_clock(text)
    return on_day(text, day, tz)


def _ticket_day(row: Row, tz: ZoneInfo | None) -> dt.date:
    if row.get("date"):
        return parse_date(row["date"])
    base = row.get("issued") or row.get("booked") or ""
    stamp = dt.datetime.fromisoformat(base.replace("Z", "+00:00"))
    if stamp.tzinfo is not None and tz is not None:
        stamp = stamp.astimezone(tz)
    return stamp.date()


def parse_ticket(row: Row, tz: ZoneInfo | None) -> Parsed:
    """One ticket of a queue-ticket export."""
    outcome = _outcome_of(row)
    if outcome is None:
        return "unknown outcome (expected served, abandoned, no-show or cancelled)"
    if outcome == "cancelled":
        return "cancelled or test ticket"
    try:
        day = _ticket_day(row, tz)
        booked = _stamp(row, "booked", day, tz) if row.get("booked") else float("nan")
        if outcome == "no_show":
            if not row.get("booked"):
                return "no-show without a booked time"
            return {
                "day": day,
                "cls": row.get("cls") or "all",
                "arrival": booked,
                "booked": booked,
                "no_show": True,
                "wait": float("nan"),
            }
        issued = _stamp(row, "issued", day, tz)
        called = after(_stamp(row, "called", day, tz), issued) if row.get("called") else None
        ended = after(_stamp(row, "ended", day, tz), issued) if row.get("ended") else None
    except (BadValue, ValueError):
        return "unreadable date, time or number"
    rec: dict[str, object] = {
        "day": day,
        "cls": row.get("cls") or "all",
        "arrival": issued,
        "booked": booked,
    }
    if outcome == "left":
        leave = called if called is not None else ended
        if leave is None:
            return "abandoned without a call or end time"
        if leave < issued:
            return "negative duration"
        rec.update(served=False, wait=leave - issued, exact_leave=called is None)
        return _next_day(rec)
    if called is None or ended is None:
        return "served without a call or end time"
    agent = row.get("agent") or row.get("desk") or ""
    if ("agent" in row or "desk" in row) and not agent:
        return "served without a server"
    if called < issued:
        return "negative duration"
    if ended <= called:
        return "served with zero or negative service time"
    rec.update(served=True, wait=called - issued, service=ended - called, agent=agent)
    return _next_day(rec)


def parse_task(row: Row, tz: ZoneInfo | None) -> Parsed:
    """One step of a back-office task log."""
    try:
        if row.get("date"):
            day = parse_date(row["date"])
            start = parse_clock(row["start"])
            end = after(parse_clock(row["end"]), start)
        else:
            day, start = _day_and_seconds(row["start"], tz)
            end = on_day(row["end"], day, tz)
    except (BadValue, ValueError):
        return "unreadable date, time or number"
    if not row.get("task"):
        return "step without a task id"
    if end <= start:
        return "zero or negative duration"
    step = row.get("step") or row.get("team") or ""
    if not step:
        return "step without a step or team name"
    return {
        "task": row["task"],
        "type": row.get("type") or "task",
        "step": step,
        "team": row.get("team") or step,
        "day": day,
        "start": start,
        "end": end,
    }


def _day_and_seconds(text: str, tz: ZoneInfo | None) -> tuple[dt.date, float]:
    return parse_stamp(text, tz)


FORMATS: dict[str, LogFormat] = {
    "callcenter": LogFormat(
        "callcenter",
        "contacts",
        "call-by-call records (Anonymous Bank layout: date, vru/queue/service clock times)",
        {
            "cls": "type",
            "date": "date",
            "vru_exit": "vru_exit",
            "q_start": "q_start",
            "q_time": "q_time",
            "outcome": "outcome",
            "ser_time": "ser_time",
            "server": "server",
        },
        ("date", "vru_exit", "q_start", "q_time", "outcome", "ser_time", "server"),
        parse_call,
        ISRAELI_WEEK,
    ),
    "tickets": LogFormat(
        "tickets",
        "contacts",
        "queue-ticket export, one row per ticket (issued, called, ended, outcome, desk/agent)",
        {
            "ticket": "ticket",
            "cls": "service",
            "date": "date",
            "issued": "issued",
            "called": "called",
            "ended": "ended",
            "outcome": "outcome",
            "agent": "agent",
            "desk": "desk",
            "booked": "booked",
        },
        ("issued",),
        parse_ticket,
    ),
    "tasks": LogFormat(
        "tasks",
        "tasks",
        "back-office task log, one row per step (task, type, step, team, start, end)",
        {
            "task": "task",
            "type": "type",
            "step": "step",
            "team": "team",
            "date": "date",
            "start": "start",
            "end": "end",
        },
        ("task", "start", "end"),
        parse_task,
    ),
}
