"""officesim runs where POSIX-only modules do not exist (Windows).

Each test starts a fresh interpreter in which importing ``fcntl`` and the other POSIX-only
modules of the standard library fails, as it does on Windows, and runs officesim there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCKER = """
import importlib.abc, sys
POSIX_ONLY = {"fcntl", "termios", "tty", "pty", "pwd", "grp", "resource"}
for name in POSIX_ONLY:
    sys.modules.pop(name, None)

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in POSIX_ONLY:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
        return None

sys.meta_path.insert(0, Block())
"""


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-c", BLOCKER + code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_blocker_really_blocks_fcntl(tmp_path: Path) -> None:
    out = _python("import fcntl", tmp_path)
    assert out.returncode != 0
    assert "blocked" in out.stderr


def test_every_sim_module_imports_without_posix_only_modules(tmp_path: Path) -> None:
    code = """
import importlib, json, pkgutil, sim
names = [m.name for m in pkgutil.walk_packages(sim.__path__, "sim.") if m.name != "sim.__main__"]
for name in names:
    importlib.import_module(name)
print(json.dumps(names))
"""
    out = _python(code, tmp_path)
    assert out.returncode == 0, out.stderr
    names = json.loads(out.stdout)
    assert "sim.results.output" in names
    assert "sim.cli.main" in names


def test_a_run_with_its_report_succeeds_without_fcntl(tmp_path: Path, scenario_file: Path) -> None:
    scenario = scenario_file
    code = f"""
import sys
from sim.cli.main import main
sys.exit(main(["run", {str(scenario)!r}, "-n", "2", "-j", "1", "-q", "-o", "out"]))
"""
    out = _python(code, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "internal error" not in out.stderr
    assert (tmp_path / "out" / "report.html").stat().st_size > 0
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert doc["run"]["replications"] == 2
