"""The graph libraries load with a first floor plan, not with the package: a scenario without
a floor plan (a contact centre, an M/M/c) runs without networkx or scipy.sparse, and a small
floor's walks are searched by networkx alone (scipy's sparse search loads for a large one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PLAIN = """\
name: counter without a plan
replications: 1
days: 1
hours: {open: "09:00", close: "11:00"}
client_classes:
  walk_in: {skill: s, arrivals: {rate: 20}, service: 3 min}
staff:
  clerk: {count: 2, skills: [s]}
"""

PROBE = """
import runpy, sys
if len(sys.argv) > 3:
    import sim.layout.travel
    sim.layout.travel.SCIPY_FROM_WORK = int(sys.argv[3])
sys.argv = ["officesim", "run", sys.argv[1], "-n", "1", "-q", "--no-report", "-o", sys.argv[2]]
try:
    runpy.run_module("sim", run_name="__main__")
except SystemExit as exit:
    assert exit.code == 0, exit.code
print(sorted(m for m in ("networkx", "scipy.sparse", "scipy.sparse.csgraph") if m in sys.modules))
"""


def _loaded_after_run(scenario: Path, out: Path, scipy_from: int | None = None) -> str:
    more = [] if scipy_from is None else [str(scipy_from)]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(scenario), str(out), *more],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout.strip().splitlines()[-1]


def test_a_run_without_a_floor_plan_loads_no_graph_library(tmp_path: Path) -> None:
    scenario = tmp_path / "plain.yaml"
    scenario.write_text(PLAIN, encoding="utf-8")
    assert _loaded_after_run(scenario, tmp_path / "out") == "[]"


def test_a_run_on_a_small_floor_plan_loads_networkx_only(tmp_path: Path) -> None:
    loaded = _loaded_after_run(ROOT / "scenarios" / "bank_branch.yaml", tmp_path / "out")
    assert loaded == "['networkx']"


def test_a_floor_over_the_work_limit_loads_scipys_search(tmp_path: Path) -> None:
    loaded = _loaded_after_run(ROOT / "scenarios" / "bank_branch.yaml", tmp_path / "out", 1)
    assert loaded == "['networkx', 'scipy.sparse', 'scipy.sparse.csgraph']"
