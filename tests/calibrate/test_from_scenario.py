"""A log simulated from a known scenario is calibrated back to the scenario's parameters.

The scenario is an M/G/c+M office; its event log is written as a queue-ticket export, read back
and fitted. Each parameter must lie within 3.3 standard errors of its estimate (a 99.9%
interval built from the fit's own 95% CI), so a biased fit fails and chance does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.calibrate import CalibrateOptions, Sample, calibrate_contacts, fit_family
from sim.calibrate.patience import patience_sample
from sim.logs import ReadOptions, read_contacts
from tests.log_helpers import (
    EVERY_DAY,
    PATIENCE_MEAN,
    RATES,
    SERVICE_MEAN,
    SERVICE_SD,
    known_ticket_log,
)


def _within(estimate: float, ci: tuple[float, float], truth: float) -> bool:
    se = (ci[1] - ci[0]) / (2 * 1.96)
    return abs(estimate - truth) <= 3.3 * se


@pytest.fixture(scope="module")
def ticket_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return known_ticket_log(tmp_path_factory.mktemp("known") / "tickets.csv")


def test_scenario_parameters_are_recovered(ticket_log: Path) -> None:
    log = read_contacts(ticket_log, ReadOptions(fmt="tickets"))
    assert log.dropped.total == 0
    log = read_contacts(ticket_log, ReadOptions(fmt="tickets", day_types=EVERY_DAY))
    cal = calibrate_contacts(log, CalibrateOptions())
    assert cal.window == (8 * 3600.0, 14 * 3600.0)
    rates = cal.arrivals["all"].intervals
    assert sum(r.ci_low <= true <= r.ci_high for r, true in zip(rates, RATES, strict=True)) >= 4
    svc = next(f for f in cal.service["all"].fits if f.family == "lognormal")
    assert cal.service["all"].best.family == "lognormal"
    assert _within(svc.mean, svc.mean_ci, SERVICE_MEAN)
    assert _within(svc.sd, svc.sd_ci, SERVICE_SD)
    expo = fit_family("exponential", patience_sample(log.wait, log.served, log.exact_leave))
    assert _within(expo.mean, expo.mean_ci, PATIENCE_MEAN)
    naive = fit_family("exponential", Sample(log.wait[~log.served]))
    assert naive.mean < 0.5 * PATIENCE_MEAN
