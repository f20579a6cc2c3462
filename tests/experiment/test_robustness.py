"""Robustness of a sweep's verdict: the best variant against the runner-up, in the report."""

from __future__ import annotations

import json
import math

import pytest

from sim.experiment.api import sweep
from sim.experiment.replicate import Unit
from sim.experiment.robustness import (
    best_and_runner_up,
    plan_sweep_robustness,
    sweep_robustness,
)
from sim.experiment.sensitivity import SensitivityOptions
from sim.report.experiment_report import build_experiment_report
from tests.conftest import write_yaml
from tests.experiment_helpers import branch

KPI = "all.wait_mean_min"


def tellers_sweep(tmp_path, counts=(2, 3, 4, 5)):
    data = branch(2, replications=4)
    walk_in = data["client_classes"]["walk_in"]
    walk_in["arrivals"]["rate"] = {"low": 24, "mode": 36, "high": 44}
    walk_in["patience"]["mean"] = {"low": "18 min", "mode": "20 min", "high": "22 min"}
    data["variants"] = {"grid": {"staff.teller.count": list(counts)}}
    return write_yaml(tmp_path, data)


def test_best_and_runner_up_by_direction_skipping_missing():
    assert best_and_runner_up([3.0, 1.0, math.nan, 2.0], lower_is_better=True) == (1, 3)
    assert best_and_runner_up([3.0, 1.0, math.nan, 2.0], lower_is_better=False) == (0, 3)
    assert best_and_runner_up([1.0, 1.0, 5.0], lower_is_better=True) == (0, 1)
    with pytest.raises(ValueError, match="two variants"):
        best_and_runner_up([math.nan, 1.0], lower_is_better=True)


def test_sweep_robustness_analyses_the_best_against_the_runner_up(tmp_path):
    path = tellers_sweep(tmp_path)
    result = sweep(path)
    options = SensitivityOptions(kpi=KPI, samples=6, sample_replications=2, documented=False)
    plan = plan_sweep_robustness(result, options)
    assert (plan.best, plan.runner_up) == (3, 2)  # five tellers wait least, four next
    assert plan.plan.labels == ["3. staff.teller.count=4", "4. staff.teller.count=5"]
    # The base runs are the sweep's own runs of the two variants: a store holding the sweep
    # runs only the rest.
    swept = {Unit.of(v.variant.label, v.variant.scenario).fingerprint for v in result.variants}
    assert {u.fingerprint for u in plan.plan.base_units} <= swept
    robust = sweep_robustness(plan=plan)
    a = robust.analysis
    assert a.is_difference and a.base.mean < 0  # five tellers: shorter waits than four
    assert a.base.mean == pytest.approx(
        result.variants[3].summary[KPI].mean - result.variants[2].summary[KPI].mean
    )
    assert a.tornado[0].key == "client_classes.walk_in.arrivals.rate"
    holds = a.holds_probability()
    assert holds is not None and holds[1] <= holds[0] <= holds[2]
    doc = robust.to_dict()
    assert doc["sweep"]["best"] == 4 and doc["sweep"]["runner_up"] == 3
    assert doc["worth_measuring"]
    json.dumps(doc, allow_nan=False)


def test_sweep_report_has_the_robustness_section_only_when_analysed(tmp_path):
    path = tellers_sweep(tmp_path, counts=(3, 4))
    result = sweep(path)
    robust = sweep_robustness(result, SensitivityOptions(kpi=KPI, documented=False))
    plain = result.to_dict()
    with_it = {**plain, "robustness": robust.to_dict()}
    report = build_experiment_report("sweep", with_it)
    section = next(s for s in report.sections if s.id == "robustness")
    text = " ".join(section.paragraphs)
    assert "Of the 2 variants, 2. staff.teller.count=4 is the best" in text
    assert "runner-up" in text and "Worth measuring before deciding" in text
    assert [c.key for c in section.charts] == ["robustness_tornado"]
    assert section.tables[0].rows[0][0] == robust.analysis.tornado[0].factor
    assert all(s.id != "robustness" for s in build_experiment_report("sweep", plain).sections)


def test_sweep_command_with_robustness(tmp_path, capsys):
    from sim.cli.main import EXIT_OK, main

    path = tellers_sweep(tmp_path, counts=(3, 4))
    out = tmp_path / "out"
    argv = ["sweep", str(path), "-n", "2", "-o", str(out), "-q", "--no-report"]
    argv += ["--robustness", "--robustness-kpi", KPI, "--written-only"]
    assert main(argv) == EXIT_OK
    printed = capsys.readouterr().out
    assert "robustness of the best variant on all.wait_mean_min:" in printed
    assert "robustness of 2. staff.teller.count=4 (best) vs 1. staff.teller.count=3" in printed
    doc = json.loads((out / "results.json").read_text())
    assert doc["robustness"]["sweep"]["best"] == 2
    assert doc["robustness"]["tornado"][0]["key"] == "client_classes.walk_in.arrivals.rate"
