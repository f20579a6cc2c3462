"""The loading pipeline: every mistake a new user makes is reported with file, key path and fix."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from sim.errors import OfficesimError, Problem, ScenarioError
from sim.experiment.inputs import load_scenario, scenario_from_dict
from sim.scenario.checks import MAX_CLIENTS_PER_REPLICATION
from sim.scenario.loading import apply_overrides
from sim.scenario.spec import Scenario
from tests.conftest import small_scenario, write_yaml

Data = dict[str, Any]


def problems_of(data: Data, source: str = "office.yaml") -> list[Problem]:
    """The problems validation reports for ``data`` (which must be invalid)."""
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data, source)
    assert info.value.problems, "an error without problems"
    return list(info.value.problems)


def assert_problem(problems: list[Problem], path: str, *fragments: str) -> Problem:
    """Exactly one of ``problems`` is at ``path`` and its message holds every fragment."""
    at = [p for p in problems if p.path == path]
    shown = [str(p) for p in problems]
    assert len(at) == 1, f"expected one problem at {path!r}, got {shown}"
    for fragment in fragments:
        assert fragment in at[0].message, f"{fragment!r} not in {at[0].message!r}"
    return at[0]


def walk_in(d: Data) -> Data:
    return d["client_classes"]["walk_in"]


def teller(d: Data) -> Data:
    return d["staff"]["teller"]


def shifts(*spans: tuple[str, str, int]) -> list[Data]:
    return [{"start": a, "end": b, "count": n} for a, b, n in spans]


def rename(mapping: Data, old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


# --------------------------------------------------------------------------- valid input


def test_small_scenario_is_valid() -> None:
    sc = scenario_from_dict(small_scenario())
    assert isinstance(sc, Scenario)
    assert sc.hours.open == 9 * 3600 and sc.hours.close == 12 * 3600
    assert walk_in_service_mean(sc) == 300.0


def walk_in_service_mean(sc: Scenario) -> float:
    return sc.client_classes["walk_in"].service.mean()


def test_load_scenario_from_file(scenario_file: Path) -> None:
    sc = load_scenario(scenario_file)
    assert sc.name == "small"
    assert sc.staff["teller"].count == 2


def test_unquoted_clock_times_in_yaml_are_named_with_the_fix(tmp_path: Path) -> None:
    text = (
        "name: clocks\nhours: {open: 8:30, close: 17:30}\n"
        "client_classes:\n  a: {skill: s, arrivals: {rate: 1}, service: 5 min}\n"
        "staff:\n  b:\n    skills: [s]\n    shifts: [{start: '08:30', end: 17:30, count: 1}]\n"
    )
    path = tmp_path / "clocks.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    lines = {(p.path, p.message.split(" (")[0]) for p in err.value.problems}
    expected = "expected a clock time in quotes such as '09:00', got"
    assert lines == {
        ("hours.open", f"{expected} 510"),
        ("hours.close", f"{expected} 1050"),
        ("staff.b.shifts[0].end", f"{expected} 1050"),
    }
    assert "write '17:30'" in str(err.value)


def test_validation_does_not_mutate_the_callers_dict() -> None:
    data = small_scenario()
    data["staff"]["teller"]["breaks"] = [{"start": "10:00", "duration": "10 min"}]
    before = copy.deepcopy(data)
    scenario_from_dict(data, base_dir=Path("/somewhere"))
    scenario_from_dict(data, overrides=["staff.teller.count=3"])
    assert data == before


def test_invalid_validation_does_not_mutate_the_callers_dict() -> None:
    data = small_scenario()
    walk_in(data)["service"] = {"dist": "exponential", "mean": 5}
    walk_in(data)["arrivals"]["rate"] = -1
    before = copy.deepcopy(data)
    problems_of(data)
    assert data == before


def test_scenario_models_are_frozen() -> None:
    sc = scenario_from_dict(small_scenario())
    with pytest.raises(ValidationError, match="frozen"):
        sc.days = 5  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        sc.hours.open = 0.0  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        sc.staff["teller"].count = 9  # type: ignore[misc]


# --------------------------------------------------------------------------- reading files


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems == (Problem(str(path), "", "file not found"),)


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path)
    assert info.value.problems == (Problem(str(tmp_path), "", "is a folder; expected a YAML file"),)


def bad_file(tmp_path: Path, content: bytes) -> Problem:
    path = tmp_path / "office.yaml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.source == str(path)
    assert problem.path == ""
    return problem


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    problem = bad_file(tmp_path, b"name: x\nhours: {open: '09:00'\nstaff: [\n")
    assert problem.message == (
        "YAML syntax error at line 3, column 1: expected ',' or '}', but got '<scalar>'"
    )


def test_yaml_bad_indentation(tmp_path: Path) -> None:
    problem = bad_file(tmp_path, b"name: x\nhours:\n  open: '09:00'\n close: '17:00'\n")
    assert problem.message.startswith("YAML syntax error at line 4, column 2: ")


@pytest.mark.parametrize("content", [b"", b"# just a comment\n", b"\n\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    assert bad_file(tmp_path, content).message == (
        "file is empty; expected a scenario (a YAML mapping)"
    )


def test_binary_file(tmp_path: Path) -> None:
    problem = bad_file(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert problem.message == "is a binary file; expected a UTF-8 YAML text file"


def test_non_utf8_file(tmp_path: Path) -> None:
    problem = bad_file(tmp_path, "name: Café\n".encode("latin-1"))
    assert problem.message == "is not UTF-8 text (byte 9); save it as UTF-8"


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, small_scenario())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_scenario(path).name == "small"


@pytest.mark.parametrize(
    ("content", "kind"), [(b"- a\n- b\n", "list"), (b"just words\n", "str"), (b"42\n", "int")]
)
def test_top_level_must_be_a_mapping(tmp_path: Path, content: bytes, kind: str) -> None:
    assert bad_file(tmp_path, content).message == (
        f"expected a YAML mapping of keys to values, got a {kind}"
    )


def test_problems_from_a_file_name_the_file(make_file: Callable[..., Path]) -> None:
    data = small_scenario()
    rename(walk_in(data), "patience", "patince")
    path = make_file(data, "branch.yaml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert str(problem) == (
        f"{path}: client_classes.walk_in.patince: unknown key 'patince'; did you mean 'patience'?"
    )


# --------------------------------------------------------------------------- schema problems


def misspell_patience(d: Data) -> None:
    rename(walk_in(d), "patience", "patince")


def misspell_service(d: Data) -> None:
    rename(walk_in(d), "service", "servic")


def misspell_staff(d: Data) -> None:
    rename(d, "staff", "staf")


def misspell_inside_distribution(d: Data) -> None:
    rename(walk_in(d)["service"], "mean", "maen")


def misspell_shift_key(d: Data) -> None:
    del teller(d)["count"]
    teller(d)["shifts"] = [{"start": "09:00", "ende": "12:00", "count": 2}]


@pytest.mark.parametrize(
    ("mutate", "path", "suggestion"),
    [
        (misspell_patience, "client_classes.walk_in.patince", "patience"),
        (misspell_service, "client_classes.walk_in.servic", "service"),
        (misspell_staff, "staf", "staff"),
        (misspell_inside_distribution, "client_classes.walk_in.service.maen", "mean"),
        (misspell_shift_key, "staff.teller.shifts[0].ende", "end"),
    ],
    ids=["patince", "servic", "staf", "maen", "ende"],
)
def test_misspelt_keys_get_a_suggestion(
    mutate: Callable[[Data], None], path: str, suggestion: str
) -> None:
    data = small_scenario()
    mutate(data)
    found = problems_of(data)
    wrong = path.rsplit(".", 1)[-1]
    assert_problem(found, path, f"unknown key '{wrong}'; did you mean '{suggestion}'?")


def test_unknown_key_without_a_close_match_lists_valid_keys() -> None:
    data = small_scenario()
    data["hours"]["lunch"] = "12:00"
    assert_problem(
        problems_of(data), "hours.lunch", "unknown key 'lunch'; valid keys here: open, close"
    )


def test_misspelt_required_key_also_reports_it_missing() -> None:
    data = small_scenario()
    misspell_service(data)
    assert_problem(problems_of(data), "client_classes.walk_in.service", "required key is missing")


def test_missing_required_key() -> None:
    data = small_scenario()
    del data["hours"]
    found = problems_of(data)
    assert_problem(found, "hours", "required key is missing")
    assert len(found) == 1


def test_unknown_distribution_name() -> None:
    data = small_scenario()
    walk_in(data)["service"]["dist"] = "exponental"
    assert_problem(
        problems_of(data),
        "client_classes.walk_in.service",
        "unknown distribution 'exponental'; did you mean 'exponential'?",
    )


def test_distribution_without_dist() -> None:
    data = small_scenario()
    walk_in(data)["service"] = {"mean": "5 min"}
    assert_problem(problems_of(data), "client_classes.walk_in.service", "missing key 'dist'")


@pytest.mark.parametrize("service", [5, {"dist": "exponential", "mean": 5}])
def test_duration_without_unit(service: Any) -> None:
    data = small_scenario()
    walk_in(data)["service"] = service
    problem = problems_of(data)[0]
    assert problem.path.startswith("client_classes.walk_in.service")
    assert "duration 5 has no unit; write it with one, e.g. '5 min'" in problem.message


def test_negative_rate() -> None:
    data = small_scenario()
    walk_in(data)["arrivals"]["rate"] = -3
    found = problems_of(data)
    assert_problem(
        found, "client_classes.walk_in.arrivals.rate", "greater than or equal to 0", "(got -3)"
    )
    assert len(found) == 1, [str(p) for p in found]


def test_negative_hourly_rate_names_the_hour() -> None:
    data = small_scenario()
    walk_in(data)["arrivals"]["rate"] = [10, -2, 5]
    found = problems_of(data)
    assert_problem(found, "client_classes.walk_in.arrivals.rate[1]", "(got -2)")
    assert len(found) == 1, [str(p) for p in found]


def test_rate_that_is_not_a_number() -> None:
    data = small_scenario()
    walk_in(data)["arrivals"]["rate"] = "lots"
    found = problems_of(data)
    assert_problem(found, "client_classes.walk_in.arrivals.rate", "valid number", "'lots'")
    assert len(found) == 1, [str(p) for p in found]


def test_probability_above_one() -> None:
    data = small_scenario()
    walk_in(data)["appointments"] = {"times": ["10:00"], "no_show": 1.5}
    assert_problem(
        problems_of(data),
        "client_classes.walk_in.appointments.no_show",
        "less than or equal to 1",
        "(got 1.5)",
    )


def test_service_level_above_one() -> None:
    data = small_scenario()
    data["targets"]["service_level"] = 80
    assert_problem(problems_of(data), "targets.service_level", "less than or equal to 1")


def test_bad_clock_time_in_file() -> None:
    data = small_scenario()
    data["hours"]["close"] = "5pm"
    assert_problem(problems_of(data), "hours.close", "expected a clock time such as '09:00'")


def test_fractional_staff_count() -> None:
    data = small_scenario()
    teller(data)["count"] = 2.5
    assert_problem(problems_of(data), "staff.teller.count", "valid integer", "(got 2.5)")


def test_bad_class_name() -> None:
    data = small_scenario()
    rename(data["client_classes"], "walk_in", "walk in")
    found = problems_of(data)
    assert any(
        p.path.startswith("client_classes.walk in") and "'walk in'" in p.message for p in found
    ), [str(p) for p in found]


# --------------------------------------------------------------------------- cross-field checks


def test_hourly_rate_list_of_wrong_length() -> None:
    data = small_scenario()
    walk_in(data)["arrivals"]["rate"] = [10, 20]
    assert_problem(
        problems_of(data),
        "client_classes.walk_in.arrivals.rate",
        "has 2 hourly rates but the office is open 3 hour(s) (09:00-12:00)",
    )


def test_empty_hourly_rate_list_is_reported_not_a_crash() -> None:
    data = small_scenario()
    walk_in(data)["arrivals"]["rate"] = []
    assert_problem(
        problems_of(data),
        "client_classes.walk_in.arrivals.rate",
        "has 0 hourly rates but the office is open 3 hour(s) (09:00-12:00)",
    )


def test_closing_before_opening() -> None:
    data = small_scenario()
    data["hours"]["close"] = "08:00"
    assert_problem(
        problems_of(data), "hours.close", "closing time 08:00 is not after opening time 09:00"
    )


def test_shift_ending_before_it_starts() -> None:
    data = small_scenario()
    del teller(data)["count"]
    teller(data)["shifts"] = shifts(("09:00", "12:00", 1), ("11:00", "10:00", 1))
    assert_problem(
        problems_of(data),
        "staff.teller.shifts[1].end",
        "shift ends at 10:00, not after its start 11:00",
    )


def test_shift_outside_opening_hours() -> None:
    data = small_scenario()
    del teller(data)["count"]
    teller(data)["shifts"] = shifts(("09:00", "12:00", 1), ("13:00", "15:00", 1))
    assert_problem(
        problems_of(data),
        "staff.teller.shifts[1]",
        "shift 13:00-15:00 lies outside opening hours 09:00-12:00",
    )


def test_count_and_shifts_together() -> None:
    data = small_scenario()
    teller(data)["shifts"] = shifts(("09:00", "12:00", 1))
    assert_problem(
        problems_of(data), "staff.teller", "expected either 'count' (all opening hours) or 'shifts'"
    )


def test_overlapping_breaks() -> None:
    data = small_scenario()
    teller(data)["breaks"] = [
        {"start": "10:00", "duration": "30 min"},
        {"start": "10:15", "duration": "30 min"},
    ]
    assert_problem(problems_of(data), "staff.teller.breaks[1]", "overlaps break 0 (10:00-10:30)")


def test_break_outside_every_shift() -> None:
    data = small_scenario()
    teller(data)["breaks"] = [{"start": "13:00", "duration": "30 min"}]
    assert_problem(
        problems_of(data),
        "staff.teller.breaks[0]",
        "nobody of this role is on duty at 13:00, so nobody takes this break",
    )


def test_staggered_breaks_running_past_the_shift() -> None:
    data = small_scenario()
    teller(data)["count"] = 4
    teller(data)["breaks"] = [{"start": "11:15", "duration": "15 min", "stagger": "15 min"}]
    assert_problem(
        problems_of(data),
        "staff.teller.breaks[0]",
        "member 4 of the 4 on duty at 11:15 would still be on break at 12:15",
        "after their shift ends at 12:00",
    )


def test_role_no_client_can_reach() -> None:
    data = small_scenario()
    data["staff"]["archivist"] = {"count": 1, "skills": ["archive"]}
    assert_problem(
        problems_of(data),
        "staff.archivist.skills",
        "no client needs any of ['archive']; this role would never work",
        "Clients need: ['general']",
    )


def test_zero_staff_for_a_class_with_arrivals() -> None:
    data = small_scenario()
    teller(data)["count"] = 0
    assert_problem(
        problems_of(data),
        "client_classes.walk_in.skill",
        "no staff member with a non-zero count holds skill 'general' (roles: teller)",
    )


def test_skill_nobody_holds_suggests_the_closest() -> None:
    data = small_scenario()
    walk_in(data)["skill"] = "genral"
    assert_problem(
        problems_of(data),
        "client_classes.walk_in.skill",
        "holds skill 'genral'; did you mean 'general'?",
    )


def test_reception_without_staff() -> None:
    data = small_scenario()
    data["reception"] = {"service": "1 min"}
    assert_problem(
        problems_of(data), "reception.skill", "no staff member with a non-zero count holds skill"
    )


def test_nobody_working_until_closing() -> None:
    data = small_scenario()
    del teller(data)["count"]
    teller(data)["shifts"] = shifts(("09:00", "11:00", 2))
    assert_problem(
        problems_of(data),
        "staff.teller.shifts",
        "nobody with skill 'general' works until closing at 12:00",
    )


def test_warmup_as_long_as_the_run() -> None:
    data = small_scenario()
    data["warmup_days"] = 2
    assert_problem(
        problems_of(data),
        "warmup_days",
        "warm-up of 2 day(s) leaves nothing to measure out of 2 day(s)",
    )


def test_a_billion_clients_a_day_is_refused() -> None:
    data = small_scenario()
    walk_in(data)["arrivals"]["rate"] = 1e9 / 3  # per hour, three opening hours
    problem = assert_problem(
        problems_of(data),
        "client_classes",
        "about 2,000,000,000 clients per replication (1,000,000,000 a day for 2 days)",
    )
    assert f"{MAX_CLIENTS_PER_REPLICATION:,}" in problem.message


def test_class_with_neither_arrivals_nor_appointments() -> None:
    data = small_scenario()
    del walk_in(data)["arrivals"]
    assert_problem(
        problems_of(data),
        "client_classes.walk_in",
        "this class never arrives; expected 'arrivals' or 'appointments'",
    )


def test_appointment_outside_opening_hours() -> None:
    data = small_scenario()
    walk_in(data)["appointments"] = {"times": ["10:00", "13:00"]}
    assert_problem(
        problems_of(data),
        "client_classes.walk_in.appointments.times[1]",
        "slot at 13:00 is outside opening hours 09:00-12:00",
    )


def test_incomplete_slot_series() -> None:
    data = small_scenario()
    walk_in(data)["appointments"] = {"start": "09:00", "every": "20 min"}
    assert_problem(
        problems_of(data),
        "client_classes.walk_in.appointments",
        "a slot series needs all of 'start', 'end' and 'every'",
    )


def test_several_problems_are_all_reported() -> None:
    data = small_scenario()
    data["days"] = 0
    walk_in(data)["arrivals"]["rate"] = -1
    rename(walk_in(data), "patience", "patince")
    data["hours"]["open"] = "25:00"
    found = problems_of(data, "many.yaml")
    assert_problem(found, "days", "greater than or equal to 1")
    assert_problem(found, "client_classes.walk_in.arrivals.rate", "(got -1)")
    assert_problem(found, "client_classes.walk_in.patince", "did you mean 'patience'?")
    assert_problem(found, "hours.open", "'25:00' is not a time of day")
    assert len(found) == 4, [str(p) for p in found]
    assert {p.source for p in found} == {"many.yaml"}


def test_several_cross_field_problems_are_all_reported() -> None:
    data = small_scenario()
    data["warmup_days"] = 5
    walk_in(data)["arrivals"]["rate"] = [1, 2]
    data["staff"]["archivist"] = {"count": 1, "skills": ["archive"]}
    found = problems_of(data)
    assert {p.path for p in found} == {
        "warmup_days",
        "client_classes.walk_in.arrivals.rate",
        "staff.archivist.skills",
    }


def test_error_message_lists_one_line_per_problem() -> None:
    data = small_scenario()
    data["days"] = 0
    data["seed"] = -1
    with pytest.raises(OfficesimError) as info:
        scenario_from_dict(data, "x.yaml")
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert all(line.startswith("x.yaml: ") for line in lines)


# --------------------------------------------------------------------------- overrides


@pytest.mark.parametrize("key", ["staff.teller.shifts.0.count", "staff.teller.shifts[0].count"])
def test_override_list_index(key: str) -> None:
    data = small_scenario()
    del teller(data)["count"]
    teller(data)["shifts"] = shifts(("09:00", "12:00", 2))
    out = apply_overrides(data, [f"{key}=5"])
    assert out["staff"]["teller"]["shifts"][0]["count"] == 5
    assert data["staff"]["teller"]["shifts"][0]["count"] == 2


def test_overrides_nested_keys_and_yaml_values() -> None:
    data = small_scenario()
    before = copy.deepcopy(data)
    out = apply_overrides(
        data,
        [
            "staff.teller.count=4",
            "client_classes.walk_in.arrivals.rate=[10, 20, 30, 5]",
            "client_classes.walk_in.service.mean=7 min",
            "hours.close=13:00",
            "name=renamed",
        ],
    )
    assert data == before
    assert out["staff"]["teller"]["count"] == 4
    assert out["client_classes"]["walk_in"]["arrivals"]["rate"] == [10, 20, 30, 5]
    assert out["client_classes"]["walk_in"]["service"]["mean"] == "7 min"
    sc = scenario_from_dict(out)
    assert sc.hours.close == 13 * 3600
    assert sc.name == "renamed"


def test_overrides_create_missing_mappings() -> None:
    out = apply_overrides(small_scenario(), ["waiting_area.capacity=12"])
    assert scenario_from_dict(out).waiting_area.capacity == 12


def test_override_of_a_new_key_is_named_by_validation() -> None:
    data = small_scenario()
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data, "f.yaml", overrides=["staff.teller.cuont=3"])
    assert_problem(
        list(info.value.problems),
        "staff.teller.cuont",
        "unknown key 'cuont'; did you mean 'count'?",
    )


@pytest.mark.parametrize(
    ("item", "path", "message"),
    [
        ("staff.teller.count", "staff.teller.count", "expected key.path=value"),
        ("=3", "=3", "expected key.path=value"),
        ("name.first=Ann", "name.first", "'name' is a value, not a mapping"),
        ("staff.teller.skills.5=x", "staff.teller.skills.5", "no list entry '5' here"),
        ("staff.teller.skills[x]=y", "staff.teller.skills[x]", "no list entry 'x' here"),
    ],
)
def test_bad_override_syntax(item: str, path: str, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        apply_overrides(small_scenario(), [item])
    assert info.value.problems == (Problem("--set", path, message),)


def test_bad_overrides_are_all_reported() -> None:
    with pytest.raises(ScenarioError) as info:
        apply_overrides(small_scenario(), ["a", "b"])
    assert [p.path for p in info.value.problems] == ["a", "b"]


def test_override_value_is_validated() -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(small_scenario(), "f.yaml", overrides=["staff.teller.count=-1"])
    assert_problem(list(info.value.problems), "staff.teller.count", "greater than or equal to 0")


def test_load_scenario_with_overrides(scenario_file: Path) -> None:
    sc = load_scenario(scenario_file, ["staff.teller.count=3", "seed=11"])
    assert (sc.staff["teller"].count, sc.seed) == (3, 11)


# --------------------------------------------------------------------------- layout path


def layout_problem(path: Path) -> Problem:
    """The problem a scenario file whose floor plan does not exist gets (naming the plan)."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert (problem.source, problem.path) == (str(path), "layout")
    return problem


def test_relative_layout_resolves_against_the_scenario_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = small_scenario()
    data["layout"] = "plans/floor.yaml"
    path = write_yaml(tmp_path / "offices" / "north", data)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    expected = (tmp_path / "offices" / "north" / "plans" / "floor.yaml").resolve()
    assert repr(str(expected)) in layout_problem(path).message


def test_relative_layout_through_a_relative_scenario_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = small_scenario()
    data["layout"] = "../shared/floor.yaml"
    write_yaml(tmp_path / "north", data)
    monkeypatch.chdir(tmp_path)
    problem = layout_problem(Path("north") / "scenario.yaml")
    assert repr(str((tmp_path / "shared" / "floor.yaml").resolve())) in problem.message


def test_layout_path_resolution_in_the_schema() -> None:
    data = small_scenario()
    data["layout"] = "../plans/floor.yaml"
    base = Path("/offices/north")
    resolved = Scenario.model_validate(data, context={"base_dir": base}).layout
    assert resolved == Path("/offices/plans/floor.yaml").resolve()
    data["layout"] = "/elsewhere/floor.yaml"
    assert Scenario.model_validate(data, context={"base_dir": base}).layout == Path(
        "/elsewhere/floor.yaml"
    )
    data["layout"] = "plan.yaml"
    assert Scenario.model_validate(data).layout == Path("plan.yaml")
