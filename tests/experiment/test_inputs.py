"""Floor plans are built once per process: every replication in a worker reuses the plan."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import sim.layout.load as load_module
from sim.experiment import inputs
from sim.experiment.replication import run_replication
from sim.layout import clear_cache

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


def test_variants_that_change_no_desk_read_the_plan_file_once_and_share_routes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each cost below is a new plan (its staff differ) but the same floor: the plan file is
    # read once and the clients' route trees are built once, for all of them.
    clear_cache()
    reads: list[Path] = []
    real = load_module.read_floor

    def counting(path: Path, **kwargs: object) -> object:
        reads.append(path)
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load_module, "read_floor", counting)
    plans = [
        inputs.plan_for(inputs.load_scenario(BANK, [f"staff.teller.cost_per_hour={cost}"]))
        for cost in (30, 31, 32)
    ]
    assert len(reads) == 1
    assert all(p is not None for p in plans)
    assert len({id(p) for p in plans}) == 3  # three plans ...
    assert len({id(p.client_routes) for p in plans if p is not None}) == 1  # ... one route tree
    moved = inputs.plan_for(inputs.load_scenario(BANK, ["staff.teller.desks=[T3, T2, T1]"]))
    assert moved is not None and moved.client_routes is not plans[0].client_routes  # type: ignore[union-attr]
