"""Floor plans are built once per process: every replication in a worker reuses the plan."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sim.experiment import inputs
from sim.experiment.replication import run_replication

ROOT = Path(__file__).resolve().parent.parent.parent
BANK = ROOT / "scenarios" / "bank_branch.yaml"


def test_a_fresh_worker_builds_the_plan_once_for_all_its_replications() -> None:
    # A spawned process starts with an empty cache: loading the scenario builds the plan once,
    # and four replications after it, in the same worker, build nothing more.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        assert pool.submit(inputs.plan_builds).result() == 0
        scenario = pool.submit(inputs.load_scenario, BANK, ["days=1"]).result()
        assert pool.submit(inputs.plan_builds).result() == 1
        for r in range(4):
            assert pool.submit(run_replication, scenario, r).result().traffic
        assert pool.submit(inputs.plan_builds).result() == 1


def test_replications_in_this_process_reuse_the_cached_plan() -> None:
    scenario = inputs.load_scenario(BANK, ["days=1"])
    before = inputs.plan_builds()
    for r in range(3):
        result = run_replication(scenario, r)
        assert result.traffic
    assert inputs.plan_builds() == before
