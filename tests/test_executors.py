"""Executors: the same seeds give identical results in this process, in local worker processes
and on a Dask LocalCluster; setup errors are clear."""

from __future__ import annotations

import importlib
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from sim.experiment.api import run
from sim.experiment.executors import (
    ExecutorError,
    ProcessExecutor,
    SerialExecutor,
    _bounded,
    open_executor,
)
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.store import encode_result
from sim.results.summary import ExperimentResult
from tests.experiment_helpers import branch


def fingerprint_of(result: ExperimentResult) -> list[tuple[int, str]]:
    """Every replication's KPIs, profiles and checks as exact text (NaN compares equal)."""
    return [(r.replication, encode_result(r)) for r in result.replications]


@pytest.fixture(scope="module")
def scenario():
    return scenario_from_dict(branch(3, replications=6))


@pytest.fixture(scope="module")
def serial(scenario) -> ExperimentResult:
    return run(scenario, jobs=1)


def test_processes_match_serial(scenario, serial):
    parallel = run(scenario, jobs=2)
    assert fingerprint_of(parallel) == fingerprint_of(serial)
    assert parallel.summary == serial.summary


def test_dask_local_cluster_matches_serial(scenario, serial):
    pytest.importorskip(
        "distributed", reason="dask distributed is not installed (pip install 'officesim[dask]')"
    )
    on_dask = run(scenario, dask="local", jobs=2)
    assert fingerprint_of(on_dask) == fingerprint_of(serial)
    assert on_dask.summary == serial.summary


def test_open_executor_chooses_by_jobs():
    with open_executor(1) as ex:
        assert isinstance(ex, SerialExecutor)
        assert ex.describe() == "serial (1 worker)"
    with open_executor(2) as ex:
        assert isinstance(ex, ProcessExecutor)
        assert ex.workers == 2
    with pytest.raises(ExecutorError, match="at least 1"):
        open_executor(0)


def test_missing_dask_extra_is_a_clear_error(monkeypatch):
    real = importlib.import_module

    def fake(name: str, package: str | None = None):
        if name.startswith("dask"):
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr("sim.experiment.executors.importlib.import_module", fake)
    with pytest.raises(ExecutorError, match=r"pip install 'officesim\[dask\]'"):
        open_executor(2, dask="local")


def test_unreachable_scheduler_is_a_clear_error():
    pytest.importorskip("distributed", reason="dask distributed is not installed")
    from sim.experiment.executors import DaskExecutor

    with pytest.raises(ExecutorError, match="could not reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:9", timeout="1s")


def test_in_flight_tasks_stay_bounded():
    active = 0
    peak = 0
    lock = threading.Lock()

    def work(key: int):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.002)
        with lock:
            active -= 1
        return key, None

    with ThreadPoolExecutor(max_workers=8) as pool:

        def submit(task) -> Future:
            return pool.submit(work, task[0])

        done = sorted(k for k, _ in _bounded(((i, None, i) for i in range(40)), submit, 3))
    assert done == list(range(40))
    assert peak <= 3


def test_default_jobs_keep_small_runs_in_this_process(scenario, serial, monkeypatch):
    from sim.experiment.options import Execution
    from sim.experiment.replicate import Session, Unit

    with Session(Execution(jobs=None)) as session:
        session.execute([Unit.of("small", scenario)])
        assert session._executor is None
        assert [
            encode_result(r) for r in session.result(Unit.of("small", scenario)).replications
        ] == [encode_result(r) for r in serial.replications]
    monkeypatch.setattr("sim.experiment.replicate.AUTO_PARALLEL_SECONDS", 0.0)
    with Session(Execution(jobs=None)) as session:
        unit = Unit.of("small", scenario)
        session.execute([unit])
        assert session._executor is not None
        assert fingerprint_of(session.result(unit)) == fingerprint_of(serial)
