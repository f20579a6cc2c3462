"""Peak memory of ``officesim run --event-log`` as the number of days grows.

Not a test: run ``python benchmarks/bench_eventlog.py`` (a few minutes on 2 cores; ``--days 25
250`` to choose). Each case is the bank branch example, one replication in one process
(``-n 1 -j 1``), with ``--event-log``, measured by ``/usr/bin/time -v`` as a subprocess: its
"Maximum resident set size" is the whole command's peak, imports included. The event log is
written to disk in chunks as the replication runs, so the peak should not grow with the days
(the target: under 300 MB for 250 days).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "bank_branch.yaml"


def measure(days: int, out: Path) -> tuple[float, float, int, int]:
    """Wall seconds, peak RSS in MB, events.csv rows and bytes of events.csv + events.xes."""
    command = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        "-m",
        "sim",
        "run",
        str(SCENARIO),
        "--set",
        f"days={days}",
        "--set",
        "warmup_days=0",
        "-n",
        "1",
        "-j",
        "1",
        "-q",
        "--event-log",
        "-o",
        str(out),
    ]
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    wall = time.perf_counter() - started
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    if found is None:
        raise RuntimeError(f"no peak memory in /usr/bin/time's output:\n{proc.stderr}")
    rows = sum(1 for _ in (out / "events.csv").open(encoding="utf-8")) - 1
    size = (out / "events.csv").stat().st_size + (out / "events.xes").stat().st_size
    return wall, int(found.group(1)) / 1024, rows, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, nargs="+", default=[25, 250])
    args = parser.parse_args()
    print(f"{'days':>5} {'wall s':>8} {'peak RSS MB':>12} {'events':>10} {'files MB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for days in args.days:
            wall, peak, rows, size = measure(days, Path(tmp) / f"d{days}")
            print(f"{days:>5} {wall:>8.1f} {peak:>12.0f} {rows:>10,} {size / 1e6:>9.1f}")


if __name__ == "__main__":
    main()
