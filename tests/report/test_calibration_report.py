"""The calibration report renders from a calibration document alone (no simulation)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sim.calibrate import CalibrateOptions, calibrate_contacts
from sim.calibrate.document import calibration_document
from sim.logs import ReadOptions, read_contacts
from sim.report.writer import build_report
from tests.log_helpers import Truth, draw_contacts, ticket_rows, write_csv


def test_booked_tickets_give_an_appointments_section(tmp_path: Path) -> None:
    contacts = draw_contacts(Truth(days=2, rates=(30.0, 30.0)), seed=2)
    rows = ticket_rows(contacts)
    rows[0].append("booked")
    for k, row in enumerate(rows[1:]):
        issued = dt.datetime.fromisoformat(row[2])
        row.append((issued + dt.timedelta(minutes=2)).isoformat(sep=" ") if k % 3 == 0 else "")
    rows.append(["N1", "counter", "", "", "", "no-show", "", "", "2024-03-04 09:00:00"])
    log = read_contacts(write_csv(tmp_path / "t.csv", rows), ReadOptions(fmt="tickets"))
    cal = calibrate_contacts(log, CalibrateOptions(day_type="weekday"))
    booked = cal.appointments["all"]
    assert booked.no_shows == 1
    assert abs(booked.offset_mean + 120) < 1e-6
    doc = json.loads(json.dumps(calibration_document(cal)))
    report = build_report(doc)
    ids = [s.id for s in report.sections]
    assert ids[:2] == ["records", "arrivals"]
    assert "appointments" in ids and "patience-all" in ids and "validation" not in ids
    assert {c.key for c in report.charts()} == {
        "arrival_profile",
        "qq_all",
        "survival_all",
        "staffing",
    }
