"""A back office on its own (no client classes, no front staff) through validate, run, report
and compare; the warnings a valid scenario can carry (default manual IT, deprecated deflection).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sim.cli.main import EXIT_INVALID, EXIT_OK, main
from sim.experiment.inputs import scenario_from_dict
from sim.scenario.advisories import scenario_warnings
from tests.conftest import small_scenario, write_yaml

NEUTRAL_IT = {"level": "integrated", "outage_every": None, "outage_repair": None}


def back_office_alone(**extra: Any) -> dict[str, Any]:
    return {
        "name": "claims",
        "days": 2,
        "replications": 3,
        "seed": 3,
        "hours": {"open": "08:00", "close": "16:00"},
        "back_office": {
            "teams": {"intake": {"count": 2}, "assess": {"count": 3, "cost_per_hour": 30}},
            "tasks": {
                "claim": {
                    "due": "1 d",
                    "arrivals": {"rate": 6},
                    "steps": [
                        {"team": "intake", "time": {"dist": "exponential", "mean": "10 min"}},
                        {"team": "assess", "time": {"dist": "exponential", "mean": "20 min"}},
                    ],
                }
            },
        },
        **extra,
    }


def test_validate_run_report_and_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    manual = write_yaml(tmp_path, back_office_alone(), "manual.yaml")
    neutral = write_yaml(tmp_path, back_office_alone(it=NEUTRAL_IT), "neutral.yaml")
    assert main(["validate", str(manual)]) == EXIT_OK
    out = capsys.readouterr()
    assert "a back office on its own; teams: intake, assess" in out.out
    assert out.err.count("warning:") == 1 and "it.level" in out.err
    assert main(["validate", str(neutral)]) == EXIT_OK
    assert "warning" not in capsys.readouterr().err

    folder = tmp_path / "run"
    assert main(["run", str(manual), "-o", str(folder), "-j", "1", "-q"]) == EXIT_OK
    out = capsys.readouterr()
    assert out.err.count("warning:") == 1
    assert "Tasks completed per day" in out.out and "Clients arriving" not in out.out
    doc = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert doc["warnings"][0]["key"] == "it.level"
    assert doc["targets"] == []
    assert doc["kpis"]["tasks.completed_per_day"]["mean"] > 0
    assert doc["kpis"]["team.assess.staff_cost_per_day"]["mean"] > 0
    (folder / "report.html").unlink()
    assert main(["report", str(folder)]) == EXIT_OK
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Warnings about the scenario" in html and "paper round" in html

    cmp = tmp_path / "cmp"
    assert main(["compare", str(manual), str(neutral), "-o", str(cmp), "-j", "1", "-q"]) == EXIT_OK
    out = capsys.readouterr()
    assert out.err.count("warning:") == 1
    rows = (cmp / "kpis.csv").read_text(encoding="utf-8")
    assert "tasks.cycle_time_mean_h" in rows


def test_nothing_to_simulate_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = back_office_alone()
    del data["back_office"]
    assert main(["validate", str(write_yaml(tmp_path, data))]) == EXIT_INVALID
    assert "client_classes: nothing to simulate" in capsys.readouterr().err


def test_clients_without_staff_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = small_scenario()
    del data["staff"]
    assert main(["validate", str(write_yaml(tmp_path, data))]) == EXIT_INVALID
    assert "no staff member" in capsys.readouterr().err


def test_warnings_name_their_key():
    assert scenario_warnings(scenario_from_dict(back_office_alone(it={"level": "manual"}))) == []
    deflecting = small_scenario()
    deflecting["it"] = {"deflection": 0.2}
    [(key, message)] = scenario_warnings(scenario_from_dict(deflecting))
    assert key == "it.deflection" and "deprecated" in message and "self_service" in message


def test_answer_quality_without_consequences_is_warned_about():
    data = small_scenario()
    data["it"] = {"level": "partial"}
    data["back_office"] = {
        "teams": {"stock": {"count": 1}},
        "tasks": {"t": {"due": "1 d", "steps": [{"team": "stock", "time": "5 min"}]}},
    }
    lookup = {"team": "stock", "probability": 0.3, "time": "1 min"}
    data["client_classes"]["walk_in"]["lookup"] = {**lookup, "quality": {"partial": {"stale": 0.2}}}
    [(key, message)] = scenario_warnings(scenario_from_dict(data))
    assert key == "client_classes.walk_in.lookup.quality" and "consequences" in message
    data["client_classes"]["walk_in"]["lookup"]["consequences"] = {"stale": {"leave": 0.5}}
    assert scenario_warnings(scenario_from_dict(data)) == []
