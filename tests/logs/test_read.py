"""Reading logs: every preset, column mapping, time zones, midnight, dirty records, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from sim.errors import LogFileError
from sim.logs import ReadOptions, read_contacts, read_tasks
from tests.log_helpers import (
    BANK_HEADER,
    Truth,
    draw_contacts,
    ticket_rows,
    write_bank,
    write_csv,
)

BANK = Path("/work/shared/data/anonymous_bank_1999/calls_1999-02-01_to_14.tsv")
REAL = Path(__file__).resolve().parents[2] / "tests" / "data" / "bank_slice.tsv"


def _row(**cells: str) -> str:
    base = dict(
        zip(BANK_HEADER.split("\t"), ["AA0101", "1", "0", "0", "PS", "990201", "10:00:00",
             "10:00:08", "8", "10:00:08", "10:01:08", "60", "AGENT", "10:01:08", "10:04:08",
             "180", "DORIT"], strict=True)
    )  # fmt: skip
    base.update(cells)
    return "\t".join(base.values())


def test_callcenter_slice_of_real_data_counts_every_dropped_reason() -> None:
    log = read_contacts(REAL)
    lines = REAL.read_text().splitlines()[1:]
    cells = [line.split("\t") for line in lines]
    phantom = sum(c[12] == "PHANTOM" for c in cells)
    vru_hang = sum(c[12] == "HANG" and c[11] == "0" for c in cells)
    no_server = sum(c[12] == "AGENT" and c[16] == "NO_SERVER" for c in cells)
    assert log.rows_read == len(lines)
    assert log.dropped.counts["phantom call (a virtual call to ignore)"] == phantom > 0
    assert log.dropped.counts["hung up in the voice-response unit (never queued)"] == vru_hang > 0
    assert log.dropped.counts["served without a server (NO_SERVER)"] == no_server > 0
    assert len(log) + log.dropped.total == log.rows_read
    assert (log.service[log.served] > 0).all()
    assert (log.agent[log.served] != "").all()
    assert np.isnan(log.service[~log.served]).all()


def test_call_passing_midnight_belongs_to_the_next_day(tmp_path: Path) -> None:
    late = _row(vru_entry="23:59:50", vru_exit="23:59:58", q_start="0:00:05", q_exit="0:01:05",
                q_time="60", ser_start="0:01:05", ser_exit="0:02:05", ser_time="60")  # fmt: skip
    before = _row(vru_exit="23:50:00", q_start="23:50:00", q_exit="23:59:00", q_time="540",
                  ser_start="23:59:00", ser_exit="0:02:00", ser_time="180")  # fmt: skip
    path = tmp_path / "calls.tsv"
    path.write_text("\n".join([BANK_HEADER, late, before]) + "\n")
    log = read_contacts(path)
    assert log.day[0] == np.datetime64("1999-02-02")
    assert log.arrival[0] == 5.0
    assert log.day[1] == np.datetime64("1999-02-01")
    assert log.service[1] == 180.0


def test_dirty_call_records_are_dropped_with_their_reason(tmp_path: Path) -> None:
    rows = [
        _row(),
        _row(outcome="PHANTOM"),
        _row(ser_time="0"),
        _row(server="NO_SERVER"),
        _row(outcome="HANG", q_time="0", ser_time="0", server="NO_SERVER"),
        _row(q_time="-5"),
        _row(date="99-02-01x"),
        _row(outcome="TRANSFER"),
    ]
    path = tmp_path / "calls.tsv"
    path.write_text("\n".join([BANK_HEADER, *rows]) + "\n")
    log = read_contacts(path)
    assert len(log) == 1
    assert log.dropped.total == 7
    assert log.dropped.examples["phantom call (a virtual call to ignore)"] == 3
    assert set(log.dropped.counts) == {
        "phantom call (a virtual call to ignore)",
        "served with zero service time",
        "served without a server (NO_SERVER)",
        "hung up in the voice-response unit (never queued)",
        "negative duration",
        "unreadable date, time or number",
        "unknown outcome (expected AGENT, HANG or PHANTOM)",
    }


def test_synthetic_bank_log_reads_back_exactly(tmp_path: Path) -> None:
    contacts = draw_contacts(Truth(days=2), seed=3)
    log = read_contacts(write_bank(tmp_path / "c.tsv", contacts))
    assert len(log) == len(contacts)
    assert log.dropped.total == 0
    assert log.served.sum() == sum(c.served for c in contacts)
    assert np.allclose(log.arrival, [c.arrival for c in contacts])


def test_ticket_export_with_utc_stamps_converted_to_the_office_zone(tmp_path: Path) -> None:
    contacts = draw_contacts(Truth(days=2), seed=4)
    rows = ticket_rows(contacts, tz_offset="+00:00")
    path = write_csv(tmp_path / "tickets.csv", rows, delimiter=";")
    log = read_contacts(path, ReadOptions(fmt="tickets", tz="Europe/Paris"))
    assert len(log) == len(contacts)
    # March 2024 in Paris is UTC+1: every arrival moves one hour later.
    assert np.allclose(log.arrival, [c.arrival + 3600 for c in contacts])
    assert np.allclose(log.wait, [c.wait for c in contacts])
    naive = read_contacts(path, ReadOptions(fmt="tickets"))
    assert np.allclose(naive.arrival, [c.arrival for c in contacts])


def test_ticket_column_mapping_and_dirty_tickets(tmp_path: Path) -> None:
    rows = [
        ["No", "Queue", "Drawn", "Called", "Closed", "Result", "Desk", "Agent"],
        ["1", "cash", "2024-03-04 09:00:00", "2024-03-04 09:05:00", "2024-03-04 09:09:00", "served", "D1", "AL"],
        ["2", "cash", "2024-03-04 09:01:00", "2024-03-04 09:06:00", "2024-03-04 09:06:00", "served", "D1", "AL"],
        ["3", "cash", "2024-03-04 09:02:00", "2024-03-04 09:07:00", "2024-03-04 09:10:00", "served", "", ""],
        ["4", "cash", "2024-03-04 09:03:00", "", "", "cancelled", "", ""],
        ["5", "cash", "2024-03-04 09:04:00", "2024-03-04 09:20:00", "", "no call", "", ""],
        ["6", "cash", "garbage", "", "", "served", "", ""],
    ]  # fmt: skip
    path = write_csv(tmp_path / "export.csv", rows)
    mapping = ("No=ticket", "Queue=cls", "Drawn=issued", "Called=called", "Closed=ended",
               "Result=outcome", "Desk=desk", "Agent=agent")  # fmt: skip
    log = read_contacts(path, ReadOptions(fmt="tickets", mapping=mapping))
    assert len(log) == 2
    assert log.cls.tolist() == ["cash", "cash"]
    assert log.service[0] == 240.0
    # A ticket called after its client left bounds the patience from above only.
    assert not log.served[1] and not log.exact_leave[1] and log.wait[1] == 16 * 60
    assert log.dropped.counts == {
        "served with zero or negative service time": 1,
        "served without a server": 1,
        "cancelled or test ticket": 1,
        "unreadable date, time or number": 1,
    }


def test_appointment_tickets_with_no_shows(tmp_path: Path) -> None:
    rows = [
        ["service", "booked", "issued", "called", "ended", "outcome", "agent"],
        ["advice", "2024-03-04 10:00:00", "2024-03-04 09:57:00", "2024-03-04 10:01:00", "2024-03-04 10:30:00", "served", "EVA"],
        ["advice", "2024-03-04 10:30:00", "", "", "", "no-show", ""],
    ]  # fmt: skip
    log = read_contacts(write_csv(tmp_path / "t.csv", rows), ReadOptions(fmt="tickets"))
    assert log.no_show.tolist() == [False, True]
    assert log.arrival[0] - log.booked[0] == -180.0


def test_excel_ticket_export(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["service", "issued", "called", "ended", "outcome", "agent"])
    sheet.append(["cash", dt.datetime(2024, 3, 4, 9), dt.datetime(2024, 3, 4, 9, 2),
                  dt.datetime(2024, 3, 4, 9, 7), "served", "AL"])  # fmt: skip
    path = tmp_path / "export.xlsx"
    book.save(path)
    log = read_contacts(path, ReadOptions(fmt="tickets"))
    assert log.wait.tolist() == [120.0]
    assert log.service.tolist() == [300.0]


def test_task_log_with_clock_times_past_midnight(tmp_path: Path) -> None:
    rows = [
        ["task", "type", "step", "team", "date", "start", "end"],
        ["A1", "claim", "check", "ops", "2024-03-04", "09:00", "09:20"],
        ["A1", "claim", "pay", "fin", "2024-03-04", "23:50", "00:10"],
        ["A2", "claim", "check", "ops", "2024-03-04", "10:00", "09:00"],
    ]
    log = read_tasks(write_csv(tmp_path / "tasks.csv", rows))
    assert len(log) == 3 - 1
    assert log.end[1] - log.start[1] == 20 * 60
    assert log.dropped.counts == {"zero or negative duration": 1}


@pytest.mark.parametrize(
    ("content", "opts", "expected"),
    [
        (None, ReadOptions(), "no such file"),
        ("", ReadOptions(), "the file is empty"),
        ("a,b\n1,2\n", ReadOptions(), "missing column(s) 'date' (field date)"),
        (BANK_HEADER + "\n", ReadOptions(), "no usable records (no data rows)"),
        ("x\n1\n", ReadOptions(fmt="qmatic"), "unknown log format 'qmatic'"),
        ("x\n1\n", ReadOptions(fmt="tickets", mapping=("x",)), "expected COLUMN=FIELD"),
        ("x\n1\n", ReadOptions(fmt="tickets", mapping=("x=when",)), "unknown field 'when'"),
        ("issued\n2024-01-01 09:00\n", ReadOptions(fmt="tickets", tz="Mars/Olympus"), "unknown time zone"),
    ],
)  # fmt: skip
def test_bad_files_are_clear_errors(
    tmp_path: Path, content: str | None, opts: ReadOptions, expected: str
) -> None:
    path = tmp_path / "log.csv"
    if content is not None:
        path.write_text(content)
    with pytest.raises(LogFileError) as err:
        read_contacts(path, opts)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


def test_a_task_log_is_not_a_contact_log(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [["task", "start", "end"], ["A", "2024-03-04 09:00", "2024-03-04 09:10"]],
    )
    with pytest.raises(LogFileError, match="is a task log"):
        read_contacts(path, ReadOptions(fmt="tasks"))
