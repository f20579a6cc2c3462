"""Write a report into an output folder: report.html, charts/, tables/ and optionally report.pdf.

Every report is built from a results document (the ``results.json`` the commands write), so a
folder's report can be rendered again at any time without simulating.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.errors import OfficesimError
from sim.report.html import render_html
from sim.report.model import Chart, Report
from sim.report.render import Drawn, draw_charts
from sim.report.style import chart_style
from sim.report.tables import write_tables
from sim.results.output import (
    atomic_write_text,
    experiment_document,
    located_plans,
    results_document,
)
from sim.results.summary import ExperimentResult
from sim.scenario.spec import Scenario

KINDS = (
    "results",
    "compare",
    "sweep",
    "optimize",
    "calibration",
    "sensitivity",
    "business-case",
    "stack",
)


def build_report(doc: Mapping[str, Any]) -> Report:
    """The report of any results document (run, compare, sweep or optimize)."""
    schema = str(doc.get("schema", ""))
    kind = schema.removeprefix("officesim/")
    if not schema.startswith("officesim/") or kind not in KINDS:
        raise OfficesimError.single(
            "results.json", "schema", f"not an officesim results document (schema {schema!r})"
        )
    if kind == "calibration":
        from sim.report.calibration_report import build_calibration_report

        return build_calibration_report(doc)
    if kind == "results":
        from sim.report.run_report import build_run_report

        report = build_run_report(doc)
    elif kind == "sensitivity":
        from sim.report.robustness import build_sensitivity_report

        return build_sensitivity_report(doc)
    elif kind == "business-case":
        from sim.report.business_case import build_business_case_report

        return build_business_case_report(doc)
    elif kind == "stack":
        from sim.report.stack_report import build_stack_report

        return build_stack_report(doc)
    else:
        from sim.report.experiment_report import build_experiment_report

        report = build_experiment_report(kind, doc)
    from sim.report.executive import executive_summary

    summary = executive_summary(kind, doc)
    if summary is not None:
        report.sections.insert(0, summary)
    return report


def render_report(
    doc: Mapping[str, Any],
    out_dir: Path,
    *,
    pdf: bool = False,
    charts: bool = True,
    png: bool = False,
) -> list[Path]:
    """Render a results document into ``out_dir``; return the paths written.

    Writes ``report.html`` (self-contained), ``charts/KEY.svg`` (unless ``charts=False``; with
    ``png`` also ``charts/KEY.png``), ``tables/KEY.csv`` (and ``.parquet`` with pyarrow) and,
    with ``pdf``, ``report.pdf``. Charts are drawn in parallel when there are many.
    """
    paths: list[Path] = []
    with chart_style():
        report = build_report(doc)
        try:
            tables: list[Path] = []
            chart_list = report.charts()

            def keep(index: int, art: Drawn) -> None:
                """Keep a chart's markup and write its files, as soon as it is drawn."""
                chart = chart_list[index]
                chart.svg = art.svg
                if charts:
                    paths.extend(_write_chart(chart, art, out_dir / "charts"))

            draw_charts(
                report,
                png=charts and png,
                meanwhile=lambda: tables.extend(write_tables(report.tables(), out_dir / "tables")),
                each=keep,
            )
            html_path = out_dir / "report.html"
            atomic_write_text(html_path, render_html(report))
            paths.insert(0, html_path)
            paths += tables
            if pdf:
                paths.append(_write_pdf(report, html_path, out_dir / "report.pdf"))
        finally:
            for chart in report.charts():
                chart.release()
    return paths


def _write_chart(chart: Chart, art: Drawn, chart_dir: Path) -> list[Path]:
    """Write ``charts/KEY.svg`` (and ``KEY.png`` when drawn); return the paths written."""
    chart_dir.mkdir(parents=True, exist_ok=True)
    svg_path = chart_dir / f"{chart.key}.svg"
    atomic_write_text(svg_path, chart.svg + "\n")
    png_path = chart_dir / f"{chart.key}.png"
    if art.png is None:
        png_path.unlink(missing_ok=True)  # not one from an earlier render
        return [svg_path]
    atomic_write_bytes(png_path, art.png)
    return [svg_path, png_path]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename (never half a file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_pdf(report: Report, html: Path, path: Path) -> Path:
    """The HTML printed by a headless browser; without one, the figure-by-figure fallback,
    which says on its first page what it lacks."""
    from sim.report.browser import find_browser, print_to_pdf

    browser = find_browser()
    if browser is not None:
        return print_to_pdf(html, path, browser)
    from sim.report.pdf import write_pdf

    print(
        "note: no Chromium or Chrome found, so report.pdf is the simple fallback (one chart or "
        "table per page, long cells cut); install chromium for a PDF of the HTML report",
        file=sys.stderr,
    )
    return write_pdf(report, path, fallback=True)


def read_results(folder: Path) -> dict[str, Any]:
    """The results.json document of an output folder (an OfficesimError when unusable)."""
    path = folder / "results.json" if folder.is_dir() else folder
    if not path.is_file():
        raise OfficesimError.single(str(path), "", "no results.json here; run a command first")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise OfficesimError.single(str(path), "", f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise OfficesimError.single(str(path), "", "not an officesim results document")
    return located_plans(doc, path.parent)


def write_report(folder: Path, *, pdf: bool = False, png: bool = False) -> list[Path]:
    """Render the report of an output folder again from its results.json (no simulation).

    The folder is locked while this runs (a command still writing it is not disturbed), the
    report is rendered into a copy of the folder and swapped in whole, so symbolic links planted
    in the folder are never written through. Returns the paths as they are once swapped in.
    """
    from sim.results.folders import claim_output_folder

    folder = folder.parent if folder.is_file() else folder
    read_results(folder)  # refuse an unusable folder before locking anything
    claim = claim_output_folder(folder)
    try:
        claim.stage(keep_outputs=True)
        paths = render_report(read_results(claim.path), claim.path, pdf=pdf, png=png)
        claim.commit()
    finally:
        claim.release()
    return [claim.final(p) for p in paths]


def write_run_report(
    out_dir: Path,
    result: ExperimentResult,
    scenario: Scenario,
    *,
    scenario_file: Path | None = None,
    command: Sequence[str] = (),
    pdf: bool = False,
) -> list[Path]:
    """Render the report of a run from its result objects (same document as results.json)."""
    doc = results_document(result, scenario, scenario_file=scenario_file, command=command)
    return render_report(doc, out_dir, pdf=pdf)


def write_experiment_report(
    out_dir: Path, kind: str, result: Any, *, command: Sequence[str] = (), pdf: bool = False
) -> list[Path]:
    """Render the report of a compare, sweep or optimize result object (``kind`` names it)."""
    doc = experiment_document(kind, result.to_dict(), command=command)
    return render_report(doc, out_dir, pdf=pdf)
