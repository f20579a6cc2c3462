"""Sweeps: variants expand as grid × cases, are validated together, and a sweep killed with
SIGKILL resumes to the same table without running any replication twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from sim.cli.main import EXIT_INVALID, EXIT_OK, main
from sim.errors import ScenarioError
from sim.experiment.api import sweep
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.store import STORE_FILE, fingerprint
from sim.experiment.sweeps import load_variants
from tests.conftest import write_yaml
from tests.experiment_helpers import branch

REPO = Path(__file__).resolve().parents[1]


def test_grid_times_cases(tmp_path):
    data = branch(3)
    data["variants"] = {
        "grid": {"staff.teller.count": [2, 3]},
        "cases": [{"hours.close": "12:00"}, {"hours.close": "13:00", "seed": 8}],
    }
    variants = load_variants(write_yaml(tmp_path, data))
    assert [v.label for v in variants] == [
        "hours.close=12:00, staff.teller.count=2",
        "hours.close=12:00, staff.teller.count=3",
        "hours.close=13:00, seed=8, staff.teller.count=2",
        "hours.close=13:00, seed=8, staff.teller.count=3",
    ]
    assert [v.scenario.staff["teller"].count for v in variants] == [2, 3, 2, 3]
    assert variants[3].scenario.seed == 8


def test_every_bad_variant_is_reported(tmp_path):
    data = branch(3)
    data["variants"] = {"grid": {"staff.teller.count": [2, -1], "staff.teller.cuont": [1]}}
    with pytest.raises(ScenarioError) as err:
        load_variants(write_yaml(tmp_path, data))
    text = str(err.value)
    assert "variant 1: staff.teller.count=2, staff.teller.cuont=1" in text
    assert "did you mean 'count'" in text
    assert "variant 2" in text


def test_a_scenario_without_variants_is_refused(tmp_path):
    file = write_yaml(tmp_path, branch(3))
    assert main(["sweep", str(file), "-o", str(tmp_path / "o"), "-q"]) == EXIT_INVALID


def test_layout_is_a_key_path_like_any_other(tmp_path):
    plan = {
        "name": "Room",
        "spaces": {
            "hall": {"category": "service", "rect": [0, 0, 10, 6]},
            "waiting": {"category": "waiting", "rect": [0, 6, 10, 4]},
        },
        "doors": [
            {"between": ["outside", "hall"], "at": [1, 0], "width": 1.2},
            {"between": ["hall", "waiting"], "at": [5, 6], "width": 1.2},
        ],
        "desks": [{"id": "D1", "at": [8, 1]}, {"id": "D2", "at": [8, 3]}],
        "seats": [{"row": {"from": [1, 8], "to": [9, 8], "count": 10, "prefix": "S"}}],
        "entrances": [{"id": "in", "at": [1, 0.5]}],
    }
    (tmp_path / "plans").mkdir()
    for name, x in (("near", 2), ("far", 9)):
        plan["desks"] = [{"id": "D1", "at": [x, 1]}, {"id": "D2", "at": [x, 3]}]
        (tmp_path / "plans" / f"{name}.yaml").write_text(yaml.safe_dump(plan))
    data = branch(2, replications=2)
    data["staff"]["teller"]["desks"] = ["D1", "D2"]
    data["layout"] = "plans/near.yaml"
    data["variants"] = {"grid": {"layout": ["plans/near.yaml", "plans/far.yaml"]}}
    file = write_yaml(tmp_path, data)
    variants = load_variants(file)
    assert [v.scenario.layout for v in variants] == [
        (tmp_path / "plans" / "near.yaml").resolve(),
        (tmp_path / "plans" / "far.yaml").resolve(),
    ]
    assert fingerprint(variants[0].scenario) != fingerprint(variants[1].scenario)
    result = sweep(file)
    assert [v.variant.label for v in result.variants] == [
        "layout=plans/near.yaml",
        "layout=plans/far.yaml",
    ]


def test_sweep_table_has_a_row_per_variant_and_kpi():
    data = branch(3, replications=3)
    data["variants"] = {"cases": [{"staff.teller.count": 2}, {"staff.teller.count": 4}]}
    result = sweep(scenario_from_dict(data))
    rows = result.rows()
    kpis = list(result.variants[0].summary)
    assert len(rows) == 2 * len(kpis)
    assert {r["staff.teller.count"] for r in rows} == {2, 4}
    worse, better = (result.variants[i].summary["all.wait_mean_min"].mean for i in (0, 1))
    assert better < worse


def stored_rows(db: Path) -> int:
    """Rows in a store another process is writing (0 while it does not exist yet)."""
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT COUNT(*) FROM replications").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_killed_sweep_resumes_to_the_same_table(tmp_path):
    data = branch(5, replications=12, days=2)
    data["hours"] = {"open": "08:00", "close": "17:00"}
    data["client_classes"]["walk_in"]["arrivals"]["rate"] = 60
    data["variants"] = {"grid": {"staff.teller.count": [5, 6, 7]}}
    total = 36
    file = write_yaml(tmp_path, data)
    out = tmp_path / "killed"
    # While a command runs, its store is in the staging folder beside the output folder.
    db = tmp_path / ".killed.partial" / STORE_FILE
    cmd = [sys.executable, "-m", "sim", "sweep", str(file), "-o", str(out), "-q", "-j", "2"]
    proc = subprocess.Popen(
        cmd, cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while stored_rows(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()  # reaps it and closes its pipe
    assert proc.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"
    before = stored_rows(db)
    assert 3 <= before < total
    assert not (out / "kpis.csv").exists()

    resumed = subprocess.run(
        [*cmd, "--resume"], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert resumed.returncode == EXIT_OK, resumed.stderr
    clean = tmp_path / "clean"
    assert main(["sweep", str(file), "-o", str(clean), "-q", "-j", "1"]) == EXIT_OK
    assert (out / "kpis.csv").read_bytes() == (clean / "kpis.csv").read_bytes()

    with sqlite3.connect(out / STORE_FILE) as con:
        per_run = con.execute(
            "SELECT run_id, COUNT(*) FROM replications GROUP BY run_id ORDER BY run_id"
        ).fetchall()
        distinct = con.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT fingerprint, replication FROM replications)"
        ).fetchone()[0]
        runs = con.execute("SELECT id, resumed FROM runs ORDER BY id").fetchall()
    assert per_run == [(1, before), (2, total - before)]
    assert distinct == total
    assert runs == [(1, 0), (2, 1)]
