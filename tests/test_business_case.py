"""The IT business case: simulated daily costs and the ramp become a discounted cash flow."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiment.business_case import (
    BusinessCaseOptions,
    CashFlowInputs,
    _ramped,
    business_case,
    cash_flows,
    figures,
    npv,
    payback_month,
    phase_slowdowns,
    plan_business_case,
    training_cost,
)
from sim.experiment.inputs import scenario_from_dict
from sim.scenario.it import Rollout
from tests.experiment_helpers import branch


def tiny(horizon_slowdown: float = 0.0) -> CashFlowInputs:
    rollout = Rollout(implementation_cost=5000, go_live_month=1, ramp_slowdown=0.3, ramp_weeks=2)
    return CashFlowInputs(
        baseline_per_day=1000.0,
        steady_per_day=900.0,
        phase_per_day=[1100.0],
        rollout=rollout,
        days_per_month=20.0,
        training_cost=200.0,
    )


def test_cash_flow_arithmetic_matches_a_hand_computation():
    # Month 0 pays 5000; month 1 is before go-live (no saving) and pays the 200 of training;
    # month 2 has the 10-day ramp at 1100/day and 10 steady days at 900/day: mean 1000, no
    # saving; months 3 and 4 save (1000 - 900) x 20 = 2000 each.
    flows = cash_flows(tiny(), 4)
    assert flows.tolist() == [-5000.0, -200.0, 0.0, 2000.0, 2000.0]
    i = 1.12 ** (1 / 12) - 1
    by_hand = -5000 - 200 / (1 + i) + 2000 / (1 + i) ** 3 + 2000 / (1 + i) ** 4
    assert npv(flows, 0.12) == pytest.approx(by_hand, rel=1e-12)
    assert payback_month(flows) is None  # cumulative -1200 after month 4
    longer = cash_flows(tiny(), 6)
    assert np.cumsum(longer).tolist() == [-5000, -5200, -5200, -3200, -1200, 800, 2800]
    assert payback_month(longer) == 5
    assert payback_month(longer, 0.12) == 5
    f = figures(longer, tiny(), 0.12)
    assert f.break_even_cost == pytest.approx(f.npv + 5000)
    assert npv(np.array([-100.0, 50.0, 60.0]), 0.0) == pytest.approx(10.0)


def test_ramp_phases_average_a_linear_recovery():
    r = Rollout(ramp_slowdown=0.3, ramp_weeks=6)
    assert phase_slowdowns(r, 3) == pytest.approx([0.25, 0.15, 0.05])
    assert phase_slowdowns(Rollout(ramp_slowdown=0.0, ramp_weeks=6), 3) == []
    assert phase_slowdowns(Rollout(ramp_slowdown=0.3, ramp_weeks=0), 3) == []


def office(tellers: int, **rollout: object) -> dict:
    data = branch(tellers, replications=4)
    data["costs"] = {"lost_client_value": 30, "working_days_per_month": 20}
    if rollout:
        data["it"] = {"rollout": rollout}
    return data


def test_a_zero_ramp_reproduces_the_steady_state_costs():
    base = scenario_from_dict(office(3))
    option = scenario_from_dict(
        office(4, implementation_cost=2000, go_live_month=2, ramp_slowdown=0.0, ramp_weeks=4)
    )
    assert _ramped(option, 0.0).echo() == option.echo()
    result = business_case(base, option, BusinessCaseOptions(horizon_months=6))
    saving = (result.daily["baseline"].mean - result.daily["steady"].mean) * 20
    assert result.flows[3:] == pytest.approx([saving] * 4, rel=1e-12)
    assert result.flows[1:3] == [0.0, 0.0]
    assert result.flows[0] == -2000.0


def test_a_ramp_is_simulated_slower_and_costs_more_at_first():
    base = scenario_from_dict(office(3))
    option = scenario_from_dict(
        office(4, implementation_cost=1000, ramp_slowdown=0.4, ramp_weeks=4, training_hours=2)
    )
    assert training_cost(option) == 4 * 30 * 2
    plan = plan_business_case(base, option, BusinessCaseOptions(horizon_months=3, phases=2))
    assert "4 runs × 4 replications" in plan.describe()
    result = business_case(base, option, plan=plan)
    steady, first = result.daily["steady"], result.daily["ramp phase 1"]
    assert first.mean > result.daily["ramp phase 2"].mean > steady.mean
    # Month 1 is all ramp (20 working days of a 20-day ramp): it saves less than month 2.
    assert result.flows[1] < result.flows[2]
    assert result.npv.n == 4 and result.npv.ci_low < result.npv.mean < result.npv.ci_high


def test_business_case_across_assumptions_gives_intervals_and_a_probability():
    base = scenario_from_dict(office(3))
    option = scenario_from_dict(
        office(
            4,
            implementation_cost={"low": 1000, "mode": 3000, "high": 9000},
            ramp_slowdown={"low": 0.0, "high": 0.3},
            ramp_weeks=2,
        )
    )
    options = BusinessCaseOptions(horizon_months=12, phases=1, samples=4, sample_replications=2)
    result = business_case(base, option, options)
    assert result.npv_across is not None and result.positive is not None
    assert result.npv_across.p05 <= result.npv_across.mean <= result.npv_across.p95
    p, low, high = result.positive
    assert low <= p <= high
    doc = result.to_dict()
    assert doc["samples"] == 4 and len(doc["cash_flows"]) == 13


def test_command_writes_the_cash_flow_and_report(tmp_path, capsys):
    import csv
    import json

    from sim.cli.main import EXIT_OK, main
    from tests.conftest import write_yaml

    base = write_yaml(tmp_path, {**office(3), "replications": 2}, "now.yaml")
    option = write_yaml(
        tmp_path,
        {**office(4, implementation_cost=500, go_live_month=1), "replications": 2},
        "new.yaml",
    )
    out = tmp_path / "bc"
    argv = ["business-case", str(base), str(option), "--months", "12", "-o", str(out), "-q"]
    assert main(argv) == EXIT_OK
    printed = capsys.readouterr().out
    assert printed.index("2 distinct runs, 4 replications") < printed.index("NPV over 12 months")
    doc = json.loads((out / "results.json").read_text())
    assert doc["schema"] == "officesim/business-case"
    rows = list(csv.DictReader((out / "cashflow.csv").read_text().splitlines()))
    assert len(rows) == 13 and float(rows[0]["cash_flow"]) == -500.0
    assert float(rows[-1]["cumulative"]) == pytest.approx(sum(doc["cash_flows"]))
    assert "Business case" in (out / "report.html").read_text()
    assert not (out / "tornado.csv").exists() and doc["tornado"] == []


def test_command_with_tornado_writes_it(tmp_path, capsys):
    import csv

    from sim.cli.main import EXIT_OK, main
    from tests.conftest import write_yaml

    base = write_yaml(tmp_path, {**office(3), "replications": 2}, "now.yaml")
    cost = {"low": 0, "mode": 500, "high": 5000}
    option = write_yaml(
        tmp_path, {**office(4, implementation_cost=cost), "replications": 2}, "new.yaml"
    )
    out = tmp_path / "bc"
    argv = ["business-case", str(base), str(option), "--months", "6", "--tornado"]
    assert main([*argv, "--written-only", "-o", str(out), "-q", "--no-report"]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "tornado: 1 assumptions × low and high × 2 runs × 2 replications" in printed
    assert "it.rollout.implementation_cost" in printed.split("tornado (NPV")[1]
    rows = list(csv.DictReader((out / "tornado.csv").read_text().splitlines()))
    assert [r["key"] for r in rows] == ["it.rollout.implementation_cost"]
    assert float(rows[0]["swing"]) == pytest.approx(5000)


def test_npv_tornado_ranks_the_dominant_assumption_first_and_is_shown_in_the_report():
    base = scenario_from_dict(office(3))
    data = office(
        4,
        implementation_cost={"low": 0, "mode": 20000, "high": 60000},
        ramp_slowdown=0.2,
        ramp_weeks={"low": 1, "mode": 2, "high": 3},
    )
    data["costs"]["lost_client_value"] = {"low": 28, "mode": 30, "high": 32}
    option = scenario_from_dict(data)
    options = BusinessCaseOptions(
        horizon_months=6, phases=1, replications=3, documented=False, tornado=True
    )
    plan = plan_business_case(base, option, options)
    assert "tornado: 3 assumptions × low and high × 3 runs × 3 replications" in plan.describe()
    result = business_case(base, option, plan=plan)
    keys = [t.key for t in result.tornado]
    assert keys[0] == "it.rollout.implementation_cost"
    assert sorted(keys[1:]) == ["costs.lost_client_value", "it.rollout.ramp_weeks"]
    cost = result.tornado[0]
    # Month 0 is not discounted: the one-off cost moves the NPV one for one, in every replication.
    assert cost.swing == pytest.approx(60000, rel=1e-9)
    assert cost.change_low.mean == pytest.approx(20000, rel=1e-9)
    assert cost.change_high.mean == pytest.approx(-40000, rel=1e-9)
    assert cost.change_low.sd == pytest.approx(0, abs=1e-6)
    assert all(result.tornado[k].swing >= result.tornado[k + 1].swing for k in range(2))
    doc = result.to_dict()
    assert doc["worth_measuring"][0] == cost.factor
    from sim.report.business_case import build_business_case_report

    report = build_business_case_report({**doc, "created_utc": ""})
    tornado = [s for s in report.sections if s.id == "business_case_tornado"]
    assert tornado and tornado[0].charts and tornado[0].tables[0].rows[0][0] == cost.factor
    plain = build_business_case_report({**doc, "tornado": [], "worth_measuring": []})
    assert all(s.id != "business_case_tornado" for s in plain.sections)
