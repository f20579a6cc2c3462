"""Desk sharing: the probability that more people come in than there are desks.

With independent attendance, the number of employees who come in on a weekday is a sum of
independent Bernoulli variables: binomial when everybody has the same probability, Poisson
binomial when teams differ. A seat shortage happens when that number exceeds the desks (when
everybody present at once needs a desk). This is the "binomial rule" of desk-sharing
calculators; correlated attendance (teams coming in together on anchor days) makes the tail
heavier than it says.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from sim.analytic._common import FloatArray, _count


def attendance_distribution(counts: Sequence[int], probabilities: Sequence[float]) -> FloatArray:
    """P(N = n), n = 0..sum(counts), for N a sum of independent binomials.

    ``counts[k]`` employees each come in with probability ``probabilities[k]`` (one entry per
    team). Computed exactly by convolving the teams' binomial distributions.
    """
    if len(counts) != len(probabilities):
        raise ValueError(
            f"counts and probabilities differ in length ({len(counts)} vs {len(probabilities)})"
        )
    pmf: FloatArray = np.ones(1)
    for n, p in zip(counts, probabilities, strict=True):
        size = _count("count", n, 0)
        prob = float(p)
        if not 0.0 <= prob <= 1.0:
            raise ValueError(f"probability must be in [0, 1], got {p!r}")
        team = stats.binom.pmf(np.arange(size + 1), size, prob)
        pmf = np.convolve(pmf, team)
    return pmf


def desk_shortage_probability(
    desks: int, counts: Sequence[int], probabilities: Sequence[float]
) -> float:
    """P(more employees come in than ``desks``) under independent attendance.

    With one team this is the binomial tail ``binom.sf(desks, n, p)``.
    """
    d = _count("desks", desks, 0)
    pmf = attendance_distribution(counts, probabilities)
    return float(pmf[d + 1 :].sum())


def desks_for_shortage(target: float, counts: Sequence[int], probabilities: Sequence[float]) -> int:
    """The fewest desks whose shortage probability is at most ``target``."""
    if not 0.0 < target < 1.0:
        raise ValueError(f"target must be in (0, 1), got {target!r}")
    tail = np.cumsum(attendance_distribution(counts, probabilities)[::-1])[::-1]
    # tail[k] = P(N >= k); desks d is enough when P(N >= d + 1) <= target.
    for d in range(len(tail)):
        if d + 1 >= len(tail) or tail[d + 1] <= target:
            return d
    return len(tail) - 1
