"""results.json is written with its first levels indented and deeper values compact: the same
data as Python's encoder writes, a line per KPI of a replication rather than per number."""

from __future__ import annotations

import json
import math

import pytest

from sim.results.output import INDENTED_LEVELS, readable_json

DOCUMENT = {
    "schema": "officesim/results",
    "kpis": {"all.wait_mean_min": {"mean": 1.25, "ci": [1.0, 1.5], "n": 20}},
    "replications": [{"replication": 0, "kpis": {"a": 0.1, "b": None}, "checks": {}}],
    "empty": [],
    "numbers": {3: "three", 2.5: "two and a half", True: "yes", None: "none"},
}


def test_the_text_holds_the_same_data_as_pythons_encoder_writes() -> None:
    text = readable_json(DOCUMENT)
    assert json.loads(text) == json.loads(json.dumps(DOCUMENT))
    assert text.endswith("}\n")


def test_the_first_levels_are_indented_and_deeper_values_on_one_line() -> None:
    lines = readable_json(DOCUMENT).splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert ' "schema": "officesim/results",' in lines
    assert '  "all.wait_mean_min": {' in lines
    assert '   "ci": [1.0, 1.5],' in lines  # the third level's value: compact
    assert '   "kpis": {"a": 0.1, "b": null},' in lines
    assert ' "empty": [],' in lines
    assert INDENTED_LEVELS == 3
    flat = readable_json(DOCUMENT, levels=0)
    assert flat == json.dumps(DOCUMENT) + "\n"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("depth", [1, 4])
def test_nan_and_infinity_are_refused_at_any_depth(bad: float, depth: int) -> None:
    value: object = bad
    for _ in range(depth):
        value = {"x": value}
    with pytest.raises(ValueError, match="not JSON compliant"):
        readable_json({"doc": value})
