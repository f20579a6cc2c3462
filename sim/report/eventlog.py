"""Export an event log for process mining: CSV, and XES (IEEE 1849-2016) for pm4py, ProM, Disco.

Times are seconds from the start of the simulation; exports turn them into ISO-8601
timestamps from a fixed reference date (Monday 1 January 2024, 00:00 UTC), so day 1 of the
simulation is that Monday. Every client and every back-office task is a case.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from xml.etree import ElementTree as ET

from sim.model.eventlog import EventLog
from sim.results.output import atomic_write_text

REFERENCE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
"""Simulation time 0 as a date: a Monday at midnight, UTC."""

CSV_COLUMNS = (
    "case_id",
    "activity",
    "lifecycle",
    "timestamp",
    "time_s",
    "resource",
    "location",
    "case_kind",
    "case_type",
)
XES_NS = "http://www.xes-standard.org/"
EXTENSIONS = (
    ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
    ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
    ("Time", "time", "http://www.xes-standard.org/time.xesext"),
    ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
)


def timestamp(seconds: float) -> str:
    """Simulation seconds as an ISO-8601 UTC timestamp with milliseconds."""
    moment = REFERENCE + dt.timedelta(seconds=round(seconds, 3))
    return moment.isoformat(timespec="milliseconds")


def lifecycle(value: str) -> str:
    """The XES standard lifecycle transition: ``start`` or ``complete`` (instants complete)."""
    return "start" if value == "start" else "complete"


def event_rows(log: EventLog) -> Iterator[dict[str, str]]:
    """Events in time order as CSV records."""
    for time, case, activity, life, resource, location in log.sorted_events():
        attrs = log.cases.get(case, {})
        yield {
            "case_id": case,
            "activity": activity,
            "lifecycle": life,
            "timestamp": timestamp(time),
            "time_s": repr(round(time, 6)),
            "resource": resource,
            "location": location,
            "case_kind": attrs.get("kind", ""),
            "case_type": attrs.get("type", ""),
        }


def events_csv(log: EventLog) -> str:
    """The event log as CSV text, one event per row in time order."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(event_rows(log))
    return buf.getvalue()


def _attr(parent: ET.Element, kind: str, key: str, value: str) -> None:
    ET.SubElement(parent, kind, {"key": key, "value": value})


def _xes_root(name: str) -> ET.Element:
    """The XES log element with its extensions, globals and classifiers (no traces yet)."""
    root = ET.Element(
        "log",
        {"xes.version": "1849-2016", "xes.features": "nested-attributes", "xmlns": XES_NS},
    )
    for ext_name, prefix, uri in EXTENSIONS:
        ET.SubElement(root, "extension", {"name": ext_name, "prefix": prefix, "uri": uri})
    trace_globals = ET.SubElement(root, "global", {"scope": "trace"})
    _attr(trace_globals, "string", "concept:name", "__INVALID__")
    event_globals = ET.SubElement(root, "global", {"scope": "event"})
    _attr(event_globals, "string", "concept:name", "__INVALID__")
    _attr(event_globals, "string", "lifecycle:transition", "complete")
    _attr(event_globals, "date", "time:timestamp", timestamp(0.0))
    ET.SubElement(root, "classifier", {"name": "Activity", "keys": "concept:name"})
    ET.SubElement(
        root,
        "classifier",
        {"name": "Activity and transition", "keys": "concept:name lifecycle:transition"},
    )
    _attr(root, "string", "concept:name", name)
    _attr(root, "string", "lifecycle:model", "standard")
    return root


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def xes_header(name: str) -> str:
    """The XES document up to its first trace (for writers that stream the traces)."""
    root = _xes_root(name)
    ET.indent(root, space=" ")
    text = ET.tostring(root, encoding="unicode")
    return XML_DECLARATION + text.removesuffix("</log>")


def xes_trace(case: str, attrs: Mapping[str, str]) -> ET.Element:
    """An XES trace for ``case`` with its kind and type (client class or task type)."""
    trace = ET.Element("trace")
    _attr(trace, "string", "concept:name", case)
    _attr(trace, "string", "case_kind", attrs.get("kind", ""))
    _attr(trace, "string", "case_type", attrs.get("type", ""))
    return trace


def xes_event(
    trace: ET.Element, time: float, activity: str, life: str, resource: str, location: str
) -> None:
    """Append one event to an XES trace (resource and location only when known)."""
    event = ET.SubElement(trace, "event")
    _attr(event, "string", "concept:name", activity)
    _attr(event, "string", "lifecycle:transition", lifecycle(life))
    _attr(event, "date", "time:timestamp", timestamp(time))
    if resource:
        _attr(event, "string", "org:resource", resource)
    if location:
        _attr(event, "string", "location", location)


def events_xes(log: EventLog, name: str = "officesim") -> str:
    """The event log as an XES document: one trace per case, events in time order."""
    root = _xes_root(name)
    traces: dict[str, ET.Element] = {}
    for time, case, activity, life, resource, location in log.sorted_events():
        trace = traces.get(case)
        if trace is None:
            trace = traces[case] = xes_trace(case, log.cases.get(case, {}))
        xes_event(trace, time, activity, life, resource, location)
    root.extend(traces.values())
    ET.indent(root, space=" ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def write_event_log(log: EventLog, folder: Path, *, name: str = "officesim") -> list[Path]:
    """Write ``events.csv`` and ``events.xes`` into ``folder``; return their paths."""
    csv_path, xes_path = folder / "events.csv", folder / "events.xes"
    atomic_write_text(csv_path, events_csv(log))
    atomic_write_text(xes_path, events_xes(log, name))
    return [csv_path, xes_path]
