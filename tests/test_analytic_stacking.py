"""Stack planning search: the known optimum of hand-solvable cases, capacities, local optima."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from sim.analytic.stacking import (
    StackingError,
    StackProblem,
    evaluate,
    feasible,
    search,
)

WITHIN, ACROSS = 20.0, 100.0


def four_teams(capacity=(10, 10), rent=(100.0, 100.0), walk_value=None) -> StackProblem:
    # A-B 10 trips a day, C-D 8, A-C 1; 20 m between desks of a level, 100 m between levels;
    # walking 1 m/s, so minutes = metres / 60.
    trips = np.zeros((4, 4))
    trips[0, 1], trips[2, 3], trips[0, 2] = 10, 8, 1
    metres = np.array([[WITHIN, ACROSS], [ACROSS, WITHIN]])
    return StackProblem(
        ("A", "B", "C", "D"),
        (5, 5, 5, 5),
        ("0", "1"),
        capacity,
        rent,
        trips,
        metres,
        1.0,
        walk_value,
        20.0,
    )


def test_exhaustive_search_finds_the_hand_computed_optimum():
    found = search(four_teams(), top=3)
    assert found.method == "exhaustive"
    assert found.evaluated == 6  # 2^4 assignments, of which C(4,2) put two teams per level
    best, mirror, third = found.plans
    # A with B and C with D: 10 x 20 + 8 x 20 + 1 x 100 = 460 m a day.
    assert {best.assignment, mirror.assignment} == {(0, 0, 1, 1), (1, 1, 0, 0)}
    assert best.walk_min_per_day == pytest.approx(460 / 60)
    assert best.rent_per_month == 200.0
    # Next: A with C (10 x 100 + 8 x 100 + 1 x 20 = 1820 m).
    assert third.walk_min_per_day == pytest.approx(1820 / 60)
    assert found.pareto == [True, True, False]


def test_capacities_are_respected_and_decide_the_optimum():
    problem = four_teams(capacity=(15, 5))
    found = search(problem, top=10)
    assert found.evaluated == 4  # one team alone on the small level
    assert all(feasible(problem, p.assignment) for p in found.plans)
    for p in found.plans:
        used = [sum(5 for lv in p.assignment if lv == k) for k in (0, 1)]
        assert used[0] <= 15 and used[1] <= 5
    # D alone upstairs: 10 x 20 + 8 x 100 + 1 x 20 = 1020 m; then C (1100), B (1180), A (1260).
    assert [p.assignment for p in found.plans] == [
        (0, 0, 0, 1),
        (0, 0, 1, 0),
        (0, 1, 0, 0),
        (1, 0, 0, 0),
    ]
    assert [p.walk_min_per_day * 60 for p in found.plans] == pytest.approx([1020, 1100, 1180, 1260])


def test_rent_counts_the_levels_used_and_a_value_of_walking_trades_it_off():
    problem = four_teams(capacity=(20, 20), rent=(1000.0, 10.0), walk_value=6.0)
    together = evaluate(problem, (1, 1, 1, 1))
    assert together.rent_per_month == 10.0
    # All on level 1: 19 trips x 20 m = 380 m = 6.33 min a day; x 20 days / 60 x 6 per hour.
    assert together.cost_per_month == pytest.approx(10.0 + 380 / 60 / 60 * 20 * 6.0)
    assert search(problem, top=1).plans[0].assignment == (1, 1, 1, 1)


def test_the_heuristic_finds_the_optimum_of_the_hand_case_and_a_local_optimum_beyond():
    assert search(four_teams(), top=1, method="heuristic").plans[0].walk_min_per_day == (
        pytest.approx(460 / 60)
    )
    rng = np.random.default_rng(5)
    teams, levels = 8, 5  # 5^8 = 390,625 assignments: past the exhaustive limit
    trips = np.triu(rng.integers(0, 6, (teams, teams)), 1).astype(float)
    pos = np.arange(levels)
    metres = 30.0 + 40.0 * np.abs(pos[:, None] - pos[None, :])
    problem = StackProblem(
        tuple(f"t{k}" for k in range(teams)),
        tuple(int(x) for x in rng.integers(5, 30, teams)),
        tuple(str(k) for k in range(levels)),
        (40,) * levels,
        (100.0,) * levels,
        trips,
        metres,
        1.2,
    )
    found = search(problem, top=5)
    assert found.method == "heuristic"
    assert all(feasible(problem, p.assignment) for p in found.plans)
    best = found.plans[0]
    # No single move of a team, swap of two teams or exchange of two levels improves the best.
    for team, level in itertools.product(range(teams), range(levels)):
        trial = list(best.assignment)
        trial[team] = level
        if feasible(problem, trial):
            assert evaluate(problem, trial).score >= best.score
    for a, b in itertools.combinations(range(teams), 2):
        trial = list(best.assignment)
        trial[a], trial[b] = trial[b], trial[a]
        if feasible(problem, trial):
            assert evaluate(problem, trial).score >= best.score
    for i, j in itertools.combinations(range(levels), 2):
        trial = [{i: j, j: i}.get(lv, lv) for lv in best.assignment]
        if feasible(problem, trial):
            assert evaluate(problem, trial).score >= best.score


def test_impossible_stacks_are_refused_with_the_numbers():
    with pytest.raises(StackingError, match="need 20 desks; the levels have 16"):
        search(four_teams(capacity=(8, 8)))
    big_a = dataclasses.replace(four_teams(), demand=(12, 2, 2, 2))
    with pytest.raises(StackingError, match="team 'A' needs 12 desks; the largest level has 10"):
        search(big_a)
    # Enough desks in all, each team fits a level, but three teams of 6 do not pack into 10 + 10.
    three = dataclasses.replace(four_teams(), demand=(6, 6, 6, 1))
    with pytest.raises(StackingError, match="no stack plan fits"):
        search(three)
    with pytest.raises(StackingError, match="no stack plan fits"):
        search(three, method="heuristic")
