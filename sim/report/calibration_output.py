"""Write a calibration's files: the scenario, ``calibration.json`` and the calibration report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim.report.writer import render_report
from sim.results.output import atomic_write_text


def write_calibration(
    out_dir: Path,
    scenario_text: str,
    document: dict[str, Any],
    *,
    scenario_name: str = "calibrated.yaml",
    pdf: bool = False,
    report: bool = True,
) -> list[Path]:
    """Write the scenario (or task fragment), the document and the report into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    scenario = out_dir / scenario_name
    atomic_write_text(scenario, scenario_text)
    doc = {**document, "scenario_file": str(scenario)}
    data = out_dir / "calibration.json"
    atomic_write_text(data, json.dumps(doc, indent=2, allow_nan=False) + "\n")
    if not report:
        return [scenario, data]
    return [scenario, data, *render_report(doc, out_dir, pdf=pdf)]
