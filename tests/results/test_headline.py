"""One list of headline KPIs: the terminal after a run and the run report show the same ones."""

from __future__ import annotations

import math

from sim.cli.console import summary_lines
from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.report.run_report import build_run_report
from sim.results.headline import HEADLINE, format_estimate, headline_of, pattern_of
from sim.results.output import results_document
from sim.results.summary import Estimate
from tests.cli.test_back_office_alone import back_office_alone
from tests.conftest import small_scenario


def test_terminal_and_report_show_the_same_headline_kpis_in_the_same_order():
    scenario = scenario_from_dict(small_scenario())
    result = run(scenario)
    shown = headline_of(result.summary)
    # A scenario without a back office has no task KPIs: those are left out, the rest stay.
    assert "tasks.on_time_share" not in {h.key for h in shown}
    assert {"all.service_level", "all.staff_cost_per_day", "cost.total_per_day"} <= {
        h.key for h in shown
    }
    lines = summary_lines(scenario, result)
    printed = [line.strip().split("  ")[0] for line in lines[1 : 1 + len(shown)]]
    assert printed == [h.label for h in shown]
    report = build_run_report(results_document(result, scenario))
    table = next(t for t in report.tables() if t.key == "headline")
    assert [r["kpi"] for r in table.records] == [h.key for h in shown]


def test_a_back_office_on_its_own_has_its_own_headline_in_both_places():
    scenario = scenario_from_dict(back_office_alone())
    result = run(scenario)
    shown = headline_of(result.summary, clients=False)
    assert [h.key for h in shown][:2] == ["tasks.created_per_day", "tasks.completed_per_day"]
    lines = summary_lines(scenario, result)
    printed = [line.strip().split("  ")[0] for line in lines[1 : 1 + len(shown)]]
    assert printed == [h.label for h in shown]
    report = build_run_report(results_document(result, scenario))
    table = next(t for t in report.tables() if t.key == "headline")
    assert [r["kpi"] for r in table.records] == [h.key for h in shown]


def test_estimates_are_formatted_by_the_kpis_pattern():
    share = Estimate(mean=0.928, sd=0.01, ci_low=0.918, ci_high=0.936, n=6)
    assert format_estimate(share, pattern_of("all.service_level")) == "92.8%  [91.8%, 93.6%]"
    cost = Estimate(mean=3076.4, sd=10.0, ci_low=3061.0, ci_high=3091.2, n=6)
    assert format_estimate(cost, pattern_of("all.staff_cost_per_day")) == "3,076  [3,061, 3,091]"
    # Not a headline KPI: shares in percent, other units with two decimals.
    assert pattern_of("class.walk_in.lost_share") == "{:.1%}"
    assert pattern_of("role.teller.busy_h_per_day") == "{:.2f}"
    nan = Estimate(mean=math.nan, sd=math.nan, ci_low=math.nan, ci_high=math.nan, n=0)
    assert format_estimate(nan, "{:.2f}") == "n/a"
    assert format_estimate(None, "{:.2f}") == "n/a"
    assert len({h.key for h in HEADLINE}) == len(HEADLINE)
