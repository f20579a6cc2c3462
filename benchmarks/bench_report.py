"""How long reporting a run takes, in wall and CPU seconds (no simulation timed).

Runs the shipped bank branch (floor plan, back office, costs) for 20 replications, then times
its report as ``officesim run`` renders it (13 charts as SVG, drawn in worker processes when
there are cores for them; tables; HTML). The report is rendered in a fresh process each time,
after loading what the run has loaded before it renders (the results layer, and whatever
writing ``kpis.parquet`` loads), so the times include importing matplotlib and the report
layer, as a user's run pays them. CPU
seconds count the chart workers too; they are less sensitive than wall seconds to other work
on the machine. With ``--replications 200`` the 20 replications are repeated (renumbered) so
that the report's work is that of a 200-replication result; ``--pdf`` also times report.pdf.
With ``--charts`` only the charts are timed: each drawn as SVG in one fresh process (no workers),
CPU seconds per chart, from the report built beforehand.

    python benchmarks/bench_report.py
    python benchmarks/bench_report.py --charts --rounds 7 --checkout before=/tmp/old --checkout after=.
    python benchmarks/bench_report.py --rounds 5 --replications 200 --pdf
    python benchmarks/bench_report.py --checkout before=/tmp/old --checkout after=.

Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bytecode import compile_bytecode

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "bank_branch.yaml"

_RENDER = """
import json, resource, sys, tempfile, time
from pathlib import Path
import sim.results.output  # imported by the run before it renders its report
from sim.results import workbook

if "kpis.parquet" not in workbook.missing_libraries():
    with tempfile.TemporaryDirectory() as tmp:  # what the run has loaded to write kpis.parquet
        workbook.write_parquet(Path(tmp) / "kpis.parquet", [{"kpi": "x", "mean": 1.0}])

def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

folder, out, pdf = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
start, used = time.perf_counter(), cpu()
from sim.report.writer import read_results, render_report
paths = render_report(read_results(folder), out, pdf=pdf)
print(json.dumps({"wall": time.perf_counter() - start, "cpu": cpu() - used, "files": len(paths)}))
"""

_CHARTS = """
import json, sys, time
from sim.report.render import draw_chart
from sim.report.style import chart_style
from sim.report.writer import build_report

report = build_report(json.loads(open(sys.argv[1] + "/results.json", encoding="utf-8").read()))
times = {}
with chart_style():
    for i, chart in enumerate(report.charts()):
        start = time.process_time()
        draw_chart(chart, i, False)
        times[chart.key] = time.process_time() - start
print(json.dumps(times))
"""


def results_folder(folder: Path, replications: int) -> Path:
    """Write the bank branch's results.json for ``replications`` replications into ``folder``."""
    from sim.experiment.api import prepare, run
    from sim.results.output import write_results
    from sim.results.summary import ExperimentResult

    scenario = prepare(SCENARIO, replications=20)
    result = run(scenario, jobs=1)
    if replications != 20:
        reps = [
            dataclasses.replace(result.replications[i % 20], replication=i)
            for i in range(replications)
        ]
        result = ExperimentResult.from_replications(scenario.name, scenario.seed, reps)
        scenario = prepare(SCENARIO, replications=replications)
    folder.mkdir(parents=True)
    write_results(result, scenario, folder, scenario_file=SCENARIO)
    return folder


def render_once(checkout: Path, folder: Path, out: Path, pdf: bool) -> dict[str, float]:
    """Wall and CPU seconds of one report rendered in a fresh process by ``checkout``'s code."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, "-c", _RENDER, str(folder), str(out), "1" if pdf else "0"],
        env=env,
        cwd=checkout,  # ``python -c`` puts the working folder first on the module path
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def charts_once(checkout: Path, folder: Path) -> dict[str, float]:
    """CPU seconds per chart, drawn one after the other in a fresh process by ``checkout``."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, "-c", _CHARTS, str(folder)],
        env=env,
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare_charts(checkouts: list[tuple[str, Path]], folder: Path, rounds: int) -> None:
    """Print the median CPU seconds of every chart and of all, per checkout (rounds
    interleaved)."""
    runs: dict[str, list[dict[str, float]]] = {label: [] for label, _ in checkouts}
    for _ in range(rounds):
        for label, path in checkouts:
            runs[label].append(charts_once(path, folder))
    keys = list(runs[checkouts[0][0]][0])
    print("chart".ljust(24) + "".join(label.rjust(14) for label in runs))
    for key in ["all", *keys]:
        cells = []
        for label in runs:
            per = [sum(r.values()) if key == "all" else r[key] for r in runs[label]]
            cells.append(f"{statistics.median(per):14.3f}")
        print(key.ljust(24) + "".join(cells))
    print(f"(CPU seconds, medians of {rounds} rounds; 'all' is the median of the totals)")


def _checkouts(specs: list[str]) -> list[tuple[str, Path]]:
    out = []
    for spec in specs:
        label, sep, path = spec.partition("=")
        if not sep:
            raise SystemExit(f"--checkout wants LABEL=PATH, got {spec!r}")
        out.append((label, Path(path).resolve()))
    return out or [("this checkout", ROOT)]


def main() -> None:
    """Print the median wall and CPU seconds of the report over a few interleaved rounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="also time report.pdf")
    parser.add_argument("--charts", action="store_true", help="time only drawing the charts")
    parser.add_argument(
        "--checkout",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="render with the code of this checkout (repeat to compare, rounds interleaved)",
    )
    args = parser.parse_args()
    checkouts = _checkouts(args.checkout)
    for _, path in checkouts:
        compile_bytecode(path)
    with tempfile.TemporaryDirectory() as tmp:
        folder = results_folder(Path(tmp) / "results", args.replications)
        if args.charts:
            compare_charts(checkouts, folder, args.rounds)
            return
        for pdf in [False, True] if args.pdf else [False]:
            times: dict[str, list[dict[str, float]]] = {label: [] for label, _ in checkouts}
            for k in range(args.rounds):
                for label, path in checkouts:
                    out = Path(tmp) / f"out-{pdf}-{k}-{len(times[label])}-{label}"
                    times[label].append(render_once(path, folder, out, pdf))
            what = "report.html + report.pdf" if pdf else "report.html"
            for label, runs in times.items():
                wall = statistics.median(t["wall"] for t in runs)
                cpu = statistics.median(t["cpu"] for t in runs)
                print(
                    f"{label}: {what} of {args.replications} replications "
                    f"({int(runs[0]['files'])} files): {wall:.2f} s wall, {cpu:.2f} s CPU "
                    f"(median of {args.rounds}; range {min(t['wall'] for t in runs):.2f}–"
                    f"{max(t['wall'] for t in runs):.2f} s wall)"
                )


if __name__ == "__main__":
    main()
