"""``officesim calibrate`` end to end: the real call-centre data, every preset, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import yaml

from sim.cli import main
from sim.experiment.inputs import load_scenario
from sim.experiment.replication import run_replication
from sim.scenario.schema import scenario_json_schema
from tests.log_helpers import Truth, draw_contacts, ticket_rows, write_bank, write_csv

BANK = Path("/work/shared/data/anonymous_bank_1999/calls_1999-02-01_to_14.tsv")
SLICE = Path(__file__).resolve().parents[1] / "data" / "bank_slice.tsv"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not BANK.is_file():
        pytest.skip("the Anonymous Bank data set is not on this machine")
    out = tmp_path_factory.mktemp("bank")
    assert main(["calibrate", str(BANK), "-o", str(out), "-q"]) == 0
    return out


def test_real_data_gives_a_valid_scenario_that_runs(real: Path) -> None:
    text = (real / "calibrated.yaml").read_text()
    jsonschema.validate(yaml.safe_load(text), scenario_json_schema())
    scenario = load_scenario(real / "calibrated.yaml")
    assert (scenario.hours.open, scenario.hours.close) == (7 * 3600, 24 * 3600)
    result = run_replication(scenario.model_copy(update={"days": 1}), 0)
    assert result.kpis["all.arrivals_per_day"] > 500
    # Every calibrated number line carries its provenance comment.
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- ") and stripped[2:3].isdigit():
            assert "#" in line, line


def test_real_data_findings_of_brown_et_al(real: Path) -> None:
    doc = json.loads((real / "calibration.json").read_text())
    g = doc["groups"]["all"]
    # Services of 10 s or more are lognormal; the spike of short ones is reported.
    assert g["service"]["body_fits"][0]["family"] == "lognormal"
    assert g["service"]["short_share"] > 0.03
    # Ignoring censoring gives a clearly shorter patience than the censored fits.
    censored = min(f["mean_s"] for f in g["patience"]["fits"])
    assert g["patience"]["naive"]["mean_s"] < 0.3 * censored
    # The weekday shape: morning and afternoon peaks far above the first and last hours.
    rates = {iv["start"] / 3600: iv["per_hour"] for iv in g["arrivals"]["intervals"]}
    assert min(rates[10], rates[16]) > 2 * max(rates[7], rates[23])
    reasons = {r["reason"]: r["count"] for r in doc["dropped"]}
    assert reasons["phantom call (a virtual call to ignore)"] == 143
    html = (real / "report.html").read_text()
    for chart in ("arrival_profile", "qq_all", "survival_all", "staffing"):
        assert f'data-chart="{chart}"' in html


def test_validate_and_holdout_on_a_slice(tmp_path: Path) -> None:
    contacts = draw_contacts(Truth(days=4, rates=(20.0, 40.0, 30.0)), seed=8)
    log = write_bank(tmp_path / "calls.tsv", contacts)
    out = tmp_path / "out"
    code = main(["calibrate", str(log), "-o", str(out), "--holdout", "2024-03-06", "-n", "2", "-q",
                 "--staffing", "seen"])  # fmt: skip
    assert code == 0
    doc = json.loads((out / "calibration.json").read_text())
    assert doc["validation"]["holdout"] == "2024-03-06"
    assert doc["before"] == "2024-03-06"
    html = (out / "report.html").read_text()
    assert 'data-chart="validation_abandonment_share"' in html
    assert "Simulated vs observed" in html


def test_ticket_export_preset(tmp_path: Path) -> None:
    contacts = draw_contacts(Truth(days=3), seed=9)
    path = write_csv(tmp_path / "tickets.csv", ticket_rows(contacts))
    out = tmp_path / "out"
    assert (
        main(
            [
                "calibrate",
                str(path),
                "--format",
                "tickets",
                "--interval",
                "15",
                "-o",
                str(out),
                "-q",
                "--no-report",
            ]
        )
        == 0
    )
    scenario = load_scenario(out / "calibrated.yaml")
    assert scenario.client_classes["all"].patience is not None
    doc = json.loads((out / "calibration.json").read_text())
    starts = [iv["start"] for iv in doc["profile"]["weekday"]["intervals"]]
    assert np.allclose(np.diff(starts), 900)


def test_task_log_preset(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    rows = [["task", "type", "step", "team", "start", "end"]]
    for k in range(300):
        day = 4 + k % 5
        t = 9 * 3600 + rng.uniform(0, 8 * 3600)
        steps = ["check", "approve"] + (["check", "approve"] if rng.random() < 0.2 else [])
        for step in steps:
            d = rng.lognormal(6, 0.5)
            rows.append([f"T{k}", "claim", step, "ops" if step == "check" else "lead",
                         _stamp(day, t), _stamp(day, t + d)])  # fmt: skip
            t += d + 60
    path = write_csv(tmp_path / "tasks.csv", rows)
    out = tmp_path / "out"
    assert main(["calibrate", str(path), "--format", "tasks", "-o", str(out), "-q"]) == 0
    assert "Back-office task types" in (out / "report.html").read_text()
    fragment = yaml.safe_load((out / "back_office_tasks.yaml").read_text())
    claim = fragment["tasks"]["claim"]
    assert [s["team"] for s in claim["steps"]] == ["ops", "lead"]
    rework = claim["steps"][1]["rework"]
    assert rework["to"] == 0 and 0.12 < rework["probability"] < 0.28
    from sim.scenario.backoffice import TaskType

    TaskType.model_validate(claim)


def _stamp(day: int, seconds: float) -> str:
    h, rem = divmod(int(seconds), 3600)
    return f"2024-03-{day:02d} {h:02d}:{rem // 60:02d}:{rem % 60:02d}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.tsv"], "no such file"),
        ([str(SLICE), "--format", "tickets"], "missing column(s) 'issued'"),
        ([str(SLICE), "--map", "nonsense"], "expected COLUMN=FIELD"),
        ([str(SLICE), "--day-type", "holiday"], "no dates of day type 'holiday'"),
        ([str(SLICE), "--tz", "Nowhere/City"], "unknown time zone"),
        ([str(SLICE), "--holdout", "1999-01-01"], "no records before 1999-01-01"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calibrate", *args, "-o", str(tmp_path), "-q"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_the_parser_offers_every_preset() -> None:
    from sim.cli.calibrate import FORMAT_NAMES
    from sim.logs import FORMATS

    assert set(FORMAT_NAMES) == set(FORMATS)
