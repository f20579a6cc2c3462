"""The engine against queueing theory: Erlang C, M/M/c/K, Erlang B, Erlang A, Little's law.

Each test runs independent replications, computes a Student-t confidence interval from them, and
requires the closed-form value (from ``sim.analytic``) inside it. Intervals are 99.9% so that
chance alone almost never fails a test, while a real bug (a reneging client who is still served,
blocking counted wrongly, a wrong queue discipline) moves the estimate far outside them.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.analytic import erlang_a, erlang_b, mmc, mmck
from sim.experiment.api import run
from sim.results.summary import ExperimentResult

CONFIDENCE = 0.999


def interval(values: np.ndarray) -> tuple[float, float]:
    """Student-t confidence interval of the mean of independent replication values."""
    values = values[~np.isnan(values)]
    n = len(values)
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return float(values.mean() - half), float(values.mean() + half)


def assert_covers(result: ExperimentResult, kpi: str, expected: float, scale: float = 1.0) -> None:
    low, high = interval(result.values(kpi) * scale)
    assert low <= expected <= high, (
        f"{kpi}: theory {expected:.5g} outside CI [{low:.5g}, {high:.5g}]"
    )


def assert_consistent(result: ExperimentResult) -> None:
    for rep in result.replications:
        assert rep.checks["arrived"] == rep.checks["left"] + rep.checks["inside_at_end"]
        assert rep.checks["little_law_relative_gap"] < 1e-9


@pytest.mark.parametrize(("lam", "mu", "c"), [(48.0, 12.0, 5), (20.0, 24.0, 1), (90.0, 10.0, 10)])
def test_mmc_matches_erlang_c(queue_scenario, lam, mu, c):
    res = run(queue_scenario(lam=lam, mu=mu, c=c))
    theory = mmc(lam, mu, c)
    assert_consistent(res)
    assert_covers(res, "all.wait_mean_min", theory.wq * 60)
    assert_covers(res, "all.waited_share", theory.p_wait)
    assert_covers(res, "role.srv.utilization", theory.rho)


def test_mmc_service_level_matches_erlang_c_tail(queue_scenario):
    sc = queue_scenario(lam=48.0, mu=12.0, c=5, targets={"wait": "3 min"})
    res = run(sc)
    assert_covers(res, "all.service_level", mmc(48.0, 12.0, 5).service_level(3 / 60))


@pytest.mark.parametrize(("lam", "mu", "c", "k"), [(50.0, 12.0, 4, 8), (30.0, 10.0, 2, 5)])
def test_mmck_matches_closed_form(queue_scenario, lam, mu, c, k):
    res = run(queue_scenario(lam=lam, mu=mu, c=c, capacity=k - c))
    theory = mmck(lam, mu, c, k)
    assert_consistent(res)
    assert_covers(res, "all.balked_share", theory.p_block)
    # Mean wait of admitted clients (all admitted clients are served: no patience here).
    assert_covers(res, "all.wait_mean_min", theory.wq * 60)


def test_zero_waiting_room_matches_erlang_b(queue_scenario):
    res = run(queue_scenario(lam=40.0, mu=10.0, c=5, capacity=0))
    assert_covers(res, "all.balked_share", erlang_b(5, 4.0))
    assert np.all(res.values("all.wait_max_min") == 0)


@pytest.mark.parametrize(("lam", "mu", "c", "theta"), [(60.0, 12.0, 5, 6.0), (40.0, 10.0, 3, 4.0)])
def test_patience_matches_erlang_a(queue_scenario, lam, mu, c, theta):
    res = run(queue_scenario(lam=lam, mu=mu, c=c, theta=theta))
    theory = erlang_a(lam, mu, c, theta)
    assert_consistent(res)
    assert_covers(res, "all.abandonment_share", theory.p_abandon)
    assert_covers(res, "all.wait_mean_min", theory.mean_wait_served * 60)
    assert_covers(res, "all.waited_share", theory.p_wait)


def test_littles_law_over_opening_hours(queue_scenario):
    """L = λW: time-average number waiting equals arrival rate times mean wait (all clients)."""
    res = run(queue_scenario(lam=48.0, mu=12.0, c=5))
    lam_per_min = res.values("all.arrivals_per_day") / (24 * 60)
    diff = res.values("waiting_area.occupancy_mean") - lam_per_min * res.values("all.wait_mean_min")
    low, high = interval(diff)
    assert low <= 0.0 <= high


def test_hourly_profile_is_reproduced(day_scenario):
    profile = [5, 10, 30, 60, 40, 20, 10, 5]
    sc = day_scenario(
        {
            "days": 20,
            "replications": 10,
            "client_classes": {
                "c": {
                    "skill": "s",
                    "arrivals": {"rate": profile},
                    "service": {"dist": "exponential", "mean": "30 s"},
                }
            },
            "staff": {"srv": {"count": 20, "skills": ["s"]}},
        }
    )
    res = run(sc)
    per_rep = np.array([r.hourly["arrivals"] for r in res.replications])
    for hour, rate in enumerate(profile):
        low, high = interval(per_rep[:, hour])
        assert low <= rate <= high, f"hour {hour}: {rate}/h outside [{low:.2f}, {high:.2f}]"
    # A homogeneous process with the same daily total would put ~22.5/h in every hour.
    assert per_rep[:, 3].mean() > 2 * per_rep[:, 0].mean() * 5
