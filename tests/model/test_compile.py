"""Draws taken several at a time are the same sequence as draws taken one by one."""

from __future__ import annotations

import random

import numpy as np

from sim.model.compile import UniformDraws, uniform_sampler


def test_taking_draws_in_groups_gives_the_one_by_one_sequence() -> None:
    one = uniform_sampler(np.random.default_rng(5))
    grouped = UniformDraws(np.random.default_rng(5))
    sizes = random.Random(1)
    singles: list[float] = []
    groups: list[float] = []
    for _ in range(400):
        k = sizes.choice([0, 1, 3, 20, 511, 512, 700])
        singles += [one() for _ in range(k)]
        groups += grouped.take(k)
    assert len(groups) > 10_000
    assert groups == singles
