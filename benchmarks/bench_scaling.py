"""Whole-command timings: 1 against N workers (serial, processes, Dask) and the report's share.

Every case is a complete ``python -m sim ...`` command, timed from start to exit (imports, worker
start-up, simulation, writing, report), the way a user waits for it. Cases run interleaved
round after round (A, B, C, A, B, C, ...) so that a change in the machine's load hits all of
them alike; the table shows the median and the range over the rounds. Each checkout given with
``--checkout LABEL=PATH`` runs the same commands from its own folder (``PYTHONPATH`` set to it),
so one run compares code before and after a change on the same machine at the same time.

    python benchmarks/bench_scaling.py                      # this checkout, 5 rounds
    python benchmarks/bench_scaling.py --rounds 3 --only run
    python benchmarks/bench_scaling.py --checkout before=/tmp/old --checkout after=.

Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bytecode import compile_bytecode

ROOT = Path(__file__).resolve().parents[1]
BANK = "scenarios/bank_branch.yaml"
SHOP = "scenarios/open_plan_office.yaml"  # two variants: a sweep of 2 x 100 = 200 replications
IT_LEVELS = tuple(f"scenarios/it_{level}.yaml" for level in ("manual", "partial", "integrated"))
"""Three IT levels of one office: a comparison of 3 x 40 = 120 replications."""


@dataclass(frozen=True)
class Case:
    """One command line (after ``python -m sim``); ``{out}`` becomes a fresh output folder."""

    name: str
    args: tuple[str, ...]


CASES = [
    Case("run 1 rep, -j 1", ("run", BANK, "-n", "1", "--no-report", "-j", "1")),
    Case("run 80 reps, -j 1", ("run", BANK, "-n", "80", "--no-report", "-j", "1")),
    Case("run 80 reps, -j 2", ("run", BANK, "-n", "80", "--no-report", "-j", "2")),
    Case(
        "run 80 reps, --dask local -j 2",
        ("run", BANK, "-n", "80", "--no-report", "--dask", "local", "-j", "2"),
    ),
    Case("run 320 reps, -j 1", ("run", BANK, "-n", "320", "--no-report", "-j", "1")),
    Case("run 320 reps, -j 2", ("run", BANK, "-n", "320", "--no-report", "-j", "2")),
    Case(
        "run 320 reps, --dask local -j 2",
        ("run", BANK, "-n", "320", "--no-report", "--dask", "local", "-j", "2"),
    ),
    Case("run 4 reps, -j 1", ("run", BANK, "-n", "4", "--no-report", "-j", "1")),
    Case("run 4 reps, -j 2", ("run", BANK, "-n", "4", "--no-report", "-j", "2")),
    Case("sweep 200 reps, -j 1", ("sweep", SHOP, "-n", "100", "--no-report", "-j", "1")),
    Case("sweep 200 reps, -j 2", ("sweep", SHOP, "-n", "100", "--no-report", "-j", "2")),
    Case(
        "sweep 200 reps, --dask local -j 2",
        ("sweep", SHOP, "-n", "100", "--no-report", "--dask", "local", "-j", "2"),
    ),
    Case("compare 120 reps, -j 1", ("compare", *IT_LEVELS, "-n", "40", "--no-report", "-j", "1")),
    Case("compare 120 reps, -j 2", ("compare", *IT_LEVELS, "-n", "40", "--no-report", "-j", "2")),
    Case("optimize, -j 1", ("optimize", BANK, "--no-report", "-j", "1")),
    Case("optimize, -j 2", ("optimize", BANK, "--no-report", "-j", "2")),
    Case("run (20 reps), no report", ("run", BANK, "--no-report")),
    Case("run (20 reps), with report", ("run", BANK)),
]

RATIOS = [
    ("-j 2 / -j 1, run 80", "run 80 reps, -j 2", "run 80 reps, -j 1"),
    ("dask / -j 1, run 80", "run 80 reps, --dask local -j 2", "run 80 reps, -j 1"),
    ("-j 2 / -j 1, run 320", "run 320 reps, -j 2", "run 320 reps, -j 1"),
    ("dask / -j 1, run 320", "run 320 reps, --dask local -j 2", "run 320 reps, -j 1"),
    ("-j 2 / -j 1, run 4", "run 4 reps, -j 2", "run 4 reps, -j 1"),
    ("-j 2 / -j 1, sweep 200", "sweep 200 reps, -j 2", "sweep 200 reps, -j 1"),
    ("dask / -j 1, sweep 200", "sweep 200 reps, --dask local -j 2", "sweep 200 reps, -j 1"),
    ("-j 2 / -j 1, compare 120", "compare 120 reps, -j 2", "compare 120 reps, -j 1"),
    ("-j 2 / -j 1, optimize", "optimize, -j 2", "optimize, -j 1"),
    ("with / without report", "run (20 reps), with report", "run (20 reps), no report"),
]

BOUNDS = [
    ("-j 2 / -j 1, run 80", "run 1 rep, -j 1", "run 80 reps, -j 1"),
    ("-j 2 / -j 1, run 320", "run 1 rep, -j 1", "run 320 reps, -j 1"),
]
"""Amdahl's bound of a ratio: the 1-replication command (imports, plan, one replication, writing)
stays serial and the rest is shared perfectly by 2 workers: (one + (serial - one) / 2) / serial."""


def timed(checkout: Path, case: Case, out: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and its worker processes) of one command."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sim", *case.args, "-q", "-o", str(out)],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{case.name} failed in {checkout}:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def machine() -> str:
    """CPU model, cores and Python, for the record."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load:.1f} at start, {time.strftime('%Y-%m-%d %H:%M')}"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--only", default="", help="cases whose name contains this text")
    p.add_argument("--skip", default=None, help="leave out cases whose name contains this text")
    p.add_argument(
        "--checkout",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="code to time (repeatable; default: this checkout)",
    )
    args = p.parse_args()
    checkouts = [(c.split("=", 1)[0], Path(c.split("=", 1)[1]).resolve()) for c in args.checkout]
    checkouts = checkouts or [("this", ROOT)]
    cases = [c for c in CASES if args.only in c.name and not (args.skip and args.skip in c.name)]
    for _, path in checkouts:
        compile_bytecode(path)
    walls: dict[tuple[str, str], list[float]] = {}
    cpus: dict[tuple[str, str], list[float]] = {}
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for case in cases:
                for label, path in checkouts:
                    out = Path(tmp) / f"{label}-{r}-{cases.index(case)}"
                    wall, cpu = timed(path, case, out)
                    walls.setdefault((label, case.name), []).append(wall)
                    cpus.setdefault((label, case.name), []).append(cpu)
                    print(
                        f"  {label}: {case.name}: {wall:.2f} s wall, {cpu:.2f} s CPU",
                        file=sys.stderr,
                    )
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    print(f"\nMedian of {args.rounds} interleaved rounds (range in brackets), seconds:\n")
    print(
        "| case | " + " | ".join(f"{label} wall s | {label} CPU s" for label, _ in checkouts) + " |"
    )
    print("|---|" + "--:|--:|" * len(checkouts))
    for case in cases:
        row = [case.name]
        for label, _ in checkouts:
            w = walls[(label, case.name)]
            row += [
                f"{statistics.median(w):.2f} ({min(w):.2f}-{max(w):.2f})",
                f"{statistics.median(cpus[(label, case.name)]):.2f}",
            ]
        print("| " + " | ".join(row) + " |")
    print("\nRatios of medians (wall time):\n")
    print("| ratio | " + " | ".join(label for label, _ in checkouts) + " |")
    print("|---|" + "--:|" * len(checkouts))
    for name, a, b in RATIOS:
        if not any(a == c.name for c in cases) or not any(b == c.name for c in cases):
            continue
        cells = [
            f"{statistics.median(walls[(label, a)]) / statistics.median(walls[(label, b)]):.2f}"
            for label, _ in checkouts
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print_bounds(walls, {c.name for c in cases}, [label for label, _ in checkouts])


def print_bounds(
    walls: dict[tuple[str, str], list[float]], names: set[str], labels: list[str]
) -> None:
    """Amdahl's bound of each ratio in :data:`BOUNDS` whose cases ran."""
    rows = [b for b in BOUNDS if b[1] in names and b[2] in names]
    if not rows:
        return
    print("\nBest possible with the fixed cost of a command kept serial (Amdahl, 2 workers):\n")
    print("| ratio | " + " | ".join(labels) + " |")
    print("|---|" + "--:|" * len(labels))
    for name, one, serial in rows:
        cells = []
        for label in labels:
            fixed = statistics.median(walls[(label, one)])
            total = statistics.median(walls[(label, serial)])
            cells.append(f"{(fixed + (total - fixed) / 2) / total:.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
