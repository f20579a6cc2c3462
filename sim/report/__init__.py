"""Reports for people: self-contained HTML, PDF, charts, tables, event logs and animations.

The report layer never simulates: reports are rendered from results documents (the
``results.json`` every command writes) or from result objects turned into one.
"""

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
