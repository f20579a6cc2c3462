"""Back office against theory (Jackson networks, rework visit ratios) and the trade-offs.

Statistical checks use 99.9% Student-t intervals over independent replications; the direction
tests compare the same clients under two options (common random numbers).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from sim.analytic import jackson_network
from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.replication import run_replication
from sim.model.office import Office
from sim.results.kpis import compute_kpis

CONFIDENCE = 0.999
QUIET_IT = {
    "level": "integrated",
    "outage_every": None,
    "outage_repair": None,
    "error_probability": 0.0,
    "service_factor": 1.0,
}


def interval(values: np.ndarray) -> tuple[float, float]:
    values = values[~np.isnan(values)]
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, len(values) - 1) * values.std(ddof=1)
    half /= np.sqrt(len(values))
    return float(values.mean() - half), float(values.mean() + half)


def covers(result, kpi: str, expected: float) -> None:
    low, high = interval(result.values(kpi))
    assert low <= expected <= high, f"{kpi}: {expected:.4g} outside [{low:.4g}, {high:.4g}]"


def office_24h(back_office: dict[str, Any], **extra: Any):
    """A 24-hour office whose front office is a formality; the back office is under test."""
    data = {
        "name": "back office",
        "days": 4,
        "warmup_days": 1,
        "replications": 30,
        "seed": 11,
        "hours": {"open": "00:00", "close": "24:00"},
        "client_classes": {
            "c": {"skill": "s", "arrivals": {"rate": 1}, "service": "1 min"},
        },
        "staff": {"clerk": {"count": 1, "skills": ["s"]}},
        "it": QUIET_IT,
        "back_office": back_office,
        **extra,
    }
    return scenario_from_dict(data)


def exp(mean_min: float) -> dict[str, str]:
    return {"dist": "exponential", "mean": f"{mean_min} min"}


def test_tandem_route_matches_jackson_network():
    lam = 6.0  # tasks per hour
    sc = office_24h(
        {
            "teams": {
                "intake": {"count": 1},
                "check": {"count": 2},
                "close": {"count": 1},
            },
            "tasks": {
                "claim": {
                    "due": "1 d",
                    "arrivals": {"rate": lam},
                    "steps": [
                        {"team": "intake", "time": exp(7.5)},
                        {"team": "check", "time": exp(15)},
                        {"team": "close", "time": exp(6)},
                    ],
                }
            },
        }
    )
    res = run(sc)
    theory = jackson_network(
        gamma=[lam, 0, 0],
        routing=[[0, 1, 0], [0, 0, 1], [0, 0, 0]],
        mu=[8.0, 4.0, 10.0],
        c=[1, 2, 1],
    )
    covers(res, "tasks.cycle_time_mean_h", theory.sojourn_time)
    covers(res, "tasks.open_mean", theory.l_total)
    covers(res, "team.check.utilization", theory.rho[1])


def test_rework_loop_matches_visit_ratios():
    lam, p = 4.0, 0.3
    sc = office_24h(
        {
            "teams": {"desk": {"count": 1}},
            "tasks": {
                "form": {
                    "due": "1 d",
                    "arrivals": {"rate": lam},
                    "steps": [
                        {"team": "desk", "time": exp(6), "rework": {"probability": p, "to": 0}}
                    ],
                }
            },
        }
    )
    res = run(sc)
    theory = jackson_network(gamma=[lam], routing=[[p]], mu=[10.0], c=[1])
    assert theory.visit_ratios[0] == pytest.approx(1 / (1 - p))
    reworks_per_task = res.values("tasks.rework_per_day") / res.values("tasks.created_per_day")
    low, high = interval(reworks_per_task)
    assert low <= theory.visit_ratios[0] - 1 <= high
    covers(res, "tasks.cycle_time_mean_h", theory.sojourn_time)


def test_tasks_are_conserved_and_backlog_carries_over():
    # A team working 09:00-12:00 cannot finish a day's 16:00 reconciliation: it waits overnight.
    sc = scenario_from_dict(
        {
            "name": "carry",
            "days": 3,
            "hours": {"open": "09:00", "close": "17:00"},
            "client_classes": {"c": {"skill": "s", "arrivals": {"rate": 2}, "service": "5 min"}},
            "staff": {"clerk": {"count": 1, "skills": ["s"]}},
            "back_office": {
                "teams": {"fin": {"shifts": [{"start": "09:00", "end": "12:00", "count": 1}]}},
                "tasks": {"recon": {"due": "1 d", "steps": [{"team": "fin", "time": "30 min"}]}},
                "recurring": [{"task": "recon", "at": "16:00", "count": 2}],
            },
            "it": QUIET_IT,
        }
    )
    office = Office(sc, 0)
    office.simulate()
    kpis, _hourly, _checks = compute_kpis(sc, office.records())
    bo = office.records().back_office
    assert bo is not None
    rec = bo.tasks
    done = ~np.isnan(rec["completed"])
    assert len(rec["created"]) == 6
    assert done.sum() + office.backoffice.open_tasks.value == len(rec["created"])
    # Each day's two tasks are done the next morning 09:00-10:00: 17-18 hours later.
    cycle_h = (rec["completed"][done] - rec["created"][done]) / 3600
    assert sorted(cycle_h) == pytest.approx([17.5, 17.5, 18, 18])
    assert kpis["tasks.backlog_end_of_day"] == pytest.approx(2)
    assert kpis["tasks.on_time_share"] == pytest.approx(4 / 6)


def front_and_back(it: dict[str, Any], **extra: Any):
    data = {
        "name": "hand-offs",
        "days": 5,
        "replications": 10,
        "seed": 5,
        "hours": {"open": "09:00", "close": "17:00"},
        "client_classes": {
            "sale": {
                "skill": "s",
                "arrivals": {"rate": 12},
                "service": exp(4),
                "creates": [{"task": "order", "probability": 0.5}],
                "lookup": {"team": "logistics", "probability": 0.3, "time": "2 min"},
            }
        },
        "staff": {"clerk": {"count": 2, "skills": ["s"]}},
        "back_office": {
            "teams": {"logistics": {"count": 2}},
            "tasks": {"order": {"due": "4 h", "steps": [{"team": "logistics", "time": exp(10)}]}},
        },
        "it": it,
        **extra,
    }
    return scenario_from_dict(data)


def test_integrated_it_cuts_handoff_and_cycle_time():
    manual = run(front_and_back({"level": "manual"}))
    integrated = run(front_and_back({"level": "integrated"}))
    diff = integrated.values("tasks.handoff_delay_mean_h") - manual.values(
        "tasks.handoff_delay_mean_h"
    )
    assert interval(diff)[1] < -0.5  # paper waits about an hour for the 2-hourly pickup
    cycle = integrated.values("tasks.cycle_time_mean_h") - manual.values("tasks.cycle_time_mean_h")
    assert interval(cycle)[1] < 0
    errors = manual.values("tasks.rework_per_day") - integrated.values("tasks.rework_per_day")
    assert interval(errors)[0] > 0
    assert np.all(integrated.values("lookups.lookup_time_mean_min") < 0.5)
    assert np.all(manual.values("lookups.lookup_time_mean_min") > 2)


def test_paper_pickup_batches_handoffs():
    res = run_replication(front_and_back({"level": "manual", "pickup_interval": "1 h"}), 0)
    office = Office(front_and_back({"level": "manual", "pickup_interval": "1 h"}), 0)
    office.simulate()
    bo = office.records().back_office
    assert bo is not None
    rec = bo.tasks
    entered = rec["entered"][~np.isnan(rec["entered"])]
    # Paper arrives only just after hourly pickups (plus the runner's walk).
    after_pickup = (entered - 9 * 3600) % 3600
    walk = front_and_back({"level": "manual"}).it.walk_without_plan
    assert np.allclose(after_pickup, walk)
    assert res.kpis["tasks.handoff_delay_mean_h"] > 0.4


def test_outage_falls_back_to_paper():
    it = {
        "level": "integrated",
        "outage_every": {"dist": "exponential", "mean": "6 h"},
        "outage_repair": "2 h",
    }
    res = run(front_and_back(it), replications=5)
    assert np.all(res.values("it.outage_hours_per_day") > 0)
    never = run(
        front_and_back({"level": "integrated", "outage_every": None, "outage_repair": None}),
        replications=5,
    )
    assert np.all(never.values("tasks.handoff_delay_mean_h") == 0)
    # Without outages hand-offs are instant; with them, paper waits for the pickup round.
    delays = res.values("tasks.handoff_delay_mean_h")
    assert np.all(delays >= 0) and delays.max() > 0.05


def test_self_service_deflects_requests():
    res = run(front_and_back({"level": "integrated", "deflection": 0.25}), replications=5)
    base = run(front_and_back({"level": "integrated"}), replications=5)
    share = res.values("all.self_served_per_day") / base.values("all.arrivals_per_day")
    low, high = interval(share)
    assert low <= 0.25 <= high


def test_cost_breakdown_adds_up():
    sc = front_and_back(
        {"level": "partial", "monthly_cost": 2100},
        costs={"working_days_per_month": 21, "lost_client_value": 30, "late_task_penalty": 5},
    )
    k = run_replication(sc, 0).kpis
    assert k["cost.it_per_day"] == pytest.approx(100)
    parts = ["staff", "rent", "it", "lost_clients", "late_tasks"]
    assert k["cost.total_per_day"] == pytest.approx(sum(k[f"cost.{p}_per_day"] for p in parts))
    lost = k["all.balked_per_day"] + k["all.reneged_per_day"]
    assert k["cost.lost_clients_per_day"] == pytest.approx(30 * lost)
    assert k["cost.late_tasks_per_day"] == pytest.approx(5 * k["tasks.late_per_day"])
    assert k["cost.per_served_client"] == pytest.approx(
        k["cost.total_per_day"] / k["all.served_per_day"]
    )


def test_back_office_references_are_checked():
    from sim.errors import ScenarioError

    with pytest.raises(ScenarioError) as err:
        front_and_back(
            {"level": "manual"},
            back_office={
                "teams": {"logistics": {"count": 2}},
                "tasks": {
                    "order": {
                        "due": "4 h",
                        "steps": [
                            {"team": "logistic", "time": "5 min"},
                            {
                                "team": "logistics",
                                "time": "5 min",
                                "rework": {"probability": 1.0, "to": 3},
                            },
                        ],
                    }
                },
            },
        )
    text = str(err.value)
    assert (
        "back_office.tasks.order.steps[0].team: no team 'logistic'; did you mean 'logistics'"
        in text
    )
    assert "steps[1].rework.to" in text and "steps[1].rework.probability" in text


LAYOUTS = __import__("pathlib").Path(__file__).resolve().parents[2] / "layouts"


def zoned(layout: str, team_desks: list[str], team: dict | None = None, **extra: Any):
    data = {
        "name": "zoning",
        "days": 3,
        "replications": 8,
        "seed": 3,
        "hours": {"open": "09:00", "close": "17:00"},
        "layout": str(LAYOUTS / layout),
        "client_classes": {
            "visit": {
                "skill": "s",
                "arrivals": {"rate": 10},
                "service": exp(5),
                "creates": [{"task": "file", "probability": 1.0}],
                "lookup": {"team": "admin", "probability": 0.5, "time": "2 min"},
            }
        },
        "staff": {"front": {"count": 1, "skills": ["s"], "desks": ["F1"]}},
        "back_office": {
            "teams": {"admin": {**(team or {"count": len(team_desks)}), "desks": team_desks}},
            "tasks": {"file": {"due": "1 d", "steps": [{"team": "admin", "time": exp(12)}]}},
        },
        "it": {"level": "partial", "lookup_overhead": "30 s"},
        **extra,
    }
    return scenario_from_dict(data)


def test_noisy_open_plan_slows_the_back_office():
    from sim.experiment.inputs import plan_for

    open_plan = zoned("open_plan_office.geojson", ["W1", "W2", "W3"])
    quiet = zoned("open_plan_office_zoned_quiet.geojson", ["W1", "W2", "W3"])
    assert plan_for(open_plan).exposed and not plan_for(quiet).exposed
    noisy, calm = run(open_plan), run(quiet)
    per_task = {
        name: r.values("team.admin.busy_hours_per_day") / r.values("tasks.completed_per_day")
        for name, r in (("noisy", noisy), ("calm", calm))
    }
    low, _ = interval(per_task["noisy"] - per_task["calm"])
    assert low > 0
    assert np.all(
        noisy.values("team.admin.interruptions_per_day")
        > calm.values("team.admin.interruptions_per_day")
    )


def test_far_back_office_lengthens_manual_lookups_by_the_walk():
    from sim.layout import load_floor, travel_distances

    layout = "open_plan_office_zoned_quiet.geojson"
    staff = travel_distances(load_floor(LAYOUTS / layout), "staff")
    desks = [f"W{i}" for i in range(1, 9)]
    near_desk = min(desks, key=lambda d: staff.distance("F1", d))
    far_desk = max(desks, key=lambda d: staff.distance("F1", d))
    manual = {"level": "manual", "lookup_overhead": "30 s"}
    # The team works past closing, so every lookup finds someone to answer it.
    late = {"shifts": [{"start": "08:00", "end": "20:00", "count": 1}]}
    near = run(zoned(layout, [near_desk], team=late, it=manual), replications=3)
    far = run(zoned(layout, [far_desk], team=late, it=manual), replications=3)
    extra_walk = 2 * (staff.distance("F1", far_desk) - staff.distance("F1", near_desk)) / 1.34
    gained = far.values("lookups.lookup_time_mean_min") - near.values(
        "lookups.lookup_time_mean_min"
    )
    assert extra_walk > 5
    assert gained * 60 == pytest.approx(np.full(3, extra_walk))
    # Every manual lookup is a walk there and back, counted in the front role's walking.
    walked = far.values("role.front.walk_distance_per_day_m")
    expected = far.values("lookups.lookups_per_day") * 2 * staff.distance("F1", far_desk)
    assert walked == pytest.approx(expected)


def test_offsite_team_trades_rent_for_transfer_time():
    onsite = front_and_back({"level": "partial"})
    offsite_bo = {
        "teams": {
            "logistics": {
                "count": 2,
                "offsite": {"transfer_time": "45 min", "area_m2": 40, "rent_per_m2": 21},
            }
        },
        "tasks": {"order": {"due": "4 h", "steps": [{"team": "logistics", "time": exp(10)}]}},
    }
    offsite = front_and_back({"level": "partial"}, back_office=offsite_bo)
    a = run_replication(onsite, 0).kpis
    b = run_replication(offsite, 0).kpis
    assert b["tasks.handoff_delay_mean_h"] - a["tasks.handoff_delay_mean_h"] == pytest.approx(
        0.75, abs=0.01
    )
    assert b["cost.rent_per_day"] - a["cost.rent_per_day"] == pytest.approx(40 * 21 / 21)


@pytest.mark.parametrize(("factor", "expected_h"), [(1.0, 0.5), (1.5, 0.75)])
def test_step_factor_lengthens_every_back_office_step(factor, expected_h):
    # One 30-minute task at 10:00 with an idle team: its cycle time is the step time itself.
    sc = scenario_from_dict(
        {
            "name": "ramp",
            "hours": {"open": "09:00", "close": "17:00"},
            "client_classes": {"c": {"skill": "s", "arrivals": {"rate": 0}, "service": "5 min"}},
            "staff": {"clerk": {"count": 1, "skills": ["s"]}},
            "back_office": {
                "teams": {"fin": {"count": 1}},
                "tasks": {"recon": {"due": "1 d", "steps": [{"team": "fin", "time": "30 min"}]}},
                "recurring": [{"task": "recon", "at": "10:00"}],
            },
            "it": {**QUIET_IT, "step_factor": factor},
        }
    )
    office = Office(sc, 0)
    office.simulate()
    rec = office.backoffice.records.as_numpy()
    assert (rec["completed"] - rec["created"]) / 3600 == pytest.approx([expected_h])
