"""Event logs of any length written with flat memory: chunks spilled to disk, merged at the end.

A :class:`~sim.model.eventlog.StreamingEventLog` hands its events on in time-sorted chunks;
:class:`EventSpill` writes each chunk to a temporary file in the output folder. At the end the
chunks are merged (stable, so the order is exactly that of :func:`sim.report.eventlog.event_rows`)
into ``events.csv``; on the way every event is tagged with its case's order of first appearance
and spilled again, and a second merge writes ``events.xes`` one trace at a time. Memory holds one
chunk and the case table, whatever the number of days; the files are the same as the in-memory
export writes.
"""

from __future__ import annotations

import contextlib
import csv
import heapq
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree as ET

from sim.model.eventlog import Event
from sim.report.eventlog import CSV_COLUMNS, timestamp, xes_event, xes_header, xes_trace

CHUNK = 50_000
"""Events per spilled chunk: a few tens of megabytes in memory at most."""


def _write_lines(path: Path, items: Iterable[Any]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, separators=(",", ":")) + "\n")


def _read_lines(path: Path) -> Iterator[Any]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


class EventSpill:
    """Receives time-sorted chunks of events and writes the merged exports at the end."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._tmp = Path(tempfile.mkdtemp(prefix=".events-", dir=folder))
        self._chunks: list[Path] = []

    def __call__(self, events: list[Event]) -> None:
        """Spill one chunk (already in time order)."""
        path = self._tmp / f"time-{len(self._chunks):05d}.jsonl"
        _write_lines(path, events)
        self._chunks.append(path)

    def _merged(self) -> Iterator[list[Any]]:
        """Every event in time order (chunks merged stably)."""
        streams = [_read_lines(p) for p in self._chunks]
        return heapq.merge(*streams, key=lambda e: e[0])

    def write(self, cases: Mapping[str, Mapping[str, str]], name: str) -> list[Path]:
        """Write ``events.csv`` and ``events.xes``; remove the spilled chunks."""
        try:
            csv_path = self.folder / "events.csv"
            by_case = self._write_csv(csv_path, cases)
            xes_path = self.folder / "events.xes"
            self._write_xes(xes_path, by_case, cases, name)
            return [csv_path, xes_path]
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary chunks (also after a failure)."""
        shutil.rmtree(self._tmp, ignore_errors=True)

    def _write_csv(self, path: Path, cases: Mapping[str, Mapping[str, str]]) -> list[Path]:
        """The CSV in time order; returns the event chunks re-sorted by case for the XES."""
        order: dict[str, int] = {}
        pending: list[tuple[int, int, list[Any]]] = []
        by_case: list[Path] = []

        def spill() -> None:
            pending.sort(key=lambda item: (item[0], item[1]))
            target = self._tmp / f"case-{len(by_case):05d}.jsonl"
            _write_lines(target, pending)
            by_case.append(target)
            pending.clear()

        with _atomic(path) as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            for k, (time, case, activity, life, resource, location) in enumerate(self._merged()):
                attrs = cases.get(case, {})
                writer.writerow(
                    (
                        case,
                        activity,
                        life,
                        timestamp(time),
                        repr(round(time, 6)),
                        resource,
                        location,
                        attrs.get("kind", ""),
                        attrs.get("type", ""),
                    )
                )
                index = order.setdefault(case, len(order))
                pending.append((index, k, [time, case, activity, life, resource, location]))
                if len(pending) >= CHUNK:
                    spill()
        if pending:
            spill()
        return by_case

    def _write_xes(
        self,
        path: Path,
        by_case: list[Path],
        cases: Mapping[str, Mapping[str, str]],
        name: str,
    ) -> None:
        streams = [_read_lines(p) for p in by_case]
        merged = heapq.merge(*streams, key=lambda item: (item[0], item[1]))
        with _atomic(path) as fh:
            fh.write(xes_header(name))
            trace: ET.Element | None = None
            current = None
            for _, _, (time, case, activity, life, resource, location) in merged:
                if case != current:
                    if trace is not None:
                        _write_trace(fh, trace)
                    current = case
                    trace = xes_trace(case, cases.get(case, {}))
                assert trace is not None
                xes_event(trace, time, activity, life, resource, location)
            if trace is not None:
                _write_trace(fh, trace)
            fh.write("</log>\n")


def _write_trace(fh: IO[str], trace: ET.Element) -> None:
    ET.indent(trace, space=" ", level=1)
    fh.write(" " + ET.tostring(trace, encoding="unicode") + "\n")


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[IO[str]]:
    """A text file written under a temporary name and renamed into place when complete."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
