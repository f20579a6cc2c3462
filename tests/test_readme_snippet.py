"""The README's Python snippet runs as pasted into a script, and unguarded calls that a platform
cannot run fail with one sentence instead of a BrokenProcessPool traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sim.experiment.executors import GUARD_NEEDED
from tests.conftest import small_scenario, write_yaml

ROOT = Path(__file__).resolve().parents[1]

FORCE_FORKSERVER = (
    "import sim.experiment.executors as ex\n"
    "import sim.experiment.replicate as rep\n"
    'ex.start_method = lambda: "forkserver"  # as on Windows and macOS\n'
    "rep.worth_sharing = lambda *args: True  # workers even for a run this small\n"
)


def readme_snippets() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## From Python") :]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def run_script(code: str, folder: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = folder / "snippet.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(script)], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_readme_snippet_runs_unchanged_as_a_script(tmp_path: Path) -> None:
    snippet = readme_snippets()[0]
    assert "jobs=2" in snippet and "__main__" not in snippet
    done = run_script(snippet, tmp_path, ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Estimate(mean=")


def test_an_unguarded_script_where_workers_reimport_it_fails_with_one_sentence(
    tmp_path: Path,
) -> None:
    scenario = write_yaml(tmp_path, {**small_scenario(), "days": 1})
    code = f"import sim\n{FORCE_FORKSERVER}sim.run({str(scenario)!r}, replications=6, jobs=2)\n"
    done = run_script(code, tmp_path, tmp_path)
    assert done.returncode != 0
    assert GUARD_NEEDED in done.stderr
    assert "BrokenProcessPool" not in done.stderr and "RuntimeError" not in done.stderr


def test_the_guarded_snippet_of_the_readme_runs_where_workers_reimport_it(
    tmp_path: Path,
) -> None:
    guarded = readme_snippets()[1]
    assert 'if __name__ == "__main__":' in guarded
    scenario = write_yaml(tmp_path, {**small_scenario(), "days": 1})
    code = FORCE_FORKSERVER + guarded.replace("scenarios/bank_branch.yaml", str(scenario))
    done = run_script(code.replace("replications=40", "replications=6"), tmp_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Estimate(mean=")


def test_a_notebook_style_call_with_workers_runs(tmp_path: Path) -> None:
    """Code run the way a notebook runs it (the main module has no file)."""
    scenario = write_yaml(tmp_path, {**small_scenario(), "days": 1})
    code = f"import sim\nprint(sim.run({str(scenario)!r}, replications=2, jobs=2).kpi('all.wait_mean_min'))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Estimate(mean=")
