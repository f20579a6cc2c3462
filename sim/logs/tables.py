"""Reading a log file as a table of text cells: CSV, TSV or Excel, with a column mapping.

A preset names the *fields* it needs (``issued``, ``called``, ...) and the column each is usually
called; ``--map column=field`` tells it that the office's export calls a field something else.
Cells stay text here (Excel dates become ISO text), so that one parser handles every format.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import LogFileError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Table:
    """A header and its rows of text cells; ``line`` numbers count the header as line 1."""

    source: str
    header: list[str]
    rows: list[list[str]]

    def records(self, columns: Mapping[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, {field: cell}) for every row, picking the mapped columns."""
        index = {f: self.header.index(c) for f, c in columns.items()}
        for k, row in enumerate(self.rows):
            yield k + 2, {f: (row[i].strip() if i < len(row) else "") for f, i in index.items()}


def read_table(path: Path) -> Table:
    """Read a CSV/TSV (delimiter sniffed) or an Excel sheet (first sheet) into text cells."""
    if not path.is_file():
        raise LogFileError.single(str(path), "", "no such file (expected a CSV, TSV or Excel log)")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        header, rows = _read_excel(path)
    else:
        header, rows = _read_delimited(path)
    header = [h.strip() for h in header]
    if not header or not any(header):
        raise LogFileError.single(str(path), "", "the file is empty (expected a header line)")
    return Table(str(path), header, rows)


def _read_delimited(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    except OSError as exc:
        raise LogFileError.single(str(path), "", f"cannot read the file: {exc.strerror}") from None
    if not text.strip():
        return [], []
    first = text.splitlines()[0]
    if path.suffix.lower() == ".tsv" or "\t" in first:
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(first, delimiters=",;|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    lines = [row for row in reader]
    return lines[0], [row for row in lines[1:] if any(cell.strip() for cell in row)]


def _read_excel(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        openpyxl: Any = importlib.import_module("openpyxl")
    except ImportError:
        raise LogFileError.single(
            str(path), "", "reading Excel files needs openpyxl: pip install 'officesim[excel]'"
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise LogFileError.single(str(path), "", f"not a readable Excel file ({exc})") from None
    sheet = book.worksheets[0]
    lines = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not lines:
        return [], []
    return lines[0], [row for row in lines[1:] if any(cell for cell in row)]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_mapping(items: Sequence[str], fields: Sequence[str], source: str) -> dict[str, str]:
    """``["Ticket No=ticket", ...]`` → {field: column}; unknown fields are refused by name."""
    out: dict[str, str] = {}
    for item in items:
        column, sep, fld = item.rpartition("=")
        if not sep or not column.strip() or not fld.strip():
            raise LogFileError.single(
                source, "--map", f"expected COLUMN=FIELD (e.g. 'Ticket No=ticket'), got {item!r}"
            )
        fld = fld.strip()
        if fld not in fields:
            raise LogFileError.single(
                source, "--map", f"unknown field {fld!r}; this format's fields: {', '.join(fields)}"
            )
        out[fld] = column.strip()
    return out


def resolve_columns(
    table: Table, defaults: Mapping[str, str], required: Sequence[str], mapping: Mapping[str, str]
) -> dict[str, str]:
    """Field → column actually present; a missing required column is an error naming it."""
    wanted = {**defaults, **mapping}
    present = {h.lower(): h for h in table.header}
    out: dict[str, str] = {}
    missing: list[str] = []
    for fld, column in wanted.items():
        found = present.get(column.lower())
        if found is not None:
            out[fld] = found
        elif fld in required:
            missing.append(f"'{column}' (field {fld})")
    if missing:
        raise LogFileError.single(
            table.source,
            "header",
            f"missing column(s) {', '.join(missing)}; the header has: "
            f"{', '.join(table.header)}. Map your columns with --map COLUMN=FIELD",
        )
    return out
