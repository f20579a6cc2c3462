"""Erlang A, the M/M/c+M queue with exponential patience (Garnett et al. 2002)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.analytic._common import (
    _ERLANG_A_DEFAULT_MAX_STATES,
    _TAIL_EPS,
    FloatArray,
    _count,
    _finite,
    _nonneg,
    _positive,
)
from sim.analytic.erlang import (
    _normalise_log,
)

# --------------------------------------------------------------------------- Erlang A (M/M/c+M)


@dataclass(frozen=True)
class ErlangAResult:
    """Steady-state measures of the Erlang A queue M/M/c+M (exponential patience, FCFS).

    A waiting client abandons when its patience, exponential with rate θ, runs out before
    service starts; clients in service never abandon. "Wait" is the time spent queueing before
    entering service or abandoning. All fields are exact for the birth–death chain; only the
    negligible tail described by ``n_truncated`` is dropped.
    """

    lam: float
    """Arrival rate λ."""
    mu: float
    """Service rate μ of one server."""
    c: int
    """Number of servers."""
    theta: float
    """Abandonment rate θ (mean patience 1/θ)."""
    a: float
    """Offered load λ/μ (Erlangs)."""
    p_wait: float
    """P(an arrival finds all servers busy) = P(N >= c) by PASTA."""
    p_abandon: float
    """Share of arrivals who abandon, θ·Lq/λ."""
    lq: float
    """Mean number waiting E[(N − c)⁺]."""
    l: float  # noqa: E741
    """Mean number in system E[N] (waiting plus in service)."""
    mean_wait: float
    """Mean queueing time over all arrivals (served, abandoning, and not delayed), Lq/λ."""
    mean_wait_served: float
    """Mean queueing time of the clients who are eventually served (zero waits included)."""
    mean_wait_abandoned: float
    """Mean time an abandoning client waited before leaving (nan when nobody abandons)."""
    throughput: float
    """Rate of completed services λ(1 − P(abandon))."""
    rho: float
    """Server utilisation throughput/(cμ) = E[min(N, c)]/c."""
    n_truncated: int
    """Largest state kept; the dropped tail carries < 1e-15 of the mass and first moment."""


def _erlang_a_log_probs(
    lam: float, mu: float, c: int, theta: float, limit: int
) -> tuple[FloatArray, FloatArray]:
    """Unnormalised log p_0..p_N of the M/M/c+M chain with N adaptive and <= ``limit``."""
    log_lam = math.log(lam)
    mode = c + max(lam - c * mu, 0.0) / theta
    size = min(limit, max(2 * c, math.ceil(mode)) + 64)
    log_eps = math.log(_TAIL_EPS)
    while True:
        states = np.arange(size + 2, dtype=np.float64)
        deaths = np.minimum(states[1:], float(c)) * mu + np.maximum(states[1:] - c, 0.0) * theta
        log_ratio = log_lam - np.log(deaths)
        logp = np.concatenate(([0.0], np.cumsum(log_ratio[:-1])))
        # Ratios p_{n+1}/p_n decrease in n, so past the first ratio below 1 the tail after
        # state n is bounded by a geometric series with ratio r = λ / d_{n+1}:
        # Σ_{k>=1} p_{n+k} <= p_n·r/(1−r) and Σ_{k>=1} (n+k)·p_{n+k} <= p_n·r/(1−r)·(n + 1/(1−r)).
        r = np.exp(log_ratio)
        below = r < 1.0
        one_minus = np.where(below, 1.0 - r, 1.0)
        with np.errstate(divide="ignore"):
            bound = (
                logp
                + np.log(np.where(below, r, 1.0))
                - np.log(one_minus)
                + np.log(states[:-1] + 1.0 / one_minus)
            )
        ok = below & (bound <= log_eps + float(logp.max())) & (states[:-1] >= c)
        hits = np.flatnonzero(ok)
        if hits.size:
            n_keep = int(hits[0])
            return states[: n_keep + 1], logp[: n_keep + 1]
        if size >= limit:
            raise ValueError(
                f"Erlang A: the queue-length distribution is not negligible beyond "
                f"n_max = {limit} (λ = {lam:g}, cμ = {c * mu:g}, θ = {theta:g}); "
                f"raise n_max or check that θ is not unrealistically small"
            )
        size = min(limit, 2 * size)


def erlang_a(
    lam: float, mu: float, c: int, theta: float, n_max: int | None = None
) -> ErlangAResult:
    """Steady state of the Erlang A queue M/M/c+M (Palm's queue with exponential patience).

    Birth–death chain with birth rate λ and death rate ``min(n, c)·μ + max(n − c, 0)·θ``
    (Garnett, Mandelbaum & Reiman 2002). The chain is always stable for θ > 0; it is
    truncated at the first state past which the remaining mass and first moment are below
    1e-15 (relative, proven by a geometric bound), so results match the infinite chain to
    that precision.

    ``P(abandon) = θ·Lq/λ``; ``mean_wait = Lq/λ`` (Little's law on the queue).
    For served clients the wait is exact too: an arrival with ``j`` clients queued ahead is
    served with probability ``cμ/(cμ + (j+1)θ)`` and, given it is served, waits
    ``Σ_{i=1..j+1} 1/(cμ + iθ)`` on average (Mandelbaum & Zeltyn 2009); averaging over the
    PASTA distribution of ``j`` gives ``mean_wait_served``.

    Args:
        lam: arrival rate (>= 0).
        mu: service rate of one server (> 0).
        c: number of servers (>= 1).
        theta: abandonment rate (> 0); for θ = 0 use :func:`mmc`.
        n_max: largest number of clients in system the truncation may reach
            (default 2,000,000).

    Raises:
        ValueError: on invalid input or when the tail beyond ``n_max`` is not negligible.
    """
    lam_ = _nonneg("lam", lam)
    mu_ = _positive("mu", mu)
    n_srv = _count("c", c, 1)
    th = _finite("theta", theta)
    if th <= 0.0:
        raise ValueError(
            f"theta (abandonment rate) must be > 0, got {theta!r}; use mmc() for no abandonment"
        )
    limit = _ERLANG_A_DEFAULT_MAX_STATES if n_max is None else _count("n_max", n_max, n_srv)
    a = lam_ / mu_

    if lam_ == 0.0:
        return ErlangAResult(
            lam=0.0,
            mu=mu_,
            c=n_srv,
            theta=th,
            a=0.0,
            p_wait=0.0,
            p_abandon=0.0,
            lq=0.0,
            l=0.0,
            mean_wait=0.0,
            mean_wait_served=0.0,
            mean_wait_abandoned=math.nan,
            throughput=0.0,
            rho=0.0,
            n_truncated=0,
        )

    states, logp = _erlang_a_log_probs(lam_, mu_, n_srv, th, limit)
    p = _normalise_log(logp)
    queued = np.maximum(states - n_srv, 0.0)
    lq = float(np.dot(queued, p))
    l_sys = float(np.dot(states, p))
    p_wait = float(p[n_srv:].sum())
    p_abandon = th * lq / lam_
    mean_wait = lq / lam_

    # Arrival finding n >= c present has j = n − c clients queued ahead of it.
    delayed = p[n_srv:]
    ahead = np.arange(delayed.size, dtype=np.float64)
    cmu = n_srv * mu_
    p_served_given_j = cmu / (cmu + (ahead + 1.0) * th)
    wait_given_served_j = np.cumsum(1.0 / (cmu + (ahead + 1.0) * th))
    served_wait_mass = float(np.dot(delayed, p_served_given_j * wait_given_served_j))
    p_served = 1.0 - p_abandon
    mean_wait_served = served_wait_mass / p_served
    abandoned_wait_mass = mean_wait - served_wait_mass
    mean_wait_abandoned = abandoned_wait_mass / p_abandon if p_abandon > 0.0 else math.nan

    throughput = lam_ * p_served
    return ErlangAResult(
        lam=lam_,
        mu=mu_,
        c=n_srv,
        theta=th,
        a=a,
        p_wait=p_wait,
        p_abandon=p_abandon,
        lq=lq,
        l=l_sys,
        mean_wait=mean_wait,
        mean_wait_served=mean_wait_served,
        mean_wait_abandoned=mean_wait_abandoned,
        throughput=throughput,
        rho=throughput / cmu,
        n_truncated=int(states[-1]),
    )
