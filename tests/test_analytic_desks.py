"""The desk-shortage formulas against scipy's binomial and a direct sum."""

from __future__ import annotations

import itertools

import pytest
from scipy import stats

from sim.analytic.desks import (
    attendance_distribution,
    desk_shortage_probability,
    desks_for_shortage,
)


def test_one_team_is_the_binomial_tail() -> None:
    for desks in (0, 30, 55, 70, 100):
        assert desk_shortage_probability(desks, [100], [0.55]) == pytest.approx(
            stats.binom.sf(desks, 100, 0.55), abs=1e-12
        )


def test_two_teams_match_enumeration() -> None:
    pmf = attendance_distribution([3, 2], [0.2, 0.7])
    brute = [0.0] * 6
    for bits in itertools.product([0, 1], repeat=5):
        prob = 1.0
        for k, b in enumerate(bits):
            p = 0.2 if k < 3 else 0.7
            prob *= p if b else 1 - p
        brute[sum(bits)] += prob
    assert list(pmf) == pytest.approx(brute, abs=1e-12)


def test_desks_for_shortage_is_the_smallest_that_meets_the_target() -> None:
    d = desks_for_shortage(0.05, [100], [0.55])
    assert desk_shortage_probability(d, [100], [0.55]) <= 0.05
    assert desk_shortage_probability(d - 1, [100], [0.55]) > 0.05


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="probability"):
        attendance_distribution([3], [1.5])
    with pytest.raises(ValueError, match="length"):
        attendance_distribution([3, 4], [0.5])
    with pytest.raises(ValueError, match="target"):
        desks_for_shortage(0.0, [3], [0.5])
