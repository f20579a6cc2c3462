"""How long reporting a 200-replication run takes (no simulation timed).

Runs the shipped bank branch (floor plan, back office, costs) for 20 replications, repeats
them to 200 replications (renumbered) so that the report's work — CI bands over every
replication's hourly profiles, 12 charts as SVG and PNG, tables, HTML — is that of a
200-replication result, then times the report with and without the PDF.

    python benchmarks/bench_report.py
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path

from sim.experiment.api import prepare, run
from sim.report import render_report
from sim.results.output import results_document
from sim.results.summary import ExperimentResult

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "bank_branch.yaml"


def main(replications: int = 200) -> None:
    """Print the time to report a ``replications``-replication result."""
    scenario = prepare(SCENARIO, replications=20)
    base = run(scenario, jobs=1)
    reps = [
        dataclasses.replace(base.replications[i % 20], replication=i) for i in range(replications)
    ]
    result = ExperimentResult.from_replications(scenario.name, scenario.seed, reps)
    scenario = prepare(SCENARIO, replications=replications)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        doc = results_document(result, scenario, scenario_file=SCENARIO)
        paths = render_report(doc, Path(tmp) / "html")
        html_s = time.perf_counter() - start
        start = time.perf_counter()
        render_report(doc, Path(tmp) / "pdf", pdf=True)
        pdf_s = time.perf_counter() - start
    print(
        f"report of {replications} replications: report.html + {len(paths) - 1} chart/table "
        f"files in {html_s:.1f} s; with report.pdf {pdf_s:.1f} s"
    )


if __name__ == "__main__":
    main()
