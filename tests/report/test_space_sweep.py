"""Sweep reports show seat shortage per weekday against the desk ratio for a workforce."""

from __future__ import annotations

from pathlib import Path

import yaml

from sim.experiment.api import sweep
from sim.report.experiment_report import build_experiment_report
from tests.conftest import write_yaml
from tests.experiment_helpers import branch

ROOT = Path(__file__).parents[2]


def test_hybrid_hq_swept_over_desk_ratio_shows_shortage_per_weekday(tmp_path):
    data = yaml.safe_load((ROOT / "scenarios" / "hybrid_hq.yaml").read_text())
    data["space"]["layout"] = str(ROOT / "layouts" / "hybrid_hq.geojson")
    data["days"], data["replications"] = 5, 2
    data["variants"] = {"grid": {"space.desks.ratio": [0.5, 1.0]}}
    doc = sweep(write_yaml(tmp_path, data)).to_dict()
    report = build_experiment_report("sweep", doc)
    section = next(s for s in report.sections if s.id == "space_sweep")
    assert section.title == "Space: seat shortage and desk rent against space.desks.ratio"
    assert [c.key for c in section.charts] == ["space_sweep_shortage", "space_sweep_rent"]
    table = section.tables[0]
    assert table.columns == [
        "space.desks.ratio",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "desk rent/month",
    ]
    assert [r[0] for r in table.rows] == ["0.5", "1"]
    low, high = table.records
    # Half a desk per employee runs short on the busy days; a desk each never does.
    assert low["tue_shortage_probability"] > 0.5
    assert all(high[f"{d}_shortage_probability"] == 0 for d in ("mon", "tue", "wed", "thu", "fri"))
    assert high["desk_rent_per_month"] > low["desk_rent_per_month"]
    figure = section.charts[0].figure
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()][:5] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    ]


def test_a_sweep_without_a_workforce_has_no_space_section(tmp_path):
    data = branch(2, replications=2)
    data["variants"] = {"grid": {"staff.teller.count": [2, 3]}}
    doc = sweep(write_yaml(tmp_path, data)).to_dict()
    report = build_experiment_report("sweep", doc)
    assert all(s.id != "space_sweep" for s in report.sections)
