"""The optimiser's objective is the scenario's, specific targets steer it, and shifts move."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import EXIT_INVALID, main
from sim.experiment.api import OptimizeSearch, optimize
from sim.experiment.inputs import load_scenario, scenario_from_dict
from sim.report.fmt import estimate_text
from sim.report.html import render_html
from sim.report.writer import build_report
from sim.results.output import experiment_document
from tests.conftest import write_yaml
from tests.experiment_helpers import branch, lunch

REPO = Path(__file__).resolve().parents[2]


def _lost_is_dear(objective: str) -> dict:
    # Lost clients are worth far more than an hour of a teller: hiring beyond the cheapest
    # plan that meets the targets pays for itself.
    data = branch(3, replications=8, costs={"lost_client_value": 150})
    data["optimize"] = {"objective": objective}
    return data


def test_total_cost_objective_is_no_dearer_in_total_than_the_staff_cost_plan():
    staff = optimize(scenario_from_dict(_lost_is_dear("staff_cost")))
    total = optimize(scenario_from_dict(_lost_is_dear("total_cost")))
    assert staff.feasible and total.feasible
    assert staff.objective == "all.staff_cost_per_day"
    assert total.objective == "cost.total_per_day"
    # The two objectives choose different plans here...
    assert total.plan["teller"]["count"] > staff.plan["teller"]["count"]
    # ...and the total-cost plan costs no more in total (same replication seeds).
    assert total.kpis["cost.total_per_day"].mean <= staff.kpis["cost.total_per_day"].mean
    assert total.cost.mean == total.kpis["cost.total_per_day"].mean
    assert all(s.cost.mean >= total.cost.mean for s in total.trace if s.status == "met")


def test_weighted_objective_sums_weighted_kpis():
    data = _lost_is_dear("weighted")
    data["optimize"]["weights"] = {"cost.staff_per_day": 1.0, "cost.lost_clients_per_day": 0.5}
    result = optimize(scenario_from_dict(data))
    k = result.kpis
    expected = k["cost.staff_per_day"].mean + 0.5 * k["cost.lost_clients_per_day"].mean
    assert result.cost.mean == pytest.approx(expected, rel=1e-12)
    assert result.objective == "1 x cost.staff_per_day + 0.5 x cost.lost_clients_per_day"


def test_shift_times_move_a_shift_onto_the_lunch_peak():
    data = lunch(days=1, replications=6)
    # One full-day teller and one 4-hour shift written at the wrong time (08:00-12:00).
    data["staff"]["teller"]["shifts"] = [
        {"start": "08:00", "end": "17:00", "count": 1},
        {"start": "08:00", "end": "12:00", "count": 1},
        {"start": "08:00", "end": "12:00", "count": 1},
    ]
    data["optimize"] = {"shift_times": {"teller": {"step": "1 h"}}}
    result = optimize(scenario_from_dict(data), search=OptimizeSearch(max_steps=40))
    assert result.feasible
    starts = {sh["start"] for sh in result.plan["teller"]["shifts"] if sh["count"]}
    # The peak is 11:00-14:00: a part-time shift now covers it.
    assert starts & {"10:00", "11:00", "12:00"}, result.plan
    assert any(isinstance(v, str) for s in result.trace for v in s.plan.values())
    moved = [o for o in result.overrides if o.endswith('start="08:00"') is False and ".start=" in o]
    assert moved


def test_bank_branch_lunch_target_adds_lunch_time_advisors():
    base = [
        "days=1",
        "layout=null",
        "staff.advisor.count=null",
        'staff.advisor.shifts=[{"start": "09:00", "end": "17:00", "count": 2},'
        ' {"start": "11:00", "end": "15:00", "count": 0}]',
    ]
    lunch_target = (
        'targets.specific=[{"name": "Advice walk-ins at lunch", "clients": ["advice_walk_in"],'
        ' "between": ["12:00", "14:00"], "wait": "10 min", "service_level": 0.9}]'
    )
    path = REPO / "scenarios" / "bank_branch.yaml"
    kw = {"search": OptimizeSearch(roles=["advisor"]), "replications": 6, "jobs": 1}
    without = optimize(path, overrides=base, **kw)
    with_target = optimize(path, overrides=[*base, lunch_target], **kw)

    def lunch_staff(result):
        return result.hourly_staff["advisor"][3:5]  # 12:00-14:00

    # Without the lunch target the office-wide targets are met with fewer advisors at lunch.
    assert min(lunch_staff(with_target)) > max(lunch_staff(without))
    check = next(t for t in with_target.targets if t.name.startswith("Advice walk-ins"))
    assert check.verdict == "met" and check.estimate.ci_low >= 0.9
    assert all(t.verdict == "met" for t in with_target.targets)
    assert load_scenario(path).optimize.objective == "staff_cost"
    # The report opens with that target, met, with its interval.
    report = build_report(experiment_document("optimize", with_target.to_dict()))
    summary = report.sections[0]
    assert summary.id == "executive-summary"
    row = next(r for r in summary.tables[0].rows if r[0] == check.name)
    assert row[1].text == estimate_text(check.estimate.to_dict(), "share")
    assert row[2].text == "met"
    html = render_html(report)
    # On page one: before the plan's own section.
    assert html.index(check.name) < html.index('<section id="summary"')


@pytest.mark.parametrize(
    ("optimize_block", "words"),
    [
        ({"objective": "weighted"}, "optimize.weights"),
        ({"objective": "total_cost", "weights": {"cost.staff_per_day": 1}}, "only by objective"),
        ({"shift_times": {"clerk": {}}}, "no role or team 'clerk'"),
        ({"shift_times": {"teller": {"earliest": "09:00", "latest": "12:00"}}}, "is longer than"),
    ],
)
def test_bad_optimize_blocks_are_refused(tmp_path, capsys, optimize_block, words):
    data = lunch()
    data["optimize"] = optimize_block
    file = write_yaml(tmp_path, data)
    assert main(["validate", str(file)]) == EXIT_INVALID
    assert words in capsys.readouterr().err
