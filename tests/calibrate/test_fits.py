"""Synthetic logs drawn from known parameters are calibrated back to them, within their CIs.

Each check is repeated over independent seeds and asserts a coverage that a correct 95%
interval reaches with near certainty (binomial 0.1% quantile), while a biased estimator or a
too-narrow interval misses it.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from sim.calibrate import (
    CalibrateOptions,
    Sample,
    calibrate_contacts,
    fit_family,
    fit_patience,
    fit_service,
    stacked_shifts,
)
from sim.calibrate.arrivals import dispersion_test, poisson_ci, uniform_test
from sim.logs import read_contacts
from tests.log_helpers import Truth, draw_contacts, write_bank

SEEDS = range(20)
MIN_COVERED = int(stats.binom.ppf(0.001, len(SEEDS), 0.95))


def _covers(ci: tuple[float, float], value: float) -> bool:
    return ci[0] <= value <= ci[1]


def test_poisson_interval_matches_its_definition() -> None:
    low, high = poisson_ci(10, 2.0)
    assert stats.poisson.sf(9, low * 2) == pytest.approx(0.025, abs=1e-9)
    assert stats.poisson.cdf(10, high * 2) == pytest.approx(0.025, abs=1e-9)
    assert poisson_ci(0, 1.0)[0] == 0.0


def test_arrival_rates_recovered_within_their_intervals(tmp_path: Path) -> None:
    truth = Truth(days=7)
    covered = total = 0
    for seed in range(4):
        log = read_contacts(write_bank(tmp_path / f"c{seed}.tsv", draw_contacts(truth, seed)))
        cal = calibrate_contacts(log, CalibrateOptions(day_type="weekday"))
        fit = cal.arrivals["all"]
        assert cal.window == (truth.open_hour * 3600.0, (truth.open_hour + 6) * 3600.0)
        for r, rate in zip(fit.intervals, truth.rates, strict=True):
            covered += _covers((r.ci_low, r.ci_high), rate)
            total += 1
    assert covered >= stats.binom.ppf(0.001, total, 0.95)


def test_service_mean_and_sd_recovered_within_their_intervals() -> None:
    truth = Truth()
    sigma2 = math.log1p((truth.service_sd / truth.service_mean) ** 2)
    mu = math.log(truth.service_mean) - sigma2 / 2
    mean_hits = sd_hits = 0
    for seed in SEEDS:
        x = np.random.default_rng(seed).lognormal(mu, math.sqrt(sigma2), 800)
        fit = fit_service(x)
        assert fit.best.family == "lognormal"
        mean_hits += _covers(fit.best.mean_ci, truth.service_mean)
        sd_hits += _covers(fit.best.sd_ci, truth.service_sd)
    assert mean_hits >= MIN_COVERED
    assert sd_hits >= MIN_COVERED


def test_gamma_service_is_told_apart_from_lognormal() -> None:
    x = np.random.default_rng(1).gamma(2.0, 100.0, 3000)
    fit = fit_service(x)
    assert fit.best.family == "gamma"
    assert _covers(fit.best.mean_ci, 200.0)


def test_censored_patience_recovered_within_its_interval() -> None:
    truth = Truth()
    hits = 0
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        patience = rng.exponential(truth.patience_mean, 1500)
        offer = rng.uniform(0, truth.offer_max, 1500)
        served = offer <= patience
        wait = np.where(served, offer, patience)
        fit = fit_family("exponential", Sample(wait[~served], wait[served]))
        hits += _covers(fit.mean_ci, truth.patience_mean)
    assert hits >= MIN_COVERED


def test_kaplan_meier_follows_the_true_survival_and_naive_fit_is_short() -> None:
    truth = Truth()
    rng = np.random.default_rng(5)
    patience = rng.exponential(truth.patience_mean, 4000)
    offer = rng.uniform(0, truth.offer_max, 4000)
    served = offer <= patience
    wait = np.where(served, offer, patience)
    fit = fit_patience(wait, served, np.ones(len(wait), dtype=bool))
    t = np.asarray(fit.km.t)
    inside = (t > 30) & (t < 500)
    true_sf = np.exp(-t[inside] / truth.patience_mean)
    low, high = np.asarray(fit.km.low)[inside], np.asarray(fit.km.high)[inside]
    assert np.mean((low <= true_sf) & (true_sf <= high)) > 0.9
    assert fit.naive.mean < 0.6 * truth.patience_mean
    # The hazard of an exponential patience is flat at 1/mean per minute.
    rates = [h for _, h, n in fit.hazard if n > 100]
    assert np.allclose(rates, 60 / truth.patience_mean, rtol=0.25)


def test_left_censored_tickets_shorten_the_patience_estimate() -> None:
    exact = np.array([100.0, 200.0, 300.0])
    served = np.array([400.0, 500.0, 600.0])
    with_left = fit_family("exponential", Sample(exact, served, np.array([50.0, 60.0])))
    without = fit_family("exponential", Sample(exact, served))
    assert with_left.mean < without.mean


def test_poisson_counts_pass_and_overdispersed_counts_fail_the_dispersion_test() -> None:
    rng = np.random.default_rng(2)
    poisson = rng.poisson(50, size=(30, 10))
    assert dispersion_test(poisson).p_value > 0.001
    factors = rng.gamma(4, 0.25, size=(30, 1))
    assert dispersion_test(rng.poisson(50 * factors)).p_value < 1e-6


def test_conditional_uniform_test_accepts_poisson_and_rejects_clustered_arrivals() -> None:
    rng = np.random.default_rng(3)
    uniform = {(d, 0): list(rng.uniform(0, 3600, 80)) for d in range(30)}
    assert uniform_test(uniform, 3600).p_value > 0.001
    early = {(d, 0): list(rng.uniform(0, 900, 80)) for d in range(30)}
    assert uniform_test(early, 3600).p_value < 1e-6


@pytest.mark.parametrize("profile", [[2, 4, 4, 3, 5, 1, 0, 2], [0, 0, 1], [3, 3, 3], []])
def test_stacked_shifts_reproduce_the_profile(profile: list[int]) -> None:
    starts = [3600.0 * h for h in range(len(profile))]
    shifts = stacked_shifts(profile, starts, 3600.0)
    on = [sum(n for a, b, n in shifts if a <= s < b) for s in starts]
    assert on == profile


def test_group_by_class_gives_one_client_class_per_log_class(tmp_path: Path) -> None:
    from sim.calibrate.writer import build_scenario

    path = write_bank(tmp_path / "c.tsv", draw_contacts(Truth(days=3), seed=12))
    lines = path.read_text().splitlines()
    lines[1::2] = [line.replace("\tPS\t", "\tNW\t") for line in lines[1::2]]
    path.write_text("\n".join(lines) + "\n")
    log = read_contacts(path)
    cal = calibrate_contacts(log, CalibrateOptions(group_by="class", day_type="weekday"))
    assert set(cal.groups) == {"PS", "NW"}
    scenario = build_scenario(cal)
    assert set(scenario.client_classes) == {"PS", "NW"}
    assert set(scenario.staff["agents"].skills) == {"PS", "NW"}
    total = sum(cal.arrivals[g].intervals[2].count for g in cal.groups)
    assert (
        total
        == calibrate_contacts(log, CalibrateOptions(day_type="weekday"))
        .arrivals["all"]
        .intervals[2]
        .count
    )


def test_unknown_grouping_and_staffing_are_refused(tmp_path: Path) -> None:
    from sim.errors import LogFileError

    log = read_contacts(write_bank(tmp_path / "c.tsv", draw_contacts(Truth(days=2), seed=1)))
    with pytest.raises(LogFileError, match="unknown grouping 'team'"):
        calibrate_contacts(log, CalibrateOptions(group_by="team"))
    with pytest.raises(LogFileError, match="unknown staffing estimate 'guess'"):
        calibrate_contacts(log, CalibrateOptions(staffing="guess"))
