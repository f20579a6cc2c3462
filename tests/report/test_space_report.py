"""The space section of a run report: one occupancy panel per floor, hourly use, shortage."""

from __future__ import annotations

from pathlib import Path

from sim.experiment.api import prepare, run
from sim.report.run_report import build_run_report
from sim.results.output import results_document

ROOT = Path(__file__).resolve().parents[2]
HQ = ROOT / "scenarios" / "hybrid_hq.yaml"


def test_the_run_report_has_a_space_section_with_a_panel_per_floor() -> None:
    scenario = prepare(HQ, replications=2, overrides=["days=5"])
    doc = results_document(run(scenario, jobs=1), scenario, scenario_file=HQ)
    report = build_run_report(doc)
    (section,) = [s for s in report.sections if s.id == "space"]
    charts = {c.key: c for c in section.charts}
    assert set(charts) == {"space_occupancy", "space_hourly", "space_shortage"}
    panels = [ax for ax in charts["space_occupancy"].figure.axes if ax.get_title()]
    assert [ax.get_title().split(":")[0] for ax in panels] == ["Level 2", "Level 1", "Level 0"]
    hourly = charts["space_hourly"].figure.axes[0]
    labels = {line.get_label() for line in hourly.get_lines()}
    assert {"desks taken", "desks in use", "meeting seats"} <= labels
    rent = next(t for t in section.tables if t.key == "space_rent")
    assert "space.rent_per_attendance" in [r["kpi"] for r in rent.records]
    shortage = charts["space_shortage"].figure.axes[0]
    assert [t.get_text() for t in shortage.get_yticklabels()] == ["mon", "tue", "wed", "thu", "fri"]
