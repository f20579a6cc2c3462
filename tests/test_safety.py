"""Security hygiene and crash safety of what officesim reads and writes.

Scenario and plan files are data, never code: YAML is loaded with safe loaders only, and
nothing in ``sim/`` evaluates or unpickles user input. Output goes only into the folder the
user chose; files a scenario names are only read. Output files are replaced atomically, so an
interrupted write leaves the previous file whole, and two runs into one folder end consistent.
"""

from __future__ import annotations

import ast
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import sim.results.output
from sim.cli.main import EXIT_INVALID, EXIT_OK, EXIT_RESOURCE, main
from sim.errors import OfficesimError
from sim.results.output import atomic_write_text
from tests.conftest import small_scenario, write_yaml

REPO = Path(__file__).resolve().parents[1]
SIM = REPO / "sim"

# --------------------------------------------------------------------------- safe loading

EXPLOITS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "!!python/name:os.system",
]


@pytest.mark.parametrize("tag", EXPLOITS, ids=["apply", "new", "name"])
def test_python_tags_in_a_scenario_are_refused(
    tag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "scenario.yaml"
    text = yaml.safe_dump(small_scenario(), sort_keys=False)
    path.write_text(text + f"description: {tag.format(marker=marker)}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert f"error: {path}: YAML syntax error at line " in err
    assert "could not determine a constructor for the tag 'tag:yaml.org,2002:python/" in err
    assert not marker.exists()


def test_python_tags_in_a_floor_plan_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"name: {EXPLOITS[0].format(marker=marker)}\nspaces: {{}}\n")
    assert main(["layout", "check", str(plan)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert (
        f"error: {plan}: line 1, column 7: invalid YAML: could not determine a constructor" in err
    )
    assert not marker.exists()


def test_python_tags_in_a_set_value_stay_text(
    scenario_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    value = EXPLOITS[0].format(marker=marker)
    assert main(["validate", str(scenario_file), "--set", f"description={value}"]) == EXIT_OK
    assert not marker.exists()
    capsys.readouterr()


CALLS_REFUSED = {"eval", "exec", "compile", "__import__"}
MODULES_REFUSED = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve", "jsonpickle"}
YAML_REFUSED = {"unsafe_load", "full_load", "load_all", "unsafe_load_all", "full_load_all"}
SAFE_YAML_LOADERS = {"_StrictLoader", "SafeLoader", "CSafeLoader"}
"""``yaml.load`` is allowed only with one of these loaders (sim/loading.py: a SafeLoader that
also refuses duplicate keys)."""


def unsafe_uses(source: str) -> list[str]:
    """Calls and imports in Python source that could run user input as code."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name in MODULES_REFUSED]
        elif isinstance(node, ast.ImportFrom) and node.module in MODULES_REFUSED:
            found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in CALLS_REFUSED:
                found.append(f"{func.id}(...) at line {node.lineno}")
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                owner, name = func.value.id, func.attr
                if owner in MODULES_REFUSED:
                    found.append(f"{owner}.{name}(...) at line {node.lineno}")
                if owner == "yaml" and name in YAML_REFUSED:
                    found.append(f"yaml.{name}(...) at line {node.lineno}")
                if owner == "yaml" and name == "load":
                    loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                    if loader is None and len(node.args) > 1:
                        loader = node.args[1]
                    named = getattr(loader, "id", None) or getattr(loader, "attr", None)
                    if named not in SAFE_YAML_LOADERS:
                        found.append(f"yaml.load(...) with loader {named} at line {node.lineno}")
                if owner == "importlib" and name == "import_module":
                    arg = node.args[0] if node.args else None
                    if not isinstance(arg, ast.Constant) and not _is_module_table(node):
                        found.append(f"importlib.import_module(<variable>) at line {node.lineno}")
    return found


def _is_module_table(node: ast.Call) -> bool:
    """``importlib.import_module(module)`` in sim/lazy.py, sim/moved.py and sim/forked.py
    resolves names of fixed tables in the code (lazy exports, old module paths, the modules a
    standby copy loads ahead), never user text; these are the documented dynamic imports."""
    arg = node.args[0] if node.args else None
    return isinstance(arg, ast.Name) and arg.id == "module"


def test_the_source_scanner_finds_unsafe_calls() -> None:
    bad = (
        "import pickle\nimport yaml\neval(x)\nexec(y)\npickle.loads(b)\n"
        "yaml.load(t, Loader=yaml.Loader)\nyaml.unsafe_load(t)\nimportlib.import_module(name)\n"
    )
    assert len(unsafe_uses(bad)) == 7
    good = "import yaml\nyaml.safe_load(t)\nyaml.load(t, Loader=_StrictLoader)\nmodel.eval()\n"
    assert unsafe_uses(good) == []


def test_no_eval_exec_or_pickle_anywhere_in_sim() -> None:
    files = sorted(SIM.rglob("*.py"))
    assert len(files) > 30
    found = {
        str(f.relative_to(REPO)): uses
        for f in files
        if (uses := unsafe_uses(f.read_text(encoding="utf-8")))
    }
    assert found == {}


def _is_fixed_table(arg: ast.expr) -> bool:
    """A module-level constant table (``_EXPORTS``) or ``dict.fromkeys(names, "sim.x")``."""
    if isinstance(arg, ast.Name):
        return arg.id.isupper() or arg.id.lstrip("_").isupper()
    return (
        isinstance(arg, ast.Call)
        and ast.unparse(arg.func) == "dict.fromkeys"
        and len(arg.args) == 2
        and isinstance(arg.args[1], ast.Constant)
    )


def test_lazy_imports_come_from_fixed_tables() -> None:
    lazy = (SIM / "lazy.py").read_text(encoding="utf-8")
    assert "module = sources.get(name)" in lazy and "importlib.import_module(module)" in lazy
    calls = [
        (f, node)
        for f in sorted(SIM.rglob("*.py"))
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy_exports"
    ]
    assert len(calls) >= 5
    for f, call in calls:
        assert _is_fixed_table(call.args[1]), f"{f}: {ast.unparse(call)}"
    standbys = [
        (f, node)
        for f in sorted(SIM.rglob("*.py"))
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Standby"
    ]
    assert standbys
    for f, call in standbys:
        assert _is_fixed_table(call.args[0]), f"{f}: {ast.unparse(call)}"
    moved = (SIM / "moved.py").read_text(encoding="utf-8")
    assert "module = MOVED[spec.name]" in moved and "MOVED: dict[str, str] = {" in moved


# --------------------------------------------------------------------------- where officesim writes

PLAN = {
    "name": "tiny",
    "spaces": {
        "hall": {"category": "lobby", "rect": [0, 0, 10, 6]},
        "waiting": {"category": "waiting", "rect": [0, 6, 10, 3]},
    },
    "doors": [
        {"between": ["outside", "hall"], "at": [5, 0], "width": 1.2},
        {"between": ["hall", "waiting"], "at": [5, 6], "width": 2},
    ],
    "desks": [{"id": "D1", "at": [8, 3]}, {"id": "D2", "at": [6, 3]}],
    "seats": [{"row": {"from": [1, 8], "to": [9, 8], "count": 4, "prefix": "S"}}],
    "entrances": [{"id": "entrance", "at": [5, 0.6]}],
    "exits": [{"id": "exit", "at": [6, 0.6]}],
}


def tree(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``root`` with its modification time and bytes."""
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def hostile_scenario(root: Path) -> Path:
    """A scenario in root/scenarios whose name and layout path point out of its folder."""
    write_yaml(root / "plans", PLAN, "plan.yaml")
    data = small_scenario()
    data.update(name="../../escaped/name", replications=2, days=1, layout="../plans/plan.yaml")
    data["staff"]["teller"]["desks"] = ["D1", "D2"]
    return write_yaml(root / "scenarios", data, "office.yaml")


def test_run_writes_only_into_the_chosen_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "root"
    scenario = hostile_scenario(root)
    out = tmp_path / "chosen" / "out"
    before = tree(tmp_path)
    assert main(["run", str(scenario), "-o", str(out), "-q", "-j", "1"]) == EXIT_OK
    capsys.readouterr()
    after = tree(tmp_path)
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed, "the run wrote nothing"
    # Beside the folder only its lock file (an empty file the OS locks while a command runs).
    assert all(k.startswith("chosen/out/") for k in changed - {"chosen/.out.lock"}), changed
    assert not (tmp_path / "chosen" / ".out.partial").exists()
    assert set(before) <= set(after)
    assert (out / "results.json").is_file()


def test_default_output_folder_is_under_reports_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "root"
    scenario = hostile_scenario(root)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = tree(tmp_path)
    assert main(["run", str(scenario), "-q", "-j", "1"]) == EXIT_OK
    capsys.readouterr()
    after = tree(tmp_path)
    changed = {k for k in after if before.get(k) != after[k]}
    changed.discard("work/reports/.office.lock")
    assert changed and all(k.startswith("work/reports/office/") for k in changed), sorted(changed)


def test_layout_show_into_a_new_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_yaml(tmp_path, PLAN, "plan.yaml")
    image = tmp_path / "missing" / "plan.png"
    code = main(["layout", "show", str(plan), "-o", str(image)])
    err = capsys.readouterr().err
    assert "internal error" not in err
    if code == EXIT_OK:
        assert image.is_file()
    else:
        assert code == EXIT_INVALID and f"error: {image}" in err


# --------------------------------------------------------------------------- atomic writes


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("target", "error"),
    [("replace", OSError("disk full")), ("fsync", KeyboardInterrupt())],
    ids=["rename fails", "interrupted before the rename"],
)
def test_an_interrupted_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, error: BaseException
) -> None:
    path = tmp_path / "results.json"
    atomic_write_text(path, '{"complete": 1}\n')

    def fail(*args: Any) -> None:
        raise error

    monkeypatch.setattr(sim.results.output.os, target, fail)
    with pytest.raises(type(error)):
        atomic_write_text(path, '{"complete": 2, "and much more": "x"}\n' * 1000)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == '{"complete": 1}\n'
    assert temporaries(tmp_path) == []


def test_a_run_failing_at_the_rename_keeps_the_previous_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write_yaml(tmp_path, {**small_scenario(), "replications": 2, "days": 1})
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.json").write_text('{"earlier": true}\n', encoding="utf-8")

    def fail(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sim.results.output.os, "replace", fail)
    assert main(["run", str(scenario), "-o", str(out), "-q", "-j", "1"]) == EXIT_RESOURCE
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert (out / "results.json").read_text(encoding="utf-8") == '{"earlier": true}\n'
    assert temporaries(out) == []


def test_atomic_writes_respect_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "results.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "results.json").stat().st_mode) == 0o644


# --------------------------------------------------------------------------- two runs, one folder

NOISE = ("created_utc", "command")


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """A results document minus what differs between identical runs (time, command line)."""
    out = {k: v for k, v in doc.items() if k not in NOISE}
    out["replications"] = [
        {k: v for k, v in r.items() if k != "wall_time_s"} for r in doc["replications"]
    ]
    return out


def test_two_runs_into_one_folder_end_consistent(tmp_path: Path) -> None:
    data = {**small_scenario(), "replications": 10, "days": 2}
    scenario = write_yaml(tmp_path, data)
    shared = tmp_path / "shared"

    def argv(seed: int, out: Path) -> list[str]:
        return ["run", str(scenario), "-o", str(out), "-q", "-j", "1", "--seed", str(seed)]

    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sim", *argv(seed, shared)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    outcomes = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    references = []
    for seed in (1, 2):
        alone = tmp_path / f"alone{seed}"
        code = main(argv(seed, alone))
        assert code == EXIT_OK
        references.append(comparable(json.loads((alone / "results.json").read_text())))
    codes = sorted(code for code, _ in outcomes)
    for _, err in outcomes:
        assert "Traceback" not in err and "internal error" not in err, err
    if codes == [EXIT_OK, EXIT_INVALID]:
        refused = next(err for code, err in outcomes if code == EXIT_INVALID)
        assert f"error: {shared}" in refused, refused
    else:
        assert codes == [EXIT_OK, EXIT_OK], outcomes
    final = comparable(json.loads((shared / "results.json").read_text(encoding="utf-8")))
    assert final in references
    assert temporaries(shared) == []


def test_a_second_command_into_a_claimed_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.results.folders import claim_output_folder, release_output_folders

    out = tmp_path / "claimed"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; "
            "from sim.results.folders import claim_output_folder; "
            f"claim_output_folder(Path({str(out)!r})); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(OfficesimError, match="another officesim command is writing"):
            claim_output_folder(out)
    finally:
        holder.kill()
        holder.communicate()  # reaps it and closes its pipe
    claim_output_folder(out)  # free again once the holder has gone
    release_output_folders()
