"""Every table a report shows, saved for spreadsheets: CSV always, Parquet with pyarrow."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path

from sim.report.model import Table
from sim.results.output import atomic_write_text, records_csv
from sim.results.parquet import column_names
from sim.results.workbook import write_parquet


def parquet_available() -> bool:
    """True when pyarrow can be imported (Parquet files are then written too)."""
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        return False
    return True


def write_tables(tables: Sequence[Table], folder: Path) -> list[Path]:
    """Write each table's records as ``folder/KEY.csv`` (and ``KEY.parquet``); return paths."""
    out: list[Path] = []
    parquet = parquet_available()
    for t in tables:
        if not t.records:
            continue
        path = folder / f"{t.key}.csv"
        atomic_write_text(path, records_csv(t.records, column_names(t.records)))
        out.append(path)
        if parquet:
            out.append(write_parquet(folder / f"{t.key}.parquet", t.records))
    return out
