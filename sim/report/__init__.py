"""Reports for people: self-contained HTML, PDF, charts, tables, event logs and animations.

The report layer never simulates: reports are rendered from results documents (the
``results.json`` every command writes) or from result objects turned into one.

The writers are imported on first use, so that a command importing a small part of this
package (``sim.report.fmt`` to format a number) does not wait for matplotlib and Jinja.
"""

from __future__ import annotations

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
)
"""The modules rendering a report of a run or an experiment loads, to load ahead of it (in a
copy of the process that renders it later, while the command simulates): the drawing and the
report layer, and what its tables (Parquet, when pyarrow is installed) and confidence
intervals (Student's t) load on first use; an optional one that is missing is skipped."""

__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "sim.report.writer"), globals())
"""The writers of :mod:`sim.report.writer`, imported on first use."""
