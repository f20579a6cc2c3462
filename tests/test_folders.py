"""Output folders that never lose or mix results (sim/results/folders.py, through the CLI)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import sim.report
from sim.cli.main import EXIT_INVALID, EXIT_OK, main
from sim.results.folders import INPUTS_FILE, default_folder, overrides_suffix, safe_name
from tests.conftest import small_scenario, write_yaml

QUICK = ["-q", "-j", "1", "-n", "2"]


def tiny(folder: Path, name: str = "scenario.yaml", **changes: Any) -> Path:
    """A one-day version of the small scenario written to ``folder/name``."""
    return write_yaml(folder, {**small_scenario(), "days": 1, **changes}, name)


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_safe_names() -> None:
    assert safe_name("..") == "scenario"
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_name("Bank branch (north)") == "Bank_branch_north"
    assert safe_name("x" * 300) == "x" * 80
    assert overrides_suffix([]) == ""
    assert overrides_suffix(["staff.teller.count=2"]) == "+staff.teller.count=2"
    long = overrides_suffix([f"staff.role{i}.count={i}" for i in range(9)])
    assert long.startswith("+set-") and len(long) == len("+set-") + 8
    assert default_folder("...", ["a=1"], kind="sweep") == Path("reports/scenario-sweep+a=1")


def test_against_the_default_writes_two_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's 'run ... --set staff.teller.count=2 against the default' keeps both."""
    scenario = tiny(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(scenario), *QUICK, "--no-report"]) == EXIT_OK
    two = ["--set", "staff.teller.count=3"]
    assert main(["run", str(scenario), *QUICK, "--no-report", *two]) == EXIT_OK
    capsys.readouterr()
    default = json.loads((tmp_path / "reports/scenario/results.json").read_text("utf-8"))
    other = json.loads(
        (tmp_path / "reports/scenario+staff.teller.count=3/results.json").read_text("utf-8")
    )
    assert default["scenario"]["definition"]["staff"]["teller"]["count"] == 2
    assert other["scenario"]["definition"]["staff"]["teller"]["count"] == 3


def test_results_of_other_inputs_are_not_replaced_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tiny(tmp_path, "first.yaml"), tiny(tmp_path, "second.yaml")
    out = tmp_path / "out"
    assert main(["run", str(first), "-o", str(out), *QUICK, "--no-report"]) == EXIT_OK
    before = files(out)
    capsys.readouterr()
    assert main(["run", str(second), "-o", str(out), *QUICK, "--no-report"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "holds results of 'officesim run first.yaml'" in err
    assert "--force" in err and "Traceback" not in err
    assert files(out) == before
    # Other overrides of the same file are other inputs too.
    args = ["run", str(first), "-o", str(out), *QUICK, "--no-report"]
    assert main([*args, "--set", "staff.teller.count=3"]) == EXIT_INVALID
    assert files(out) == before
    # The same inputs replace (or resume) as before; --force replaces other inputs.
    assert main(args) == EXIT_OK
    assert main(["run", str(second), "-o", str(out), *QUICK, "--no-report", "--force"]) == 0
    recorded = json.loads((out / INPUTS_FILE).read_text(encoding="utf-8"))
    assert recorded == {"command": "run", "scenarios": ["second.yaml"], "overrides": []}


def test_a_folder_of_other_files_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tiny(tmp_path / "in")
    out = tmp_path / "documents"
    out.mkdir()
    (out / "letter.txt").write_text("keep me", encoding="utf-8")
    for extra in ([], ["--force"]):
        code = main(["run", str(scenario), "-o", str(out), *QUICK, "--no-report", *extra])
        assert code == EXIT_INVALID
        assert "not officesim results" in capsys.readouterr().err
    assert files(out) == {"letter.txt": b"keep me"}


def test_no_file_of_an_earlier_run_stays_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tiny(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["run", str(scenario), "-o", str(out), *QUICK, "--no-report"]) == EXIT_OK
    (out / "charts").mkdir()
    (out / "charts" / "floor_traffic.png").write_bytes(b"from a run with a floor plan")
    assert main(["run", str(scenario), "-o", str(out), *QUICK, "--no-report"]) == EXIT_OK
    capsys.readouterr()
    assert not (out / "charts").exists()
    assert (out / "results.json").is_file()
    assert not (tmp_path / ".out.partial").exists()


def test_a_command_refused_for_bad_input_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tiny(tmp_path / "in", staff={"teller": {"count": -1, "skills": ["general"]}})
    before = sorted(tmp_path.rglob("*"))
    for command in (["run"], ["sweep"], ["optimize"], ["compare", str(bad)]):
        out = tmp_path / "new" / command[0]
        assert main([*command, str(bad), "-o", str(out), "-q"]) == EXIT_INVALID
        assert "Traceback" not in capsys.readouterr().err
    assert sorted(tmp_path.rglob("*")) == before


def test_results_and_report_are_swapped_in_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run that stops after writing results.json (here: its report fails) leaves the
    previous results and the previous report, side by side as they were."""
    scenario = tiny(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["run", str(scenario), "-o", str(out), *QUICK]) == EXIT_OK
    before = files(out)
    assert "report.html" in before and "results.json" in before

    def stop(*args: Any, **kwargs: Any) -> list[Path]:
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.report, "render_report", stop)
    assert main(["run", str(scenario), "-o", str(out), *QUICK, "--seed", "99"]) == 130
    capsys.readouterr()
    assert files(out) == before


def test_report_takes_the_folder_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tiny(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["run", str(scenario), "-o", str(out), *QUICK]) == EXIT_OK
    before = files(out)
    capsys.readouterr()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; "
            "from sim.results.folders import claim_output_folder; "
            f"claim_output_folder(Path({str(out)!r})); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert main(["report", str(out)]) == EXIT_INVALID
        assert "another officesim command is writing" in capsys.readouterr().err
        assert files(out) == before
    finally:
        holder.kill()
        holder.communicate()  # reaps it and closes its pipe
    assert main(["report", str(out)]) == EXIT_OK


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_outputs_never_follow_symlinks_out_of_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tiny(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["run", str(scenario), "-o", str(out), *QUICK]) == EXIT_OK
    chart = next((out / "charts").glob("*.svg")).name
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.svg"
    victim.write_bytes(b"not officesim's")
    (out / "charts" / chart).unlink()
    (out / "charts" / chart).symlink_to(victim)
    (out / "tables").rename(tmp_path / "tables-elsewhere")
    (out / "tables").symlink_to(outside, target_is_directory=True)
    assert main(["report", str(out)]) == EXIT_OK
    assert not (out / "charts" / chart).is_symlink() and not (out / "tables").is_symlink()
    assert main(["run", str(scenario), "-o", str(out), *QUICK]) == EXIT_OK
    (out / "charts").rename(tmp_path / "charts-elsewhere")
    (out / "charts").symlink_to(outside, target_is_directory=True)
    assert main(["run", str(scenario), "-o", str(out), *QUICK]) == EXIT_OK
    capsys.readouterr()
    assert not (out / "charts").is_symlink()
    assert sorted(p.name for p in outside.iterdir()) == ["victim.svg"]
    assert victim.read_bytes() == b"not officesim's"


def test_a_scenario_named_dots_writes_under_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    scenario = tiny(work, "...yaml")
    monkeypatch.chdir(work)
    assert main(["run", str(scenario), *QUICK, "--no-report"]) == EXIT_OK
    capsys.readouterr()
    assert (work / "reports" / "scenario" / "results.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert sorted(p.name for p in work.iterdir()) == ["...yaml", "reports"]


def test_results_carry_no_absolute_path_and_the_report_finds_the_plan_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """results.json names the floor plan relative to its folder (a project with scenarios/,
    layouts/ and reports/ side by side); re-rendering the report from the folder still draws
    the plan."""
    root = Path(__file__).resolve().parents[1]
    project = tmp_path / "project"
    for part, name in (("scenarios", "bank_branch.yaml"), ("layouts", "bank_branch.yaml")):
        (project / part).mkdir(parents=True)
        shutil.copy(root / part / name, project / part / name)
    out = project / "reports" / "bank"
    scenario = project / "scenarios" / "bank_branch.yaml"
    assert main(["run", str(scenario), "-o", str(out), *QUICK]) == EXIT_OK
    text = (out / "results.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in text and str(root) not in text
    layout = json.loads(text)["scenario"]["definition"]["layout"]
    assert layout == "../../layouts/bank_branch.yaml"
    (out / "charts" / "floor_traffic.svg").unlink()
    assert main(["report", str(out)]) == EXIT_OK
    capsys.readouterr()
    assert (out / "charts" / "floor_traffic.svg").is_file()
