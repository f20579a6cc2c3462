"""Writing results: atomic files, and JSON without NaN when a KPI is undefined."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.results.output import atomic_write_text, kpis_csv, results_document, write_results
from sim.scenario.spec import Scenario
from tests.conftest import small_scenario


def test_atomic_write_creates_folders_and_replaces_content(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "out.txt"
    atomic_write_text(path, "first\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    atomic_write_text(path, "second ✓\n")
    assert path.read_bytes() == "second ✓\n".encode()
    assert [p.name for p in path.parent.iterdir()] == ["out.txt"]


def test_atomic_write_failure_keeps_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    atomic_write_text(path, "complete\n")
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(path, "half \ud800 written")  # a lone surrogate cannot be UTF-8
    assert path.read_text(encoding="utf-8") == "complete\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def never_served() -> Scenario:
    """A class whose every booked client is a no-show: its waiting-time KPIs are undefined."""
    data = small_scenario()
    data["client_classes"]["ghost"] = {
        "skill": "general",
        "appointments": {"times": ["10:00", "11:00"], "no_show": 1.0},
        "service": "5 min",
    }
    return scenario_from_dict(data)


@pytest.fixture(scope="module")
def undefined_kpis(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    sc = never_served()
    result = run(sc)
    assert math.isnan(result.kpi("class.ghost.wait_mean_min").mean)
    out = tmp_path_factory.mktemp("out")
    write_results(result, sc, out)
    return out, result


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"JSON holds {constant}")

    return json.loads(text, parse_constant=refuse)


def test_results_json_has_no_nan(undefined_kpis: tuple[Path, Any]) -> None:
    out, _ = undefined_kpis
    text = (out / "results.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    doc = strict_json(text)
    ghost = doc["kpis"]["class.ghost.wait_mean_min"]
    assert ghost["mean"] is None and ghost["ci_low"] is None and ghost["n"] == 0
    assert doc["kpis"]["class.ghost.arrivals_per_day"]["mean"] == 0.0
    for rep in doc["replications"]:
        assert rep["kpis"]["class.ghost.wait_mean_min"] is None
        assert rep["kpis"]["class.ghost.lost_share"] is None
    assert doc["scenario"]["sha256"] is None and doc["scenario"]["file"] is None


def test_kpis_csv_leaves_undefined_cells_empty(undefined_kpis: tuple[Path, Any]) -> None:
    out, result = undefined_kpis
    text = (out / "kpis.csv").read_text(encoding="utf-8")
    assert text == kpis_csv(result)
    rows = {r["kpi"]: r for r in csv.DictReader(io.StringIO(text))}
    ghost = rows["class.ghost.wait_mean_min"]
    assert (ghost["mean"], ghost["sd"], ghost["ci_low"], ghost["ci_high"]) == ("", "", "", "")
    assert ghost["n"] == "0"
    assert "nan" not in text.lower()


def test_results_document_records_the_command_and_seed() -> None:
    sc = scenario_from_dict(small_scenario(), overrides=["replications=2"])
    doc = results_document(run(sc), sc, command=["officesim", "run", "x.yaml"])
    assert doc["command"] == ["officesim", "run", "x.yaml"]
    assert doc["run"]["seed"] == 7 and doc["run"]["replications"] == 2
    assert doc["run"]["confidence"] == 0.95
    strict_json(json.dumps(doc, allow_nan=False))


def test_results_document_of_a_file_hashes_it(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("anything\n", encoding="utf-8")
    sc = scenario_from_dict(small_scenario(), overrides=["replications=2"])
    doc = results_document(run(sc), sc, scenario_file=path)
    assert doc["scenario"]["file"] == "s.yaml"  # the name: no path of this machine
    assert doc["scenario"]["sha256"] == hashlib.sha256(b"anything\n").hexdigest()


def test_results_documents_carry_no_absolute_path_of_the_command_line(tmp_path: Path) -> None:
    sc = scenario_from_dict(small_scenario(), overrides=["replications=2"])
    scenario, out = str(tmp_path / "s.yaml"), str(tmp_path / "out")
    doc = results_document(run(sc), sc, command=["officesim", "run", scenario, "-o", out])
    assert doc["command"] == ["officesim", "run", "s.yaml", "-o", "out"]
    assert str(tmp_path) not in json.dumps(doc)
