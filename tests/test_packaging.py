"""The wheel carries every data file the package needs.

An editable checkout finds templates and styles on disk whatever the packaging says, so this
test builds the real wheel, unpacks it into an empty folder (which is what installing a pure
Python wheel does) and asks a separate interpreter, which cannot see the checkout, to read every
git-tracked non-Python file under ``sim/`` through ``importlib.resources``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import importlib.resources, json, sys
sys.path.insert(0, sys.argv[1])
import sim
assert sim.__file__.startswith(sys.argv[1]), sim.__file__
root = importlib.resources.files("sim")
missing = [rel for rel in json.loads(sys.argv[2]) if not root.joinpath(rel).is_file()]
print(json.dumps(missing))
"""


def _tracked_files(folder: str, *, suffix: str = ".py") -> list[str]:
    """Git-tracked files under ``folder`` not ending in ``suffix``, relative to it."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to list the tracked files")
    out = subprocess.run(
        ["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return [p.removeprefix(f"{folder}/") for p in out if not (suffix and p.endswith(suffix))]


def test_every_tracked_data_file_is_in_the_installed_wheel(tmp_path: Path) -> None:
    data_files = _tracked_files("sim")
    assert "report/templates/report.html.j2" in data_files
    src = tmp_path / "src"
    # A copy of the package and its build files, so the build leaves nothing in the checkout.
    for rel in ["pyproject.toml", "MANIFEST.in", "README.md"] + [
        f"sim/{p}" for p in _tracked_files("sim", suffix="")
    ]:
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / rel).exists():
            shutil.copy2(ROOT / rel, src / rel)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("officesim-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    out = subprocess.run(
        [sys.executable, "-c", CHECK, str(site), json.dumps(data_files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"},
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
