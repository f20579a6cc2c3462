"""Assumptions written as ranges: taken out before validation, run at their point value."""

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from sim.experiment.inputs import scenario_from_dict
from sim.scenario.assumptions import (
    Assumption,
    documented_assumptions,
    extract_assumptions,
    is_range,
    set_path,
)
from tests.conftest import small_scenario


def test_ranges_become_points_and_assumptions_with_key_paths():
    data = small_scenario()
    data["client_classes"]["walk_in"]["service"]["mean"] = {
        "low": "4 min",
        "mode": "5 min",
        "high": "8 min",
    }
    data["client_classes"]["walk_in"]["arrivals"]["rate"] = [{"low": 10, "high": 30}, 20]
    data["staff"]["teller"]["count"] = {"low": 1, "high": 4, "note": "hiring unsure"}
    points, found, problems = extract_assumptions(data)
    assert problems == []
    assert points["client_classes"]["walk_in"]["service"]["mean"] == "300.0 s"
    assert points["client_classes"]["walk_in"]["arrivals"]["rate"] == [20.0, 20]
    assert points["staff"]["teller"]["count"] == 2  # whole numbers stay whole (round(2.5))
    keys = {a.key: a for a in found}
    assert set(keys) == {
        "client_classes.walk_in.service.mean",
        "client_classes.walk_in.arrivals.rate.0",
        "staff.teller.count",
    }
    mean = keys["client_classes.walk_in.service.mean"]
    assert (mean.low, mean.mode, mean.high, mean.duration) == (240.0, 300.0, 480.0, True)
    assert keys["client_classes.walk_in.arrivals.rate.0"].shape == "uniform"
    assert keys["staff.teller.count"].note == "hiring unsure"
    # the input is not changed
    assert isinstance(data["staff"]["teller"]["count"], dict)


def test_scenario_runs_at_the_mode_and_keeps_its_assumptions():
    data = small_scenario()
    data["client_classes"]["walk_in"]["service"]["mean"] = {
        "low": "4 min",
        "mode": "6 min",
        "high": "8 min",
    }
    scenario = scenario_from_dict(data)
    assert scenario.client_classes["walk_in"].service.mean() == 360.0
    assert [a.key for a in scenario.assumptions] == ["client_classes.walk_in.service.mean"]


def test_a_triangular_distribution_is_not_a_range():
    dist = {"dist": "triangular", "low": "1 min", "mode": "2 min", "high": "4 min"}
    assert not is_range(dist)
    assert is_range({"low": 1, "high": 2})
    assert not is_range({"low": 1, "mode": 2})
    data = small_scenario()
    data["client_classes"]["walk_in"]["service"] = dist
    assert scenario_from_dict(data).assumptions == ()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"low": 3, "mode": 1, "high": 4}, "low <= mode <= high"),
        ({"low": 5, "high": 4}, "low <= mode <= high"),
        ({"low": "2 minutes later", "high": "4 min"}, "range bound"),
        ({"low": True, "high": 4}, "expected a number"),
        ({"low": 1, "high": 4, "note": 3}, "expected text"),
    ],
)
def test_malformed_ranges_name_their_key_path(value, fragment):
    data = small_scenario()
    data["staff"]["teller"]["count"] = value
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data, "office.yaml")
    text = str(err.value)
    assert "office.yaml: staff.teller.count" in text
    assert fragment in text


def test_the_point_is_validated_like_any_value():
    data = small_scenario()
    data["staff"]["teller"]["count"] = {"low": -3, "mode": -1, "high": 2}
    with pytest.raises(ScenarioError, match=r"staff\.teller\.count"):
        scenario_from_dict(data)


def test_documented_ranges_apply_where_the_file_leaves_the_default():
    data = small_scenario()
    data["it"] = {"level": "integrated"}
    keys = [a.key for a in documented_assumptions(data)]
    assert "it.service_factor" in keys
    assert not any(k.startswith("zoning") for k in keys)  # without a plan nobody is exposed
    data["it"] = {"level": "integrated", "service_factor": 0.95, "outage_every": None}
    keys = [a.key for a in documented_assumptions(data)]
    assert "it.service_factor" not in keys
    assert "it.outage_every.mean" not in keys
    data["layout"] = "plan.geojson"
    assert "zoning.noise.resumption" in [a.key for a in documented_assumptions(data)]
    sf = next(
        a
        for a in scenario_from_dict({**small_scenario(), "it": {"level": "integrated"}}).assumptions
        if a.key == "it.service_factor"
    )
    assert sf.origin == "documented" and sf.mode == 0.9


def test_overrides_may_write_ranges():
    from sim.experiment.inputs import scenario_from_dict as load

    s = load(small_scenario(), overrides=["staff.teller.count={low: 1, mode: 2, high: 3}"])
    assert s.staff["teller"].count == 2
    assert [a.key for a in s.assumptions] == ["staff.teller.count"]


def test_quantiles_and_values():
    tri = Assumption(("x",), 0.0, 0.25, 1.0)
    assert tri.ppf(0.0) == 0.0 and tri.ppf(1.0) == 1.0
    assert tri.ppf(0.25) == pytest.approx(0.25)  # F(mode) = (mode - low) / (high - low)
    uni = Assumption(("x",), 2.0, 3.0, 4.0, "uniform")
    assert uni.ppf(0.5) == 3.0
    assert Assumption(("x",), 5.0, 5.0, 5.0).ppf(0.3) == 5.0
    assert Assumption(("t",), 0, 60.0, 120, duration=True).value(90.0) == "90.0 s"


def test_set_path_copies_and_creates():
    data = {"a": {"b": [1, {"c": 2}]}}
    out = set_path(data, ("a", "b", 1, "c"), 9)
    assert out["a"]["b"][1]["c"] == 9 and data["a"]["b"][1]["c"] == 2
    assert set_path({}, ("x", "y"), 1) == {"x": {"y": 1}}


def test_documented_ranges_are_the_ones_in_docs_assumptions():
    import re
    from pathlib import Path

    from sim.scenario.assumptions import ANSWER_RANGES, CHANNEL_RANGES, DEFAULT_RANGES, IT_RANGES
    from sim.units import parse_duration

    text = Path(__file__).parents[1].joinpath("docs", "assumptions.md").read_text()
    section = text.split("## Ranges of the assumptions")[1].split("\n## ")[0]
    documented = {}
    for line in section.splitlines():
        m = re.match(r"\| `([\w.]+)`( mean)? (?:\((\w+)\) )?\| (.+?) \| (.+?) \| (.+?) \|", line)
        if not m:
            continue
        key, mean, level, *bounds = m.groups()
        values = [
            float(b[:-2])
            if b.endswith(" m")
            else parse_duration(b)
            if re.search("[a-z]", b)
            else float(b)
            for b in bounds
        ]
        if key.startswith("it."):
            sub = key[3:] + (".mean" if mean else "")
            sub = "lookup_overhead.value" if sub == "lookup_overhead" else sub
            documented[(level, sub)] = tuple(values)
        else:
            documented[(None, key)] = tuple(values)
    expected = {(lv, k): r[:3] for lv, keys in IT_RANGES.items() for k, r in keys.items()}
    expected |= {(lv, k): r[:3] for lv, keys in ANSWER_RANGES.items() for k, r in keys.items()}
    expected |= {(None, k): r[:3] for k, r in DEFAULT_RANGES.items()}
    expected |= {
        (None, f"channels.{k}"): r[:3] for keys in CHANNEL_RANGES.values() for k, r in keys.items()
    }
    assert documented == expected


def test_a_range_in_place_of_a_distribution_is_refused():
    # {low, high} without 'dist' where a distribution belongs is almost always a forgotten
    # 'dist: uniform': it is refused rather than run as one fixed duration.
    data = small_scenario()
    data["client_classes"]["walk_in"]["service"] = {"low": "4 min", "high": "6 min"}
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data, "office.yaml")
    assert "office.yaml: client_classes.walk_in.service: a range here" in str(err.value)
    assert "dist: uniform" in str(err.value)


def test_answer_quality_ranges_apply_only_where_a_lookup_has_consequences():
    from sim.scenario.assumptions import documented_assumptions

    lookup = {"team": "t", "probability": 0.5, "time": "1 min"}
    data = {"back_office": {}, "client_classes": {"c": {"lookup": lookup}}}
    keys = {a.key for a in documented_assumptions(data)}
    assert "it.answers.stale" not in keys and "it.error_probability" in keys
    data["client_classes"]["c"]["lookup"] = {**lookup, "consequences": {}}
    keys = {a.key for a in documented_assumptions(data)}
    assert {"it.answers.stale", "it.answers.unanswered"} <= keys


def test_channel_ranges_apply_to_the_channels_in_use_where_unset():
    from sim.scenario.assumptions import documented_assumptions

    data = small_scenario()
    assert not [a for a in documented_assumptions(data) if a.key.startswith("channels.")]
    data["client_classes"]["walk_in"]["channel"] = "chat"
    data["channels"] = {"chat": {"slowdown": 0.2}}
    found = {a.key: a for a in documented_assumptions(data) if a.key.startswith("channels.")}
    assert set(found) == {"channels.chat.sessions"}
    sessions = found["channels.chat.sessions"]
    assert (sessions.low, sessions.point, sessions.high, sessions.whole) == (2, 3, 4, True)
    assert sessions.value(sessions.ppf(0.7)) in (2, 3, 4)
