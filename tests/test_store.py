"""The results store: exact round trips, one row per replication, resume runs only what is
missing and gives the same results as an uninterrupted run."""

from __future__ import annotations

import math
import sqlite3

import pytest

from sim.cli.main import EXIT_OK, main
from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.store import STORE_FILE, ResultStore, decode_result, encode_result, fingerprint
from sim.results.summary import ReplicationResult
from tests.conftest import write_yaml
from tests.experiment_helpers import branch


def rows_per_run(folder) -> list[tuple[int, int]]:
    with sqlite3.connect(folder / STORE_FILE) as con:
        return con.execute(
            "SELECT run_id, COUNT(*) FROM replications GROUP BY run_id ORDER BY run_id"
        ).fetchall()


def test_encoding_round_trips_exactly():
    rep = ReplicationResult(
        replication=4,
        kpis={"a": 0.1 + 0.2, "b": math.nan, "c": 1e-300},
        hourly={"arrivals": [1.0, math.nan, 2.5]},
        checks={"arrived": 10.0},
        wall_time=0.123456789,
        traffic={"a|b": 3.25},
    )
    back = decode_result(4, rep.wall_time, encode_result(rep))
    assert encode_result(back) == encode_result(rep)
    assert back.kpis["a"] == 0.1 + 0.2
    assert math.isnan(back.kpis["b"])
    assert back.traffic == rep.traffic


def test_fingerprint_ignores_labels_but_not_the_model():
    base = scenario_from_dict(branch(3))
    renamed = scenario_from_dict(branch(3, name="other", replications=99, description="x"))
    restaffed = scenario_from_dict(branch(4, name=base.name))
    reseeded = scenario_from_dict(branch(3, seed=4))
    assert fingerprint(base) == fingerprint(renamed)
    assert fingerprint(base) != fingerprint(restaffed)
    assert fingerprint(base) != fingerprint(reseeded)


def test_a_replication_is_stored_once(tmp_path):
    sc = scenario_from_dict(branch(3, replications=2))
    rep = run(sc).replications[0]
    with ResultStore(tmp_path / STORE_FILE) as store:
        store.add("fp", rep)
        with pytest.raises(sqlite3.IntegrityError):
            store.add("fp", rep)
        assert store.done("fp") == {0}
        assert store.count() == 1
        with pytest.raises(KeyError, match="replication 1"):
            store.load("fp", [0, 1])


def test_resume_runs_only_missing_replications(tmp_path):
    sc = scenario_from_dict(branch(3))
    first = run(sc, replications=5, store=tmp_path)
    assert rows_per_run(tmp_path) == [(1, 5)]
    more = run(sc, replications=12, store=tmp_path, resume=True)
    assert rows_per_run(tmp_path) == [(1, 5), (2, 7)]
    fresh = run(sc, replications=12)
    assert [encode_result(r) for r in more.replications] == [
        encode_result(r) for r in fresh.replications
    ]
    assert [encode_result(r) for r in first.replications] == [
        encode_result(r) for r in fresh.replications[:5]
    ]
    again = run(sc, replications=12, store=tmp_path, resume=True)
    assert rows_per_run(tmp_path) == [(1, 5), (2, 7)]
    assert again.summary == more.summary


def test_without_resume_the_store_starts_afresh(tmp_path):
    sc = scenario_from_dict(branch(3))
    run(sc, replications=3, store=tmp_path)
    run(sc, replications=3, store=tmp_path)
    assert rows_per_run(tmp_path) == [(1, 3)]


def test_cli_run_resume(tmp_path, capsys):
    file = write_yaml(tmp_path, branch(3, replications=4))
    out = tmp_path / "out"
    assert main(["run", str(file), "-o", str(out), "-q", "--jobs", "1"]) == EXIT_OK
    first = (out / "kpis.csv").read_text()
    assert main(["run", str(file), "-o", str(out), "-q", "-j", "1", "--resume"]) == EXIT_OK
    assert (out / "kpis.csv").read_text() == first
    assert rows_per_run(out) == [(1, 4)]
    assert main(["run", str(file), "-o", str(out), "-q", "-j", "1", "--resume", "-n", "6"]) == 0
    assert rows_per_run(out) == [(1, 4), (3, 2)]
    assert "wrote" in capsys.readouterr().out
