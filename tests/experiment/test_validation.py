"""Validation against the data: a model checked against a log simulated by itself agrees."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from sim.calibrate import CalibrateOptions
from sim.experiment.validation import METRICS, ValidateOptions, validate
from sim.logs import ReadOptions, read_contacts
from tests.log_helpers import EVERY_DAY, known_ticket_log


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return known_ticket_log(tmp_path_factory.mktemp("val") / "tickets.csv", days=6)


def test_the_model_reproduces_a_log_it_simulated(known: Path) -> None:
    log = read_contacts(known, ReadOptions(fmt="tickets", day_types=EVERY_DAY))
    # Five agents are on duty all day: in a busy office every one is seen every hour.
    _, v = validate(log, CalibrateOptions(staffing="seen"), ValidateOptions(replications=8, seed=3))
    assert v.scenario.staff["agents"].shifts is not None
    assert [r.metric for r in v.overall] == list(METRICS)
    for metric in ("abandonment_share", "wait_mean_min", "arrivals_per_day"):
        r = v.row(metric)
        assert r.simulated.ci_low <= r.observed.ci_high and r.observed.ci_low <= r.simulated.ci_high
        assert r.relative_error == pytest.approx(
            (r.simulated.mean - r.observed.mean) / r.observed.mean
        )
    assert len(v.hourly) == 2 * 6
    json.dumps(v.to_dict(), allow_nan=False)


def test_holdout_fits_before_the_date_and_validates_from_it(known: Path) -> None:
    log = read_contacts(known, ReadOptions(fmt="tickets", day_types=EVERY_DAY))
    holdout = dt.date(2024, 3, 7)
    cal, v = validate(log, CalibrateOptions(), ValidateOptions(holdout=holdout, replications=2))
    assert all(d < holdout for d in cal.dates) and len(cal.dates) == 3
    assert all(d >= holdout for d in v.validated_on) and len(v.validated_on) == 3
    assert v.scenario.days == 3
    assert not math.isnan(v.row("wait_mean_min", "08-09").simulated.mean)
