"""Confidence intervals that respect the values a KPI can take (sim/results/summary.py)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

from sim.report.fmt import shown_significant
from sim.results.kpis import kpi_bounds
from sim.results.summary import Estimate, estimate

GOLDEN = Path(__file__).resolve().parent / "golden"
SHARE = (0.0, 1.0)


def test_bounds_of_kpis() -> None:
    assert kpi_bounds("all.lost_share") == SHARE
    assert kpi_bounds("role.teller.utilization") == SHARE
    assert kpi_bounds("all.wait_mean_min") == (0.0, math.inf)
    assert kpi_bounds("cost.total_per_day") == (0.0, math.inf)
    assert kpi_bounds("something.unknown") == (-math.inf, math.inf)


def test_a_share_interval_is_the_logit_interval_and_stays_inside() -> None:
    values = [0.0, 0.0007, 0.0014]  # the lost share of issue 11: t interval [-0.08%, 0.23%]
    est = estimate(values, bounds=SHARE)
    m, sd = np.mean(values), np.std(values, ddof=1)
    half = stats.t.ppf(0.975, 2) * sd / math.sqrt(3)
    assert m - half < 0  # the plain interval would leave [0, 1]
    width = half / (m * (1 - m))
    assert est.ci_low == pytest.approx(special.expit(special.logit(m) - width), rel=1e-12)
    assert est.ci_high == pytest.approx(special.expit(special.logit(m) + width), rel=1e-12)
    assert 0 < est.ci_low < m < est.ci_high < 1
    high = estimate([0.92, 0.836, 1.0], bounds=SHARE)  # t interval [83.6%, 100.3%]-like
    assert 0 < high.ci_low < high.mean < high.ci_high < 1
    assert estimate([1.0, 1.0, 1.0], bounds=SHARE) == Estimate(1.0, 0.0, 1.0, 1.0, 3)


def test_a_share_interval_is_close_to_the_t_interval_away_from_the_bounds() -> None:
    values = [0.48, 0.5, 0.52, 0.49, 0.51]
    est, plain = estimate(values, bounds=SHARE), estimate(values)
    assert est.ci_low == pytest.approx(plain.ci_low, abs=1e-3)
    assert est.ci_high == pytest.approx(plain.ci_high, abs=1e-3)


def test_the_t_interval_uses_the_student_t_quantile_of_each_sample_size() -> None:
    """The quantile is kept per degrees of freedom (a summary asks for it once per KPI), and
    the kept value is the one scipy.stats.t gives for that sample size, not another's."""
    from sim.results.summary import _t_value

    rng = np.random.default_rng(7)
    for n in (2, 3, 5, 80, 3, 80):
        values = rng.normal(10.0, 2.0, size=n)
        est = estimate(values)
        half = stats.t.ppf(0.975, n - 1) * np.std(values, ddof=1) / math.sqrt(n)
        assert est.ci_high - est.mean == pytest.approx(half, rel=1e-12)
    before = _t_value.cache_info()
    for _ in range(50):
        estimate(rng.normal(size=80))
    after = _t_value.cache_info()
    assert after.hits - before.hits == 50 and after.misses == before.misses


def test_a_non_negative_interval_is_clipped_at_zero() -> None:
    est = estimate([0.0, 0.1, 2.0], bounds=(0.0, math.inf))
    plain = estimate([0.0, 0.1, 2.0])
    assert plain.ci_low < 0 and est.ci_low == 0.0 and est.ci_high == plain.ci_high


def test_share_intervals_cover_the_true_share() -> None:
    """2,000 experiments of 5 replications, each a share of 300 clients with p = 2%: the
    interval covers p in about 95% of them (3.5 standard errors of tolerance below)."""
    rng = np.random.default_rng(20261201)
    p, trials = 0.02, 2000
    covered = 0
    for _ in range(trials):
        est = estimate(rng.binomial(300, p, size=5) / 300, bounds=SHARE)
        covered += est.ci_low <= p <= est.ci_high
    tolerance = 3.5 * math.sqrt(0.95 * 0.05 / trials)
    assert covered / trials >= 0.95 - tolerance


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.kpis.csv")), ids=lambda p: p.name)
def test_no_interval_of_a_shipped_example_leaves_its_bounds(path: Path) -> None:
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert rows
    checked = 0
    for row in rows:
        if not row["ci_low"]:
            continue
        lo, hi = kpi_bounds(row["kpi"])
        low, high, mean = float(row["ci_low"]), float(row["ci_high"]), float(row["mean"])
        assert lo <= low <= mean <= high <= hi, row
        checked += 1
    assert checked > 10


def test_significance_at_the_displayed_precision() -> None:
    tiny = {"mean": -2e-5, "ci_low": -3e-5, "ci_high": -1e-5}  # shown -0.0% [-0.0%, -0.0%]
    assert not shown_significant(tiny, "share")
    assert shown_significant({"mean": -0.02, "ci_low": -0.03, "ci_high": -0.01}, "share")
    assert not shown_significant({"mean": 0.1, "ci_low": -0.2, "ci_high": 0.4}, "min")
