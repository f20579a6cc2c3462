"""Reports for people: self-contained HTML, PDF, charts, tables, event logs and animations.

The report layer never simulates: reports are rendered from results documents (the
``results.json`` every command writes) or from result objects turned into one.

The writers are imported on first use, so that a command importing a small part of this
package (``sim.report.fmt`` to format a number) does not wait for matplotlib and Jinja.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim.lazy import lazy_exports

if TYPE_CHECKING:
    from sim.report.writer import (
        build_report,
        read_results,
        render_report,
        write_experiment_report,
        write_report,
        write_run_report,
    )

__all__ = [
    "build_report",
    "read_results",
    "render_report",
    "write_experiment_report",
    "write_report",
    "write_run_report",
]


RENDER_MODULES = (
    "matplotlib.figure",
    "matplotlib.backends.backend_svg",
    "sim.report.writer",
    "sim.report.run_report",
    "sim.report.experiment_report",
    "sim.report.executive",
    "sim.report.charts",
    "sim.report.tables",
    "pyarrow.parquet",
    "scipy.special",
    "openpyxl",
    "openpyxl.styles",
    "openpyxl.utils",
)
"""The modules rendering a report of a run or an experiment loads, to load ahead of it (in a
copy of the process that renders it later, while the command simulates): the drawing and the
report layer, what its tables (Parquet, when pyarrow is installed) and confidence intervals
(Student's t) load on first use, and openpyxl, for the ``kpis.xlsx`` that copy writes beside
the report (``sim.cli.experiments.handover_of``); an optional one that is missing is skipped."""

SPARE_FIGURES = 8
"""Figures a report's standby copy makes ahead (:func:`prepare_render`). Every chart worker it
forks has its own copy of all of them, so this is about the most charts one worker draws: the
bank branch's run report has 12 charts of one axes, 5 to 7 per worker on 2 cores."""


def prepare_render(waiting: Callable[[], bool] = lambda: False) -> None:
    """Work of rendering a report that needs no results, done ahead by the standby copy that
    will render it (:class:`sim.forked.Standby`) while the command simulates: compile the HTML
    template and make :data:`SPARE_FIGURES` empty chart figures
    (:func:`sim.report.charts.prepare_figures`), stopping once ``waiting()`` says the results
    are there."""
    from sim.report.charts import prepare_figures
    from sim.report.html import report_template
    from sim.report.style import chart_style

    report_template()
    with chart_style():
        prepare_figures(SPARE_FIGURES, waiting)


__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "sim.report.writer"), globals())
"""The writers of :mod:`sim.report.writer`, imported on first use."""
