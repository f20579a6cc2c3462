"""Write a run's results to its output folder: results.json and kpis.csv, each atomically.

A file is written to a temporary name in the same folder and renamed into place, so a crash
never leaves a half-written result and an earlier complete file survives until replaced.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sim.results.kpis import METRICS, metric_of, unit_of
from sim.results.summary import ExperimentResult
from sim.results.targets import check_targets
from sim.results.workbook import analyst_tables
from sim.scenario.advisories import scenario_warnings
from sim.scenario.spec import Scenario
from sim.version import __version__

RESULTS_SCHEMA = "officesim/results"
RESULTS_SCHEMA_VERSION = 1
SEED_SCHEME = "numpy SeedSequence(seed, spawn_key=(replication, crc32(stream name)))"


def _umask() -> int:
    """The process's file-creation mask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_sha256(path: Path | None) -> str | None:
    """SHA-256 of a file's bytes (for the reproducibility record)."""
    if path is None or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def portable_command(command: Sequence[str]) -> list[str]:
    """The command line with every absolute path reduced to its last part (file name), so that
    results handed to a client carry no path of the machine they were made on."""
    return [Path(word).name if os.path.isabs(word) else word for word in command]


def results_document(
    result: ExperimentResult,
    scenario: Scenario,
    *,
    scenario_file: Path | None = None,
    command: Sequence[str] = (),
) -> dict[str, Any]:
    """The results.json document (schema ``officesim/results`` version 1, see docs/results.md)."""
    body = result.to_dict()
    return {
        "schema": RESULTS_SCHEMA,
        "schema_version": RESULTS_SCHEMA_VERSION,
        "officesim_version": __version__,
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": portable_command(command),
        "scenario": {
            "name": scenario.name,
            "file": scenario_file.name if scenario_file else None,
            "sha256": file_sha256(scenario_file),
            "definition": scenario.echo(),
            "written_keys": (
                list(scenario.written_keys) if scenario.written_keys is not None else None
            ),
        },
        "run": {
            "replications": len(result.replications),
            "days": scenario.days,
            "warmup_days": scenario.warmup_days,
            "seed": scenario.seed,
            "seed_scheme": SEED_SCHEME,
            "confidence": 0.95,
        },
        "targets": [t.to_dict() for t in check_targets(scenario.targets, result, scenario)],
        **_warnings(scenario),
        "kpis": {k: {**e, "unit": unit_of(k)} for k, e in body["summary"].items()},
        "hourly_mean": body["hourly_mean"],
        "walking": {
            "edge_traffic": [
                {"from": k.split("|")[0], "to": k.split("|")[1], "per_day": v}
                for k, v in result.traffic.items()
            ]
        },
        "replications": [
            {k: v for k, v in r.items() if k != "traffic"} for r in body["replications"]
        ],
    }


def _warnings(scenario: Scenario) -> dict[str, Any]:
    """``{"warnings": [...]}`` when the scenario has warnings (``sim.scenario.advisories``)."""
    found = scenario_warnings(scenario)
    return {"warnings": [{"key": k, "message": m} for k, m in found]} if found else {}


def kpis_csv(result: ExperimentResult) -> str:
    """One row per KPI: key, scope, metric, unit, mean, sd, ci_low, ci_high, n, description."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["kpi", "scope", "metric", "unit", "mean", "sd", "ci_low", "ci_high", "n", "description"]
    )
    for key, est in result.summary.items():
        metric = metric_of(key)
        d = est.to_dict()
        writer.writerow(
            [
                key,
                key[: -len(metric) - 1],
                metric,
                unit_of(key),
                *("" if d[c] is None else repr(d[c]) for c in ("mean", "sd", "ci_low", "ci_high")),
                est.n,
                METRICS.get(metric, ("", ""))[1],
            ]
        )
    return buf.getvalue()


PLAN_KEY = "layout"
"""The key of floor-plan paths in scenario definitions (``layout``, ``space.layout``)."""


def _map_plans(data: Any, change: Any) -> Any:
    """``data`` with every floor-plan path (a text under a ``layout`` key) passed through
    ``change``."""
    if isinstance(data, dict):
        return {
            k: change(v) if k == PLAN_KEY and isinstance(v, str) else _map_plans(v, change)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_map_plans(v, change) for v in data]
    return data


def portable_plans(document: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    """The document with floor-plan paths relative to its output folder, so that results
    handed on carry no absolute path of the machine (:func:`located_plans` reverses it)."""

    def relative(text: str) -> str:
        path = Path(text)
        if not path.is_absolute():
            return text
        try:
            return Path(os.path.relpath(path, out_dir.resolve())).as_posix()
        except ValueError:  # another drive (Windows): the name is all that can be kept
            return path.name

    return cast(dict[str, Any], _map_plans(document, relative))


def located_plans(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The document with floor-plan paths relative to ``folder`` made absolute again."""

    def located(text: str) -> str:
        path = Path(text)
        return text if path.is_absolute() else str((folder / path).resolve())

    return cast(dict[str, Any], _map_plans(document, located))


INDENTED_LEVELS = 3
"""Levels of a results document written one item per line, indented; deeper values (the KPIs
of one replication, a KPI's hourly means) each on one line."""


def readable_json(document: Mapping[str, Any], levels: int = INDENTED_LEVELS) -> str:
    """``document`` as JSON text that reads well and writes fast: the first ``levels`` levels
    indented one item per line (by one space per level), everything deeper compact on one line.

    Python's JSON encoder is compiled only without indentation: indenting the whole results
    document of 80 replications of the bank branch (a megabyte) takes 30 ms, this half of it.
    Refuses NaN and infinity, as the document has none (missing values are null).
    """
    return _readable(document, 0, levels) + "\n"


_COMPACT = json.JSONEncoder(allow_nan=False).encode


def _readable(value: object, depth: int, levels: int) -> str:
    if depth >= levels or not isinstance(value, (dict, list)) or not value:
        return _COMPACT(value)
    inner = " " * (depth + 1)
    if isinstance(value, dict):
        items = [
            f"{inner}{_json_key(k)}: {_readable(v, depth + 1, levels)}" for k, v in value.items()
        ]
        opening, closing = "{", "}"
    else:
        items = [inner + _readable(v, depth + 1, levels) for v in value]
        opening, closing = "[", "]"
    return f"{opening}\n" + ",\n".join(items) + f"\n{' ' * depth}{closing}"


def _json_key(key: object) -> str:
    """A mapping key as JSON writes it (numbers, booleans and None become strings)."""
    return _COMPACT(key) if isinstance(key, str) else _COMPACT({key: 0})[1:-4]


def write_results(
    result: ExperimentResult,
    scenario: Scenario,
    out_dir: Path,
    *,
    scenario_file: Path | None = None,
    command: Sequence[str] = (),
    handover: Handover | None = None,
) -> list[Path]:
    """Write results.json and kpis.csv into ``out_dir``, and ``kpis.xlsx`` and
    ``kpis.parquet`` unless ``handover`` passes them on (:class:`Handover`); return the paths
    written."""
    doc = results_document(result, scenario, scenario_file=scenario_file, command=command)
    doc = portable_plans(doc, out_dir)
    json_path = out_dir / "results.json"
    csv_path = out_dir / "kpis.csv"
    text = kpis_csv(result)
    json_text = readable_json(doc)

    def write() -> list[Path]:
        atomic_write_text(json_path, json_text)
        atomic_write_text(csv_path, text)
        return [json_path, csv_path]

    return _handing_over(handover or Handover(), out_dir, doc, {"kpis.csv": text}, write)


@dataclass(frozen=True)
class Handover:
    """What follows once results.json and the CSV tables are written.

    ``then`` is called there: work that needs those files (the report) starts at once. The
    analyst files (``kpis.xlsx``, ``kpis.parquet``, from the same document and CSV text) are
    written meanwhile, unless ``analyst_tables`` is False: then whoever ``then`` starts
    writes them (:func:`write_analyst_tables_of`), and the paths returned lack them.
    """

    then: Callable[[], object] | None = None
    analyst_tables: bool = True


def _handing_over(
    handover: Handover,
    out_dir: Path,
    doc: Mapping[str, Any],
    texts: Mapping[str, str],
    write: Callable[[], list[Path]],
) -> list[Path]:
    """``write()`` the main files, then ``handover.then()``, with the analyst files beside."""
    if not handover.analyst_tables:
        paths = write()
        if handover.then is not None:
            handover.then()
        return paths
    with analyst_tables(out_dir, doc, texts) as more:
        paths = write()
        if handover.then is not None:
            handover.then()
    return [*paths, *more]


def write_analyst_tables_of(
    out_dir: Path, doc: Mapping[str, Any], tables: Sequence[str]
) -> AbstractContextManager[list[Path]]:
    """The analyst files of a results folder whose results.json (read back as ``doc``) and CSV
    ``tables`` (file names) are written, from those (for :attr:`Handover.analyst_tables`
    False): written while the body of the ``with`` block does other work; the yielded list
    holds their paths after."""
    texts = {name: (out_dir / name).read_text(encoding="utf-8") for name in tables}
    return analyst_tables(out_dir, doc, texts)


EXPERIMENT_SCHEMA_VERSION = 1


def experiment_document(
    kind: str, body: dict[str, Any], *, command: Sequence[str] = ()
) -> dict[str, Any]:
    """The results.json document of a compare, sweep or optimize run (``officesim/KIND``)."""
    return {
        "schema": f"officesim/{kind}",
        "schema_version": EXPERIMENT_SCHEMA_VERSION,
        "officesim_version": __version__,
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": portable_command(command),
        "confidence": 0.95,
        "seed_scheme": SEED_SCHEME,
        **body,
    }


def records_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV text of records: floats as ``repr`` (exact), None as empty, a ``unit`` after ``kpi``."""
    if columns is None:
        columns = []
        for row in rows:
            columns.extend(k for k in row if k not in columns)
        if "kpi" in columns and "unit" not in columns:
            columns.insert(columns.index("kpi") + 1, "unit")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for col in columns:
            value = unit_of(row["kpi"]) if col == "unit" and "unit" not in row else row.get(col)
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            elif isinstance(value, float):
                cells.append(repr(value))
            elif isinstance(value, (list, dict)):
                cells.append(json.dumps(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return buf.getvalue()


def write_experiment(
    out_dir: Path,
    document: dict[str, Any],
    tables: Mapping[str, Sequence[dict[str, Any]]],
    handover: Handover | None = None,
) -> list[Path]:
    """Write results.json and each table (file name → records) into ``out_dir`` atomically,
    and the analyst files as :func:`write_results` does."""
    document = portable_plans(document, out_dir)
    texts = {name: records_csv(rows) for name, rows in tables.items()}
    json_text = readable_json(document)

    def write() -> list[Path]:
        paths = [out_dir / "results.json"]
        atomic_write_text(paths[0], json_text)
        for name, text in texts.items():
            paths.append(out_dir / name)
            atomic_write_text(paths[-1], text)
        return paths

    return _handing_over(handover or Handover(), out_dir, document, texts, write)
