"""The fallback PDF for machines without a browser, through matplotlib: a cover page that says
what it lacks, then every chart and every table.

The real PDF is the HTML report printed by a headless browser (``sim.report.browser``); this
one needs no browser, but it lays out one chart or table per page and cuts long cells.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.report.model import Cell, Report, Table
from sim.report.style import VERDICT_COLOURS

A4 = (8.27, 11.69)
ROWS_PER_PAGE = 44
MAX_CELL = 48


def _text(cell: Cell | str) -> str:
    text = cell.text if isinstance(cell, Cell) else cell
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


FALLBACK_NOTE = (
    "Printed without a web browser (no Chromium or Chrome was found). This simple PDF lacks "
    f"the layout of report.html: one chart or table per page, cells longer than {MAX_CELL} "
    "characters cut, no running header or page numbers. Install chromium and run "
    "'officesim report FOLDER --pdf' for a PDF of the HTML report."
)


def cover_page(report: Report, *, fallback: bool = False) -> Figure:
    """Title, the answer and the reproducibility facts on one page."""
    fig = Figure(figsize=A4)
    y = 0.94
    if fallback:
        for line in textwrap.wrap(FALLBACK_NOTE, 100):
            fig.text(0.07, y + 0.03, line, fontsize=7.5, color="#b34700")
            y -= 0.013
        y -= 0.02
    fig.text(0.07, y, f"officesim · {report.kind} report", fontsize=10, color="#0072B2")
    y -= 0.04
    for line in textwrap.wrap(report.title, 48):
        fig.text(0.07, y, line, fontsize=20, fontweight="bold")
        y -= 0.035
    for line in textwrap.wrap(report.subtitle, 90):
        fig.text(0.07, y, line, fontsize=9, color="#555555")
        y -= 0.02
    y -= 0.02
    for cell in report.answer:
        colour = VERDICT_COLOURS.get(cell.css, "#222222")
        for line in textwrap.wrap(cell.text, 88):
            fig.text(0.07, y, line, fontsize=10, color=colour, fontweight="bold")
            y -= 0.02
        y -= 0.008
    y -= 0.03
    fig.text(0.07, y, "Reproducibility", fontsize=12, fontweight="bold")
    y -= 0.025
    for key, value in report.reproducibility:
        fig.text(0.07, y, key, fontsize=8, fontweight="bold")
        for line in textwrap.wrap(value, 70) or [""]:
            fig.text(0.33, y, line, fontsize=8, family="monospace")
            y -= 0.017
        if y < 0.05:
            break
    return fig


def table_pages(table: Table) -> list[Figure]:
    """A table on as many A4 pages as its rows need (one text block per column: fast)."""
    pages = []
    rows: list[list[Cell | str]] = [list(r) for r in table.rows] or [["(no rows)"]]
    header = [_text(c) for c in table.columns]
    texts = [[_text(c) for c in row] for row in rows]
    # Verdict cells are drawn once, in colour, below; the plain column leaves them blank
    # (drawing both put a ghost copy under every verdict).
    plain = [
        [
            "" if isinstance(c, Cell) and c.css in VERDICT_COLOURS else t
            for c, t in zip(row, r, strict=True)
        ]
        for row, r in zip(rows, texts, strict=True)
    ]
    widths = [
        max([len(header[j])] + [len(r[j]) for r in texts if j < len(r)]) for j in range(len(header))
    ]
    scale = min(1.0, 118 / max(sum(w + 2 for w in widths), 1))
    xs = [0.04]
    for w in widths[:-1]:
        xs.append(xs[-1] + 0.92 * (w + 2) / max(sum(w + 2 for w in widths), 1))
    size = 7.5 * max(scale, 0.75)
    step = 0.0245
    for start in range(0, len(rows), ROWS_PER_PAGE):
        chunk = plain[start : start + ROWS_PER_PAGE]
        fig = Figure(figsize=A4)
        suffix = f" (continued from row {start + 1})" if start else ""
        fig.text(0.04, 0.95, table.title + suffix, fontsize=12, fontweight="bold")
        top = 0.91
        for j, x in enumerate(xs):
            fig.text(x, top, header[j], fontsize=size, fontweight="bold", va="top")
            column = "\n".join(r[j] if j < len(r) else "" for r in chunk)
            fig.text(
                x,
                top - step,
                column,
                fontsize=size,
                va="top",
                family="monospace",
                linespacing=1.9,
            )
        for i, row in enumerate(rows[start : start + ROWS_PER_PAGE]):
            for j, c in enumerate(row):
                if isinstance(c, Cell) and c.css in VERDICT_COLOURS:
                    y = top - step - i * (top - step - 0.0) * 0 - i * size * 1.9 / 72 / A4[1]
                    fig.text(
                        xs[j],
                        y,
                        _text(c),
                        fontsize=size,
                        va="top",
                        family="monospace",
                        color=VERDICT_COLOURS[c.css],
                        fontweight="bold",
                        bbox={"fc": "white", "ec": "none", "pad": 0.5},
                    )
        fig.add_artist(
            Line2D([0.04, 0.96], [top - step + 0.006] * 2, color="#999999", linewidth=0.8)
        )
        if table.note and start + ROWS_PER_PAGE >= len(rows):
            for k, line in enumerate(textwrap.wrap(table.note, 120)):
                fig.text(0.04, 0.035 - 0.012 * k, line, fontsize=7, color="#555555")
        pages.append(fig)
    return pages


def write_pdf(report: Report, path: Path, *, fallback: bool = False) -> Path:
    """Write the report as a PDF (cover, then each section's charts and tables) to ``path``;
    ``fallback`` puts the note of what this PDF lacks on the cover."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    metadata = {"Title": report.title, "Creator": "officesim", "CreationDate": None}
    with PdfPages(tmp, metadata=metadata) as pdf:
        pdf.savefig(cover_page(report, fallback=fallback))
        for section in report.sections:
            for chart in section.charts:
                pdf.savefig(chart.figure)
            for table in section.tables:
                for page in table_pages(table):
                    pdf.savefig(page)
    tmp.replace(path)
    return path
