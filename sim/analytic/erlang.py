"""Erlang B and C, M/M/c and M/M/c/K (Gross et al. 2008, §2.3 and §2.5)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from sim.analytic._common import (
    FloatArray,
    _count,
    _nonneg,
    _positive,
)

# --------------------------------------------------------------------------- Erlang B and C


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of the M/M/c/c loss system (Erlang B formula).

    Closed form ``B(c, a) = (aᶜ/c!) / Σ_{k=0..c} aᵏ/k!``, evaluated with the recurrence
    ``B(0, a) = 1``, ``B(k, a) = a·B(k−1, a) / (k + a·B(k−1, a))``, which stays in [0, 1] and
    is stable for any ``c`` (Gross et al. 2008, §2.5).

    Args:
        c: number of servers (>= 0).
        a: offered load ``λ/μ`` in Erlangs (>= 0).

    Returns:
        The probability that an arriving client finds all ``c`` servers busy and is lost.
    """
    n = _count("c", c, 0)
    load = _nonneg("a", a)
    b = 1.0
    for k in range(1, n + 1):
        ab = load * b
        b = ab / (k + ab)
    return b


def _erlang_c_from_b(b: float, rho: float) -> float:
    return b / (1.0 - rho * (1.0 - b))


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival has to wait in an M/M/c queue (Erlang C formula).

    ``C(c, a) = [aᶜ/c! · c/(c − a)] / [Σ_{k<c} aᵏ/k! + aᶜ/c! · c/(c − a)]``, computed from
    Erlang B as ``C = B / (1 − ρ(1 − B))`` with ``ρ = a/c`` (Gross et al. 2008, §2.3).

    Args:
        c: number of servers (>= 1).
        a: offered load ``λ/μ`` in Erlangs, ``0 <= a < c``.

    Raises:
        ValueError: if ``a >= c`` (the queue is unstable and grows without bound).
    """
    n = _count("c", c, 1)
    load = _nonneg("a", a)
    if load >= n:
        raise ValueError(
            f"M/M/c queue is unstable: offered load a = {load:g} Erlangs must be below "
            f"c = {n} servers (utilisation ρ = a/c = {load / n:g} >= 1)"
        )
    return _erlang_c_from_b(erlang_b(n, load), load / n)


# --------------------------------------------------------------------------- M/M/c


@dataclass(frozen=True)
class MMcResult:
    """Steady-state measures of an M/M/c queue (infinite waiting room, FCFS).

    Times are in the caller's time unit; numbers of clients are time averages.
    """

    lam: float
    """Arrival rate λ."""
    mu: float
    """Service rate μ of one server."""
    c: int
    """Number of servers."""
    a: float
    """Offered load λ/μ (Erlangs)."""
    rho: float
    """Server utilisation ρ = λ/(cμ)."""
    p_wait: float
    """Probability that an arrival waits at all, P(Wq > 0) = C(c, a)."""
    wq: float
    """Mean wait in queue, Wq = C / (cμ − λ)."""
    lq: float
    """Mean number waiting, Lq = λ·Wq."""
    w: float
    """Mean time in system, W = Wq + 1/μ."""
    l: float  # noqa: E741
    """Mean number in system, L = λ·W = Lq + a."""

    def p_wait_longer_than(self, t: float) -> float:
        """P(Wq > t) = C · exp(−(cμ − λ)·t) for ``t >= 0`` (Gross et al. 2008, §2.3)."""
        tt = _nonneg("t", t)
        if self.p_wait == 0.0:
            return 0.0
        return self.p_wait * math.exp(-(self.c * self.mu - self.lam) * tt)

    def service_level(self, t: float) -> float:
        """P(Wq <= t) = 1 − C · exp(−(cμ − λ)·t): share of clients served within ``t``."""
        return 1.0 - self.p_wait_longer_than(t)


def _mmc_from_b(lam: float, mu: float, c: int, b: float) -> MMcResult:
    a = lam / mu
    rho = a / c
    p_wait = _erlang_c_from_b(b, rho) if lam > 0.0 else 0.0
    wq = p_wait / (c * mu - lam)
    lq = lam * wq
    w = wq + 1.0 / mu
    return MMcResult(lam=lam, mu=mu, c=c, a=a, rho=rho, p_wait=p_wait, wq=wq, lq=lq, w=w, l=lq + a)


def mmc(lam: float, mu: float, c: int) -> MMcResult:
    """Steady state of the M/M/c queue with Poisson arrivals, exponential service, FCFS.

    ``P(wait) = C(c, a)``, ``Wq = C/(cμ − λ)``, ``Lq = λWq``, ``W = Wq + 1/μ``, ``L = λW``
    (Gross et al. 2008, §2.3). With ``lam = 0`` all waits are 0 and ``W = 1/μ``.

    Args:
        lam: arrival rate (>= 0).
        mu: service rate of one server (> 0).
        c: number of servers (>= 1).

    Raises:
        ValueError: on invalid input or when ``λ >= cμ`` (unstable).
    """
    lam_ = _nonneg("lam", lam)
    mu_ = _positive("mu", mu)
    n = _count("c", c, 1)
    a = lam_ / mu_
    if lam_ >= n * mu_:
        raise ValueError(
            f"M/M/c queue is unstable: arrival rate λ = {lam_:g} must be below the service "
            f"capacity cμ = {n}·{mu_:g} = {n * mu_:g} (utilisation ρ = {a / n:g} >= 1)"
        )
    return _mmc_from_b(lam_, mu_, n, erlang_b(n, a))


# --------------------------------------------------------------------------- M/M/c/K


@dataclass(frozen=True)
class MMcKResult:
    """Steady-state measures of an M/M/c/K queue (room for ``K`` clients, servers included).

    Arrivals finding ``K`` clients present are blocked and lost; the time measures refer to
    admitted clients only (Little's law applied with λ_eff).
    """

    lam: float
    """Arrival rate λ (offered, before blocking)."""
    mu: float
    """Service rate μ of one server."""
    c: int
    """Number of servers."""
    k: int
    """System capacity K (waiting places plus servers), K >= c."""
    probabilities: tuple[float, ...]
    """Stationary distribution p_0 … p_K of the number of clients present."""
    p_block: float
    """Blocking probability p_K (PASTA: share of arrivals lost)."""
    lam_eff: float
    """Admitted arrival rate λ_eff = λ(1 − p_K) (equals the throughput)."""
    rho: float
    """Server utilisation λ_eff/(cμ)."""
    p_wait: float
    """P(wait > 0 | admitted) = Σ_{n=c..K−1} p_n / (1 − p_K)."""
    l: float  # noqa: E741
    """Mean number in system L = Σ n·p_n."""
    lq: float
    """Mean number waiting Lq = Σ (n − c)⁺·p_n."""
    w: float
    """Mean time in system of an admitted client, W = L/λ_eff (1/μ when λ = 0)."""
    wq: float
    """Mean wait of an admitted client, Wq = Lq/λ_eff (0 when λ = 0)."""


def _normalise_log(logp: FloatArray) -> FloatArray:
    p: FloatArray = np.exp(logp - logsumexp(logp))
    total = float(p.sum())
    return p / total


def mmck(lam: float, mu: float, c: int, K: int) -> MMcKResult:
    """Steady state of the M/M/c/K queue (finite capacity ``K``, blocked arrivals are lost).

    Birth–death balance ``p_n = p_{n−1} · λ / (min(n, c)·μ)`` for ``n = 1..K``, evaluated as a
    cumulative sum of logarithms and normalised with log-sum-exp. Blocking ``p_K``,
    ``λ_eff = λ(1 − p_K)``, ``W = L/λ_eff``, ``Wq = Lq/λ_eff`` (Gross et al. 2008, §2.5).
    ``K = c`` gives the Erlang B loss system; ``K → ∞`` tends to M/M/c when ``λ < cμ``.

    Args:
        lam: arrival rate (>= 0).
        mu: service rate of one server (> 0).
        c: number of servers (>= 1).
        K: capacity including clients in service (>= c).
    """
    lam_ = _nonneg("lam", lam)
    mu_ = _positive("mu", mu)
    n_srv = _count("c", c, 1)
    cap = _count("K", K, 1)
    if cap < n_srv:
        raise ValueError(f"K (total capacity) must be >= c = {n_srv}, got K = {cap}")

    states = np.arange(cap + 1, dtype=np.float64)
    if lam_ == 0.0:
        p: FloatArray = np.zeros(cap + 1, dtype=np.float64)
        p[0] = 1.0
    else:
        deaths = np.minimum(states[1:], float(n_srv)) * mu_
        logp = np.concatenate(([0.0], np.cumsum(math.log(lam_) - np.log(deaths))))
        p = _normalise_log(logp)

    p_block = float(p[cap])
    lam_eff = lam_ * (1.0 - p_block)
    l_sys = float(np.dot(states, p))
    lq = float(np.dot(np.maximum(states - n_srv, 0.0), p))
    if lam_eff > 0.0:
        w = l_sys / lam_eff
        wq = lq / lam_eff
        p_wait = float(p[n_srv:cap].sum()) / (1.0 - p_block)
    else:
        w = 1.0 / mu_
        wq = 0.0
        p_wait = 0.0
    return MMcKResult(
        lam=lam_,
        mu=mu_,
        c=n_srv,
        k=cap,
        probabilities=tuple(float(x) for x in p),
        p_block=p_block,
        lam_eff=lam_eff,
        rho=lam_eff / (n_srv * mu_),
        p_wait=p_wait,
        l=l_sys,
        lq=lq,
        w=w,
        wq=wq,
    )
