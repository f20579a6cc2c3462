"""The decision rule of compare and sweep: winner, provisional winner, nearest, table KPIs."""

from __future__ import annotations

import math

from sim.experiment.comparison import Difference
from sim.experiment.decision import OptionOutcome, decide, picked_kpis, significant_kpis
from sim.results.summary import Estimate
from sim.results.targets import TargetCheck


def est(mean: float, half: float = 0.01) -> Estimate:
    return Estimate(mean, half, mean - half, mean + half, 10)


def check(verdict: str, mean: float = 0.8) -> TargetCheck:
    return TargetCheck(
        "80% within 10 min", "all.service_level", "at_least", 0.8, est(mean), verdict
    )  # type: ignore[arg-type]


def option(
    label: str, verdict: str, cost: float, sl: float = 0.85, **extra: Estimate
) -> OptionOutcome:
    kpis = {"all.service_level": est(sl), "cost.total_per_day": est(cost, 5.0), **extra}
    return OptionOutcome(label, kpis, [check(verdict, sl)])


def test_cheapest_option_meeting_every_target_wins():
    d = decide([option("a", "met", 300), option("b", "met", 250), option("c", "missed", 100)])
    assert (d.outcome, d.choice) == ("winner", "b")
    assert d.headline == "Winner: b"
    assert "50 per day cheaper than a, significantly" in d.cost_margin
    assert d.kpis[:2] == ["all.service_level", "cost.total_per_day"]
    assert "Which of a, b or c" in d.question


def test_uncertain_options_give_a_provisional_winner_and_misses_a_nearest():
    d = decide([option("a", "uncertain", 300), option("b", "missed", 100)])
    assert (d.outcome, d.choice) == ("provisional", "a")
    assert "more replications" in d.reason
    d = decide([option("a", "missed", 300, sl=0.7), option("b", "missed", 100, sl=0.75)])
    assert (d.outcome, d.choice) == ("none", "b")
    assert d.headline.startswith("No option meets every target; nearest: b")


def test_overlapping_costs_are_not_called_significant():
    a, b = option("a", "met", 300), option("b", "met", 295)
    assert "not significantly" in decide([a, b]).cost_margin


def test_significant_kpis_use_paired_differences_when_there_are_any():
    ref = option("a", "met", 300, **{"team.x.interruptions_per_day": est(10, 1)})
    # Overlapping intervals, but the paired difference excludes zero: significant.
    diff = Difference(0.5, 0.1, 0.4, 0.6, 10, -1.0, 2.0)
    other = OptionOutcome(
        "b",
        {**ref.kpis, "team.x.interruptions_per_day": est(10.5, 1)},
        ref.targets,
        {"team.x.interruptions_per_day": diff},
    )
    assert significant_kpis([ref, other]) == ["team.x.interruptions_per_day"]
    # Without paired differences (a sweep) the same numbers overlap: not significant.
    unpaired = OptionOutcome("b", other.kpis, other.targets)
    assert significant_kpis([ref, unpaired]) == []
    far = OptionOutcome("b", {**ref.kpis, "team.x.interruptions_per_day": est(20, 1)}, ref.targets)
    assert significant_kpis([ref, far]) == ["team.x.interruptions_per_day"]


def test_kpi_patterns_pick_rows():
    a = option("a", "met", 300, **{"class.walk_in.wait_mean_min": est(3.0)})
    assert picked_kpis([a], ["class.*.wait*"]) == ["class.walk_in.wait_mean_min"]
    d = decide([a, option("b", "met", 200)], ["class.*"])
    assert d.kpis[-1] == "class.walk_in.wait_mean_min"
    assert not math.isnan(a.mean("cost.total_per_day"))
