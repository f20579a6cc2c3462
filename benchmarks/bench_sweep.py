"""Speed-up of a 200-replication sweep on all local cores over one core.

Four staffing variants × 50 replications of a five-day, nine-hour branch (about 2,700 clients
per replication), run once in this process (``jobs=1``) and once on every core (local worker
processes, start-up included), each into a fresh results store in a temporary folder. The
two runs must give identical tables. Each configuration runs ``repeat`` times and the fastest
counts (as ``timeit`` does), which filters out other load on a shared machine. Run with
``python benchmarks/bench_sweep.py [replications_per_variant] [repeat]``.
"""

from __future__ import annotations

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


def timed(replications: int, jobs: int) -> tuple[float, list[dict[str, object]]]:
    """Wall-clock seconds of the sweep on ``jobs`` workers, and its table."""
    sc = scenario_from_dict(scenario(replications))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = sweep(sc, jobs=jobs, store=Path(tmp))
        return time.perf_counter() - started, result.rows()


def main() -> None:
    """Print both timings and the speed-up ratio."""
    per_variant = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    cores = available_cores()
    total = 4 * per_variant
    load_before = os.getloadavg()[0]
    ones = [timed(per_variant, 1) for _ in range(repeat)]
    one, rows_one = min(ones, key=lambda t: t[0])
    print(f"{total} replications, 1 core:  {one:7.2f} s (best of {repeat})")
    manys = [timed(per_variant, cores) for _ in range(repeat)]
    many, rows_many = min(manys, key=lambda t: t[0])
    print(f"{total} replications, {cores} cores: {many:7.2f} s (best of {repeat})")
    if rows_one != rows_many:
        raise SystemExit("results differ between 1 and all cores")
    ratio = one / many
    print(f"speed-up: {ratio:.2f}x on {cores} cores ({ratio / cores:.2f} x cores; target 0.85)")
    print(
        f"1-minute load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        "(other work on the machine lowers the ratio)"
    )


if __name__ == "__main__":
    main()
