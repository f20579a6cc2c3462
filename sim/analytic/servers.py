"""Staffing rules: square-root staffing and the fewest servers meeting a target (Halfin & Whitt 1981)."""

from __future__ import annotations

import math
from collections.abc import Callable

from scipy.special import expit, log_ndtr

from sim.analytic._common import (
    _finite,
    _nonneg,
    _positive,
)
from sim.analytic.erlang import (
    MMcResult,
    _mmc_from_b,
)
from sim.analytic.erlang_a import (
    erlang_a,
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

    from scipy.optimize import brentq  # imported here: scipy.optimize takes long to load

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
