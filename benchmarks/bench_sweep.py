"""Speed-up of a 200-replication sweep on all local cores over one core, in processes and on Dask.

Four staffing variants × 50 replications of a five-day, nine-hour branch (about 2,700 clients
per replication), run in this process (``jobs=1``), on every core (local worker processes,
start-up included) and, when dask.distributed is installed, on a Dask LocalCluster with one
worker per core (cluster start-up included), each into a fresh results store in a temporary
folder. All runs must give identical tables. Each configuration runs ``repeat`` times and the
fastest counts (as ``timeit`` does), which filters out other load on a shared machine. Run with
``python benchmarks/bench_sweep.py [replications_per_variant] [repeat]``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

from sim.experiment.executors import available_cores
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.sweeps import sweep


def scenario(replications: int) -> dict[str, object]:
    """The benchmark scenario with its four variants."""
    return {
        "name": "bench-sweep",
        "days": 5,
        "replications": replications,
        "seed": 42,
        "hours": {"open": "08:00", "close": "17:00"},
        "client_classes": {
            "walk_in": {
                "skill": "general",
                "arrivals": {"rate": 60},
                "service": {"dist": "exponential", "mean": "5 min"},
                "patience": {"dist": "exponential", "mean": "25 min"},
            }
        },
        "staff": {"teller": {"count": 5, "skills": ["general"], "cost_per_hour": 30}},
        "variants": {"grid": {"staff.teller.count": [4, 5, 6, 7]}},
    }


def timed(
    replications: int, jobs: int, dask: str | None = None
) -> tuple[float, list[dict[str, object]]]:
    """Wall-clock seconds of the sweep on ``jobs`` workers (on Dask with ``dask``), and its table."""
    sc = scenario_from_dict(scenario(replications))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = sweep(sc, jobs=jobs, dask=dask, store=Path(tmp))
        return time.perf_counter() - started, result.rows()


def best(
    replications: int, jobs: int, repeat: int, dask: str | None = None
) -> tuple[float, list[dict[str, object]]]:
    """The fastest of ``repeat`` runs: seconds and table."""
    return min((timed(replications, jobs, dask) for _ in range(repeat)), key=lambda t: t[0])


def main() -> None:
    """Print the timings and the speed-up ratios."""
    per_variant = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    cores = available_cores()
    total = 4 * per_variant
    load_before = os.getloadavg()[0]
    one, rows_one = best(per_variant, 1, repeat)
    print(f"{total} replications, 1 core:  {one:7.2f} s (best of {repeat})")
    configs = [("processes", None)]
    if importlib.util.find_spec("distributed") is not None:
        configs.append(("Dask LocalCluster", "local"))
    for name, dask in configs:
        many, rows_many = best(per_variant, cores, repeat, dask)
        if rows_one != rows_many:
            raise SystemExit(f"results differ between 1 core and {name}")
        ratio = one / many
        print(
            f"{total} replications, {cores} cores, {name}: {many:7.2f} s (best of {repeat}); "
            f"speed-up {ratio:.2f}x ({ratio / cores:.2f} x cores)"
        )
    print(
        f"1-minute load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        "(other work on the machine lowers the ratio)"
    )


if __name__ == "__main__":
    main()
