"""Golden examples: every shipped scenario runs, keeps its books, and shows its trade-off.

Each file in ``scenarios/`` runs on its own seed with two replications; the tests assert
structure and invariants (conservation, Little's law, shares, costs, tasks, targets), never
seeded decimals. The trade-off examples (IT level, zoning, desk placement) are compared over
the same replications (common random numbers): the paired difference of a KPI must have a 99%
Student-t confidence interval entirely on the expected side.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from sim.experiment.api import run
from sim.experiment.inputs import load_scenario
from sim.results.kpis import metric_of, unit_of
from sim.results.output import results_document
from sim.results.summary import ExperimentResult
from sim.results.targets import check_targets

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))
PAIRED_REPLICATIONS = 10

# A KPI that is a ratio may be undefined (NaN) only when the count it divides by is zero:
# metric -> the metric of the same scope holding that count.
DENOMINATOR = {
    "wait_mean_min": "served_per_day",
    "wait_p50_min": "served_per_day",
    "wait_p90_min": "served_per_day",
    "wait_p95_min": "served_per_day",
    "wait_max_min": "served_per_day",
    "time_in_system_mean_min": "served_per_day",
    "lost_share": "arrivals_per_day",
    "abandonment_share": "arrivals_per_day",
    "balked_share": "arrivals_per_day",
    "service_level": "arrivals_per_day",
    "waited_share": "arrivals_per_day",
    "walk_distance_mean_m": "arrivals_per_day",
    "walk_time_mean_min": "arrivals_per_day",
    "cycle_time_mean_h": "completed_per_day",
    "cycle_time_p90_h": "completed_per_day",
    "handoff_delay_mean_h": "created_per_day",
    "on_time_share": "created_per_day",
    "lookup_time_mean_min": "lookups_per_day",
    "utilization": "on_duty_hours_per_day",
    "containment_share": "bot_tried_per_day",
    "callback_delay_mean_h": "callbacks_per_day",
}


@cache
def result_of(
    path: Path, replications: int = 2, overrides: tuple[str, ...] = ()
) -> ExperimentResult:
    """Run a scenario file once per argument set (the runs are deterministic)."""
    return run(path, replications=replications, overrides=overrides)


def paired_interval(a: np.ndarray, b: np.ndarray, confidence: float = 0.99) -> tuple[float, float]:
    """Student-t confidence interval of the mean of ``a - b`` over paired replications."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = len(d)
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * d.std(ddof=1) / math.sqrt(n)
    return float(d.mean() - half), float(d.mean() + half)


def assert_greater(high: ExperimentResult, low: ExperimentResult, key: str) -> None:
    """``key`` is larger in ``high`` than in ``low``, replication by replication, beyond chance."""
    lo, hi = paired_interval(high.values(key), low.values(key))
    assert lo > 0, f"{key}: paired difference CI [{lo:.4g}, {hi:.4g}] does not exclude 0"


def test_examples_exist() -> None:
    names = {p.name for p in FILES}
    assert {
        "bank_branch.yaml",
        "public_service_centre.yaml",
        "it_manual.yaml",
        "it_partial.yaml",
        "it_integrated.yaml",
        "zoning_open_plan.yaml",
        "zoning_quiet.yaml",
        "zoning_offsite.yaml",
        "open_plan_office.yaml",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_runs_and_keeps_its_books(path: Path) -> None:
    scenario = load_scenario(path)
    result = result_of(path)
    assert len(result.replications) == 2
    for rep in result.replications:
        checks = rep.checks
        assert checks["arrived"] == checks["left"] + checks["inside_at_end"]
        assert checks["little_law_relative_gap"] < 1e-9
        if "contacts_contacts" in checks:  # every contact ends served, contained, lost, ...
            ends = ("served", "contained", "lost", "repeated", "open")
            assert checks["contacts_contacts"] == sum(checks[f"contacts_{e}"] for e in ends)
        kpis = rep.kpis
        for key, value in kpis.items():
            metric = metric_of(key)
            if math.isnan(value):
                assert metric in DENOMINATOR, f"{key} is NaN"
                scope = key.rsplit(".", 1)[0]
                count = kpis.get(f"{scope}.{DENOMINATOR[metric]}", 0.0)
                assert count == 0, f"{key} is NaN although {DENOMINATOR[metric]} = {count}"
                continue
            assert math.isfinite(value), f"{key} = {value}"
            if unit_of(key) == "share":
                assert 0.0 <= value <= 1.0 + 1e-12, f"{key} = {value}"
            assert value >= 0, f"{key} = {value} < 0"
        parts = ("staff", "rent", "it", "lost_clients", "late_tasks")
        total = sum(kpis[f"cost.{p}_per_day"] for p in parts)
        total += kpis.get("cost.lost_deal_value_per_day", 0.0)
        assert kpis["cost.total_per_day"] == pytest.approx(total, rel=1e-12)
        crews = [k for k in kpis if k.endswith(".staff_cost_per_day") and not k.startswith("all.")]
        assert kpis["all.staff_cost_per_day"] == pytest.approx(sum(kpis[k] for k in crews))
        assert kpis["cost.staff_per_day"] == kpis["all.staff_cost_per_day"]
        classes = [k for k in kpis if k.startswith("class.") and k.endswith(".arrivals_per_day")]
        assert kpis["all.arrivals_per_day"] == pytest.approx(sum(kpis[k] for k in classes))
        if scenario.back_office is not None:
            assert kpis["tasks.created_per_day"] >= kpis["tasks.completed_per_day"] > 0
            per_type = [f"task.{t}" for t in scenario.back_office.tasks]
            for scope in per_type:
                assert kpis[f"{scope}.created_per_day"] >= kpis[f"{scope}.completed_per_day"]
            created = sum(kpis[f"{s}.created_per_day"] for s in per_type)
            assert kpis["tasks.created_per_day"] == pytest.approx(created)
            for team in scenario.back_office.teams:
                assert f"team.{team}.utilization" in kpis
                assert f"team.{team}.interruptions_per_day" in kpis
    targets = check_targets(scenario.targets, result)
    assert [t.kpi for t in targets][:1] == ["all.service_level"]
    assert {t.verdict for t in targets} <= {"met", "missed", "uncertain"}
    doc = results_document(result, scenario, scenario_file=path)
    if scenario.layout is not None:
        assert doc["walking"]["edge_traffic"], "a scenario with a plan records walking traffic"
        assert result.kpi("all.walk_distance_mean_m").mean > 0


def test_examples_with_a_back_office_have_costs_and_recurring_work() -> None:
    for name in ("bank_branch.yaml", "public_service_centre.yaml"):
        scenario = load_scenario(SCENARIOS / name)
        assert scenario.layout is not None
        assert scenario.back_office is not None and scenario.back_office.recurring
        assert any(c.creates for c in scenario.client_classes.values())
        assert any(c.lookup for c in scenario.client_classes.values())
        assert all(role.desks for role in scenario.staff.values())
        costs = scenario.costs
        assert costs.lost_client_value > 0 and costs.late_task_penalty > 0
        kpis = result_of(SCENARIOS / name).summary
        assert kpis["cost.rent_per_day"].mean > 0
        assert kpis["lookups.lookups_per_day"].mean > 0


def test_it_examples_differ_only_in_it() -> None:
    dumps = []
    for level in ("manual", "partial", "integrated"):
        scenario = load_scenario(SCENARIOS / f"it_{level}.yaml")
        assert scenario.it.level == level
        data = scenario.model_dump(exclude={"it", "name", "description"})
        dumps.append(data)
    assert dumps[0] == dumps[1] == dumps[2]


def test_integrated_it_cuts_handoffs_cycle_time_rework_and_lookups() -> None:
    n = PAIRED_REPLICATIONS
    manual = result_of(SCENARIOS / "it_manual.yaml", n)
    partial = result_of(SCENARIOS / "it_partial.yaml", n)
    integrated = result_of(SCENARIOS / "it_integrated.yaml", n)
    for key in (
        "tasks.handoff_delay_mean_h",
        "tasks.cycle_time_mean_h",
        "tasks.rework_per_day",
        "lookups.lookup_time_mean_min",
        "team.claims.interruptions_per_day",
    ):
        assert_greater(manual, integrated, key)
    for key in ("tasks.handoff_delay_mean_h", "tasks.cycle_time_mean_h"):
        assert_greater(manual, partial, key)
    for key in ("tasks.handoff_delay_mean_h", "lookups.lookup_time_mean_min"):
        assert_greater(partial, integrated, key)
    assert_greater(integrated, manual, "cost.it_per_day")


def test_it_examples_without_outages_never_fall_back() -> None:
    manual = result_of(SCENARIOS / "it_manual.yaml")
    integrated = result_of(SCENARIOS / "it_integrated.yaml")
    assert "it.outage_hours_per_day" not in manual.summary
    assert np.all(integrated.values("it.outage_hours_per_day") >= 0)


def test_zoning_examples_show_noise_and_offsite_trade_offs() -> None:
    n = PAIRED_REPLICATIONS
    open_plan = result_of(SCENARIOS / "zoning_open_plan.yaml", n)
    quiet = result_of(SCENARIOS / "zoning_quiet.yaml", n)
    offsite = result_of(SCENARIOS / "zoning_offsite.yaml", n)
    assert_greater(open_plan, quiet, "team.casework.interruptions_per_day")

    def busy_per_task(r: ExperimentResult) -> np.ndarray:
        return r.values("team.casework.busy_hours_per_day") / r.values("tasks.completed_per_day")

    lo, _ = paired_interval(busy_per_task(open_plan), busy_per_task(quiet))
    assert lo > 0, "noise should cost busy time per completed task"
    assert_greater(offsite, quiet, "tasks.handoff_delay_mean_h")
    assert np.all(offsite.values("cost.rent_per_day") < quiet.values("cost.rent_per_day"))


def test_far_front_desk_adds_walking_time_to_the_visit() -> None:
    path = SCENARIOS / "open_plan_office.yaml"
    near = result_of(path, PAIRED_REPLICATIONS)
    far = result_of(path, PAIRED_REPLICATIONS, ("staff.front.desks=[F3]",))
    for key in ("class.quick.walk_distance_mean_m", "class.quick.time_in_system_mean_min"):
        assert_greater(far, near, key)
    extra_walk = far.values("class.quick.walk_time_mean_min") - near.values(
        "class.quick.walk_time_mean_min"
    )
    # at most the extra 2 x 13.5 m at 1.34 m/s for a client served at the moved desk
    assert np.all(extra_walk > 0)
    assert np.all(extra_walk < 2 * 13.6 / 1.34 / 60)
