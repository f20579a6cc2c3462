"""Fuzzing of what users hand to officesim besides scenario mappings: floor-plan files in every
format, ``--set`` overrides and whole command lines.

The invariant is the one the bad-input catalogue checks for named cases, here for generated
ones: officesim accepts the input or refuses it with its own error (on the command line: exit
2 and a message; exit 3 for a fault of the machine), never an internal error; reading one
input never holds more than ``MEMORY_MB`` of memory (tracemalloc sees numpy's arrays too); and
what validation accepts also runs.

Plans are mutations of the shipped ones (a value replaced by junk, a key or list entry dropped
or repeated, a member of an IMDF archive damaged, a DXF truncated or its entities moved), so
most examples are near-valid plans, where the parsers' corner cases are.
"""

from __future__ import annotations

import copy
import io
import json
import re
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim.cli.main import main
from sim.errors import OfficesimError
from sim.experiment.inputs import load_scenario, plan_for, scenario_from_dict
from sim.experiment.replication import run_replication
from sim.layout import Floor, load_floor

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "layouts"
SCENARIOS = ROOT / "scenarios"
MEMORY_MB = 200
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

JUNK: list[Any] = [
    None,
    True,
    0,
    -1,
    -1e9,
    1e308,
    0.5,
    "",
    "x",
    "nan",
    "1e400",
    "../../etc/passwd",
    "a" * 5000,
    [],
    {},
    [0, 0],
    [[0, 0], [1, 0]],
    [[[0, 0], [0, 0], [0, 0], [0, 0]]],
    [1e9, -1e9, 1e9],
    {"type": "Feature"},
]


def nested(depth: int) -> str:
    """A marker that ``deepened`` turns into a list nested ``depth`` deep in the written text.

    Deep values are written as text because the serialisers themselves recurse per level.
    """
    return f"DEEP{depth}DEEP"


def deepened(text: str) -> str:
    """``text`` with every ``nested`` marker (quoted or not) replaced by its nested list."""
    return re.sub(r'"?DEEP(\d+)DEEP"?', lambda m: "[" * int(m[1]) + "0" + "]" * int(m[1]), text)


@contextmanager
def bounded_memory() -> Iterator[None]:
    """Fail when the block's peak traced memory passes ``MEMORY_MB``."""
    tracemalloc.start()
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_MB * 2**20, f"peak {peak / 2**20:.0f} MB over {MEMORY_MB} MB"


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into a nested mapping/list (the root excluded)."""
    out: list[tuple[Any, ...]] = []
    if not isinstance(node, dict | list):
        return out
    items: Any = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in items:
        out.append((*prefix, key))
        out.extend(paths(child, (*prefix, key)))
    return out


@st.composite
def mutated(draw: st.DrawFn, original: Any) -> Any:
    """``original`` with one to three edits: a value replaced, dropped or repeated."""
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        where = paths(data)
        if not where:
            break
        path = draw(st.sampled_from(where))
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        edit = draw(st.sampled_from(["replace", "drop", "repeat", "deep"]))
        if edit == "drop":
            del parent[key]
        elif edit == "repeat" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif edit == "deep":
            parent[key] = nested(draw(st.sampled_from([5, 150, 2000])))
        else:
            parent[key] = copy.deepcopy(draw(st.sampled_from(JUNK)))
    return data


def load_or_refuse(path: Path) -> Floor | None:
    """The floor of ``path``, or None when officesim refused it with its own error."""
    try:
        with bounded_memory():
            return load_floor(path)
    except OfficesimError as exc:
        assert exc.problems, "a refusal must say what is wrong"
        return None


# --------------------------------------------------------------------------- plan formats

SHORTHAND = yaml.safe_load((LAYOUTS / "bank_branch.yaml").read_text(encoding="utf-8"))
GEOJSON = json.loads((LAYOUTS / "open_plan_office.geojson").read_text(encoding="utf-8"))
IMDF = {
    p.name: json.loads(p.read_text(encoding="utf-8"))
    for p in (LAYOUTS / "service_centre_imdf").iterdir()
}
BANK = yaml.safe_load((SCENARIOS / "bank_branch.yaml").read_text(encoding="utf-8"))


def runs_when_accepted(scenario_data: dict[str, Any], layout: Path, base: Path) -> None:
    """A scenario on ``layout`` is refused with our error or runs a short day without crashing."""
    data = {**copy.deepcopy(scenario_data), "layout": str(layout), "days": 1, "replications": 1}
    try:
        scenario = scenario_from_dict(data, str(base / "scenario.yaml"), base)
    except OfficesimError:
        return
    result = run_replication(scenario, 0, plan_for(scenario))
    assert result.kpis


@settings(FUZZ, max_examples=20)
@given(plan=mutated(SHORTHAND))
def test_shorthand_plans_load_or_are_refused_and_run_when_accepted(
    plan: Any, tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(deepened(yaml.safe_dump(plan)), encoding="utf-8")
    if load_or_refuse(path) is not None:
        runs_when_accepted(BANK, path, tmp_path)


@settings(FUZZ, max_examples=60)
@given(plan=mutated(GEOJSON))
def test_geojson_plans_load_or_are_refused(plan: Any, tmp_path: Path) -> None:
    path = tmp_path / "plan.geojson"
    path.write_text(deepened(json.dumps(plan)), encoding="utf-8")
    event("accepted" if load_or_refuse(path) is not None else "refused")


@st.composite
def imdf_archives(draw: st.DrawFn) -> dict[str, bytes]:
    """The shipped IMDF members, one of them mutated, dropped or replaced by bytes."""
    members = {name: json.dumps(data).encode() for name, data in IMDF.items()}
    name = draw(st.sampled_from(sorted(members)))
    edit = draw(st.sampled_from(["mutate", "drop", "bytes", "truncate"]))
    if edit == "mutate":
        members[name] = deepened(json.dumps(draw(mutated(IMDF[name])))).encode()
    elif edit == "drop":
        del members[name]
    elif edit == "bytes":
        members[name] = draw(st.binary(max_size=200))
    else:
        members[name] = members[name][: draw(st.integers(0, len(members[name])))]
    return members


@settings(FUZZ, max_examples=60)
@given(members=imdf_archives(), whole_archive_cut=st.one_of(st.none(), st.integers(0, 400)))
def test_imdf_archives_load_or_are_refused(
    members: dict[str, bytes], whole_archive_cut: int | None, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    raw = buffer.getvalue()
    path = tmp_path / "plan.zip"
    path.write_bytes(raw if whole_archive_cut is None else raw[:whole_archive_cut])
    event("accepted" if load_or_refuse(path) is not None else "refused")


def dxf_text(
    rooms: list[tuple[float, float, float, float]], desks: list[tuple[float, float]]
) -> str:
    """A DXF drawing of rectangular rooms and desk points, the first room with a street door
    and an entrance point (so some drawings are whole plans)."""
    ezdxf = pytest.importorskip("ezdxf")
    doc = ezdxf.new()
    msp = doc.modelspace()
    if rooms:
        x, y, w, h = rooms[0]
        msp.add_line((x + w / 3, y), (x + 2 * w / 3, y), dxfattribs={"layer": "DOOR"})
        msp.add_point((x + w / 2, y + h / 10), dxfattribs={"layer": "ENTRANCE"})
    for x, y, w, h in rooms:
        msp.add_lwpolyline(
            [(x, y), (x + w, y), (x + w, y + h), (x, y + h)],
            close=True,
            dxfattribs={"layer": "SPACE-OFFICE"},
        )
    for x, y in desks:
        msp.add_point((x, y), dxfattribs={"layer": "DESK"})
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue()


coordinate = st.one_of(st.floats(-50, 50, allow_nan=False), st.sampled_from([0.0, 1e-9, 1e7, -1e7]))


HALL = (0.0, 0.0, 10.0, 6.0)
inside_hall = st.tuples(st.floats(0.5, 9.5), st.floats(0.5, 5.5))


@settings(FUZZ, max_examples=40)
@given(
    rooms=st.lists(
        st.tuples(coordinate, coordinate, coordinate, coordinate), min_size=0, max_size=4
    ).map(lambda extra: [HALL, *extra]),
    desks=st.lists(st.one_of(inside_hall, st.tuples(coordinate, coordinate)), max_size=6),
    cut=st.one_of(st.none(), st.none(), st.integers(0, 3000)),
)
def test_dxf_drawings_load_or_are_refused(
    rooms: list[tuple[float, float, float, float]],
    desks: list[tuple[float, float]],
    cut: int | None,
    tmp_path: Path,
) -> None:
    text = dxf_text(rooms, desks)
    path = tmp_path / "plan.dxf"
    path.write_text(text if cut is None else text[:cut], encoding="utf-8")
    event("accepted" if load_or_refuse(path) is not None else "refused")


# --------------------------------------------------------------------------- --set overrides


def leaf_values(node: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """Every (key path, value) of a nested mapping/list, containers included, in ``paths`` order."""
    out = []
    for path in paths(node):
        value = node
        for key in path:
            value = value[key]
        out.append((path, value))
    return out


KEY_PATHS = [".".join(str(p) for p in path) for path in paths(BANK)]
JUNK_VALUES = [
    *("0", "-1", "1e9", "nan", "inf", "x", "''", "[]", "{}", "[1, 2", "-5 min", "99:99"),
    *("{dist: exponential, mean: 0 min}", "{low: 1, high: 0}", "&a [*a]", "null", "true"),
]
ORIGINAL = dict(zip(KEY_PATHS, (v for _, v in leaf_values(BANK)), strict=True))


def near(value: Any) -> list[str]:
    """Values a planner might put in place of ``value``: scaled numbers, the same unit."""
    if isinstance(value, bool) or value is None:
        return [str(value).lower()]
    if isinstance(value, int | float):
        return [f"{value * f:g}" for f in (0, 0.5, 2, 3)]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-z]+)", str(value))
    if match:
        return [f"{float(match[1]) * f:g} {match[2]}" for f in (0, 0.5, 2)]
    return [yaml.safe_dump(value, default_flow_style=True).strip()]


@st.composite
def override_lists(draw: st.DrawFn) -> list[str]:
    """One to three ``key.path=value`` overrides, on real paths or near-misses."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(KEY_PATHS))
        values = near(ORIGINAL[key]) if draw(st.integers(0, 2)) else JUNK_VALUES
        if not draw(st.integers(0, 4)):
            key = key + draw(st.sampled_from([".x", "[0]", ".0.0", "x", "[9999]", ""]))
        sep = "=" if draw(st.integers(0, 9)) else ""
        out.append(f"{key}{sep}{draw(st.sampled_from(values))}")
    return out


@settings(FUZZ, max_examples=30)
@given(overrides=override_lists())
def test_overrides_are_applied_or_refused_and_run_when_accepted(overrides: list[str]) -> None:
    try:
        with bounded_memory():
            scenario = load_scenario(SCENARIOS / "bank_branch.yaml", [*overrides, "days=1"])
    except OfficesimError as exc:
        assert exc.problems
        event("refused")
        return
    event("accepted")
    assert run_replication(scenario, 0, plan_for(scenario)).kpis


# --------------------------------------------------------------------------- command lines

SMALL_SCENARIO = str(SCENARIOS / "mmc_validation.yaml")
COMMANDS = ["run", "validate", "compare", "sweep", "optimize", "report", "layout", "schema"]
FILES = [SMALL_SCENARIO] * 4 + [str(LAYOUTS / "bank_branch.yaml"), "/dev/null", "missing.yaml"]
OPTIONS: dict[str, list[str]] = {
    # each option with values a user might type, good and bad; [] for a flag
    "-n": ["1", "2", "0", "-1", "x", "1e3"],
    "-j": ["1", "2", "0", "-3", "x"],
    "--seed": ["1", "7", "-1", "x"],
    "--set": ["seed=3", "servers=x", "days=x", "warmup_days=5", "==", "nosuch=1"],
    "--kpi": ["wait.mean", "bogus", ""],
    "--dask": ["bogus"],
    "--max-replications": ["0", "2", "-1"],
    "--resume": [],
    "--force": [],
    "--json": [],
    "-q": [],
    "--bogus": [],
}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command, mostly a file, and a few options with values from their pools."""
    words = [draw(st.sampled_from(COMMANDS))]
    if draw(st.integers(0, 4)):
        words.append(draw(st.sampled_from(FILES)))
    for option in draw(st.lists(st.sampled_from(sorted(OPTIONS)), max_size=3)):
        words.append(option)
        if OPTIONS[option]:
            words.append(draw(st.sampled_from(OPTIONS[option])))
    return words


def exit_code(call: Callable[[], int]) -> int:
    """The exit code of a CLI call, whether it returns or raises SystemExit (argparse)."""
    try:
        return call()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2


@settings(FUZZ, max_examples=50)
@given(words=command_lines())
def test_command_lines_finish_or_say_why(
    words: list[str], tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path_factory.mktemp("out")
    argv = [*words, "-o", str(out / "result")] if words[0] not in ("schema", "layout") else words
    if words[0] in ("run", "compare", "sweep", "optimize"):
        # keep generated runs small: one simulated day (after the warm-up) and no report drawing
        argv = [*argv, "--set", "days=2", "--no-report"]
    with bounded_memory():
        code = exit_code(lambda: main(argv))
    captured = capsys.readouterr()
    event(f"{words[0]} exit {code}")
    # 0: done; 2: refused input; 3: a fault of the machine (docs/errors.md, exit codes)
    assert code in (0, 2, 3), (argv, code, captured.err[-2000:])
    assert "Traceback" not in captured.err, argv
    assert "bug in officesim" not in captured.err, (argv, captured.err[-2000:])
    if code != 0:
        assert captured.err.strip(), f"{argv}: exit {code} without a message"
