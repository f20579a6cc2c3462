"""Whole-scenario benchmarks: wall time, events per second and peak memory of realistic runs.

Not a test: run ``python benchmarks/bench_scenarios.py`` (about 10 minutes on 2 cores;
``--quick`` for a smoke run, ``--only bank`` to select cases by name). Every case runs in a
fresh subprocess, so peak memory (``ru_maxrss``) belongs to that case alone:

- each shipped example scenario (``scenarios/*.yaml``), one replication of 1, 50, 125 and 250
  days (warm-up set to 0); the year's time per day against the 50 days' shows whether run
  time grows linearly with days;
- a large office: 50 front desks, 20 back-office teams of 5, 5,000 clients a day, on the
  1,000-space floor of ``bench_layout.generate`` plus a waiting room and an exit, written as
  YAML to a temporary folder; 1 and 5 days;
- the 200-replication sweep of ``bench_sweep.py`` (4 variants × 50), on 1 core and on all.

Columns: ``setup s`` loads the scenario and builds the floor plan (cached after the first
build in a process); ``run s`` is the replication alone; ``events`` counts the simpy events the
run scheduled (the environment's own event counter, so counting costs nothing); ``RSS MB`` is
the process's peak resident memory, ``before`` its resident memory once the scenario was
loaded. Add ``--tracemalloc`` to also report the peak of Python allocations during the run
(slower: then the timings do not count).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
DAYS = (1, 50, 125, 250)


def rss_mb() -> float:
    """Current resident memory of this process in MB (Linux), else nan."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB (``ru_maxrss`` is in KB on Linux)."""
    return resource.getrusage(who).ru_maxrss / 1024


# ---------------------------------------------------------------------------- large office

FRONT_DESKS = 50
TEAMS = 20
TEAM_SIZE = 5
CLIENTS_PER_HOUR = 500  # 10 opening hours: 5,000 a day


def large_office(folder: Path) -> Path:
    """Write the large office's floor and scenario to ``folder``; return the scenario file."""
    from bench_layout import generate

    floor = generate(10, 50)  # 1,012 spaces, 2,000 desks
    spaces: Any = floor["spaces"]
    spaces["waiting"] = {"category": "waiting", "rect": [-9.0, 8.0, 6.0, 10.0]}
    doors: Any = floor["doors"]
    doors.append({"between": ["lobby", "waiting"], "at": [-6.0, 8.0], "width": 2.0})
    floor["seats"] = [
        {
            "row": {
                "from": [x, 8.5],
                "to": [x, 17.5],
                "count": 20,
                "prefix": "S",
                "start": 1 + 20 * i,
            }
        }
        for i, x in enumerate((-8.5, -7.5, -6.5, -5.5, -4.5, -3.5))
    ]
    floor["exits"] = [{"id": "exit", "at": [-5.0, 1.0]}]
    (folder / "office.yaml").write_text(yaml.safe_dump(floor, sort_keys=False))

    desks = [d["id"] for d in floor["desks"]]  # type: ignore[attr-defined]
    per_corridor = len(desks) // 10
    front = desks[:FRONT_DESKS]  # corridor 0, nearest the lobby
    back = desks[per_corridor:]
    teams = {
        f"t{j:02d}": {
            "count": TEAM_SIZE,
            "desks": back[j * TEAM_SIZE : (j + 1) * TEAM_SIZE],
            "cost_per_hour": 40,
        }
        for j in range(TEAMS)
    }
    names = list(teams)
    tasks = {
        f"work{j:02d}": {
            "steps": [
                {"team": names[j], "time": {"dist": "exponential", "mean": "10 min"}},
                {
                    "team": names[(j + 1) % TEAMS],
                    "time": {"dist": "exponential", "mean": "10 min"},
                    "rework": {"probability": 0.1, "to": 0},
                },
            ],
            "due": "2 d",
        }
        for j in range(TEAMS)
    }
    scenario = {
        "name": "Large office (benchmark)",
        "days": 1,
        "replications": 1,
        "seed": 11,
        "hours": {"open": "08:00", "close": "18:00"},
        "layout": "office.yaml",
        "client_classes": {
            "visitor": {
                "skill": "desk",
                "arrivals": {"rate": CLIENTS_PER_HOUR},
                "service": {"dist": "exponential", "mean": "4 min"},
                "patience": {"dist": "exponential", "mean": "30 min"},
                "creates": [{"task": t, "probability": 0.02} for t in tasks],
            }
        },
        "staff": {
            "clerk": {"count": FRONT_DESKS, "skills": ["desk"], "desks": front, "cost_per_hour": 35}
        },
        "back_office": {"teams": teams, "tasks": tasks},
        "it": {"level": "partial"},
    }
    path = folder / "large_office.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    return path


# ---------------------------------------------------------------------------- one case (child)


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """Run one case in this process and measure it."""
    if case["kind"] == "sweep":
        from bench_sweep import timed

        wall, rows = timed(case["per_variant"], case["jobs"])
        return {
            "run_s": wall,
            "replications": 4 * case["per_variant"],
            "rss_mb": peak_rss_mb(),
            "children_rss_mb": peak_rss_mb(resource.RUSAGE_CHILDREN),
            "rows": len(rows),
        }
    from sim.experiment.api import prepare
    from sim.experiment.inputs import plan_for
    from sim.model.office import Office

    started = time.perf_counter()
    scenario = prepare(
        case["path"], overrides=[f"days={case['days']}", "warmup_days=0", "replications=1"]
    )
    plan = plan_for(scenario)
    setup = time.perf_counter() - started
    before = rss_mb()
    if case.get("tracemalloc"):
        tracemalloc.start()
    started = time.perf_counter()
    office = Office(scenario, 0, plan)
    office.simulate()
    wall = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if tracemalloc.is_tracing() else None
    bo = office.backoffice
    return {
        "setup_s": setup,
        "run_s": wall,
        "events": next(office.env._eid),  # simpy's counter of scheduled events
        "clients": office.recorder.arrived,
        "tasks": len(bo.records.kind) if bo is not None else 0,
        "rss_before_mb": before,
        "rss_mb": peak_rss_mb(),
        "traced_mb": traced,
    }


def spawn(case: dict[str, Any]) -> dict[str, Any]:
    """Run ``case`` in a fresh Python process and return its measurements."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--case", json.dumps(case)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise SystemExit(f"case {case} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- table (parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="1 and 5 days, a 20-replication sweep")
    parser.add_argument("--only", default="", help="run only cases whose name contains this")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(json.loads(args.case))))
        return

    from sim.experiment.executors import available_cores

    days = (1, 5) if args.quick else DAYS
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )
    header = (
        f"{'case':<24}{'days':>5}{'clients':>10}{'tasks':>9}{'events':>12}{'setup s':>8}"
        f"{'run s':>8}{'ms/day':>8}{'events/s':>10}{'RSS MB':>8}{'before':>8}"
    )
    if args.tracemalloc:
        header += f"{'traced MB':>10}"
    print(header)
    print("-" * len(header))
    linear: list[str] = []

    def row(name: str, path: Path, case_days: tuple[int, ...]) -> None:
        per_day = {}
        for n in case_days:
            case = {"kind": "scenario", "path": str(path), "days": n}
            r = spawn({**case, "tracemalloc": args.tracemalloc})
            per_day[n] = r["run_s"] / n
            line = (
                f"{name:<24}{n:>5}{r['clients']:>10,}{r['tasks']:>9,}{r['events']:>12,}"
                f"{r['setup_s']:>8.2f}{r['run_s']:>8.2f}{1000 * per_day[n]:>8.1f}"
                f"{r['events'] / r['run_s']:>10,.0f}{r['rss_mb']:>8.0f}{r['rss_before_mb']:>8.0f}"
            )
            if args.tracemalloc:
                line += f"{r['traced_mb']:>10.1f}"
            print(line, flush=True)
        lo, hi = sorted(n for n in case_days if n > 1)[0], max(case_days)
        if lo != hi:
            linear.append(f"{name} {per_day[hi] / per_day[lo]:.2f}")

    for path in SCENARIOS:
        if args.only in path.stem:
            row(path.stem, path, days)
    if args.only in "large_office":
        with tempfile.TemporaryDirectory() as tmp:
            row("large_office", large_office(Path(tmp)), (1, 5))
    if linear:
        print(
            f"linearity, time per day at {max(days)} days / at {sorted(d for d in days if d > 1)[0]}"
            " days (1.00 = linear): " + ", ".join(linear)
        )
    if args.only in "sweep":
        per_variant = 5 if args.quick else 50
        cores = available_cores()
        times = {}
        for jobs in (1, cores):
            r = spawn({"kind": "sweep", "per_variant": per_variant, "jobs": jobs})
            times[jobs] = r["run_s"]
            workers = r["children_rss_mb"]
            print(
                f"sweep of {r['replications']} replications (4 variants) on {jobs} core(s): "
                f"{r['run_s']:.2f} s, {r['replications'] / r['run_s']:.1f} replications/s, "
                f"peak RSS {r['rss_mb']:.0f} MB"
                + (f" (largest finished worker {workers:.0f} MB)" if workers > 0 else ""),
                flush=True,
            )
        if cores > 1:
            print(f"sweep speed-up on {cores} cores: {times[1] / times[cores]:.2f}x")


if __name__ == "__main__":
    main()
