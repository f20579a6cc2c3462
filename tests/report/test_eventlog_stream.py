"""The streaming event log writes exactly the files of the in-memory export, with flat memory.

Chunks far smaller than a replication's events force many spills and merges, so the stable
merge and the trace grouping of the XES are exercised; the spilled chunks are removed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sim.report.eventlog_stream as stream
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.replication import run_replication
from sim.model.eventlog import EventLog, StreamingEventLog
from sim.report.eventlog import events_csv, events_xes
from tests.conftest import small_scenario


@pytest.mark.parametrize("chunk", [1, 37, 10_000])
def test_streamed_export_equals_the_in_memory_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    data = small_scenario()
    data["client_classes"]["walk_in"]["arrivals"]["rate"] = 30
    scenario = scenario_from_dict(data)
    memory = EventLog()
    run_replication(scenario, 0, event_log=memory)
    assert len(memory.events) > 300
    monkeypatch.setattr(stream, "CHUNK", max(chunk, 2) + 5)
    spill = stream.EventSpill(tmp_path)
    log = StreamingEventLog(spill, chunk=chunk)
    run_replication(scenario, 0, event_log=log)
    log.flush()
    assert len(log.events) == 0 and len(log.walks) == 0
    paths = spill.write(log.cases, "small")
    assert [p.name for p in paths] == ["events.csv", "events.xes"]
    assert (tmp_path / "events.csv").read_text(encoding="utf-8") == events_csv(memory)
    assert (tmp_path / "events.xes").read_text(encoding="utf-8") == events_xes(memory, "small")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "events.xes"]


def test_a_failed_run_leaves_no_spilled_chunks(tmp_path: Path) -> None:
    spill = stream.EventSpill(tmp_path)
    spill([(1.0, "client-1", "arrive", "instant", "", "")])
    spill.discard()
    assert list(tmp_path.iterdir()) == []
