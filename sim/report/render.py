"""Drawing a report's charts into SVG (and PNG on request), in parallel when there are many.

Most of a report's time goes into matplotlib: building each figure, laying it out and drawing
it. The HTML needs only the SVG, so PNG files are drawn only when asked for. With several
charts and several cores, charts are drawn in forked worker processes (they inherit the report
already built, so only chart numbers go out and markup comes back) while this process does
other work of the report (its tables); each figure is drawn once per format and released.
Results do not depend on where a chart was drawn: the same figure gives the same bytes in any
process.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import matplotlib.backends.backend_svg  # noqa: F401 (imported once here, not in every worker)
from matplotlib.font_manager import FontProperties

from sim.collector import few_collections
from sim.report.html import svg_markup
from sim.report.margins import text_extent
from sim.report.model import Chart, Report
from sim.report.style import chart_style
from sim.workers import init_worker, quiet_fork, start_method

MIN_CHARTS_PER_WORKER = 3
"""Draw in workers only when each gets at least this many charts (else starting them costs more)."""

PNG_METADATA = {"Software": None}


@dataclass(frozen=True)
class Drawn:
    """One chart's inline SVG markup and, when asked for, its PNG bytes."""

    svg: str
    png: bytes | None = None


def draw_chart(chart: Chart, index: int, png: bool) -> Drawn:
    """Draw one chart (SVG, and PNG if ``png``) and release its figure.

    A figure is tens of thousands of small objects (artists, transforms, paths); with the
    collector at its default, its young passes and a full pass over everything the process
    holds (the imports, the report's data) cost about a tenth of the drawing. So the objects
    alive before the chart are frozen out of the passes and young passes are seldom; the
    figure's cycles are collected later, once it is released.
    """
    try:
        with few_collections():
            svg = svg_markup(chart, index)
            data = None
            if png:
                buf = io.BytesIO()
                chart.figure.savefig(buf, format="png", metadata=PNG_METADATA)
                data = buf.getvalue()
        return Drawn(svg, data)
    finally:
        chart.release()


_JOB: tuple[list[Chart], bool] | None = None
"""The charts being drawn (set before workers fork, so that they inherit them)."""


def _draw_in_worker(index: int) -> Drawn:
    assert _JOB is not None
    charts, png = _JOB
    with chart_style():
        return draw_chart(charts[index], index, png)


def workers_for(charts: int) -> int:
    """How many worker processes to draw ``charts`` charts with (1 = in this process)."""
    if start_method() != "fork":
        return 1  # workers that cannot inherit the report would have to rebuild it
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, charts // MIN_CHARTS_PER_WORKER))


def _load_fonts() -> None:
    """Open the report's fonts here (regular and bold), so that workers inherit them open."""
    for weight in ("normal", "bold"):
        text_extent("0", FontProperties(weight=weight))


def draw_charts(
    report: Report,
    *,
    png: bool = False,
    workers: int | None = None,
    meanwhile: Callable[[], object] | None = None,
    each: Callable[[int, Drawn], object] | None = None,
) -> list[Drawn]:
    """Draw every chart of ``report`` in order; call inside :func:`chart_style`.

    ``workers`` None chooses by the number of charts and cores (:func:`workers_for`).
    ``meanwhile`` (if given) is called in this process while workers draw, or first when the
    charts are drawn here. ``each`` (if given) is called here with every chart's index and
    drawing, in order, as soon as it is drawn (while later charts still are).
    """
    charts = report.charts()
    n = workers_for(len(charts)) if workers is None else workers
    if n <= 1:
        if meanwhile is not None:
            meanwhile()
        drawn = []
        for i, c in enumerate(charts):
            drawn.append(draw_chart(c, i, png))
            if each is not None:
                each(i, drawn[-1])
        return drawn
    return _draw_in_workers(charts, png, n, meanwhile, each)


def _draw_in_workers(
    charts: list[Chart],
    png: bool,
    n: int,
    meanwhile: Callable[[], object] | None,
    each: Callable[[int, Drawn], object] | None,
) -> list[Drawn]:
    """Draw ``charts`` in ``n`` forked workers, calling ``meanwhile`` here as they do, then
    ``each`` as each chart comes back."""
    global _JOB
    import multiprocessing

    _load_fonts()
    _JOB = (charts, png)
    try:
        context = multiprocessing.get_context("fork")
        with (
            ProcessPoolExecutor(
                max_workers=n, mp_context=context, initializer=init_worker, initargs=(os.getpid(),)
            ) as pool,
            quiet_fork(),
        ):
            coming = pool.map(_draw_in_worker, range(len(charts)))
            if meanwhile is not None:
                meanwhile()
            drawn = []
            for i, art in enumerate(coming):
                drawn.append(art)
                if each is not None:
                    each(i, art)
            return drawn
    finally:
        _JOB = None
