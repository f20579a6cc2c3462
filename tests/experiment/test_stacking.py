"""Stack plans of a scenario's building: capacities, the scenario's own stack, command, report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.experiment.stacking import StackOptions, stack_plans, team_desks
from sim.report.stack_report import build_stack_report

HQ = Path(__file__).parents[2] / "scenarios" / "hybrid_hq.yaml"
LEVELS = ['space.teams.sales.level="0"', 'space.teams.marketing.level="2"']
LEVELS += [f'space.teams.{t}.level="1"' for t in ("product", "engineering", "finance", "people")]


def test_stack_plans_of_the_hybrid_headquarters_respect_capacities_and_rank():
    result = stack_plans(HQ, StackOptions(top=200, overrides=tuple(LEVELS)))
    assert result.method == "exhaustive"
    p = result.problem
    assert dict(zip(p.teams, p.demand, strict=True)) == team_desks(result_spec(result))
    assert sum(p.demand) == 210  # 300 employees x 0.7, rounded per team
    capacity = dict(zip(p.levels, p.capacity, strict=True))
    assert len(result.plans) == result.evaluated  # all feasible plans, ranked
    for plan in result.plans:
        assert all(used <= capacity[lv] for lv, used in plan.desks_used.items())
        assert sum(plan.desks_used.values()) == 210
    walks = [plan.walk_min_per_day for plan in result.plans]
    assert walks == sorted(walks)
    best = result.best.levels
    assert best["product"] == best["engineering"]  # 10 trips a day: the closest pair
    assert best["sales"] == best["marketing"]
    # The scenario's own stack puts product, engineering, finance and people on level 1:
    # 24 + 77 + 21 + 18 = 140 desks of 104. It is evaluated beside the plans and flagged.
    assert result.current is not None and result.current_feasible is False
    assert result.current.desks_used["1"] == 140 > capacity["1"]
    assert result.current.levels["sales"] == "0"
    assert result.current.walk_min_per_day >= result.best.walk_min_per_day
    json.dumps(result.to_dict(), allow_nan=False)
    # On this building the heuristic (forced) reaches the optimum the exhaustive search proves.
    heuristic = stack_plans(HQ, StackOptions(top=1, method="heuristic", overrides=tuple(LEVELS)))
    assert heuristic.method == "heuristic" and heuristic.evaluated < result.evaluated
    assert heuristic.best.walk_min_per_day == pytest.approx(result.best.walk_min_per_day)


def result_spec(result):  # the validated space section the problem came from
    from sim.experiment.replicate import prepare

    return prepare(HQ).space


def test_a_scenario_without_adjacency_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match=r"space\.adjacency"):
        stack_plans(HQ, StackOptions(overrides=("space.adjacency={}",)))


def test_stack_command_writes_plans_and_report(tmp_path, capsys):
    from sim.cli.main import EXIT_OK, main

    out = tmp_path / "stack"
    argv = ["stack", str(HQ), "--top", "3", "-o", str(out), "--walk-value", "40"]
    assert main(argv) == EXIT_OK
    printed = capsys.readouterr().out
    assert "stack plans evaluated (every feasible plan)" in printed
    doc = json.loads((out / "results.json").read_text())
    assert doc["schema"] == "officesim/stack" and len(doc["plans"]) == 3
    assert doc["ranked_by"] == "rent + valued walking per month"
    rows = list(csv.DictReader((out / "stack_plans.csv").read_text().splitlines()))
    assert [r["rank"] for r in rows] == ["1", "2", "3"]
    html = (out / "report.html").read_text()
    assert "which team on which floor" in html and "Stack plans, best first" in html
    report = build_stack_report(doc)
    assert [c.key for c in report.charts()] == ["stack_best"]
    assert report.tables()[0].rows[0][0] == "1"
