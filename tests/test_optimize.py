"""Staffing optimisation: the analytic starting point, the CI-aware search, and its plans."""

from __future__ import annotations

import json

import pytest

from sim.analytic import min_servers_erlang_c
from sim.analytic.staffing import cover_shifts, hour_coverage, role_requirements
from sim.cli.main import EXIT_OK, main
from sim.experiment.api import OptimizeSearch, optimize, run
from sim.experiment.inputs import scenario_from_dict
from sim.results.targets import check_targets
from tests.conftest import write_yaml
from tests.experiment_helpers import LUNCH_RATES, branch, lunch, mmc

LAM, MU, WAIT_H, LEVEL = 30.0, 10.0, 2 / 60, 0.8


def test_hourly_requirement_is_erlang_c_per_hour():
    sc = scenario_from_dict(lunch())
    reqs = role_requirements(sc)["teller"]
    assert [r.arrivals_per_hour for r in reqs] == LUNCH_RATES
    for r, lam in zip(reqs, LUNCH_RATES, strict=True):
        assert r.mean_service_s == pytest.approx(480)
        assert r.erlang_c == min_servers_erlang_c(lam, 7.5, 10 / 60, 0.8)
        assert r.required >= r.erlang_c
        assert r.erlang_a is not None
    assert max(r.required for r in reqs) > min(r.required for r in reqs)


def test_cover_shifts_is_cheapest_cover():
    sc = scenario_from_dict(lunch())
    spans = [(8 * 3600.0, 17 * 3600.0), (11 * 3600.0, 15 * 3600.0)]
    assert hour_coverage(sc.hours, *spans[1]) == [0, 0, 0, 1, 1, 1, 1, 0, 0]
    assert cover_shifts([2, 2, 2, 3, 5, 5, 3, 2, 2], sc.hours, spans) == [2, 3]


@pytest.mark.parametrize("start", [None, {"srv": 8}])
def test_mmc_optimum_is_the_erlang_c_minimum(start):
    expected = min_servers_erlang_c(LAM, MU, WAIT_H, LEVEL)
    result = optimize(scenario_from_dict(mmc(1)), search=OptimizeSearch(start=start))
    assert result.feasible
    assert result.plan == {"srv": {"count": expected}}
    assert all(t.verdict == "met" for t in result.targets)
    fewer = [s for s in result.trace if s.plan == {"srv": expected - 1}]
    assert fewer and all(s.status != "met" for s in fewer)
    assert result.cost.mean == pytest.approx(expected * 24 * 20, rel=0.02)


def test_search_climbs_from_too_few_staff():
    expected = min_servers_erlang_c(LAM, MU, WAIT_H, LEVEL)
    result = optimize(
        scenario_from_dict(mmc(1)), search=OptimizeSearch(start={"srv": expected - 2})
    )
    assert result.plan == {"srv": {"count": expected}}
    assert [s.phase for s in result.trace if s.chosen][:3] == ["start", "climb", "climb"]


def test_lunch_peak_plan_meets_targets_with_fresh_seeds():
    sc = scenario_from_dict(lunch())
    result = optimize(sc, jobs=2)
    assert result.feasible
    staff = result.hourly_staff["teller"]
    assert max(staff) > min(staff), "the plan should follow the lunch peak"
    required = [r.required for r in result.requirements["teller"]]
    assert len(staff) == len(required) == len(LUNCH_RATES)
    fresh = run(sc, overrides=result.overrides, seed=sc.seed + 1000, replications=20)
    for check in check_targets(sc.targets, fresh):
        assert check.verdict != "missed", check
        if check.direction == "at_least":
            assert check.estimate.mean >= check.target
        else:
            assert check.estimate.mean <= check.target
    json.dumps(result.to_dict(), allow_nan=False)


def test_cli_optimize_writes_plan_and_trace(tmp_path, capsys):
    file = write_yaml(tmp_path, mmc(3, replications=5))
    out = tmp_path / "opt"
    assert main(["optimize", str(file), "-o", str(out), "-q", "-j", "1"]) == EXIT_OK
    doc = json.loads((out / "results.json").read_text())
    assert doc["schema"] == "officesim/optimize"
    assert doc["plan"] == {"srv": {"count": 5}}
    assert doc["feasible"] is True
    assert doc["requirements"]["srv"][0]["erlang_c"] == 5
    assert (out / "trace.csv").read_text().startswith("step,phase,srv,")
    text = capsys.readouterr().out
    assert "--set staff.srv.count=5" in text


def test_search_stays_within_the_desks_of_the_floor_plan():
    """Erlang C asks for more tellers than the plan has desks: the search starts at the desks."""
    from pathlib import Path

    plan = Path(__file__).resolve().parents[1] / "layouts" / "bank_branch.yaml"
    sc = scenario_from_dict(
        {
            "name": "crowded branch",
            "replications": 4,
            "hours": {"open": "09:00", "close": "12:00"},
            "layout": str(plan),
            "client_classes": {
                "c": {"skill": "s", "arrivals": {"rate": 60}, "service": "4 min"},
            },
            "staff": {"teller": {"count": 1, "skills": ["s"], "desks": ["T1", "T2", "T3"]}},
        }
    )
    result = optimize(sc, search=OptimizeSearch(max_steps=4))
    # Three desks are not enough for 60 clients an hour: the search says so honestly.
    assert result.plan["teller"]["count"] == 3
    assert not result.feasible
    assert any("desk" in step.note for step in result.trace)
    # Two overlapping shifts of two put four tellers on three desks: the search first repairs
    # the plan down to what fits, then goes on from there.
    shifts = [
        {"start": "09:00", "end": "12:00", "count": 1},
        {"start": "10:00", "end": "12:00", "count": 1},
    ]
    on_shifts = scenario_from_dict(
        {
            **sc.echo(),
            "staff": {"teller": {**sc.echo()["staff"]["teller"], "count": None, "shifts": shifts}},
        }
    )
    repaired = optimize(
        on_shifts,
        search=OptimizeSearch(
            max_steps=6,
            start={"teller 09:00-12:00": 2, "teller 10:00-12:00": 2},
        ),
    )
    first = repaired.trace[0]
    assert (first.phase, first.status) == ("start", "invalid")
    assert repaired.trace[1].phase == "repair" and repaired.trace[1].status != "invalid"
    final = repaired.plan["teller"]["shifts"]
    assert sum(sh["count"] for sh in final) <= 3


def test_back_office_target_sizes_the_team():
    """With a target on tasks done in time, the search sizes the back-office team as well."""
    data = {
        "name": "claims office",
        "replications": 6,
        "days": 2,
        "hours": {"open": "09:00", "close": "17:00"},
        "client_classes": {"c": {"skill": "s", "arrivals": {"rate": 4}, "service": "5 min"}},
        "staff": {"clerk": {"count": 1, "skills": ["s"], "cost_per_hour": 30}},
        "back_office": {
            "teams": {"claims": {"count": 1, "cost_per_hour": 40}},
            "tasks": {
                "claim": {
                    "due": "3 h",
                    "arrivals": {"rate": 6},
                    "steps": [
                        {"team": "claims", "time": {"dist": "exponential", "mean": "15 min"}}
                    ],
                }
            },
        },
        "it": {"level": "integrated", "outage_every": None, "outage_repair": None},
        "targets": {"task_on_time": 0.8},
    }
    result = optimize(scenario_from_dict(data), search=OptimizeSearch(max_steps=8))
    assert result.feasible
    assert result.plan["team claims"]["count"] >= 2  # one worker cannot keep up (load 1.5)
    assert any("team claims" in step.plan for step in result.trace)
    names = [t.name for t in result.targets]
    assert "80% of back-office tasks done in time" in names
    # Without a back-office target the team is left as written.
    data["targets"] = {}
    fixed = optimize(scenario_from_dict(data), search=OptimizeSearch(max_steps=2))
    assert "team claims" not in fixed.plan


def test_a_count_fixed_with_set_is_kept_and_not_searched():
    data = branch(
        tellers=3,
        staff={
            "teller": {"count": 3, "skills": ["general"], "cost_per_hour": 30},
            "advisor": {"count": 1, "skills": ["general"], "cost_per_hour": 50},
        },
    )
    result = optimize(
        scenario_from_dict(data),
        overrides=["staff.teller.count=2"],
        replications=4,
        search=OptimizeSearch(max_steps=6),
    )
    assert set(result.plan) == {"advisor"}
    assert result.trace and all(set(step.plan) == {"advisor"} for step in result.trace)
    assert not any(o.startswith("staff.teller") for o in result.overrides)
    alone = optimize(scenario_from_dict(data), replications=4, search=OptimizeSearch(max_steps=6))
    assert set(alone.plan) == {"teller", "advisor"}


def test_search_keywords_of_the_earlier_release_still_work_with_a_deprecation_warning():
    scenario = scenario_from_dict(mmc(1))
    with pytest.warns(DeprecationWarning, match="search=OptimizeSearch"):
        old = optimize(scenario, max_steps=3, start={"srv": 3})
    new = optimize(scenario, search=OptimizeSearch(max_steps=3, start={"srv": 3}))
    assert old.plan == new.plan and old.trace == new.trace
    with pytest.raises(TypeError, match="not beside it"):
        optimize(scenario, search=OptimizeSearch(), max_steps=3)
