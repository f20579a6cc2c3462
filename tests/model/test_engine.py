"""Engine behaviour on small deterministic days: breaks, shifts, closing, reneging, routing."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiment.api import run
from sim.experiment.replication import run_replication
from sim.model.office import Office
from sim.units import MINUTE


def booked(times: list[str], service: str = "10 min", **extra) -> dict:
    """A client class arriving exactly at the given times with a fixed service time."""
    return {
        "skill": extra.pop("skill", "s"),
        "appointments": {"times": times},
        "service": service,
        **extra,
    }


def replay(sc) -> Office:
    office = Office(sc, 0)
    office.simulate()
    return office


def records(office: Office) -> dict[str, np.ndarray]:
    return office.records().clients


def test_break_waits_for_the_current_client(day_scenario):
    # One clerk; break due 09:05 while serving the 09:00 client (10 min). The break starts when
    # that service ends (09:10) and lasts its full 30 min; the 09:06 client waits until 09:40.
    sc = day_scenario(
        {
            "client_classes": {"c": booked(["09:00", "09:06"])},
            "staff": {
                "clerk": {
                    "count": 1,
                    "skills": ["s"],
                    "breaks": [{"start": "09:05", "duration": "30 min"}],
                }
            },
        }
    )
    rec = records(replay(sc))
    order = np.argsort(rec["arrival"])
    waits = rec["wait"][order] / MINUTE
    assert waits.tolist() == pytest.approx([0.0, 34.0])
    assert rec["time_in_system"][order].tolist() == pytest.approx([600.0, 44 * 60.0])


def test_shift_end_waits_for_client_and_counts_overtime(day_scenario):
    # The early clerk's shift ends 12:00 while serving an 11:55 client (20 min): leaves 12:15.
    sc = day_scenario(
        {
            "client_classes": {"c": booked(["11:55"], service="20 min")},
            "staff": {
                "early": {
                    "shifts": [{"start": "09:00", "end": "12:00", "count": 1}],
                    "skills": ["s"],
                },
                "late": {
                    "shifts": [{"start": "12:00", "end": "17:00", "count": 1}],
                    "skills": ["s"],
                },
            },
        }
    )
    result = run_replication(sc, 0)
    assert result.kpis["role.early.overtime_hours_per_day"] == pytest.approx(15 / 60)
    assert result.kpis["role.early.on_duty_hours_per_day"] == pytest.approx(3 + 15 / 60)
    assert result.kpis["role.late.busy_hours_per_day"] == 0.0
    assert result.kpis["all.served_per_day"] == 1


def test_everyone_inside_at_closing_is_served(day_scenario):
    # Three clients at 16:50 with one clerk and 15-minute services: served until 17:35.
    sc = day_scenario(
        {
            "client_classes": {"c": booked(["16:50", "16:50", "16:50"], service="15 min")},
            "staff": {"clerk": {"count": 1, "skills": ["s"]}},
        }
    )
    office = replay(sc)
    rec = records(office)
    assert (rec["outcome"] == 0).sum() == 3
    assert office.records().inside == 0
    assert sorted(rec["wait"] / MINUTE) == pytest.approx([0, 15, 30])
    result = run_replication(sc, 0)
    assert result.kpis["role.clerk.overtime_hours_per_day"] == pytest.approx(35 / 60)


def test_no_walk_in_arrives_outside_opening_hours(day_scenario):
    sc = day_scenario(
        {
            "days": 3,
            "client_classes": {"c": {"skill": "s", "arrivals": {"rate": 30}, "service": "1 min"}},
            "staff": {"clerk": {"count": 2, "skills": ["s"]}},
        }
    )
    rec = records(replay(sc))
    clock = rec["arrival"] % 86400
    assert len(clock) > 500
    assert clock.min() >= 9 * 3600 and clock.max() < 17 * 3600


def test_reneging_client_leaves_at_patience_and_is_not_served(day_scenario):
    sc = day_scenario(
        {
            "client_classes": {"c": booked(["09:00", "09:01"], service="30 min", patience="5 min")},
            "staff": {"clerk": {"count": 1, "skills": ["s"]}},
        }
    )
    office = replay(sc)
    rec = records(office)
    second = int(np.argmax(rec["arrival"]))
    assert rec["outcome"][second] == 2  # reneged
    assert rec["wait"][second] == pytest.approx(300.0)
    assert rec["time_in_system"][second] == pytest.approx(300.0)
    # The clerk was busy 30 minutes only: the reneged client was never served.
    result = run_replication(sc, 0)
    assert result.kpis["role.clerk.busy_hours_per_day"] == pytest.approx(0.5)
    assert result.kpis["all.reneged_per_day"] == 1


def test_full_waiting_area_turns_clients_away(day_scenario):
    sc = day_scenario(
        {
            "waiting_area": {"capacity": 1},
            "client_classes": {"c": booked(["09:00", "09:01", "09:02", "09:03"], service="30 min")},
            "staff": {"clerk": {"count": 1, "skills": ["s"]}},
        }
    )
    result = run_replication(sc, 0)
    assert result.kpis["all.served_per_day"] == 2
    assert result.kpis["all.balked_per_day"] == 2
    assert result.kpis["waiting_area.occupancy_max"] == 1


def test_priority_class_is_served_first(day_scenario):
    # The clerk is busy until 09:30; a normal client queued at 09:01, a VIP at 09:02.
    sc = day_scenario(
        {
            "client_classes": {
                "first": booked(["09:00"], service="30 min"),
                "normal": booked(["09:01"]),
                "vip": booked(["09:02"], priority=5),
            },
            "staff": {"clerk": {"count": 1, "skills": ["s"]}},
        }
    )
    result = run_replication(sc, 0)
    assert result.kpis["class.vip.wait_mean_min"] == pytest.approx(28)
    assert result.kpis["class.normal.wait_mean_min"] == pytest.approx(39)


def test_skill_priority_order_of_a_multi_skilled_member(day_scenario):
    # The advisor holds [advice, teller]: with both queues waiting it takes advice first; the
    # teller (only 'teller') is busy. The second teller client therefore waits for the teller.
    sc = day_scenario(
        {
            "client_classes": {
                "blocker": booked(["09:00"], service="60 min", skill="advice"),
                "tell": booked(["09:00", "09:05"], service="20 min", skill="teller"),
                "adv": booked(["09:10"], service="10 min", skill="advice"),
            },
            "staff": {
                "teller": {"count": 1, "skills": ["teller"]},
                "advisor": {"count": 1, "skills": ["advice", "teller"]},
            },
        }
    )
    result = run_replication(sc, 0)
    # teller serves 09:00-09:20 then the 09:05 client until 09:40; advisor: 09:00-10:00 then adv.
    assert result.kpis["class.tell.wait_max_min"] == pytest.approx(15)
    assert result.kpis["class.adv.wait_mean_min"] == pytest.approx(50)


def test_secondary_skill_is_used_when_primary_queue_is_empty(day_scenario):
    sc = day_scenario(
        {
            "client_classes": {
                "tell": booked(["09:00", "09:00"], service="20 min", skill="teller"),
                "adv": booked(["12:00"], skill="advice"),
            },
            "staff": {
                "teller": {"count": 1, "skills": ["teller"]},
                "advisor": {"count": 1, "skills": ["advice", "teller"]},
            },
        }
    )
    result = run_replication(sc, 0)
    assert result.kpis["class.tell.wait_max_min"] == 0
    assert result.kpis["role.advisor.busy_hours_per_day"] == pytest.approx(30 / 60)


def test_reception_step_comes_first(day_scenario):
    sc = day_scenario(
        {
            "reception": {"service": "2 min"},
            "client_classes": {"c": booked(["09:00"], service="10 min")},
            "staff": {
                "greeter": {"count": 1, "skills": ["reception"]},
                "clerk": {"count": 1, "skills": ["s"]},
            },
        }
    )
    result = run_replication(sc, 0)
    assert result.kpis["all.time_in_system_mean_min"] == pytest.approx(12)
    assert result.kpis["role.greeter.busy_hours_per_day"] == pytest.approx(2 / 60)


def test_appointment_no_shows_and_punctuality(day_scenario):
    sc = day_scenario(
        {
            "days": 50,
            "client_classes": {
                "c": {
                    "skill": "s",
                    "appointments": {
                        "start": "09:00",
                        "end": "16:00",
                        "every": "20 min",
                        "no_show": 0.2,
                        "punctuality_mean": "-3 min",
                        "punctuality_sd": "2 min",
                    },
                    "service": "5 min",
                }
            },
            "staff": {"clerk": {"count": 2, "skills": ["s"]}},
        }
    )
    office = replay(sc)
    rec = records(office)
    n = len(rec["arrival"])
    assert 0.74 < n / (21 * 50) < 0.86  # 80% show up: ±6 sd of a binomial on 1,050 slots
    offsets = ((rec["arrival"] % 86400) - 9 * 3600 + 600) % 1200 - 600
    assert np.mean(offsets) / MINUTE == pytest.approx(-3, abs=0.3)


def test_same_seed_same_results_and_replications_differ(queue_scenario):
    sc = queue_scenario(lam=30.0, mu=12.0, c=3, replications=3, days=2)
    a, b = run(sc), run(sc)
    assert [r.kpis for r in a.replications] == [r.kpis for r in b.replications]
    assert a.replications[0].kpis != a.replications[1].kpis


def test_staffing_change_keeps_the_same_clients(queue_scenario):
    """Common random numbers: the arrivals and their service needs do not depend on staffing."""
    a = Office(queue_scenario(lam=40.0, mu=12.0, c=4, days=1, warmup_days=0), 0)
    b = Office(queue_scenario(lam=40.0, mu=12.0, c=6, days=1, warmup_days=0), 0)
    a.simulate()
    b.simulate()
    ra, rb = records(a), records(b)
    assert np.array_equal(np.sort(ra["arrival"]), np.sort(rb["arrival"]))
    served_a = ra["time_in_system"] - ra["wait"]
    served_b = rb["time_in_system"] - rb["wait"]
    assert np.allclose(served_a[np.argsort(ra["arrival"])], served_b[np.argsort(rb["arrival"])])


def test_warmup_days_are_left_out(day_scenario):
    sc = day_scenario(
        {
            "days": 3,
            "warmup_days": 2,
            "client_classes": {"c": booked(["09:00"])},
            "staff": {"clerk": {"count": 1, "skills": ["s"]}},
        }
    )
    result = run_replication(sc, 0)
    assert result.kpis["all.arrivals_per_day"] == 1
    assert result.kpis["role.clerk.on_duty_hours_per_day"] == pytest.approx(8)
