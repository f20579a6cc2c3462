"""Closed-form and birth–death queueing results used to validate the simulator and to staff it.

Every function is pure: numbers in, numbers or frozen dataclasses out. Rates may be expressed in
any time unit as long as the caller uses the same unit throughout (arrivals per minute with
service rates per minute give waits in minutes).

Notation (as in docs and ``REFERENCE.md``): ``lam`` = arrival rate λ, ``mu`` = service rate μ of
one server, ``c`` = number of servers, ``a = λ/μ`` = offered load in Erlangs, ``ρ = a/c`` =
utilisation, ``theta`` = abandonment (patience) rate θ.

Numerical approach: factorials never appear. Erlang B is computed with its stable recurrence,
Erlang C from Erlang B, and birth–death chains (M/M/c/K, Erlang A) in log-space before
normalisation, so hundreds or thousands of servers are handled without overflow.

References:
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., Wiley 2008
    (§2.3 M/M/c, §2.5 M/M/c/K and M/M/c/c, §4.1 Jackson networks).
    Kleinrock, *Queueing Systems, Vol. 1: Theory*, Wiley 1975 (§3.5-§3.7 birth–death queues).
    Jackson, "Jobshop-like queueing systems", *Management Science* 10(1), 1963.
    Halfin & Whitt, "Heavy-traffic limits for queues with many exponential servers",
    *Operations Research* 29(3), 1981.
    Garnett, Mandelbaum & Reiman, "Designing a call center with impatient customers",
    *Manufacturing & Service Operations Management* 4(3), 2002 (Erlang A).
    Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures", Technion 2009.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq
from scipy.special import expit, log_ndtr, logsumexp

__all__ = [
    "ErlangAResult",
    "JacksonResult",
    "MMcKResult",
    "MMcResult",
    "beta_for_delay_probability",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "halfin_whitt_delay_probability",
    "jackson_network",
    "min_servers_erlang_a",
    "min_servers_erlang_c",
    "min_servers_for_wait",
    "mmc",
    "mmck",
    "square_root_staffing",
]

FloatArray = npt.NDArray[np.float64]

_TAIL_EPS = 1e-15
"""Relative mass (and first moment) below which the tail of an infinite chain is dropped."""

_ERLANG_A_DEFAULT_MAX_STATES = 2_000_000
"""Largest truncation level tried by :func:`erlang_a` when ``n_max`` is not given."""


# --------------------------------------------------------------------------- validation helpers


def _finite(name: str, value: float) -> float:
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return x


def _nonneg(name: str, value: float) -> float:
    x = _finite(name, value)
    if x < 0.0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return x


def _positive(name: str, value: float) -> float:
    x = _finite(name, value)
    if x <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return x


def _count(name: str, value: float, minimum: int) -> int:
    """An integer >= ``minimum``; integral floats such as ``3.0`` are accepted."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, int | np.integer):
        n = int(value)
    else:
        x = float(value)
        if not (math.isfinite(x) and x.is_integer()):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        n = int(x)
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return n


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


# --------------------------------------------------------------------------- Jackson networks


@dataclass(frozen=True)
class JacksonResult:
    """Steady state of an open Jackson network of M/M/cᵢ stations (per-station tuples by index)."""

    lam: tuple[float, ...]
    """Total arrival rate λᵢ at each station (solution of the traffic equations)."""
    rho: tuple[float, ...]
    """Utilisation ρᵢ = λᵢ/(cᵢμᵢ)."""
    l: tuple[float, ...]  # noqa: E741
    """Mean number at station i (waiting plus in service), Lᵢ."""
    w: tuple[float, ...]
    """Mean time per visit at station i (wait plus service), Wᵢ."""
    lq: tuple[float, ...]
    """Mean number waiting at station i."""
    wq: tuple[float, ...]
    """Mean wait per visit at station i."""
    visit_ratios: tuple[float, ...]
    """Mean number of visits to station i per client entering the network, vᵢ = λᵢ/Σγ."""
    stations: tuple[MMcResult, ...]
    """Full M/M/cᵢ result of each station."""
    external_rate: float
    """Total external arrival rate Σγ (equals the network throughput)."""
    l_total: float
    """Mean number of clients in the network, L = Σ Lᵢ."""
    sojourn_time: float
    """Mean time from entering to leaving the network, L/Σγ = Σ vᵢWᵢ (Little)."""


def _vector(name: str, values: npt.ArrayLike, n: int | None) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0 and n is not None:
        arr = np.full(n, float(arr))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a scalar or a 1-D sequence, got shape {arr.shape}")
    if n is not None and arr.size != n:
        raise ValueError(f"{name} must have one entry per station ({n}), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain finite numbers only")
    return arr


def jackson_network(
    gamma: npt.ArrayLike,
    routing: npt.ArrayLike,
    mu: npt.ArrayLike,
    c: npt.ArrayLike,
    names: Sequence[str] | None = None,
) -> JacksonResult:
    """Open Jackson network: M/M/cᵢ stations with Markovian routing (Jackson 1963).

    Traffic equations ``λ = γ + Pᵀλ`` are solved as ``(I − Pᵀ)λ = γ``. In steady state each
    station behaves as an independent M/M/cᵢ queue with arrival rate λᵢ (product form), so
    ``L = Σ Lᵢ`` and the mean sojourn time is ``L/Σγ = Σ vᵢWᵢ`` with visit ratios
    ``vᵢ = λᵢ/Σγ`` (Gross et al. 2008, §4.1).

    Args:
        gamma: external arrival rate γᵢ into each station (>= 0, at least one > 0).
        routing: matrix P with ``P[i, j]`` = probability that a client finishing at i goes
            next to j; ``1 − Σⱼ P[i, j]`` is the probability of leaving the network.
        mu: service rate per server at each station (> 0); a scalar applies to all.
        c: number of servers at each station (integers >= 1); a scalar applies to all.
        names: optional station names used in error messages (default ``station <index>``).

    Raises:
        ValueError: on malformed input, routing from which clients can never leave, or a
            station with ρᵢ >= 1 (named in the message).
    """
    g = _vector("gamma", gamma, None)
    n = g.size
    if n == 0:
        raise ValueError("gamma must list at least one station")
    if np.any(g < 0.0):
        raise ValueError("gamma (external arrival rates) must be >= 0")
    total_external = float(g.sum())
    if total_external <= 0.0:
        raise ValueError("at least one station needs a positive external arrival rate")
    label = list(names) if names is not None else [f"station {i}" for i in range(n)]
    if len(label) != n:
        raise ValueError(f"names must have one entry per station ({n}), got {len(label)}")

    p_mat = np.asarray(routing, dtype=np.float64)
    if p_mat.shape != (n, n):
        raise ValueError(f"routing must be a {n}×{n} matrix, got shape {p_mat.shape}")
    if not np.all(np.isfinite(p_mat)) or np.any(p_mat < 0.0) or np.any(p_mat > 1.0):
        raise ValueError("routing probabilities must be finite numbers in [0, 1]")
    row_sums = p_mat.sum(axis=1)
    over = np.flatnonzero(row_sums > 1.0 + 1e-12)
    if over.size:
        bad = int(over[0])
        raise ValueError(
            f"routing probabilities out of {label[bad]} sum to {row_sums[bad]:g} (must be <= 1)"
        )

    mu_arr = _vector("mu", mu, n)
    if np.any(mu_arr <= 0.0):
        raise ValueError("mu (service rates) must be > 0")
    c_raw = _vector("c", c, n)
    servers = [_count(f"c of {label[i]}", c_raw[i], 1) for i in range(n)]

    system = np.eye(n) - p_mat.T
    if np.linalg.matrix_rank(system) < n:
        raise ValueError(
            "routing matrix traps clients: some group of stations routes with probability 1 "
            "among itself, so the traffic equations have no solution"
        )
    lam = np.linalg.solve(system, g)
    lam = np.where(np.abs(lam) < 1e-12 * total_external, 0.0, lam)
    if np.any(lam < 0.0):
        raise ValueError("traffic equations gave a negative arrival rate; check routing")

    stations: list[MMcResult] = []
    for i in range(n):
        lam_i = float(lam[i])
        capacity = servers[i] * float(mu_arr[i])
        if lam_i >= capacity:
            raise ValueError(
                f"{label[i]} is unstable: arrival rate λ = {lam_i:g} (external plus routed) "
                f"is not below its capacity cμ = {servers[i]}·{float(mu_arr[i]):g} = "
                f"{capacity:g} (ρ = {lam_i / capacity:g})"
            )
        stations.append(mmc(lam_i, float(mu_arr[i]), servers[i]))

    l_total = sum(s.l for s in stations)
    return JacksonResult(
        lam=tuple(s.lam for s in stations),
        rho=tuple(s.rho for s in stations),
        l=tuple(s.l for s in stations),
        w=tuple(s.w for s in stations),
        lq=tuple(s.lq for s in stations),
        wq=tuple(s.wq for s in stations),
        visit_ratios=tuple(s.lam / total_external for s in stations),
        stations=tuple(stations),
        external_rate=total_external,
        l_total=l_total,
        sojourn_time=l_total / total_external,
    )


# --------------------------------------------------------------------------- staffing


def square_root_staffing(a: float, beta: float) -> int:
    """Square-root staffing rule ``c = ⌈a + β·√a⌉`` (Halfin & Whitt 1981).

    A relative tolerance of 1e-12 absorbs floating-point noise before rounding up, so
    ``a + β√a`` that is an integer up to rounding error is not bumped to the next integer.
    The result is never negative.

    Args:
        a: offered load λ/μ in Erlangs (>= 0).
        beta: quality-of-service parameter β (any real; larger means fewer waits).
    """
    load = _nonneg("a", a)
    b = _finite("beta", beta)
    x = load + b * math.sqrt(load)
    return max(0, math.ceil(x - 1e-12 * max(1.0, abs(x))))


def halfin_whitt_delay_probability(beta: float) -> float:
    """Halfin–Whitt limit of P(wait) for M/M/c staffed at ``c = a + β√a``, β > 0.

    ``P(wait) → [1 + β·Φ(β)/φ(β)]⁻¹`` with Φ, φ the standard normal cdf and density
    (Halfin & Whitt 1981). Evaluated in log-space so large β does not overflow.
    """
    b = _positive("beta", beta)
    log_ratio = float(log_ndtr(b)) + 0.5 * b * b + 0.5 * math.log(2.0 * math.pi)
    return float(expit(-(math.log(b) + log_ratio)))


def beta_for_delay_probability(p_wait: float) -> float:
    """The β > 0 whose Halfin–Whitt delay probability equals ``p_wait`` (0 < p_wait < 1).

    Inverts :func:`halfin_whitt_delay_probability` (decreasing from 1 at β = 0 towards 0)
    with Brent's method. Use with :func:`square_root_staffing` for a first staffing guess;
    :func:`min_servers_erlang_c` gives the exact answer.
    """
    target = _finite("p_wait", p_wait)
    if not 0.0 < target < 1.0:
        raise ValueError(f"p_wait must be strictly between 0 and 1, got {p_wait!r}")

    def gap(b: float) -> float:
        if b == 0.0:
            return 1.0 - target
        return halfin_whitt_delay_probability(b) - target

    hi = 1.0
    while gap(hi) > 0.0:
        hi *= 2.0
    return float(brentq(gap, 0.0, hi, xtol=1e-14, rtol=1e-14))


def _scan_erlang_c(lam: float, mu: float, accept: Callable[[MMcResult], bool]) -> int:
    """Smallest stable c for which ``accept(result)`` holds, with incremental Erlang B."""
    a = lam / mu
    c = 0
    b = 1.0
    while True:
        c += 1
        ab = a * b
        b = ab / (c + ab)
        if lam < c * mu and accept(_mmc_from_b(lam, mu, c, b)):
            return c


def min_servers_erlang_c(lam: float, mu: float, target_wait: float, target_level: float) -> int:
    """Smallest c with λ < cμ and P(Wq <= target_wait) >= target_level in M/M/c.

    Uses ``P(Wq <= t) = 1 − C(c, a)·exp(−(cμ − λ)t)``, which increases with c, and scans c
    upwards from 1 updating Erlang B by one recurrence step per server. Returns 0 when
    ``lam = 0`` (no clients, no servers needed).

    Args:
        lam: arrival rate (>= 0).
        mu: service rate of one server (> 0).
        target_wait: waiting-time threshold t (>= 0), e.g. 20 s in the "80/20" rule.
        target_level: required share served within t, ``0 <= target_level < 1``.
    """
    lam_ = _nonneg("lam", lam)
    mu_ = _positive("mu", mu)
    t = _nonneg("target_wait", target_wait)
    level = _finite("target_level", target_level)
    if not 0.0 <= level < 1.0:
        raise ValueError(
            f"target_level must be in [0, 1) (1 is unreachable with random arrivals), "
            f"got {target_level!r}"
        )
    if lam_ == 0.0:
        return 0
    return _scan_erlang_c(lam_, mu_, lambda r: r.service_level(t) >= level)


def min_servers_for_wait(lam: float, mu: float, max_mean_wait: float) -> int:
    """Smallest c with λ < cμ and mean wait Wq = C(c, a)/(cμ − λ) <= ``max_mean_wait``.

    Wq decreases with c; c is scanned upwards with incremental Erlang B. Returns 0 when
    ``lam = 0``.

    Args:
        lam: arrival rate (>= 0).
        mu: service rate of one server (> 0).
        max_mean_wait: largest acceptable mean wait (> 0).
    """
    lam_ = _nonneg("lam", lam)
    mu_ = _positive("mu", mu)
    target = _positive("max_mean_wait", max_mean_wait)
    if lam_ == 0.0:
        return 0
    return _scan_erlang_c(lam_, mu_, lambda r: r.wq <= target)


def min_servers_erlang_a(
    lam: float, mu: float, theta: float, max_abandon: float, n_max: int | None = None
) -> int:
    """Smallest c whose Erlang A abandonment probability is <= ``max_abandon``.

    P(abandon) decreases in c. Throughput cannot exceed cμ, so
    ``P(abandon) >= 1 − cμ/λ`` and ``c >= a(1 − max_abandon)`` is a lower bound; the search
    doubles an upper bound from there and then bisects, evaluating :func:`erlang_a` exactly.
    Returns 0 when ``lam = 0``.

    Args:
        lam: arrival rate (>= 0).
        mu: service rate of one server (> 0).
        theta: abandonment rate (> 0).
        max_abandon: largest acceptable share of arrivals abandoning, ``0 < max_abandon < 1``.
        n_max: passed to :func:`erlang_a`.
    """
    lam_ = _nonneg("lam", lam)
    mu_ = _positive("mu", mu)
    th = _positive("theta", theta)
    target = _finite("max_abandon", max_abandon)
    if not 0.0 < target < 1.0:
        raise ValueError(f"max_abandon must be strictly between 0 and 1, got {max_abandon!r}")
    if lam_ == 0.0:
        return 0

    def ok(servers: int) -> bool:
        return erlang_a(lam_, mu_, servers, th, n_max).p_abandon <= target

    lo = max(1, math.floor(lam_ / mu_ * (1.0 - target)))
    if ok(lo):
        return lo
    step = 1
    hi = lo + step
    while not ok(hi):
        lo = hi
        step *= 2
        hi = lo + step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi
