"""Sensitivity analysis: tornado of one-at-a-time runs, Latin hypercube probabilities."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.experiment.api import compare
from sim.experiment.inputs import scenario_from_dict
from sim.experiment.replicate import Tally
from sim.experiment.sensitivity import (
    SensitivityOptions,
    latin_hypercube,
    plan_sensitivity,
    sensitivity,
)
from tests.experiment_helpers import branch


def ranged(tellers: int, rate: object = 36, patience: object = "20 min", value: object = 10):
    data = branch(tellers, replications=4)
    data["client_classes"]["walk_in"]["arrivals"]["rate"] = rate
    data["client_classes"]["walk_in"]["patience"]["mean"] = patience
    data["costs"] = {"lost_client_value": value}
    return data


def test_ranges_collapsed_to_points_equal_a_plain_compare_bit_for_bit():
    plain = [scenario_from_dict(ranged(3)), scenario_from_dict(ranged(4))]
    points = {
        "rate": {"low": 36, "mode": 36, "high": 36},
        "patience": {"low": "20 min", "mode": "20 min", "high": "20 min"},
        "value": {"low": 10.0, "mode": 10.0, "high": 10.0},
    }
    collapsed = [scenario_from_dict(ranged(n, **copy.deepcopy(points))) for n in (3, 4)]
    assert len(collapsed[0].assumptions) == 3
    kpi = "cost.total_per_day"
    expected = compare(plain)
    options = SensitivityOptions(kpi=kpi, samples=3, sample_replications=4)
    plan = plan_sensitivity(collapsed, options)
    assert plan.runs == 2 + 2 * 3  # every point is the base; each sample has its own seed
    result = sensitivity(collapsed, plan=plan)
    diff = expected.differences[1][kpi]
    fields = ("mean", "sd", "ci_low", "ci_high", "n")
    assert [getattr(result.base, f) for f in fields] == [getattr(diff, f) for f in fields]
    for i in range(2):
        assert result.base_options[i] == expected.summaries[i][kpi]
    for bar in result.tornado:
        assert bar.at_low == result.base and bar.at_high == result.base
        assert bar.swing == 0
    assert result.probabilistic is not None
    for units in plan.sample_units:
        again = [scenario_from_dict({**o.scenario.echo(), "seed": 3}) for o in units]
        assert [u.scenario.seed for u in units] == [units[0].scenario.seed] * 2 != [3, 3]
        assert again[0].echo() == plain[0].echo() and again[1].echo() == plain[1].echo()


def test_tornado_ranks_the_dominant_assumption_first():
    data = ranged(
        3,
        rate={"low": 24, "mode": 36, "high": 44},
        patience={"low": "18 min", "mode": "20 min", "high": "22 min"},
        value={"low": 0, "mode": 10, "high": 100},
    )
    result = sensitivity(
        scenario_from_dict(data), SensitivityOptions(kpi="all.wait_mean_min", replications=8)
    )
    names = [t.factor for t in result.tornado]
    assert names[0] == "client_classes.walk_in.arrivals.rate"
    assert names[-1] == "costs.lost_client_value"
    rate, patience, value = result.tornado
    assert rate.change_low.ci_high < 0 < rate.change_high.mean  # fewer clients, shorter waits
    assert rate.swing > 3 * patience.swing
    assert value.swing == 0  # a money value cannot change waiting
    assert not result.is_difference


def test_latin_hypercube_is_reproducible_and_stratified():
    a = latin_hypercube(10, 3, seed=5)
    assert np.array_equal(a, latin_hypercube(10, 3, seed=5))
    assert not np.array_equal(a, latin_hypercube(10, 3, seed=6))
    for j in range(3):
        assert sorted(np.floor(a[:, j] * 10).astype(int)) == list(range(10))
    assert latin_hypercube(0, 3, seed=5).shape == (0, 3)


def test_sampled_plans_are_reproducible_from_the_seed():
    data = ranged(3, rate={"low": 30, "mode": 36, "high": 40})
    options = SensitivityOptions(samples=4, sample_replications=2)
    one = plan_sensitivity([scenario_from_dict(data)], options)
    two = plan_sensitivity([scenario_from_dict(data)], options)
    assert [u.fingerprint for u in one.units] == [u.fingerprint for u in two.units]
    rates = [u[0].scenario.client_classes["walk_in"].arrivals.rate for u in one.sample_units]
    assert len(set(rates)) == 4 and all(30 <= r <= 40 for r in rates)


def test_probability_that_the_better_option_wins_with_its_interval_and_noise_split():
    a = ranged(3, rate={"low": 18, "mode": 36, "high": 44})
    b = ranged(5, rate={"low": 18, "mode": 36, "high": 44})
    options = SensitivityOptions(
        kpi="all.wait_mean_min", replications=3, samples=8, sample_replications=3
    )
    result = sensitivity([scenario_from_dict(a), scenario_from_dict(b)], options)
    p = result.probabilistic
    assert p is not None
    # the shared rate moves both options together: one factor, not one per option
    assert [f.name for f in result.factors] == ["client_classes.walk_in.arrivals.rate"]
    assert p.wins == 8 and p.probability == 1.0
    assert 0.6 < p.probability_low < 1.0 and p.probability_high == pytest.approx(1.0)
    assert result.holds_probability() == (p.probability, p.probability_low, p.probability_high)
    assert p.assumption_sd > 0 and p.noise_sd > 0
    assert (
        p.rank_correlation["client_classes.walk_in.arrivals.rate"] < -0.5
    )  # more clients, more gain
    assert "beats" in result.verdict()
    doc = result.to_dict()
    assert doc["verdict_holds"]["p"] == 1.0
    assert doc["probabilistic"]["samples"] == 8


def test_cost_is_stated_before_and_an_analysis_resumes(tmp_path):
    data = ranged(3, rate={"low": 30, "mode": 36, "high": 40})
    options = SensitivityOptions(replications=2, samples=2, sample_replications=2)
    plan = plan_sensitivity([scenario_from_dict(data)], options)
    assert plan.runs == 5 and plan.replications_total == 10
    assert "5 distinct runs, 10 replications" in plan.describe()
    sensitivity(scenario_from_dict(data), options, store=tmp_path)
    seen: list[Tally] = []
    sensitivity(
        scenario_from_dict(data), options, store=tmp_path, resume=True, progress=seen.append
    )
    assert seen[0].replications_done == seen[0].replications_total  # nothing left to run


def test_command_states_the_cost_writes_results_and_report(tmp_path, capsys):
    import json

    from sim.cli.main import EXIT_INVALID, EXIT_OK, main
    from tests.conftest import write_yaml

    data = ranged(3, rate={"low": 30, "mode": 36, "high": 40, "note": "door counts, 2 weeks"})
    data["replications"] = 2
    path = write_yaml(tmp_path, data)
    out = tmp_path / "out"
    args = ["sensitivity", str(path), "-o", str(out), "-q", "--kpi", "all.wait_mean_min"]
    assert main([*args, "--samples", "2", "--sample-replications", "2"]) == EXIT_OK
    printed = capsys.readouterr().out
    assert printed.index("5 distinct runs, 10 replications") < printed.index("verdict")
    doc = json.loads((out / "results.json").read_text())
    assert doc["schema"] == "officesim/sensitivity"
    assert doc["tornado"][0]["factor"] == "client_classes.walk_in.arrivals.rate"
    assert doc["assumptions"][0]["note"] == "door counts, 2 weeks"
    assert (out / "tornado.csv").is_file() and (out / "samples.csv").is_file()
    html = (out / "report.html").read_text()
    assert "Robustness" in html and "What moves" in html
    assert main([*args, "--kpi", "all.no_such_kpi", "--no-report"]) == EXIT_INVALID
    assert "no KPI 'all.no_such_kpi'" in capsys.readouterr().err


def test_compare_robustness_analyses_the_best_option_against_the_first(tmp_path, capsys):
    import json

    from sim.cli.main import EXIT_OK, main
    from tests.conftest import write_yaml

    files = []
    for n in (3, 5, 4):
        data = ranged(n, rate={"low": 30, "mode": 36, "high": 40})
        data["replications"] = 2
        files.append(str(write_yaml(tmp_path, data, f"b{n}.yaml")))
    out = tmp_path / "cmp"
    argv = ["compare", *files, "-o", str(out), "-q", "--robustness"]
    argv += ["--robustness-kpi", "all.wait_mean_min"]
    assert main([*argv, "--samples", "3", "--sample-replications", "2"]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "robustness of branch-5 vs branch-3" in printed
    doc = json.loads((out / "results.json").read_text())
    robust = doc["robustness"]
    assert robust["option_labels"] == ["branch-3", "branch-5"]
    assert (
        robust["base"]["mean"]
        == doc["options"][1]["difference_vs_reference"]["all.wait_mean_min"]["mean"]
    )
    assert robust["verdict_holds"]["p"] == 1.0
    assert "Robustness" in (out / "report.html").read_text()


def test_a_swing_of_rounding_only_counts_as_none():
    from sim.experiment.sensitivity import TornadoBar
    from sim.results.summary import Estimate

    def bar(low: float, high: float) -> TornadoBar:
        def e(m: float) -> Estimate:
            return Estimate(m, 0.0, m, m, 3)

        return TornadoBar("f", "f", "scenario", 1, 2, 1.5, None, e(low), e(high), e(0), e(0))

    # A sum of the same costs in another order differs in its last bits, not in its value.
    assert bar(1504.7, 1504.7 + 2e-13).swing == 0.0
    assert bar(-2.742, -2.742 - 1e-15).swing == 0.0
    assert bar(1504.7, 1504.71).swing == pytest.approx(0.01)
    assert bar(0.0, 1e-6).swing == pytest.approx(1e-6)
