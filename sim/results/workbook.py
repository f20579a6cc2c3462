"""Tables where clients and analysts work: ``kpis.xlsx`` (Excel) and ``kpis.parquet``.

Both are written beside ``kpis.csv`` from the same results document and CSV text, so their
numbers are the CSV's numbers:

- ``kpis.xlsx`` (needs the ``excel`` extra, openpyxl) has formatted sheets: *Summary* (the
  question, the answer and every target's verdict), *Comparison* (a compare or sweep: one row per
  KPI, one group of columns per option), *Per hour* (a run: hour-of-day profiles; an optimise:
  staff per hour), *KPIs* (exactly the rows of ``kpis.csv``) and *Trace* (an optimise's plans).
- ``kpis.parquet`` (needs the ``parquet`` extra, pyarrow) is ``kpis.csv`` with typed
  columns.

Without the library a file is simply not written: :func:`missing_libraries` names what is
missing, for the command to say.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
import math
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sim.forked import Beside
from sim.results.kpis import METRICS, metric_of, unit_of
from sim.results.parquet import arrow_table

Row = dict[str, Any]
SHEET_ORDER = ("Summary", "Comparison", "Per hour", "KPIs", "Trace")


def missing_libraries() -> dict[str, str]:
    """File → the extra it needs, for each analyst file that cannot be written here."""
    out = {}
    if importlib.util.find_spec("openpyxl") is None:
        out["kpis.xlsx"] = "excel"
    if importlib.util.find_spec("pyarrow") is None:
        out["kpis.parquet"] = "parquet"
    return out


WRITER_MODULES = {
    "kpis.xlsx": ("openpyxl", "openpyxl.styles", "openpyxl.utils"),
    "kpis.parquet": ("pyarrow", "pyarrow.parquet"),
}
"""The modules each analyst file is written with (imported on first use: a quarter of a second)."""


def writer_modules() -> list[str]:
    """The modules of the analyst files that can be written here (none without the extras)."""
    missing = missing_libraries()
    return [m for name, modules in WRITER_MODULES.items() if name not in missing for m in modules]


def warm_up() -> None:
    """Import the libraries of the analyst files that can be written here, for a caller with
    time to spare now (e.g. while worker processes simulate): the forked copy that writes
    ``kpis.xlsx`` then starts with openpyxl loaded, and the Parquet file is written at once."""
    for module in writer_modules():
        importlib.import_module(module)


def _typed(value: str) -> Any:
    """A CSV cell back as a number, bool or None (CSV floats are exact ``repr``)."""
    if value == "":
        return None
    if value in ("true", "false"):
        return value == "true"
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        return value


def csv_rows(text: str) -> list[Row]:
    """Rows of a CSV table with numbers as numbers."""
    return [{k: _typed(v) for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))]


def _verdict_rows(targets: Sequence[Mapping[str, Any]], option: str = "") -> list[Row]:
    out = []
    for t in targets:
        est = t.get("estimate") or {}
        out.append(
            {
                "option": option,
                "target": t["name"],
                "kpi": t["kpi"],
                "verdict": t["verdict"],
                "mean": est.get("mean"),
                "ci_low": est.get("ci_low"),
                "ci_high": est.get("ci_high"),
                "target value": t["target"],
            }
        )
    return out


def summary_rows(doc: Mapping[str, Any]) -> list[Row]:
    """The Summary sheet: the question and answer, then every target's verdict."""
    decision = doc.get("decision") or {}
    head: list[Row] = []
    if decision:
        head = [
            {"option": "question", "target": decision.get("question", "")},
            {"option": "answer", "target": decision.get("headline", "")},
            {"option": "why", "target": decision.get("reason", "")},
        ]
        if decision.get("cost_margin"):
            head.append({"option": "cost", "target": decision["cost_margin"]})
    rows = list(head)
    if "options" in doc:
        for o in doc["options"]:
            rows += _verdict_rows(o.get("targets", []), o["label"])
    elif "variants" in doc:
        for v in doc["variants"]:
            rows += _verdict_rows(v.get("targets", []), v["label"])
    else:
        scenario = doc.get("scenario")
        name = scenario.get("name", "") if isinstance(scenario, dict) else str(scenario or "")
        rows += _verdict_rows(doc.get("targets", []), name)
    return rows


def comparison_rows(doc: Mapping[str, Any]) -> list[Row]:
    """One row per KPI; per option its mean and CI (and in a compare the paired difference)."""
    options = doc.get("options") or [
        {"label": v["label"], "kpis": v["kpis"]} for v in doc.get("variants", [])
    ]
    keys: list[str] = []
    for o in options:
        keys.extend(k for k in o["kpis"] if k not in keys)
    rows = []
    for key in keys:
        row: Row = {"kpi": key, "unit": unit_of(key)}
        for o in options:
            est = o["kpis"].get(key) or {}
            label = o["label"]
            row[f"{label}: mean"] = est.get("mean")
            row[f"{label}: ci_low"] = est.get("ci_low")
            row[f"{label}: ci_high"] = est.get("ci_high")
            diff = (o.get("difference_vs_reference") or {}).get(key)
            if diff:
                row[f"{label}: diff"] = diff.get("mean")
                row[f"{label}: significant"] = diff.get("significant")
        row["description"] = METRICS.get(metric_of(key), ("", ""))[1]
        rows.append(row)
    return rows


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def hourly_rows(doc: Mapping[str, Any]) -> list[Row]:
    """Hour-of-day rows: a run's profiles (arrivals, queues, staff) or an optimise's staff."""
    profiles = doc.get("hourly_mean") or {
        f"staff.{role}": values for role, values in (doc.get("hourly_staff") or {}).items()
    }
    if not profiles:
        return []
    scenario = doc.get("scenario")
    definition = (scenario.get("definition") if isinstance(scenario, dict) else None) or {}
    opening = str((definition.get("hours") or {}).get("open", doc.get("opening", "00:00")))
    h, m = (int(x) for x in opening.split(":")[:2])
    n = max(len(v) for v in profiles.values())
    rows = []
    for i in range(n):
        row: Row = {"hour": f"{_clock(h * 60 + m + 60 * i)}-{_clock(h * 60 + m + 60 * (i + 1))}"}
        for key, values in profiles.items():
            row[key] = values[i] if i < len(values) else None
        rows.append(row)
    return rows


def workbook_sheets(doc: Mapping[str, Any], tables: Mapping[str, str]) -> dict[str, list[Row]]:
    """Sheet name → rows, from a results document and its CSV tables (file name → text)."""
    sheets: dict[str, list[Row]] = {"Summary": summary_rows(doc)}
    if "options" in doc or "variants" in doc:
        sheets["Comparison"] = comparison_rows(doc)
    hourly = hourly_rows(doc)
    if hourly:
        sheets["Per hour"] = hourly
    if "kpis.csv" in tables:
        sheets["KPIs"] = csv_rows(tables["kpis.csv"])
    if "trace.csv" in tables:
        sheets["Trace"] = csv_rows(tables["trace.csv"])
    return {name: sheets[name] for name in SHEET_ORDER if name in sheets}


def _number_format(column: str) -> str | None:
    if column in ("n", "step", "replications", "variant"):
        return "0"
    metric = column.rsplit(".", 1)[-1]
    if METRICS.get(metric, ("",))[0] == "share":
        return "0.0%"
    return "#,##0.00"


def _fill_sheet(ws: Any, rows: Sequence[Row]) -> None:
    styles = importlib.import_module("openpyxl.styles")
    get_column_letter = importlib.import_module("openpyxl.utils").get_column_letter
    Alignment, Font, PatternFill = styles.Alignment, styles.Font, styles.PatternFill

    columns: list[str] = []
    for r in rows:
        columns.extend(k for k in r if k not in columns)
    ws.append(columns)
    for r in rows:
        ws.append([_cell_value(r.get(c)) for c in columns])
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    share_rows = [unit_of(str(r.get("kpi", ""))) == "share" for r in rows]
    for j, col in enumerate(columns, start=1):
        values = [r.get(col) for r in rows]
        width = max(
            [
                len(str(col)),
                *(
                    len(f"{v:.4g}" if isinstance(v, float) else str(v))
                    for v in values
                    if v is not None
                ),
            ]
        )
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, width + 2))
        numeric = any(isinstance(v, float) for v in values)
        if not numeric:
            continue
        for i, v in enumerate(values, start=2):
            if isinstance(v, float):
                fmt = "0.0%" if share_rows[i - 2] and col not in ("sd",) else _number_format(col)
                ws.cell(row=i, column=j).number_format = fmt or "General"
    ws.freeze_panes = "B2"
    if rows:
        ws.auto_filter.ref = ws.dimensions


def _cell_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, dict)):
        return str(value)
    return value


def _atomic(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_workbook(path: Path, sheets: Mapping[str, Sequence[Row]]) -> Path:
    """Write sheets (name → rows) as a formatted Excel workbook, atomically."""
    wb = importlib.import_module("openpyxl").Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        _fill_sheet(wb.create_sheet(name), rows)
    _atomic(path, wb.save)
    return path


def write_parquet(path: Path, rows: Sequence[Row]) -> Path:
    """Write rows as a Parquet table with pyarrow, atomically; mixed columns become text.

    The table is laid out by :mod:`sim.results.parquet`, not through pandas, so the
    ``parquet`` extra needs pyarrow only and writing does not wait for pandas to import.
    """
    pq = importlib.import_module("pyarrow.parquet")
    table = arrow_table(rows)
    _atomic(path, lambda tmp: pq.write_table(table, tmp))
    return path


@contextmanager
def analyst_tables(
    out_dir: Path, doc: Mapping[str, Any], tables: Mapping[str, str]
) -> Iterator[list[Path]]:
    """``kpis.xlsx`` and ``kpis.parquet`` beside ``kpis.csv``, each when its library is here,
    written while the body of the ``with`` block writes the other files.

    The workbook is written by a forked copy of this process where one can be made
    (:class:`sim.forked.Beside`), the Parquet file here; the yielded list holds the
    paths written once the block has ended.
    """
    missing = missing_libraries()
    paths: list[Path] = []
    workbook: Beside | None = None
    if "kpis.xlsx" not in missing:
        xlsx = out_dir / "kpis.xlsx"
        workbook = Beside(lambda: write_workbook(xlsx, workbook_sheets(doc, tables)))
    try:
        yield paths
        parquet = None
        if "kpis.parquet" not in missing and "kpis.csv" in tables:
            parquet = write_parquet(out_dir / "kpis.parquet", csv_rows(tables["kpis.csv"]))
    except BaseException:
        if workbook is not None:
            workbook.abandon()
        raise
    if workbook is not None:
        workbook.wait()
        paths.append(xlsx)
    if parquet is not None:
        paths.append(parquet)


def write_analyst_tables(
    out_dir: Path, doc: Mapping[str, Any], tables: Mapping[str, str]
) -> list[Path]:
    """``kpis.xlsx`` and ``kpis.parquet`` beside ``kpis.csv``, each when its library is here."""
    with analyst_tables(out_dir, doc, tables) as paths:
        pass
    return paths
