"""The ``officesim`` command, in-process (``sim.cli.main.main``) and as ``python -m sim``."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sim.cli.main import EXIT_INVALID, EXIT_OK, main
from sim.version import __version__
from tests.conftest import small_scenario, write_yaml

KPI_COLUMNS = [
    "kpi",
    "scope",
    "metric",
    "unit",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "n",
    "description",
]
REPO = Path(__file__).resolve().parents[1]


def run_module(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m sim ARGS`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd or REPO,
        check=False,
    )


def load_results(folder: Path) -> dict[str, Any]:
    def refuse(constant: str) -> None:
        raise AssertionError(f"results.json holds {constant}")

    return json.loads((folder / "results.json").read_text(encoding="utf-8"), parse_constant=refuse)


def without_run_noise(doc: dict[str, Any]) -> dict[str, Any]:
    """The document minus what legitimately differs between identical runs: the creation time
    and each replication's wall-clock time."""
    out = {k: v for k, v in doc.items() if k != "created_utc"}
    out["replications"] = [
        {k: v for k, v in r.items() if k != "wall_time_s"} for r in doc["replications"]
    ]
    return out


@pytest.fixture
def ran(scenario_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Run the small scenario once into ``tmp_path/out``; return that folder."""
    out = tmp_path / "out"
    assert main(["run", str(scenario_file), "-o", str(out), "-q", "--no-report"]) == EXIT_OK
    captured = capsys.readouterr()
    assert "wrote results.json, kpis.csv, kpis.xlsx, kpis.parquet to " in captured.out
    assert captured.out.rstrip().endswith(f"to {out}")
    assert "small: 3 replication(s) x 2 measured day(s), seed 7" in captured.out
    return out


def test_run_writes_results_json(ran: Path, scenario_file: Path) -> None:
    doc = load_results(ran)
    assert doc["schema"] == "officesim/results"
    assert doc["schema_version"] == 1
    assert doc["officesim_version"] == __version__
    assert doc["scenario"]["name"] == "small"
    assert doc["scenario"]["file"] == scenario_file.name
    assert doc["scenario"]["sha256"] == hashlib.sha256(scenario_file.read_bytes()).hexdigest()
    assert doc["scenario"]["definition"]["staff"]["teller"]["count"] == 2
    assert doc["run"]["seed"] == 7
    assert doc["run"]["replications"] == 3
    assert "SeedSequence" in doc["run"]["seed_scheme"]
    reps = doc["replications"]
    assert [r["replication"] for r in reps] == [0, 1, 2]
    for r in reps:
        assert r["kpis"]["all.arrivals_per_day"] > 0
        assert r["checks"]["arrived"] == r["checks"]["left"] + r["checks"]["inside_at_end"]
    assert len({r["kpis"]["all.arrivals_per_day"] for r in reps}) > 1  # replications differ


def test_summary_intervals_contain_the_mean(ran: Path) -> None:
    kpis = load_results(ran)["kpis"]
    assert "all.wait_mean_min" in kpis and "role.teller.utilization" in kpis
    checked = 0
    for key, est in kpis.items():
        assert est["n"] == 3, key
        if est["ci_low"] is not None:
            assert est["ci_low"] <= est["mean"] <= est["ci_high"], key
            checked += 1
    assert checked > 20
    assert kpis["all.wait_mean_min"]["unit"] == "min"
    assert kpis["role.teller.utilization"]["unit"] == "share"


def test_targets_have_verdicts(ran: Path) -> None:
    targets = load_results(ran)["targets"]
    assert [t["kpi"] for t in targets] == ["all.service_level", "all.lost_share"]
    assert targets[0]["name"] == "80% served within 10 min"
    assert targets[0]["target"] == 0.8
    for t in targets:
        assert t["verdict"] in {"met", "missed", "uncertain"}
        assert t["direction"] in {"at_least", "at_most"}


def test_kpis_csv_has_one_row_per_kpi(ran: Path) -> None:
    doc = load_results(ran)
    with (ran / "kpis.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == KPI_COLUMNS
    body = [dict(zip(KPI_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [r["kpi"] for r in body] == list(doc["kpis"])
    by_key = {r["kpi"]: r for r in body}
    wait = by_key["class.walk_in.wait_mean_min"]
    assert (wait["scope"], wait["metric"], wait["unit"]) == (
        "class.walk_in",
        "wait_mean_min",
        "min",
    )
    assert float(wait["mean"]) == pytest.approx(doc["kpis"]["class.walk_in.wait_mean_min"]["mean"])
    assert wait["n"] == "3"
    assert wait["description"] == "Mean wait of served clients"


def test_set_overrides_a_value(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    args = [
        "run",
        str(scenario_file),
        "-o",
        str(out),
        "-q",
        "--set",
        "staff.teller.count=3",
        "--no-report",
    ]
    code = main([*args, "--set", "client_classes.walk_in.arrivals.rate=5"])
    assert code == EXIT_OK
    definition = load_results(out)["scenario"]["definition"]
    assert definition["staff"]["teller"]["count"] == 3
    assert definition["client_classes"]["walk_in"]["arrivals"]["rate"] == 5


def test_replications_option(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(scenario_file), "-o", str(out), "-q", "-n", "2", "--no-report"]) == 0
    doc = load_results(out)
    assert doc["run"]["replications"] == 2
    assert len(doc["replications"]) == 2
    assert doc["kpis"]["all.served_per_day"]["n"] == 2


def test_same_seed_same_results_other_seed_other_results(
    scenario_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    args = ["run", str(scenario_file), "-o", str(out), "-q", "--seed", "42", "--no-report"]
    assert main(args) == EXIT_OK
    first = load_results(out)
    assert main(args) == EXIT_OK
    second = load_results(out)
    assert first["run"]["seed"] == 42
    assert without_run_noise(first) == without_run_noise(second)
    assert (
        main(["run", str(scenario_file), "-o", str(out), "-q", "--seed", "43", "--no-report"])
        == EXIT_OK
    )
    third = load_results(out)
    assert third["run"]["seed"] == 43
    assert third["replications"][0]["kpis"] != first["replications"][0]["kpis"]


def test_same_seed_identical_files_across_processes(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    docs = []
    for _ in range(2):
        proc = run_module("run", str(scenario_file), "-o", str(out), "-q", "-n", "2", "--no-report")
        assert proc.returncode == 0, proc.stderr
        docs.append(load_results(out))
    command = [
        "officesim",
        "run",
        scenario_file.name,
        "-o",
        out.name,
        "-q",
        "-n",
        "2",
        "--no-report",
    ]
    assert docs[0]["command"] == command
    assert without_run_noise(docs[0]) == without_run_noise(docs[1])


def test_validate_valid(scenario_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(scenario_file)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.strip() == (
        f"{scenario_file}: valid — 'small', client classes: walk_in; roles: teller"
    )


def test_validate_with_set(scenario_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(scenario_file), "--set", "staff.teller.count=0"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "client_classes.walk_in.skill: no staff member with a non-zero count" in err


def test_validate_reports_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = small_scenario()
    data["days"] = 0
    data["client_classes"]["walk_in"]["patince"] = data["client_classes"]["walk_in"].pop("patience")
    data["staff"]["teller"]["count"] = -2
    path = write_yaml(tmp_path, data)
    assert main(["validate", str(path)]) == EXIT_INVALID
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert sorted(lines) == sorted(
        [
            f"error: {path}: days: Input should be greater than or equal to 1 (got 0)",
            f"error: {path}: client_classes.walk_in.patince: unknown key 'patince'; "
            "did you mean 'patience'?",
            f"error: {path}: staff.teller.count: Input should be greater than or equal to 0 "
            "(got -2)",
        ]
    )
    assert captured.out == ""
    assert "Traceback" not in captured.err


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each bad input from the issue: the file and a fragment the message must hold."""
    cases: dict[str, tuple[Path, str]] = {}
    cases["missing file"] = (tmp_path / "missing.yaml", "file not found")
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("name: x\nhours:\n  open: '09:00'\n close: '12:00'\n", encoding="utf-8")
    cases["yaml syntax"] = (syntax, "YAML syntax error at line 4, column 2")

    data = small_scenario()
    data["staf"] = data.pop("staff")
    cases["misspelt key"] = (
        write_yaml(tmp_path, data, "misspelt.yaml"),
        "staf: unknown key 'staf'; did you mean 'staff'?",
    )
    data = small_scenario()
    data["client_classes"]["walk_in"]["arrivals"]["rate"] = -4
    cases["negative rate"] = (
        write_yaml(tmp_path, data, "negative.yaml"),
        "client_classes.walk_in.arrivals.rate: Input should be greater than or equal to 0",
    )
    data = small_scenario()
    data["staff"]["clerk"] = {"count": 1, "skills": ["archive"]}
    cases["unreachable role"] = (
        write_yaml(tmp_path, data, "unreachable.yaml"),
        "staff.clerk.skills: no client needs any of ['archive']",
    )
    data = small_scenario()
    data["staff"]["teller"]["count"] = 0
    cases["zero staff"] = (
        write_yaml(tmp_path, data, "zero.yaml"),
        "client_classes.walk_in.skill: no staff member with a non-zero count holds skill",
    )
    return cases


CASES = ["missing file", "yaml syntax", "misspelt key", "negative rate", "unreachable role"]
CASES += ["zero staff"]


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("case", CASES)
def test_bad_input_in_process(
    case: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, fragment = bad_inputs(tmp_path)[case]
    args = [command, str(path)] + (["-o", str(tmp_path / "out"), "-q"] if command == "run" else [])
    assert main(args) == EXIT_INVALID
    err = capsys.readouterr().err
    assert f"error: {path}: " in err
    assert fragment in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", ["yaml syntax", "negative rate", "zero staff"])
def test_bad_input_as_module(case: str, tmp_path: Path) -> None:
    path, fragment = bad_inputs(tmp_path)[case]
    proc = run_module("run", str(path), "-o", str(tmp_path / "out"), "-q")
    assert proc.returncode == EXIT_INVALID
    assert f"error: {path}: " in proc.stderr
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_failed_run_leaves_earlier_results_untouched(
    ran: Path, scenario_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {name: (ran / name).read_bytes() for name in ("results.json", "kpis.csv")}
    data = small_scenario()
    data["staff"]["teller"]["count"] = 0
    write_yaml(scenario_file.parent, data, scenario_file.name)
    assert main(["run", str(scenario_file), "-o", str(ran), "-q"]) == EXIT_INVALID
    assert "Traceback" not in capsys.readouterr().err
    assert {name: (ran / name).read_bytes() for name in before} == before
    assert not [p.name for p in ran.iterdir() if p.name.endswith(".tmp")]


def test_default_output_folder_is_reports_name(
    scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(scenario_file), "-q", "-n", "2", "--no-report"]) == EXIT_OK
    assert (tmp_path / "reports" / "scenario" / "results.json").is_file()


def test_schema_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == EXIT_OK
    schema = json.loads(capsys.readouterr().out)
    assert {"name", "hours", "client_classes", "staff", "targets", "layout"} <= set(
        schema["properties"]
    )
    # client_classes and staff may be left out by a back office on its own.
    assert set(schema["required"]) == {"name", "hours"}


def test_schema_validates_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert main(["schema"]) == EXIT_OK
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(schema).validate(small_scenario())
    bad = small_scenario()
    bad["staf"] = bad.pop("staff")
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: officesim")
    for command in ("run", "validate", "schema"):
        assert command in out


def test_run_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--output", "--replications", "--seed", "--set"):
        assert option in out


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "usage: officesim" in capsys.readouterr().err


def test_version_as_module() -> None:
    proc = run_module("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"officesim {__version__}"


def test_run_writes_a_report_by_default(
    scenario_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "with_report"
    assert main(["run", str(scenario_file), "-o", str(out), "-q", "-n", "2"]) == EXIT_OK
    said = capsys.readouterr().out
    assert "wrote results.json, kpis.csv, kpis.xlsx, kpis.parquet, report.html and " in said
    assert said.rstrip().endswith(f"to {out}")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "small" in html
    assert (out / "charts").is_dir() and (out / "tables" / "kpis.csv").is_file()


LOADED_AFTER_RUN = """
import sys
from sim.cli.main import main
code = main(sys.argv[1:])
print(sorted(m for m in ("openpyxl", "pyarrow") if m in sys.modules))
sys.exit(code)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the report's copy is forked on Linux only")
def test_with_a_report_its_copy_writes_the_analyst_files(tmp_path: Path) -> None:
    """The report's standby copy writes kpis.xlsx and kpis.parquet: the command itself loads
    neither library, with its replications here or on two workers."""
    pytest.importorskip("openpyxl")
    pytest.importorskip("pyarrow")
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                LOADED_AFTER_RUN,
                "run",
                "scenarios/bank_branch.yaml",
                "-n",
                "40",
                "-j",
                jobs,
                "-q",
                "-o",
                str(out),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == EXIT_OK, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "[]"
        for name in ("kpis.xlsx", "kpis.parquet", "report.html"):
            assert (out / name).stat().st_size > 0
