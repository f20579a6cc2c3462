"""compare and sweep answer on the terminal: decision table, winner, --kpi and --json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sim.cli.main import EXIT_OK, main
from tests.conftest import write_yaml
from tests.experiment_helpers import branch

REPO = Path(__file__).resolve().parents[2]
ZONING = sorted(str(p) for p in (REPO / "scenarios").glob("zoning_*.yaml"))
FAST = ["-n", "3", "--set", "days=1", "-q", "-j", "1", "--no-report"]


@pytest.fixture(scope="module")
def zoning(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zoning")
    assert main(["compare", *ZONING, "-o", str(out), *FAST]) == EXIT_OK
    return out


def test_zoning_compare_prints_the_numbers_that_decide_and_the_winner(zoning, capsys):
    assert main(["compare", *ZONING, "-o", str(zoning), *FAST, "--resume"]) == EXIT_OK
    text = capsys.readouterr().out
    for words in ("Interruptions", "creation to", "Rent", "Total cost", "Target:"):
        assert words in text, words
    assert any(
        line.startswith(("Winner:", "Provisional winner:", "No option"))
        for line in text.splitlines()
    )
    assert "paired difference vs the reference" in text


def test_json_summary_parses_and_carries_the_numbers_of_kpis_csv(zoning, capsys):
    capsys.readouterr()
    args = ["compare", *ZONING, "-o", str(zoning), *FAST, "--resume", "--json"]
    assert main([*args, "--kpi", "task.*.on_time_share"]) == EXIT_OK
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert "wrote" in captured.err
    assert doc["kind"] == "compare"
    assert doc["decision"]["choice"] in {o["label"] for o in doc["options"]}
    assert "task.case_file.on_time_share" in doc["decision"]["kpis"]
    with (zoning / "kpis.csv").open() as fh:
        rows = {(r["option"], r["kpi"]): r for r in csv.DictReader(fh)}
    compared = 0
    for opt in doc["options"]:
        for key, values in opt["kpis"].items():
            row = rows[(opt["label"], key)]
            for col in ("mean", "sd", "ci_low", "ci_high"):
                expected = None if row[col] == "" else float(row[col])
                assert values[col] == expected, (key, col)
            if "difference" in values:
                assert values["difference"]["mean"] == float(row["diff_mean"])
            compared += 1
    assert compared >= 3 * 6


def test_sweep_prints_a_decision_table(tmp_path, capsys):
    data = branch(3, replications=10)
    data["variants"] = {"grid": {"staff.teller.count": [2, 5]}}
    file = write_yaml(tmp_path, data)
    args = ["sweep", str(file), "-o", str(tmp_path / "out"), "-q", "-j", "1", "--no-report"]
    assert main(args) == EXIT_OK
    text = capsys.readouterr().out
    # Two tellers for 36 clients an hour lose a third of them; five meet the targets.
    assert "Winner: staff.teller.count=5" in text
    assert "dearer than staff.teller.count=2, which does not meet every target" in text
    assert text.count("Staff cost") + text.count("staff cost") <= 1
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert doc["decision"]["choice"] == "staff.teller.count=5"
