"""Every table a report shows, saved for spreadsheets: CSV always, Parquet with pyarrow."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.report.model import Table
from sim.results.output import atomic_write_text, records_csv


def parquet_available() -> bool:
    """True when pyarrow can be imported (Parquet files are then written too)."""
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        return False
    return True


def _columns(records: Sequence[dict[str, Any]]) -> list[str]:
    cols: list[str] = []
    for r in records:
        cols.extend(k for k in r if k not in cols)
    return cols


def write_parquet(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    """Write records to a Parquet file (needs pyarrow); mixed columns are stored as text."""
    pa = importlib.import_module("pyarrow")
    pq = importlib.import_module("pyarrow.parquet")
    cols = _columns(records)
    data: dict[str, list[Any]] = {c: [r.get(c) for r in records] for c in cols}
    for c, values in data.items():
        kinds = {type(v) for v in values if v is not None}
        if len(kinds) > 1 and not kinds <= {int, float}:
            data[c] = [None if v is None else str(v) for v in values]
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(pa.table(data), tmp)
    tmp.replace(path)
    return path


def write_tables(tables: Sequence[Table], folder: Path) -> list[Path]:
    """Write each table's records as ``folder/KEY.csv`` (and ``KEY.parquet``); return paths."""
    out: list[Path] = []
    parquet = parquet_available()
    for t in tables:
        if not t.records:
            continue
        path = folder / f"{t.key}.csv"
        atomic_write_text(path, records_csv(t.records, _columns(t.records)))
        out.append(path)
        if parquet:
            out.append(write_parquet(folder / f"{t.key}.parquet", t.records))
    return out
