"""Targets per client class and hour of day, and per task type: KPIs, verdicts, validation."""

from __future__ import annotations

import pytest

from sim.cli.main import EXIT_INVALID, main
from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.results.targets import check_targets
from tests.conftest import small_scenario, write_yaml

FULL = "window.all.09:00-12:00.within_10min"
EARLY = "window.walk_in.09:00-10:00.within_5min"
LATE = "window.walk_in.10:00-12:00.within_5min"


@pytest.fixture(scope="module")
def windows():
    data = small_scenario()
    data["targets"]["specific"] = [
        {"service_level": 0.5},
        {
            "clients": ["walk_in"],
            "between": ["09:00", "10:00"],
            "wait": "5 min",
            "service_level": 0.99,
            "max_abandonment": 0.5,
        },
        {
            "name": "Late morning",
            "clients": ["walk_in"],
            "between": ["10:00", "12:00"],
            "wait": "5 min",
            "service_level": 0.01,
        },
    ]
    scenario = scenario_from_dict(data)
    return scenario, run(scenario)


def test_a_window_over_all_opening_hours_repeats_the_office_wide_kpis(windows):
    _, result = windows
    for rep in result.replications:
        for metric in (
            "arrivals_per_day",
            "served_per_day",
            "service_level",
            "lost_share",
            "wait_mean_min",
        ):
            assert rep.kpis[f"{FULL}.{metric}"] == rep.kpis[f"all.{metric}"], metric


def test_windows_split_the_clients_by_arrival_time(windows):
    _, result = windows
    for rep in result.replications:
        k = rep.kpis
        assert k[f"{EARLY}.arrivals_per_day"] + k[f"{LATE}.arrivals_per_day"] == pytest.approx(
            k["all.arrivals_per_day"]
        )
        assert k[f"{EARLY}.arrivals_per_day"] == pytest.approx(rep.hourly["arrivals"][0])
        # Served within 5 min is at most served within 10 min, per window and overall.
        within_5 = (
            k[f"{EARLY}.service_level"] * k[f"{EARLY}.arrivals_per_day"]
            + k[f"{LATE}.service_level"] * k[f"{LATE}.arrivals_per_day"]
        )
        assert within_5 <= k["all.service_level"] * k["all.arrivals_per_day"] + 1e-9


def test_specific_targets_are_judged_with_readable_names(windows):
    scenario, result = windows
    checks = {c.name: c for c in check_targets(scenario.targets, result, scenario)}
    assert checks["all clients: 50% served within 10 min"].kpi == f"{FULL}.service_level"
    early = checks["walk in: 99% served within 5 min between 09:00 and 10:00"]
    assert early.kpi == f"{EARLY}.service_level" and early.verdict == "missed"
    assert checks["walk in: at most 50% lost between 09:00 and 10:00"].direction == "at_most"
    late = checks["Late morning: 1% served within 5 min between 10:00 and 12:00"]
    assert late.verdict == "met"
    assert late.estimate == result.kpi(f"{LATE}.service_level")
    # Without the scenario only the office-wide targets are judged (as before).
    assert [c.kpi for c in check_targets(scenario.targets, result)] == [
        "all.service_level",
        "all.lost_share",
    ]


@pytest.mark.parametrize(
    ("target", "path", "words"),
    [
        (
            {"clients": ["walkin"], "service_level": 0.8},
            "targets.specific[0].clients[0]",
            "no client class 'walkin'",
        ),
        (
            {"between": ["11:00", "10:00"], "service_level": 0.8},
            "targets.specific[0].between",
            "is not after",
        ),
        (
            {"between": ["08:00", "10:00"], "service_level": 0.8},
            "targets.specific[0].between",
            "not within the opening hours",
        ),
        ({"clients": ["walk_in"]}, "targets.specific[0]", "no target value"),
        ({"task": "claim", "on_time": 0.9}, "targets.specific[0].task", "no task type"),
        ({"on_time": 0.9}, "targets.specific[0].on_time", "expected 'task'"),
    ],
)
def test_bad_specific_targets_are_refused_with_their_key_path(
    tmp_path, capsys, target, path, words
):
    data = small_scenario()
    data["targets"]["specific"] = [target]
    file = write_yaml(tmp_path, data)
    assert main(["validate", str(file)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert path in err and words in err, err
    assert "Traceback" not in err
