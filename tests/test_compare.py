"""Compare options with common random numbers: paired differences against the first option."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from scipy import stats

from sim.cli.main import EXIT_INVALID, EXIT_OK, main
from sim.experiment.api import compare
from sim.experiment.comparison import CompareResult, paired_difference, welch_interval
from sim.experiment.inputs import scenario_from_dict
from tests.conftest import write_yaml
from tests.experiment_helpers import branch


@pytest.fixture(scope="module")
def three_vs_four() -> CompareResult:
    return compare([scenario_from_dict(branch(3)), scenario_from_dict(branch(4))])


def test_common_random_numbers_narrow_the_difference(three_vs_four):
    diff = three_vs_four.differences[1]["all.wait_mean_min"]
    assert diff.n == 12
    assert diff.mean < 0
    assert diff.significant
    assert diff.half_width < diff.unpaired_half_width
    # The same clients arrive in both options.
    arrivals = three_vs_four.differences[1]["all.arrivals_per_day"]
    assert arrivals.mean == 0 and arrivals.sd == 0


def test_reference_has_no_difference_and_options_share_seeds(three_vs_four):
    assert three_vs_four.labels == ["branch-3", "branch-4"]
    assert three_vs_four.differences[0] == {}
    assert three_vs_four.seed == 3
    assert three_vs_four.replications == 12
    rows = three_vs_four.rows()
    ref = [r for r in rows if r["option"] == "branch-3"]
    assert all(r["diff_mean"] is None for r in ref)
    json.dumps(three_vs_four.to_dict(), allow_nan=False)


def test_paired_difference_matches_hand_computation():
    a = np.array([1.0, 2.0, 3.0, np.nan, 5.0])
    b = np.array([1.5, 2.6, 3.4, 4.0, 5.5])
    d = paired_difference(a, b)
    diffs = np.array([0.5, 0.6, 0.4, 0.5])
    half = stats.t.ppf(0.975, 3) * diffs.std(ddof=1) / 2
    assert d.n == 4
    assert d.mean == pytest.approx(0.5)
    assert (d.ci_low, d.ci_high) == pytest.approx((0.5 - half, 0.5 + half))
    assert d.significant
    low, high = welch_interval(a, b)
    assert (low, high) == pytest.approx((d.unpaired_ci_low, d.unpaired_ci_high))
    assert low < 0 < high


def test_to_dataframe(three_vs_four):
    pytest.importorskip("pandas")
    frame = three_vs_four.to_dataframe()
    assert {"kpi", "option", "mean", "diff_mean", "unpaired_ci_low"} <= set(frame.columns)
    assert len(frame) == len(three_vs_four.rows())


def test_cli_compare_writes_options_and_differences(tmp_path, capsys):
    a = write_yaml(tmp_path, branch(3, replications=5), "three.yaml")
    b = write_yaml(tmp_path, branch(4, replications=5, seed=99), "four.yaml")
    out = tmp_path / "cmp"
    assert main(["compare", str(a), str(b), "-o", str(out), "-q", "-j", "1"]) == EXIT_OK
    doc = json.loads((out / "results.json").read_text())
    assert doc["schema"] == "officesim/compare"
    assert doc["reference"] == "branch-3"
    assert doc["seed"] == 3
    second = doc["options"][1]
    assert second["difference_vs_reference"]["all.wait_mean_min"]["significant"] in (True, False)
    with (out / "kpis.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert {r["option"] for r in rows} == {"branch-3", "branch-4"}
    assert rows[0]["unit"]
    assert "paired difference vs the reference" in capsys.readouterr().out
    assert main(["compare", str(a), "-o", str(out), "-q"]) == EXIT_INVALID
