"""Executors: the same seeds give identical results in this process, in local worker processes
and on a Dask LocalCluster; setup errors are clear."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from sim.experiment.api import run
from sim.experiment.executors import (
    ExecutorError,
    ProcessExecutor,
    SerialExecutor,
    _bounded,
    chunked,
    open_executor,
)
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.options import Execution
from sim.experiment.replicate import CHUNK_SECONDS, chunk_size, worth_sharing
from sim.experiment.store import encode_result
from sim.results.summary import ExperimentResult
from sim.workers import _alive
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


@pytest.fixture
def always_share(monkeypatch):
    """Workers start whatever the amount of work (normally small work stays in process)."""
    monkeypatch.setattr("sim.experiment.replicate.AUTO_PARALLEL_SECONDS", float("-inf"))


def test_processes_match_serial(scenario, serial, always_share):
    from sim.experiment.replicate import Session, Unit

    with Session(Execution(jobs=2)) as session:
        unit = Unit.of("parallel", scenario)
        session.execute([unit])
        assert isinstance(session._executor, ProcessExecutor)
        parallel = session.result(unit)
    assert fingerprint_of(parallel) == fingerprint_of(serial)
    assert parallel.summary == serial.summary


@pytest.mark.parametrize("chunk", [1, 4, 100])
def test_chunks_of_any_size_match_serial(scenario, serial, chunk):
    tasks = [(7, scenario, i) for i in range(scenario.replications)]
    with ProcessExecutor(2) as ex:
        done = sorted(ex.map_unordered(tasks, chunk), key=lambda d: d[1].replication)
    assert [k for k, _ in done] == [7] * scenario.replications
    assert [encode_result(r) for _, r in done] == [encode_result(r) for r in serial.replications]


def test_forkserver_workers_match_serial(scenario, serial, monkeypatch):
    """Where workers cannot be forked (macOS, Windows) they come from a forkserver."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no forkserver on this platform")
    monkeypatch.setattr("sim.experiment.executors.start_method", lambda: "forkserver")
    tasks = [(0, scenario, i) for i in range(scenario.replications)]
    with ProcessExecutor(2) as ex:
        assert ex.method == "forkserver"
        done = sorted((r for _, r in ex.map_unordered(tasks, 2)), key=lambda r: r.replication)
    assert [encode_result(r) for r in done] == [encode_result(r) for r in serial.replications]


def test_chunked_groups_consecutive_tasks_of_one_scenario(scenario):
    other = scenario.model_copy()
    tasks = [(0, scenario, 0), (0, scenario, 1), (0, scenario, 2), (1, other, 0), (0, scenario, 3)]
    chunks = [(k, sc is scenario, reps) for k, sc, reps in chunked(tasks, 2)]
    assert chunks == [(0, True, (0, 1)), (0, True, (2,)), (1, False, (0,)), (0, True, (3,))]
    assert list(chunked([], 3)) == []


def test_chunk_size_follows_the_time_per_replication():
    # 1,000 quick replications: about CHUNK_SECONDS of work per chunk.
    assert chunk_size(0.01, 1000, 2) == int(CHUNK_SECONDS / 0.01)
    # Slow replications: one per chunk; few tasks: spread over the workers first.
    assert chunk_size(5.0, 1000, 2) == 1
    assert chunk_size(0.001, 16, 2) == 2
    # Time not yet known (Dask, before any result): CHUNKS_PER_WORKER chunks per worker.
    assert chunk_size(None, 1000, 2) == 125
    # Dask asks for longer chunks than local workers.
    assert chunk_size(0.01, 1000, 2, seconds=2.0) == 125


def test_chunks_shrink_towards_the_end_and_cover_every_task_once(scenario):
    tasks = [(0, scenario, i) for i in range(40)]
    sizes = [len(reps) for _, _, reps in chunked(tasks, 6, workers=2)]
    assert [i for _, _, reps in chunked(tasks, 6, workers=2) for i in reps] == list(range(40))
    assert max(sizes) == 6 and sizes == sorted(sizes, reverse=True)
    assert sizes[-4:] == [1, 1, 1, 1]  # the last ones are single replications
    # Without workers the sizes stay fixed.
    assert [len(r) for _, _, r in chunked(tasks, 6)] == [6] * 6 + [4]


def test_small_work_is_not_worth_sharing():
    assert not worth_sharing(0.2, 2, 2, "fork")
    assert worth_sharing(0.2, 80, 2, "fork")
    assert not worth_sharing(0.2, 80, 1, "fork")
    # Workers that import everything afresh need more work to pay for themselves.
    assert worth_sharing(0.2, 20, 2, "fork") and not worth_sharing(0.2, 20, 2, "spawn")


def test_meanwhile_runs_once_while_workers_still_have_replications(scenario, always_share):
    """The caller's work for afterwards runs once, after the first result from the workers
    (the probe replication and one other are in; the rest are still being simulated)."""
    from sim.experiment.replicate import Session, Unit

    seen: list[int] = []
    unit = Unit.of("parallel", scenario)
    with Session(Execution(jobs=2, meanwhile=lambda: seen.append(len(store.done(fp))))) as s:
        store, fp = s.store, unit.fingerprint
        s.execute([unit])
        assert isinstance(s._executor, ProcessExecutor)
    assert seen == [2] and scenario.replications > 2


def test_a_search_shares_a_first_batch_a_single_run_keeps_here(scenario, serial, monkeypatch):
    """An iterative session (``optimize``) needs no margin beyond the workers' start cost."""
    from sim.experiment.replicate import Session, Unit

    monkeypatch.setattr("sim.experiment.replicate.AUTO_PARALLEL_SECONDS", float("inf"))
    monkeypatch.setattr(
        "sim.experiment.replicate.START_SECONDS", {"fork": 0.0, "forkserver": 0.0, "spawn": 0.0}
    )
    for iterative in (False, True):
        with Session(Execution(jobs=2), iterative=iterative) as session:
            unit = Unit.of("first batch", scenario)
            session.execute([unit])
            assert (session._executor is not None) is iterative
            assert fingerprint_of(session.result(unit)) == fingerprint_of(serial)


def test_margin_of_sharing():
    assert worth_sharing(0.035, 20, 2, "fork", margin=0.0)
    assert not worth_sharing(0.035, 20, 2, "fork")  # 0.25 s saved: below the usual margin
    assert not worth_sharing(0.035, 5, 2, "fork", margin=0.0)  # less than starting them costs


def test_meanwhile_is_not_called_when_everything_runs_here(scenario, serial):
    calls: list[str] = []
    result = run(scenario, execution=Execution(jobs=1, meanwhile=lambda: calls.append("x")))
    assert calls == []
    assert fingerprint_of(result) == fingerprint_of(serial)


def test_explicit_jobs_keep_small_runs_in_this_process(scenario, serial, monkeypatch):
    from sim.experiment.replicate import Session, Unit

    monkeypatch.setattr("sim.experiment.replicate.AUTO_PARALLEL_SECONDS", float("inf"))
    with Session(Execution(jobs=2)) as session:
        unit = Unit.of("small", scenario)
        session.execute([unit])
        assert session._executor is None
        assert fingerprint_of(session.result(unit)) == fingerprint_of(serial)


def test_a_zombie_parent_counts_as_gone():
    """A worker polling a command that was killed but not yet reaped must still stop."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while _alive(child.pid, forked=False):
        assert time.monotonic() < deadline, "a finished child still looks alive"
        time.sleep(0.05)
    assert child.poll() == 0  # reaped only now: it was a zombie while polled
    assert _alive(os.getpid(), forked=False)


def test_dask_local_cluster_matches_serial(scenario, serial):
    pytest.importorskip(
        "distributed", reason="dask distributed is not installed (pip install 'officesim[dask]')"
    )
    on_dask = run(scenario, dask="local", jobs=2)
    assert fingerprint_of(on_dask) == fingerprint_of(serial)
    assert on_dask.summary == serial.summary


def test_dask_local_workers_begin_with_the_plans_built(scenario):
    """Forked from this process, LocalCluster workers neither import nor build plans again."""
    pytest.importorskip("distributed", reason="dask distributed is not installed")
    from sim.experiment.executors import DaskExecutor
    from sim.experiment.inputs import plan_builds
    from sim.workers import start_method

    if start_method() != "fork":
        pytest.skip("workers are forked on Linux only")
    from sim.experiment.replicate import prepare

    sc = prepare(Path(__file__).parents[1] / "scenarios" / "bank_branch.yaml", replications=4)
    built = plan_builds()
    with DaskExecutor("local", 2) as ex:
        done = list(ex.map_unordered([(0, sc, i) for i in range(4)], 1))
        counts = ex._client.run(plan_builds)
    assert sorted(r.replication for _, r in done) == [0, 1, 2, 3]
    assert set(counts.values()) == {built}


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

    # What counts as small is worth_sharing's business (tested above); here: the session obeys.
    monkeypatch.setattr("sim.experiment.replicate.AUTO_PARALLEL_SECONDS", float("inf"))
    with Session(Execution(jobs=None)) as session:
        session.execute([Unit.of("small", scenario)])
        assert session._executor is None
        assert [
            encode_result(r) for r in session.result(Unit.of("small", scenario)).replications
        ] == [encode_result(r) for r in serial.replications]
    monkeypatch.setattr("sim.experiment.replicate.AUTO_PARALLEL_SECONDS", float("-inf"))
    with Session(Execution(jobs=None)) as session:
        unit = Unit.of("small", scenario)
        session.execute([unit])
        assert session._executor is not None
        assert fingerprint_of(session.result(unit)) == fingerprint_of(serial)
