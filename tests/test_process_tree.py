"""Workers die with their command: a SIGKILL of ``run -j 2`` or ``sweep -j 2`` leaves no process
of the command's group behind, and nothing keeps the killed command's stdout or stderr open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads process groups from /proc"
)

GRACE_SECONDS = 5.0


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes whose process group is ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


@pytest.mark.parametrize(
    "command",
    [
        ["run", "scenarios/bank_branch.yaml", "-n", "400"],
        ["sweep", "scenarios/open_plan_office.yaml", "-n", "400"],
    ],
    ids=["run", "sweep"],
)
def test_sigkill_leaves_no_process_behind(command: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = str(tmp_path / "out")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", *command, "-j", "2", "-q", "--no-report", "-o", out],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    pgid = proc.pid
    try:
        deadline = time.monotonic() + 120
        # The command and both workers: the workers start once the work is seen to be large.
        while len(group_members(pgid)) < 3:
            assert proc.poll() is None, proc.communicate()[1].decode()
            assert time.monotonic() < deadline, "the workers never started"
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # Whoever still holds the pipes keeps these reads from ending.
        started = time.monotonic()
        proc.communicate(timeout=GRACE_SECONDS)
        time.sleep(max(0.0, GRACE_SECONDS - (time.monotonic() - started)))
        assert group_members(pgid) == []
    finally:
        for pid in group_members(pgid):
            os.kill(pid, signal.SIGKILL)
