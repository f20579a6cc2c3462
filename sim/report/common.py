"""Report parts shared by every kind of report: targets, KPI tables, assumptions, provenance."""

from __future__ import annotations

import math
import platform
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.keypaths import flatten
from sim.report.charts import Est
from sim.report.fmt import (
    estimate_text,
    kpi_label,
    num,
    scalar_text,
    value_text,
)
from sim.report.model import Cell, Section, Table
from sim.report.style import VERDICT_SYMBOLS
from sim.results.kpis import METRICS, metric_of, unit_of
from sim.version import __version__

VERDICT_WORDS = {
    "met": "met",
    "missed": "missed",
    "uncertain": "uncertain: the 95% CI straddles the target (run more replications)",
}


def est_of(kpis: Mapping[str, Any], key: str, scale: float = 1.0) -> Est:
    """A KPI's (mean, low, high) from a document's KPI mapping, scaled (NaN when absent)."""
    e = kpis.get(key) or {}
    return (
        num(e.get("mean")) * scale,
        num(e.get("ci_low")) * scale,
        num(e.get("ci_high")) * scale,
    )


def scale_of(key: str) -> float:
    """100 for shares (charts show percentages), else 1."""
    return 100.0 if unit_of(key) == "share" else 1.0


def verdict_cell(verdict: str) -> Cell:
    """A verdict with its symbol, styled."""
    return Cell(f"{VERDICT_SYMBOLS.get(verdict, '')} {verdict}", verdict)


def target_text(t: Mapping[str, Any]) -> str:
    """``≥ 80.0%`` or ``≤ 5.0%`` for a target check record."""
    sign = "≥" if t.get("direction") == "at_least" else "≤"
    return f"{sign} {value_text(t.get('target'), unit_of(str(t.get('kpi', ''))))}"


def targets_table(key: str, targets: Sequence[Mapping[str, Any]], title: str) -> Table:
    """Targets, the KPI measuring each, the estimate with its CI, and the verdict."""
    rows: list[list[Cell | str]] = []
    for t in targets:
        kpi = str(t["kpi"])
        rows.append(
            [
                str(t["name"]),
                Cell(kpi, "mono"),
                Cell(target_text(t), "num"),
                Cell(estimate_text(t.get("estimate"), unit_of(kpi)), "num"),
                verdict_cell(str(t["verdict"])),
            ]
        )
    records = [
        {
            "target": t["name"],
            "kpi": t["kpi"],
            "direction": t.get("direction"),
            "target_value": t.get("target"),
            **{k: (t.get("estimate") or {}).get(k) for k in ("mean", "ci_low", "ci_high", "n")},
            "verdict": t["verdict"],
        }
        for t in targets
    ]
    return Table(
        key,
        title,
        ["Target", "KPI", "Target value", "Estimate [95% CI]", "Verdict"],
        rows,
        records,
        note="Met: the whole 95% confidence interval is on the right side of the target; "
        "missed: the whole interval is on the wrong side; otherwise uncertain.",
    )


def answer_cells(targets: Sequence[Mapping[str, Any]], prefix: str = "") -> list[Cell]:
    """One headline statement per target, styled by its verdict."""
    out = []
    for t in targets:
        kpi = str(t["kpi"])
        verdict = str(t["verdict"])
        est = estimate_text(t.get("estimate"), unit_of(kpi))
        text = f"{VERDICT_SYMBOLS.get(verdict, '')} {prefix}{t['name']}: "
        out.append(Cell(f"{text}{VERDICT_WORDS.get(verdict, verdict)} — {est}", verdict))
    return out


def kpi_table(
    key: str,
    title: str,
    kpis: Mapping[str, Mapping[str, Any]],
    keys: Sequence[str] | None = None,
    currency: str = "EUR",
    note: str = "",
) -> Table:
    """KPIs with mean, 95% CI, unit and description (all of them unless ``keys``)."""
    chosen = [k for k in (keys if keys is not None else list(kpis)) if k in kpis]
    rows: list[list[Cell | str]] = []
    records = []
    for k in chosen:
        e = kpis[k]
        unit = unit_of(k)
        rows.append(
            [
                kpi_label(k),
                Cell(estimate_text(e, unit, currency), "num"),
                Cell(unit.replace("currency", currency), "muted"),
                Cell(str(e.get("n", "")), "num"),
                Cell(k, "mono"),
            ]
        )
        records.append(
            {
                "kpi": k,
                "unit": unit,
                **{c: e.get(c) for c in ("mean", "sd", "ci_low", "ci_high", "n")},
                "description": METRICS.get(metric_of(k), ("", ""))[1],
            }
        )
    return Table(
        key,
        title,
        ["KPI", "Mean [95% CI]", "Unit", "n", "Key"],
        rows,
        records,
        note=note or "n: replications in which the KPI is defined.",
    )


def _shown_value(key: str, value: Any) -> str:
    """A parameter's value as a report shows it: a floor plan by its file name only (the
    results name its sha256-identified scenario; no path of the machine reaches a client)."""
    if key.rsplit(".", 1)[-1] == "layout" and isinstance(value, str) and value:
        return Path(value).name
    return scalar_text(value)


def assumptions_section(
    definition: Mapping[str, Any],
    written_keys: Sequence[str] | None = None,
    *,
    section_id: str = "assumptions",
    title: str = "Assumptions: every scenario parameter",
) -> Section:
    """Every parameter of the scenario as run, marking those taken from defaults."""
    written = set(written_keys) if written_keys is not None else None
    rows: list[list[Cell | str]] = []
    records = []
    for key, value in flatten(dict(definition)):
        if key == "variants" or key.startswith("variants."):
            continue
        text = _shown_value(key, value)
        row: list[Cell | str] = [Cell(key, "mono"), text]
        record: dict[str, Any] = {"parameter": key, "value": text}
        if written is not None:
            source = "scenario file" if key in written else "default"
            row.append(Cell(source, "muted tag" if source == "default" else "tag"))
            record["source"] = source
        rows.append(row)
        records.append(record)
    columns = ["Parameter", "Value"] + (["Source"] if written is not None else [])
    note = (
        "Source 'default': the scenario file does not set it; officesim's default was used "
        "(see docs/assumptions.md for where each default comes from)."
        if written is not None
        else "The scenario file is not available unchanged, so defaults cannot be told apart "
        "from values written in it."
    )
    return Section(
        section_id,
        title,
        ["The scenario exactly as simulated, after defaults and --set overrides."],
        tables=[Table(section_id, "Scenario parameters", columns, rows, records, note)],
    )


def assumption_differences_section(
    definition: Mapping[str, Any],
    reference: Mapping[str, Any],
    reference_label: str,
    *,
    section_id: str,
    title: str,
) -> Section:
    """The parameters in which a scenario differs from a reference scenario (both as run):
    what the options of a compare change, without repeating every shared parameter."""
    mine = {k: scalar_text(v) for k, v in flatten(dict(definition))}
    theirs = {k: scalar_text(v) for k, v in flatten(dict(reference))}
    rows: list[list[Cell | str]] = []
    records = []
    for key in dict.fromkeys([*mine, *theirs]):
        if key == "variants" or key.startswith("variants.") or mine.get(key) == theirs.get(key):
            continue
        value, other = mine.get(key, "not set"), theirs.get(key, "not set")
        rows.append([Cell(key, "mono"), value, Cell(other, "muted")])
        records.append({"parameter": key, "value": value, "reference": other})
    table = Table(
        section_id,
        f"Parameters that differ from {reference_label}",
        ["Parameter", "Value", f"In {reference_label}"],
        rows,
        records,
        "Every other parameter is as in the reference option's assumptions.",
    )
    paragraph = (
        f"The scenario exactly as simulated, after defaults and --set overrides: {len(rows)} "
        f"parameter(s) differ from {reference_label}."
    )
    return Section(section_id, title, [paragraph], tables=[table])


def reproducibility(
    doc: Mapping[str, Any], extra: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """Facts needed to reproduce the results, from a results document."""
    command = doc.get("command") or []
    out = [
        ("officesim version (results)", str(doc.get("officesim_version", "unknown"))),
        ("results created (UTC)", str(doc.get("created_utc", "unknown"))),
        ("command line", " ".join(command) if command else "not recorded (API call)"),
        *extra,
        ("random numbers", str(doc.get("seed_scheme") or doc.get("run", {}).get("seed_scheme"))),
        (
            "report rendered with",
            f"officesim {__version__}, Python {platform.python_version()}",
        ),
    ]
    return [(k, v) for k, v in out if v and v != "None"]


def finite(values: Sequence[float]) -> bool:
    """True when any value is a number."""
    return any(not math.isnan(v) for v in values)
