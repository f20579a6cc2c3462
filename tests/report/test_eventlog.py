"""Event-log export: CSV columns and order, XES structure, and pm4py reading the XES file."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from sim.cli.report import export_event_log, record_replication
from sim.report.eventlog import CSV_COLUMNS, XES_NS, timestamp

NS = {"x": XES_NS}


@pytest.fixture(scope="module")
def exported(bank_scenario, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("events")
    csv_path, xes_path = export_event_log(bank_scenario, folder)
    return csv_path, xes_path


def test_timestamps_from_fixed_reference():
    assert timestamp(0) == "2024-01-01T00:00:00.000+00:00"
    assert timestamp(86400 + 9 * 3600 + 0.5) == "2024-01-02T09:00:00.500+00:00"


def test_csv(exported, bank_scenario):
    rows = list(csv.DictReader(exported[0].read_text(encoding="utf-8").splitlines()))
    assert tuple(rows[0]) == CSV_COLUMNS
    times = [float(r["time_s"]) for r in rows]
    assert times == sorted(times)
    assert {r["case_kind"] for r in rows} == {"client", "task"}
    served = [r for r in rows if r["activity"] == "service" and r["lifecycle"] == "start"]
    assert served and all(r["resource"] and r["location"] for r in served)
    assert all(dt.datetime.fromisoformat(r["timestamp"]).tzinfo for r in rows[:50])
    log = record_replication(bank_scenario, 0)
    assert len(rows) == len(log.events)


def test_xes_structure(exported):
    root = ET.parse(exported[1]).getroot()
    assert root.tag == f"{{{XES_NS}}}log"
    assert root.get("xes.version") == "1849-2016"
    prefixes = {e.get("prefix") for e in root.findall("x:extension", NS)}
    assert {"concept", "lifecycle", "time", "org"} <= prefixes
    scopes = {g.get("scope") for g in root.findall("x:global", NS)}
    assert scopes == {"trace", "event"}
    assert root.findall("x:classifier", NS)
    traces = root.findall("x:trace", NS)
    assert traces
    for trace in traces[:100]:
        assert trace.find("x:string[@key='concept:name']", NS) is not None
        events = trace.findall("x:event", NS)
        assert events
        stamps = []
        for event in events:
            keys = {a.get("key") for a in event}
            assert {"concept:name", "lifecycle:transition", "time:timestamp"} <= keys
            life = event.find("x:string[@key='lifecycle:transition']", NS)
            assert life is not None and life.get("value") in ("start", "complete")
            date = event.find("x:date[@key='time:timestamp']", NS)
            assert date is not None
            stamps.append(dt.datetime.fromisoformat(str(date.get("value"))))
        assert stamps == sorted(stamps)


@pytest.mark.skipif(importlib.util.find_spec("pm4py") is None, reason="pm4py not installed")
def test_pm4py_reads_the_xes(exported):
    import pm4py

    df = pm4py.read_xes(str(exported[1]))
    n_rows = len(exported[0].read_text(encoding="utf-8").splitlines()) - 1
    assert len(df) == n_rows
    assert {"case:concept:name", "concept:name", "time:timestamp", "org:resource"} <= set(
        df.columns
    )
