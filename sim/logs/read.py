"""Read a ticket, call or task log into records: table → mapped fields → parsed rows.

Rows that cannot be used are dropped and counted per reason in ``log.dropped``; a file that
cannot be used at all (missing, empty, missing columns, nothing left) is a ``LogFileError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.errors import LogFileError
from sim.logs.presets import FORMATS, LogFormat
from sim.logs.records import (
    WEEKDAY_NAMES,
    ContactLog,
    Dropped,
    TaskLog,
    contact_log,
)
from sim.logs.tables import parse_mapping, read_table, resolve_columns
from sim.logs.times import zone


@dataclass(frozen=True)
class ReadOptions:
    """How to read a log: its format, column mapping, time zone and day types."""

    fmt: str = "callcenter"
    mapping: tuple[str, ...] = ()
    """``COLUMN=FIELD`` items: the file's column that holds a preset field."""
    tz: str | None = None
    """The office's time zone; stamps with an offset are converted to it."""
    day_types: dict[str, str] | None = None
    """Day of the week → day type; default: the format's own."""


def log_format(name: str, source: str = "--format") -> LogFormat:
    """The preset called ``name`` (an unknown one is an error listing the known ones)."""
    try:
        return FORMATS[name]
    except KeyError:
        raise LogFileError.single(
            source, "--format", f"unknown log format {name!r}; expected one of {', '.join(FORMATS)}"
        ) from None


def _parsed_rows(
    path: Path, opts: ReadOptions, kind: str
) -> tuple[LogFormat, list[dict[str, object]], int, Dropped]:
    fmt = log_format(opts.fmt, str(path))
    if fmt.kind != kind:
        what = "a task log" if fmt.kind == "tasks" else "a ticket or call log"
        wanted = "a task log" if kind == "tasks" else "a ticket or call log"
        raise LogFileError.single(
            str(path), "--format", f"format {fmt.name!r} is {what}, not {wanted}"
        )
    table = read_table(path)
    mapping = parse_mapping(opts.mapping, list(fmt.columns), str(path))
    columns = resolve_columns(table, fmt.columns, fmt.required, mapping)
    tz = zone(opts.tz, str(path))
    dropped = Dropped()
    rows: list[dict[str, object]] = []
    for line, cells in table.records(columns):
        parsed = fmt.parse(cells, tz)
        if isinstance(parsed, str):
            dropped.add(parsed, line)
        else:
            rows.append(parsed)
    if not rows:
        reasons = "; ".join(f"{r}: {n}" for r, n, _ in dropped.as_rows()) or "no data rows"
        raise LogFileError.single(str(path), "", f"no usable records ({reasons})")
    return fmt, rows, len(table.rows), dropped


def _day_types(fmt: LogFormat, opts: ReadOptions, source: str) -> dict[str, str]:
    types = dict(fmt.day_types)
    for day, kind in (opts.day_types or {}).items():
        if day not in WEEKDAY_NAMES:
            raise LogFileError.single(
                source,
                "--day-type",
                f"unknown day {day!r}; expected one of {', '.join(WEEKDAY_NAMES)}",
            )
        types[day] = kind
    return types


def read_contacts(path: str | Path, opts: ReadOptions | None = None) -> ContactLog:
    """Read a ticket or call log; the format must be a contacts format."""
    opts = opts or ReadOptions()
    path = Path(path)
    fmt, rows, n, dropped = _parsed_rows(path, opts, "contacts")
    return contact_log(str(path), fmt.name, rows, n, dropped, _day_types(fmt, opts, str(path)))


def read_tasks(path: str | Path, opts: ReadOptions | None = None) -> TaskLog:
    """Read a back-office task log (format ``tasks``)."""
    opts = opts or ReadOptions(fmt="tasks")
    path = Path(path)
    fmt, rows, n, dropped = _parsed_rows(path, opts, "tasks")

    def col(name: str, dtype: object) -> np.ndarray:
        return np.array([r[name] for r in rows], dtype=dtype)  # type: ignore[call-overload]

    return TaskLog(
        str(path),
        task=col("task", object),
        type=col("type", object),
        step=col("step", object),
        team=col("team", object),
        day=col("day", "datetime64[D]"),
        start=col("start", float),
        end=col("end", float),
        rows_read=n,
        dropped=dropped,
        day_types=_day_types(fmt, opts, str(path)),
    )
