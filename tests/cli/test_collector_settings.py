"""The command's own process wakes the garbage collector seldom (its imports make nothing to
collect); an API caller of ``main`` keeps its own settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sim.collector import YOUNG_THRESHOLD

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
from sim.cli.main import main
before = gc.get_threshold()
if sys.argv[1] == "command":
    sys.argv = ["officesim", "validate", "scenarios/bank_branch.yaml"]
    code = main()
else:
    code = main(["validate", "scenarios/bank_branch.yaml"])
print(code, before[0], gc.get_threshold()[0])
"""


def _thresholds(how: str) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, how], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return [int(word) for word in done.stdout.split()[-3:]]


def test_the_command_process_collects_seldom() -> None:
    code, before, after = _thresholds("command")
    assert code == 0
    assert before != YOUNG_THRESHOLD and after == YOUNG_THRESHOLD


def test_an_api_caller_keeps_its_settings() -> None:
    code, before, after = _thresholds("api")
    assert code == 0
    assert after == before != YOUNG_THRESHOLD
